"""Guarded steps: a manager's risky step is held for HR, and told only what they may know.

Pat's manager knew of a discrimination complaint ten days before the first step, so each of
the manager's adverse steps newly raises ``retaliation.timing``, which HR must sign off.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse

from fairpivot.records.cases import corrections, usecases, workflow
from fairpivot.records.clock import SYSTEM_CLOCK, Clock, FixedClock, today
from fairpivot.records.errors import TransitionRefused
from fairpivot.records.models import Case, CaseProjection, Employee
from tests.builders import EMPLOYEE, HR, MANAGER, offer, plan
from tests.commanding import record

pytestmark = pytest.mark.django_db

MANAGER_ACTOR = usecases.Actor("morgan", MANAGER, "Morgan Manager", "manager")
HR_ACTOR = usecases.Actor("harper", HR, "Harper HR", "hr")
DAY = "2025-03-13"


def on(day: str) -> FixedClock:
    """A clock stopped at noon UTC on ``day``: the same calendar date in any time zone."""
    return FixedClock(datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC))


def pat_after_a_complaint(clock: Clock) -> Case:
    """Pat's case, in good standing, ten days after a complaint the manager knew of."""
    complaint = today(clock) - timedelta(days=10)
    case = usecases.open_case(
        employee={
            "id": EMPLOYEE,
            "name": "Pat Example",
            "birth_date": "1990-01-15",
            "hire_date": "2020-01-06",
            "manager": MANAGER,
            "work_state": "WA",
            "base_salary": 156000,
        },
        people=[{"id": MANAGER, "name": "Morgan Manager", "role": "manager"}],
        actor=HR_ACTOR,
        clock=clock,
    )
    record(
        case,
        "record_protected_activity",
        date=complaint.isoformat(),
        kind="discrimination_complaint",
        known_to_manager=True,
        actor=HR_ACTOR,
        clock=clock,
    )
    case.refresh_from_db()
    return case


def request(case: Case, event: dict[str, Any]) -> workflow.StepResult:
    """The manager asks for a guarded step on ``DAY``."""
    case.refresh_from_db()
    return workflow.request_step(
        case.ref,
        event,
        actor=MANAGER_ACTOR,
        expected_version=case.version,
        clock=on(DAY),
    )


def approve(case: Case, hold: int) -> None:
    """HR approves the hold in writing on ``DAY``."""
    case.refresh_from_db()
    workflow.sign_off(
        case.ref,
        hold,
        approve=True,
        justification="Concerns predate the complaint.",
        actor=HR_ACTOR,
        expected_version=case.version,
        clock=on(DAY),
    )


def test_it_holds_a_second_risky_step_taken_the_day_hr_approved_the_first() -> None:
    case = pat_after_a_complaint(on(DAY))
    focus = request(case, {"type": "focus_started", "disclosed": True})
    assert focus.held is not None
    approve(case, focus.held)
    assert CaseProjection.objects.get(case=case).stage == "focus"

    pivot = {
        "type": "pivot_offered",
        "offer": offer(),
        "plan": plan("2025-03-17", "2025-05-01"),
        "decision_days": 21,
    }
    held = request(case, pivot)

    assert held.held is not None
    assert "retaliation.timing" in held.findings
    assert CaseProjection.objects.get(case=case).stage == "focus"


def test_it_tells_a_manager_their_step_is_held_but_not_the_protected_facts_behind_it(
    client: Client, settings: Any
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    case = pat_after_a_complaint(SYSTEM_CLOCK)  # the pages act on the system clock
    boss = User.objects.create_user("morgan")
    boss.groups.add(Group.objects.get_or_create(name="manager")[0])
    manager = Employee.objects.create(employee_id=MANAGER, name="Morgan Manager", user=boss)
    case.employee = Employee.objects.create(employee_id=EMPLOYEE, name="Pat", manager=manager)
    case.save(update_fields=["employee"])
    client.force_login(boss)

    response = client.post(
        reverse("take_action", args=[case.ref, "start_focus"]),
        {"version": str(case.version)},
        follow=True,
    )

    shown = response.content.decode()
    assert "Sent to HR: HR reviews this step before it is recorded." in shown
    assert "visible to HR only" in shown
    assert "retaliation" not in shown
    (hold,) = workflow.pending_holds(case.ref)
    assert "retaliation.timing" in hold.findings


def test_a_hold_is_answered_by_its_sign_off_and_cannot_be_retracted() -> None:
    case = pat_after_a_complaint(on(DAY))
    held = request(case, {"type": "focus_started", "disclosed": True}).held
    assert held is not None
    case.refresh_from_db()

    with pytest.raises(TransitionRefused, match="withdrawn by rejecting it at sign-off"):
        corrections.retract(
            case.ref,
            held,
            "Asked by mistake.",
            actor=HR_ACTOR,
            expected_version=case.version,
            clock=on(DAY),
        )

    assert [h.seq for h in workflow.pending_holds(case.ref)] == [held]
