"""What a panelist sees of the appeals they sit on: both statements, and their vote."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fairpivot.domain.wording import days_left
from fairpivot.records.cases.commands import Situation
from fairpivot.records.cases.panel import person_of
from fairpivot.records.clock import SYSTEM_CLOCK, today
from fairpivot.records.models import Case, LedgerEntry
from fairpivot.web import access
from fairpivot.web.access import Viewer
from fairpivot.web.case import acting, forms


@dataclass(frozen=True, slots=True)
class Statement:
    """One side's written statement, with the day it was filed."""

    seq: int
    side: str
    text: str
    filed_on: str


@dataclass(frozen=True, slots=True)
class Seat:
    """One open appeal the panelist sits on."""

    case: Case
    employee: str
    statements: tuple[Statement, ...]
    my_vote: str
    votes_cast: int
    panel_size: int
    decide_by: date | None
    forms: tuple[forms.ActionForm, ...]

    @property
    def decide_by_text(self) -> str:
        """The panel's decide-by date with the days left: ``2026-12-16 (14 days left)``."""
        if self.decide_by is None:
            return ""
        left = days_left(self.decide_by, today(SYSTEM_CLOCK))
        return f"{self.decide_by.isoformat()} ({left})"

    @property
    def has_employee(self) -> bool:
        """Whether the employee's side has filed a statement."""
        return any(s.side == "employee" for s in self.statements)

    @property
    def has_manager(self) -> bool:
        """Whether the manager's side has filed a statement."""
        return any(s.side == "manager" for s in self.statements)


def seats(viewer: Viewer, *, failure: forms.Failure | None, next_url: str) -> list[Seat]:
    """The viewer's open appeals, oldest case first."""
    cases = (
        access.visible_cases(viewer)
        .filter(panel__user=viewer.user, panel__recused_at__isnull=True, projection__stage="appeal")
        .select_related("employee", "projection")
        .order_by("id")
    )
    me = person_of(viewer.user)["id"]
    return [_seat(viewer, case, me, failure, next_url) for case in cases]


def _seat(
    viewer: Viewer, case: Case, me: str, failure: forms.Failure | None, next_url: str
) -> Seat:
    situation = Situation(case)
    shown = tuple(
        forms.build(command, situation, page="panels", next_url=next_url, failure=failure)
        for command, _ in acting.available(viewer, situation)
        if command.name in ("vote", "recuse")
    )
    filed = dict(
        LedgerEntry.objects.filter(
            case=case, seq__in=[s.seq for s in situation.statements]
        ).values_list("seq", "recorded_at")
    )
    statements = tuple(
        Statement(s.seq, s.side, s.text, filed[s.seq].strftime("%Y-%m-%d"))
        for s in situation.statements
    )
    panel, cast = situation.panel, situation.votes
    return Seat(
        case,
        case.employee.name if case.employee else case.employee_ref,
        statements,
        str(cast.get(me, "")),
        len(cast),
        panel.size,
        panel.decide_by,
        shown,
    )
