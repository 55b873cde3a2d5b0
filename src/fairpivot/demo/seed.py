"""``fairpivot demo``: a synthetic org with cases at every stage, and a login for each role.

The first run seeds the database in one transaction: about 300 employees in a reporting
line (``demo_org``), historical cases imported as case files (``demo_history``) and live
cases acted out through the use cases (``demo_live``), all made from one seed and dated
from today, so deadlines are live. Every run, the first included, gives each demo user a
new random password, so the logins it prints always work and none is ever shipped.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from fairpivot.demo.cases import Story, import_document
from fairpivot.demo.history import HISTORY
from fairpivot.demo.live import LIVE, act_out
from fairpivot.demo.org import Org, Picker, Staff, build_org, save_org
from fairpivot.records.clock import SYSTEM_CLOCK, Clock, today

ROLES = ("employee", "manager", "hr", "panelist", "counsel", "admin")
# The other two of the appeal panel's three seats: more logins in the panelist group.
MORE_PANELISTS = ("panelist-2", "panelist-3")


@dataclass(frozen=True, slots=True)
class Login:
    """A demo user's role, username and (new) password."""

    role: str
    username: str
    password: str


@dataclass(frozen=True, slots=True)
class Cast:
    """The org's people who get a demo login: an employee in a case, their manager, a panelist."""

    employee: Staff
    manager: Staff
    panel: tuple[Staff, ...]


def username(role: str) -> str:
    """The demo user of a role: ``demo-hr``."""
    return f"demo-{role}"


def ensure_demo(clock: Clock = SYSTEM_CLOCK, seed: int = 7) -> list[Login]:
    """Seed the demo unless it is there; give every demo user a new password; return them."""
    with transaction.atomic():
        seeded = get_user_model().objects.filter(username=username("admin")).exists()
        logins = [_login(role) for role in ROLES]
        logins += [_login(name, "panelist") for name in MORE_PANELISTS]
        if not seeded:
            _link(seed_records(clock, seed))
    return logins


def seed_records(clock: Clock, seed: int = 7) -> Cast:
    """Create the org and its cases, the historical ones imported, the live ones acted out."""
    rng = random.Random(seed)  # noqa: S311 (made-up people, not secrets)
    org = build_org(rng, today(clock))
    pick = Picker(org, rng)
    subjects = [pick(s.state, s.min_age, s.max_age) for s in HISTORY]
    subjects += [pick(s.state, max_age=s.max_age) for s in LIVE]
    panel = _panel(org, subjects, rng)
    save_org(org)  # after picking: a pick may adjust a row to fit its case
    stories = [Story(subject, org.today, len(org.people), panel) for subject in subjects]
    past, live = stories[: len(HISTORY)], stories[len(HISTORY) :]
    for scenario, story in zip(HISTORY, past, strict=True):
        import_document(scenario.write(story), clock)
    for acted, story in zip(LIVE, live, strict=True):
        act_out(acted, story, clock)
    return Cast(employee=past[0].subject, manager=past[0].boss, panel=panel)


def _panel(org: Org, subjects: list[Staff], rng: random.Random) -> tuple[Staff, ...]:
    """Three managers of teams with no demo case: peers the appellants do not report to."""
    busy = {s.manager.row.employee_id for s in subjects if s.manager is not None}
    return tuple(rng.sample([m for m in org.managers if m.row.employee_id not in busy], 3))


def _login(role: str, group_name: str | None = None) -> Login:
    """The role's demo user, created (in the role's group) if missing, with a new password."""
    user, _ = get_user_model().objects.get_or_create(username=username(role))
    user.is_staff = user.is_superuser = role == "admin"
    password = secrets.token_urlsafe(12)
    validate_password(password, user)
    user.set_password(password)
    user.save()
    group, _ = Group.objects.get_or_create(name=group_name or role)
    user.groups.add(group)
    return Login(role, user.username, password)


def _link(cast: Cast) -> None:
    """Make the employee, manager and panelist logins those people in the org."""
    people = {"employee": cast.employee, "manager": cast.manager}
    people |= dict(zip(("panelist", *MORE_PANELISTS), cast.panel, strict=True))
    users = get_user_model().objects.filter(username__in=[username(r) for r in people])
    by_name = {user.username: user for user in users}
    for role, staff in people.items():
        staff.row.user = by_name[username(role)]
        staff.row.save(update_fields=["user"])
