"""Use cases of the web app's own records: panels and HR coverage (API tokens: ``tokens``)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from fairpivot.records.clock import SYSTEM_CLOCK, Clock
from fairpivot.records.models import Case, Employee
from fairpivot.records.usecases import Actor
from fairpivot.records.workflow import seat_panel
from fairpivot.web.models import HrScope, PanelAssignment
from fairpivot.web.tokens import issue_token, user_for_token

# API tokens live in ``fairpivot.web.tokens``; named here too for older callers.
__all__ = [
    "assign_panel",
    "cover_org",
    "issue_token",
    "panel_ids",
    "panel_person",
    "user_for_token",
]


def panel_person(user: User) -> dict[str, str]:
    """How a panelist is named in a case file: their employee id, else their login."""
    employee = Employee.objects.filter(user=user).first()
    if employee is not None:
        return {"id": employee.employee_id, "name": employee.name, "role": "peer"}
    return {"id": user.username, "name": user.get_full_name() or user.username, "role": "peer"}


def assign_panel(
    case: Case, panelists: list[User], *, actor: Actor, clock: Clock = SYSTEM_CLOCK
) -> None:
    """Seat panelists on a case's appeal and name them in the case."""
    with transaction.atomic():
        for user in panelists:
            PanelAssignment.objects.get_or_create(
                case=case, user=user, defaults={"assigned_at": clock.now()}
            )
        people = [panel_person(user) for user in panelists]
        case.refresh_from_db()
        seat_panel(case.ref, people, actor=actor, expected_version=case.version, clock=clock)


def panel_ids(case: Case) -> list[str]:
    """The case-file ids of the case's panelists."""
    users = User.objects.filter(panels__case=case)
    return sorted(panel_person(user)["id"] for user in users)


def cover_org(user: User, org_prefix: str) -> HrScope:
    """Let an HR partner see the cases of an org subtree (empty: the whole organisation)."""
    scope, _ = HrScope.objects.get_or_create(user=user, org_prefix=org_prefix)
    return scope
