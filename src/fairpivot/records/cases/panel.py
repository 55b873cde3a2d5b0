"""The appeal panel: who HR may seat, seating, recusal, and the days the panel has.

Seats are kept in ``PanelAssignment`` (one seat per person per case, over every appeal of
the case) and each seating and recusal is also a ledger entry, so the record shows who sat.
A person HR may not seat is never offered: the employee, anyone in their management chain,
the manager who failed the plan, anyone in the employee's own team (same manager, or
reporting to the employee), and anyone who sat on an earlier appeal of the case.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from fairpivot.domain.casefile import model as m
from fairpivot.domain.dates import days_later
from fairpivot.domain.errors import InvalidInput
from fairpivot.domain.fold import CaseState
from fairpivot.domain.policy import Policy
from fairpivot.domain.review import Review
from fairpivot.records.cases.usecases import Actor, commit
from fairpivot.records.clock import Clock
from fairpivot.records.errors import TransitionRefused
from fairpivot.records.ledger import chains
from fairpivot.records.models import Case, Employee

SEATED, RECUSED = "panel_seated", "panel_recused"
PANELIST_GROUP = "panelist"


def _seats() -> Any:
    # The seat table belongs to the web app's migrations (it predates this module); it is
    # looked up by name so that records never imports the web package.
    return apps.get_model("web", "PanelAssignment")


def person_of(user: User) -> dict[str, str]:
    """How a panelist is named in a case file: their employee id, else their login."""
    employee = Employee.objects.filter(user=user).first()
    if employee is not None:
        return {"id": employee.employee_id, "name": employee.name, "role": "peer"}
    return {"id": user.username, "name": user.get_full_name() or user.username, "role": "peer"}


@dataclass(slots=True)
class Panel:
    """The panel of a case's current appeal."""

    case: Case
    appeal: int  # which appeal of the case (1 for the first)
    size: int
    decide_within_days: int
    seated: list[tuple[User, Any]] = field(default_factory=list)  # (user, its seat)
    refused: dict[int, str] = field(default_factory=dict)  # user id -> why not

    @property
    def ids(self) -> list[str]:
        """The case-file ids of the panelists seated now."""
        return sorted(person_of(user)["id"] for user, _ in self.seated)

    @property
    def open_seats(self) -> int:
        """How many more panelists HR may seat."""
        return max(self.size - len(self.seated), 0)

    @property
    def full(self) -> bool:
        """Whether every seat is filled."""
        return bool(self.seated) and self.open_seats == 0

    @property
    def decide_by(self) -> date | None:
        """The day the panel should decide by: its policy's days from the day it was full."""
        if not self.full:
            return None
        filled = max(timezone.localtime(seat.assigned_at).date() for _, seat in self.seated)
        return days_later(filled, self.decide_within_days)

    @property
    def eligible(self) -> list[tuple[User, str]]:
        """The panelists HR may seat, each with how they are shown."""
        users = User.objects.filter(groups__name=PANELIST_GROUP, is_active=True).order_by(
            "username"
        )
        out = []
        for user in users:
            if user.pk in self.refused:
                continue
            person = person_of(user)
            out.append((user, f"{person['name']} ({user.username})"))
        return out


def current(case: Case, state: CaseState, policy: Policy, events: Sequence[m.Event] = ()) -> Panel:
    """The panel of the case's current appeal, with who may not sit on it and why."""
    appeal_no = max(len(state.appeals), 1)
    seats = list(_seats().objects.filter(case=case).select_related("user"))
    panel = Panel(case, appeal_no, policy.appeal.panel_size, policy.appeal.decide_within_days)
    panel.seated = [
        (seat.user, seat) for seat in seats if seat.appeal == appeal_no and seat.recused_at is None
    ]
    panel.refused = _refused(case, events, seats)
    return panel


def _refused(case: Case, events: Sequence[m.Event], seats: list[Any]) -> dict[int, str]:
    """Users who may not sit on the case's panel, with why."""
    why: dict[int, str] = {s.user_id: "has sat on this case's panel" for s in seats}
    employee = Employee.objects.filter(employee_id=case.employee_ref).first()
    if employee is None:
        return why
    if employee.user_id is not None:
        why[employee.user_id] = "is the employee"
    chain, boss = [], employee.manager
    while boss is not None and boss not in chain:
        chain.append(boss)
        boss = boss.manager
    for person in chain:
        if person.user_id is not None:
            why.setdefault(person.user_id, "is in the employee's management chain")
    team = Employee.objects.filter(manager_id=employee.manager_id).exclude(pk=employee.pk)
    reports = Employee.objects.filter(manager_id=employee.pk)
    for person in [*team, *reports] if employee.manager_id is not None else reports:
        if person.user_id is not None:
            why.setdefault(person.user_id, "is in the employee's own team")
    failed_by = {e.by for e in events if e.type == "plan_failed" and e.by is not None}
    for person in Employee.objects.filter(employee_id__in=failed_by):
        if person.user_id is not None:
            why.setdefault(person.user_id, "failed the plan")
    return why


def seat(
    case: Case,
    state: CaseState,
    policy: Policy,
    users: list[User],
    events: Sequence[m.Event],
    *,
    actor: Actor,
    expected_version: int,
    clock: Clock,
) -> Review:
    """Seat panelists on the case's current appeal and record who sits."""
    panel = current(case, state, policy, events)
    offered = {user.pk for user, _ in panel.eligible}
    problems = [
        f"panelists: {user.username} may not sit on this panel "
        f"({panel.refused.get(user.pk, 'not in the panelist group')})"
        for user in users
        if user.pk not in offered
    ]
    if problems:
        raise InvalidInput(problems)
    if not users:
        raise InvalidInput(["panelists: choose at least one panelist"])
    if len(users) > panel.open_seats:
        raise TransitionRefused(
            [
                f"panelists: {len(users)} chosen but {panel.open_seats} seat(s) are open "
                f"(the panel has {panel.size})"
            ]
        )
    people = [person_of(user) for user in users]
    facts = chains.facts_of(case)
    known = {f.payload["id"] for f in facts if f.kind == "person"} | {case.employee_ref}
    entries: list[tuple[str, Any]] = [("person", p) for p in people if p["id"] not in known]
    entries.append((SEATED, {"appeal": panel.appeal, "ids": [p["id"] for p in people]}))
    with transaction.atomic():
        for user in users:
            _seats().objects.create(
                case=case, user=user, appeal=panel.appeal, assigned_at=clock.now()
            )
        return commit(case, entries, actor, expected_version, clock)


def recuse(case: Case, actor: Actor, reason: str, *, expected_version: int, clock: Clock) -> Review:
    """A panelist steps down from the case's panel; HR seats a replacement."""
    seat_row = (
        _seats()
        .objects.filter(case=case, user__username=actor.username, recused_at__isnull=True)
        .first()
    )
    if seat_row is None:
        raise TransitionRefused(["command: you do not sit on this case's panel"])
    who = actor.person_id or actor.username
    with transaction.atomic():
        seat_row.recused_at = clock.now()
        seat_row.save(update_fields=["recused_at"])
        return commit(
            case,
            [(RECUSED, {"appeal": seat_row.appeal, "id": who, "reason": reason})],
            actor,
            expected_version,
            clock,
        )
