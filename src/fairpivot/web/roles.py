"""Who HR covers and who may sit on appeal panels: changed by admins, every change logged.

An HR partner's scopes decide which cases, complaints and medical leave they see; the
panelist pool decides who may judge an appeal. Both matter later as much as who acted, so
each change is written with a ``RoleChange`` row in the same transaction, and nothing
here edits or removes a row of that log.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.contrib.auth.models import Group, User
from django.db import transaction
from django.db.models import Q, QuerySet

from fairpivot.domain.errors import InvalidInput
from fairpivot.records.clock import SYSTEM_CLOCK, Clock
from fairpivot.records.models import Employee
from fairpivot.web.models import HrScope, PanelAssignment, RoleChange

HR_GROUP, PANEL_GROUP = "hr", "panelist"
CHANGES = ("add_scope", "remove_scope", "add_panelist", "remove_panelist")
ORG_LENGTH = HrScope._meta.get_field("org_prefix").max_length or 300
NAME_LENGTH = 150


@dataclass(frozen=True, slots=True)
class HrPartner:
    """An HR user and the org subtrees they cover."""

    user: User
    scopes: list[HrScope]


def hr_partners() -> list[HrPartner]:
    """Every active HR user with their scopes, by login."""
    users = User.objects.filter(groups__name=HR_GROUP, is_active=True).order_by("username")
    scopes: dict[int, list[HrScope]] = {}
    for scope in HrScope.objects.filter(user__in=users).order_by("org_prefix", "id"):
        scopes.setdefault(scope.user_id, []).append(scope)
    return [HrPartner(user, scopes.get(user.pk, [])) for user in users.distinct()]


def panelists() -> QuerySet[User]:
    """The panelist pool: active users in the panelist group, by login."""
    return User.objects.filter(groups__name=PANEL_GROUP, is_active=True).order_by("username")


def changes() -> QuerySet[RoleChange]:
    """The log of role changes, newest first."""
    return RoleChange.objects.all()


def change(actor: User, what: str, fields: dict[str, str], clock: Clock = SYSTEM_CLOCK) -> str:
    """Make one change named in ``CHANGES`` from raw form or JSON fields; say what was done."""
    if what == "add_scope":
        return add_scope(
            actor,
            fields.get("user", ""),
            fields.get("org", ""),
            whole=fields.get("whole", "") in ("on", "true", "1", "yes"),
            clock=clock,
        )
    if what == "remove_scope":
        return remove_scope(actor, fields.get("scope", ""), clock=clock)
    if what == "add_panelist":
        return add_panelist(actor, fields.get("user", ""), clock=clock)
    if what == "remove_panelist":
        return remove_panelist(actor, fields.get("user", ""), clock=clock)
    raise InvalidInput([f"change: must be one of {', '.join(CHANGES)} (got {what!r})"])


def add_scope(
    actor: User, username: str, org: str, *, whole: bool, clock: Clock = SYSTEM_CLOCK
) -> str:
    """Let an HR user cover an org subtree (``whole``: the whole organisation)."""
    user = _user(username)
    if not user.groups.filter(name=HR_GROUP).exists():
        raise InvalidInput([f"user: {user.username} is not in the HR group"])
    prefix = "" if whole else _org(org)
    where = prefix or "the whole organisation"
    with transaction.atomic():
        if HrScope.objects.select_for_update().filter(user=user, org_prefix=prefix).exists():
            raise InvalidInput([f"org: {user.username} already covers {where}"])
        HrScope.objects.create(user=user, org_prefix=prefix)
        _log(actor, "scope_added", user.username, prefix, clock)
    return f"{user.username} now covers {where}."


def remove_scope(actor: User, scope_id: str, clock: Clock = SYSTEM_CLOCK) -> str:
    """Take one scope away from an HR user."""
    text = str(scope_id).strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 18):
        raise InvalidInput([f"scope: not a scope's number (got {scope_id!r})"])
    with transaction.atomic():
        scope = HrScope.objects.select_for_update().filter(pk=int(text)).first()
        if scope is None:
            raise InvalidInput([f"scope: no scope {text}; it may have been removed already"])
        username, prefix = scope.user.username, scope.org_prefix
        scope.delete()
        _log(actor, "scope_removed", username, prefix, clock)
    return f"{username} no longer covers {prefix or 'the whole organisation'}."


def add_panelist(actor: User, username: str, clock: Clock = SYSTEM_CLOCK) -> str:
    """Put a user in the panelist pool."""
    user = _user(username)
    group, _ = Group.objects.get_or_create(name=PANEL_GROUP)
    with transaction.atomic():
        if user.groups.filter(pk=group.pk).exists():
            raise InvalidInput([f"user: {user.username} is already a panelist"])
        user.groups.add(group)
        _log(actor, "panelist_added", user.username, "", clock)
    return f"{user.username} may now sit on appeal panels."


def remove_panelist(actor: User, username: str, clock: Clock = SYSTEM_CLOCK) -> str:
    """Take a user out of the panelist pool, unless they sit on an appeal still open."""
    user = _user(username)
    group = Group.objects.filter(name=PANEL_GROUP).first()
    if group is None or not user.groups.filter(pk=group.pk).exists():
        raise InvalidInput([f"user: {user.username} is not a panelist"])
    seated = PanelAssignment.objects.filter(user=user, case__projection__stage="appeal")
    open_cases = sorted(f"C-{pk}" for pk in seated.values_list("case_id", flat=True))
    if open_cases:
        # Their vote decides the appeal; taking them off the pool would leave it undecided.
        raise InvalidInput(
            [
                f"user: {user.username} sits on the open appeal of {', '.join(open_cases)}; "
                "remove them once it is decided"
            ]
        )
    with transaction.atomic():
        user.groups.remove(group)
        _log(actor, "panelist_removed", user.username, "", clock)
    return f"{user.username} no longer sits on appeal panels."


def _user(username: str) -> User:
    name = str(username).strip()
    if not name:
        raise InvalidInput(["user: required"])
    if len(name) > NAME_LENGTH:
        raise InvalidInput([f"user: at most {NAME_LENGTH} characters"])
    if _has_control(name):
        raise InvalidInput(["user: control or unassigned characters are not allowed"])
    user = User.objects.filter(username=name, is_active=True).first()
    if user is None:
        raise InvalidInput([f"user: no active user {name!r}"])
    return user


def _org(org: str) -> str:
    """An org prefix as stored: trimmed, without a trailing slash, naming a real org."""
    prefix = unicodedata.normalize("NFC", str(org)).strip().rstrip("/")
    if not prefix:
        raise InvalidInput(["org: required, unless the whole organisation is ticked"])
    if len(prefix) > ORG_LENGTH:
        raise InvalidInput([f"org: at most {ORG_LENGTH} characters"])
    if _has_control(prefix):
        raise InvalidInput(["org: control or unassigned characters are not allowed"])
    if not Employee.objects.filter(Q(org=prefix) | Q(org__startswith=prefix + "/")).exists():
        raise InvalidInput([f"org: no one works in {prefix!r} or below it"])
    return prefix


def _has_control(text: str) -> bool:
    """Whether ``text`` holds a control, surrogate or unassigned character (no login has)."""
    return any(unicodedata.category(ch).startswith("C") for ch in text)


def _log(actor: User, action: str, subject: str, org: str, clock: Clock) -> None:
    RoleChange.objects.create(
        at=clock.now(), by=actor.get_username(), action=action, subject=subject, org=org
    )
