"""Retractions and disputes: HR corrects its own mistakes, never the employee's word.

An employee's complaint that HR could retract would take the retaliation findings resting
on it along with it. So an entry the employee recorded cannot be retracted by anyone but
them; HR records a dispute beside it, and the review keeps counting it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from django.contrib.auth.models import User

from fairpivot.records.cases import corrections, usecases
from fairpivot.records.cases.transfer import check_files, export_case, import_one
from fairpivot.records.clock import FixedClock
from fairpivot.records.errors import TransitionRefused
from fairpivot.records.ledger import chains
from fairpivot.records.models import Case, Employee, LedgerEntry
from tests.builders import EMPLOYEE, HR, MANAGER, case, event
from tests.commanding import record

pytestmark = pytest.mark.django_db

MANAGER_ACTOR = usecases.Actor("morgan", MANAGER, "Morgan Manager", "manager")
HR_ACTOR = usecases.Actor("harper", HR, "Harper HR", "hr")
EMPLOYEE_ACTOR = usecases.Actor("pat", EMPLOYEE, "Pat Example", "other")
PAT = {
    "id": EMPLOYEE,
    "name": "Pat Example",
    "birth_date": "1980-01-15",
    "hire_date": "2020-01-06",
    "manager": MANAGER,
    "work_state": "WA",
    "base_salary": 156000,
}
COMPLAINT = {
    "date": "2025-03-03",
    "kind": "discrimination_complaint",
    "known_to": [MANAGER],
    "note": "told my manager in writing",
}


def on(day: str) -> FixedClock:
    """A clock stopped at noon UTC on ``day``."""
    return FixedClock(datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC))


def version_of(case: Case) -> int:
    case.refresh_from_db()
    return case.version


def codes(review: Any) -> set[str]:
    return {finding.code for finding in review.findings}


@pytest.fixture
def complained() -> Case:
    """Pat's case: the employee's own complaint (entry 3), then the manager's Focus (5).

    Entry 1 is the header, 2 the manager, 3 the complaint, 4 the Focus.
    """
    manager = Employee.objects.create(employee_id=MANAGER, name="Morgan Manager")
    Employee.objects.create(
        employee_id=EMPLOYEE,
        name="Pat Example",
        manager=manager,
        user=User.objects.create_user("pat"),
    )
    case = usecases.open_case(
        employee=PAT,
        actor=HR_ACTOR,
        people=[{"id": MANAGER, "name": "Morgan Manager", "role": "manager"}],
        clock=on("2025-03-03"),
    )
    usecases.record_fact(
        case.ref,
        "protected_activity",
        COMPLAINT,
        actor=EMPLOYEE_ACTOR,
        expected_version=2,
        clock=on("2025-03-03"),
    )
    # The manager's Focus waits for HR (all_adverse): the hold is entry 4, HR's sign-off 5
    # and the Focus itself 6.
    record(
        case,
        "start_focus",
        actor=MANAGER_ACTOR,
        expected_version=3,
        approver=HR_ACTOR,
        clock=on("2025-03-10"),
    )
    return case


def snapshot(case: Case) -> tuple[int, int, str]:
    case.refresh_from_db()
    return case.version, LedgerEntry.objects.filter(case=case).count(), case.head_hash


def stored_codes(case: Case) -> set[str]:
    case.refresh_from_db()
    return {f["code"] for f in case.projection.review["findings"]}


def test_it_finds_retaliation_resting_on_the_employees_complaint(complained: Case) -> None:
    assert "retaliation.timing" in stored_codes(complained)
    assert corrections.employee_entries(complained) == {3}


@pytest.mark.parametrize(
    "actor", [HR_ACTOR, usecases.Actor("root"), MANAGER_ACTOR], ids=["hr", "admin", "manager"]
)
def test_it_refuses_anyone_but_the_employee_a_retraction_of_their_complaint(
    complained: Case, actor: usecases.Actor
) -> None:
    before = snapshot(complained)

    with pytest.raises(TransitionRefused) as refused:
        corrections.retract(
            complained.ref,
            3,
            "No such complaint was made",
            actor=actor,
            expected_version=6,
            clock=on("2025-03-11"),
        )

    (problem,) = refused.value.problems
    assert problem.startswith(f"entry: {complained.ref} entry 3 (protected activity) was ")
    assert "recorded by the employee" in problem
    assert "record a dispute beside it instead" in problem
    assert snapshot(complained) == before
    assert "retaliation.timing" in stored_codes(complained)


def test_it_lets_the_employee_withdraw_their_own_complaint(complained: Case) -> None:
    result = corrections.retract(
        complained.ref,
        3,
        "I filed it on the wrong case",
        actor=EMPLOYEE_ACTOR,
        expected_version=6,
        clock=on("2025-03-11"),
    )

    assert "retaliation.timing" not in codes(result)
    assert export_case(complained, on("2025-03-11")).get("protected_activities", []) == []


def test_it_records_hrs_dispute_beside_the_complaint_and_keeps_counting_it(
    complained: Case,
) -> None:
    result = corrections.dispute(
        complained.ref,
        3,
        "  The manager says the complaint reached them on 2025-03-12  ",
        actor=HR_ACTOR,
        expected_version=6,
        clock=on("2025-03-11"),
    )

    assert "retaliation.timing" in codes(result)
    assert "retaliation.timing" in stored_codes(complained)
    assert export_case(complained, on("2025-03-11"))["protected_activities"] == [COMPLAINT]
    row = LedgerEntry.objects.get(case=complained, seq=7)
    assert (row.kind, row.recorded_by) == ("dispute", "harper")
    assert json.loads(row.payload) == {
        "entry": 3,
        "reason": "The manager says the complaint reached them on 2025-03-12",
    }
    assert LedgerEntry.objects.filter(case=complained, seq=3, kind="protected_activity").exists()
    assert chains.verify_all().breaks == []


def test_it_lets_hr_retract_a_mistake_that_is_not_the_employees(complained: Case) -> None:
    # The Focus (entry 6) was the manager's; without it nothing follows the complaint.
    result = corrections.retract(
        complained.ref,
        6,
        "Focus was started on the wrong employee",
        actor=HR_ACTOR,
        expected_version=6,
        clock=on("2025-03-11"),
    )

    assert "retaliation.timing" not in codes(result)
    assert "retaliation.timing" not in stored_codes(complained)
    assert LedgerEntry.objects.get(case=complained, seq=7).kind == "retraction"


@pytest.mark.parametrize(
    ("seq", "reason", "problem"),
    [
        (6, "The Focus is wrong", "entry: {ref} entry 6 was not recorded by the employee"),
        (1, "The header is wrong", "entry: {ref} has no entry 1 that can be disputed"),
        (7, "Dispute the dispute", "entry: {ref} has no entry 7 that can be disputed"),
        (9, "No such entry", "entry: {ref} has no entry 9 that can be disputed"),
        (3, "   ", "reason: a dispute needs a reason"),
    ],
    ids=["the-managers-entry", "the-header", "a-dispute", "a-missing-entry", "no-reason"],
)
def test_it_refuses_a_dispute_that_cannot_stand(
    complained: Case, seq: int, reason: str, problem: str
) -> None:
    corrections.dispute(
        complained.ref, 3, "Not so", actor=HR_ACTOR, expected_version=6, clock=on("2025-03-11")
    )
    before = snapshot(complained)

    with pytest.raises(TransitionRefused) as refused:
        corrections.dispute(
            complained.ref, seq, reason, actor=HR_ACTOR, expected_version=7, clock=on("2025-03-12")
        )

    (found,) = refused.value.problems
    assert found.startswith(problem.format(ref=complained.ref))
    assert snapshot(complained) == before


def test_it_refuses_to_dispute_a_retracted_entry(complained: Case) -> None:
    corrections.retract(
        complained.ref, 3, "Mine, by mistake", actor=EMPLOYEE_ACTOR, expected_version=6
    )

    with pytest.raises(TransitionRefused) as refused:
        corrections.dispute(complained.ref, 3, "Not so", actor=HR_ACTOR, expected_version=7)

    assert refused.value.problems == (f"entry: {complained.ref} entry 3 is already retracted",)


def test_it_counts_an_imported_entry_naming_the_employee_as_their_word(tmp_path: Any) -> None:
    doc = case(
        events=[
            event("concern_documented", "2025-02-03", by=MANAGER, note="late twice"),
            event("focus_started", "2025-03-03", by=MANAGER, disclosed=True),
            event("checkin", "2025-03-10", by=EMPLOYEE, held=True),
        ]
    )
    path = tmp_path / "case.json"
    path.write_text(json.dumps(doc))
    (item,) = check_files([path])
    imported = import_one(item, on("2025-12-31")).case
    seqs = {
        json.loads(row.payload).get("type"): row.seq
        for row in LedgerEntry.objects.filter(case=imported, kind="event")
    }

    assert corrections.employee_entries(imported) == {seqs["checkin"]}
    with pytest.raises(TransitionRefused, match="recorded by the employee"):
        corrections.retract(
            imported.ref,
            seqs["checkin"],
            "Wrong",
            actor=HR_ACTOR,
            expected_version=version_of(imported),
        )
    corrections.retract(
        imported.ref,
        seqs["concern_documented"],
        "Another employee's concern",
        actor=HR_ACTOR,
        expected_version=version_of(imported),
    )


def test_it_refuses_to_retract_a_dispute(complained: Case) -> None:
    corrections.dispute(complained.ref, 3, "Not so", actor=HR_ACTOR, expected_version=6)
    before = snapshot(complained)

    with pytest.raises(TransitionRefused) as refused:
        corrections.retract(complained.ref, 7, "Withdraw it", actor=HR_ACTOR, expected_version=7)

    assert refused.value.problems == (
        f"entry: {complained.ref} has no entry 7 that can be retracted",
    )
    assert snapshot(complained) == before
