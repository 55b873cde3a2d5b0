"""The use cases in live use: each step checked, dated by the clock, and written whole or not."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.db import connection, transaction

from fairpivot.domain.errors import InvalidInput
from fairpivot.records.cases import corrections, usecases
from fairpivot.records.cases.transfer import export_case
from fairpivot.records.clock import FixedClock
from fairpivot.records.errors import Conflict, TransitionRefused
from fairpivot.records.ledger import chains
from fairpivot.records.models import Case, CaseProjection, LedgerEntry
from tests.builders import EMPLOYEE, HR, MANAGER, offer, plan
from tests.commanding import decide_by_panel, record

pytestmark = pytest.mark.django_db

MANAGER_ACTOR = usecases.Actor("morgan", MANAGER, "Morgan Manager", "manager")
HR_ACTOR = usecases.Actor("harper", HR, "Harper HR", "hr")
EMPLOYEE_ACTOR = usecases.Actor("pat", EMPLOYEE)
PAT = {
    "id": EMPLOYEE,
    "name": "Pat Example",
    "birth_date": "1980-01-15",
    "hire_date": "2020-01-06",
    "work_state": "WA",
    "base_salary": 156000,
}


def on(day: str) -> FixedClock:
    """A clock stopped at noon UTC on ``day``: the same calendar date in any time zone."""
    return FixedClock(datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC))


def open_pat(policy: str = "amazon-pivot", people: list[dict[str, Any]] | None = None) -> Case:
    return usecases.open_case(
        employee=PAT, actor=HR_ACTOR, policy=policy, people=people, clock=on("2025-03-03")
    )


def stage_of(case: Case) -> str:
    return CaseProjection.objects.get(case=case).stage


def version_of(case: Case) -> int:
    case.refresh_from_db()
    return case.version


def last_event(case: Case, day: str) -> dict[str, Any]:
    events: list[dict[str, Any]] = export_case(case, on(day))["events"]
    return events[-1]


def snapshot(case: Case) -> tuple[int, int, str]:
    """What a refused step must leave alone: the version, the row count, the head."""
    case.refresh_from_db()
    return case.version, LedgerEntry.objects.filter(case=case).count(), case.head_hash


def test_it_walks_a_case_from_focus_through_a_lost_appeal() -> None:
    # Under all_adverse every adverse step the manager asks for waits for HR's sign-off, and
    # once approved it is recorded as the manager's; the panel of peers decides the appeal.
    case = open_pat()
    assert stage_of(case) == "good_standing"
    journey: list[tuple[str, usecases.Actor, str, dict[str, Any], str]] = [
        ("2025-03-03", MANAGER_ACTOR, "start_focus", {}, "focus"),
        (
            "2025-04-01",
            MANAGER_ACTOR,
            "offer_pivot",
            {
                "offer": offer(),
                "plan": plan("2025-04-08", "2025-06-07"),
                "checkin_every_days": 14,
                "decision_days": 21,
            },
            "pivot_offered",
        ),
        ("2025-04-10", EMPLOYEE_ACTOR, "choose_plan", {}, "in_plan"),
        ("2025-05-01", MANAGER_ACTOR, "record_checkin", {"held": True}, "in_plan"),
        ("2025-06-09", MANAGER_ACTOR, "fail_plan", {"appeal_days": 5}, "plan_failed"),
        ("2025-06-11", EMPLOYEE_ACTOR, "elect_appeal", {}, "appeal"),
    ]
    for day, actor, name, fields, stage in journey:
        result = record(case, name, actor=actor, clock=on(day), approver=HR_ACTOR, **fields)
        assert (result.stage, stage_of(case)) == (stage, stage), name
        event = last_event(case, day)
        assert (event["date"], event["by"]) == (day, actor.person_id), name
    result = decide_by_panel(
        case,
        {"peer-1": "upheld", "peer-2": "upheld", "peer-3": "overturned"},
        hr=HR_ACTOR,
        clock=on("2025-06-25"),
    )
    assert (result.stage, stage_of(case)) == ("appeal_lost", "appeal_lost")

    exported = export_case(case, on("2025-06-25"))
    assert [e["type"] for e in exported["events"]] == [
        "focus_started",
        "pivot_offered",
        "option_chosen",
        "checkin",
        "plan_failed",
        "appeal_elected",
        "appeal_decided",
    ]
    assert exported["events"][-1]["panel"] == ["peer-1", "peer-2", "peer-3"]
    # Each acting colleague is introduced once, on their first step; the employee never is.
    # HR's sign-offs and the seating are ledger entries, not steps of HR's: HR is not
    # introduced; the panelists are, when seated.
    assert exported["people"] == [
        {"id": MANAGER, "name": "Morgan Manager", "role": "manager"},
        *({"id": peer, "name": peer, "role": "peer"} for peer in ("peer-1", "peer-2", "peer-3")),
    ]
    # One entry each: the opening, the seven steps, the four introductions, a hold and a
    # sign-off for each of the three adverse steps, the seating and the three votes.
    assert version_of(case) == 1 + 7 + 4 + 3 * 2 + 1 + 3
    assert CaseProjection.objects.get(case=case).as_of == date(2025, 6, 25)
    assert chains.verify_all().breaks == []


def test_it_refuses_a_pivot_offer_with_no_focus_and_writes_nothing() -> None:
    case = open_pat()
    before = snapshot(case)
    with pytest.raises(TransitionRefused) as refused:
        record(
            case,
            "offer_pivot",
            offer=offer(),
            plan=plan("2025-03-10", "2025-05-09"),
            checkin_every_days=14,
            decision_days=21,
            actor=MANAGER_ACTOR,
            expected_version=before[0],
            clock=on("2025-03-03"),
        )
    message = str(refused.value)
    # The command layer refuses before the step is built, naming the stage and what is open.
    assert message.startswith(f"command: offer_pivot is not open to you on {case.ref} now")
    assert "policy does not allow it at stage good_standing" in message
    assert "open to you: document_concern, start_focus, separate" in message
    assert snapshot(case) == before
    assert stage_of(case) == "good_standing"


def test_it_refuses_an_appeal_under_a_policy_without_appeals_and_writes_nothing() -> None:
    case = open_pat(policy="standard-pip")
    record(
        case,
        "start_plan",
        plan=plan("2025-03-10", "2025-05-09"),
        checkin_every_days=14,
        actor=MANAGER_ACTOR,
        approver=HR_ACTOR,
        clock=on("2025-03-03"),
    )
    record(case, "fail_plan", actor=MANAGER_ACTOR, approver=HR_ACTOR, clock=on("2025-05-12"))
    before = snapshot(case)
    with pytest.raises(TransitionRefused) as refused:
        record(
            case,
            "elect_appeal",
            actor=EMPLOYEE_ACTOR,
            expected_version=before[0],
            clock=on("2025-05-13"),
        )
    message = str(refused.value)
    assert f"command: elect_appeal is not open to you on {case.ref} now" in message
    assert "the standard-pip policy does not allow it at stage plan_failed" in message
    assert message.endswith("open to you: record_protected_activity, reply, add_document")
    assert snapshot(case) == before
    assert stage_of(case) == "plan_failed"


def test_it_refuses_a_plan_that_ends_before_it_starts_naming_the_field() -> None:
    case = open_pat()
    record(case, "start_focus", actor=MANAGER_ACTOR, approver=HR_ACTOR, clock=on("2025-03-03"))
    before = snapshot(case)
    with pytest.raises(InvalidInput) as refused:
        record(
            case,
            "offer_pivot",
            offer=offer(),
            plan=plan("2025-04-08", "2025-04-01"),
            checkin_every_days=14,
            decision_days=21,
            actor=MANAGER_ACTOR,
            expected_version=before[0],
            clock=on("2025-04-01"),
        )
    assert not isinstance(refused.value, TransitionRefused)
    assert [p.split(":")[0] for p in refused.value.problems] == ["plan.end"]
    assert snapshot(case) == before


def test_it_refuses_an_unknown_clause_naming_the_field() -> None:
    case = open_pat()
    record(case, "start_focus", actor=MANAGER_ACTOR, approver=HR_ACTOR, clock=on("2025-03-03"))
    before = snapshot(case)
    with pytest.raises(InvalidInput) as refused:
        record(
            case,
            "offer_pivot",
            offer=offer(clauses=["release_of_claims", "silence_forever"]),
            plan=plan("2025-04-08", "2025-06-07"),
            checkin_every_days=14,
            decision_days=21,
            actor=MANAGER_ACTOR,
            expected_version=before[0],
            clock=on("2025-04-01"),
        )
    # The command checks its inputs first: the clause field names the one it does not know.
    (problem,) = refused.value.problems
    assert problem.startswith("offer.clauses: not one of release_of_claims,")
    assert "(got silence_forever)" in problem
    assert snapshot(case) == before


def test_it_refuses_a_rating_off_the_policys_scale_naming_the_field() -> None:
    case = open_pat()
    before = snapshot(case)
    with pytest.raises(InvalidInput) as refused:
        record(
            case,
            "record_rating",
            date="2025-01-31",
            value="3",
            actor=HR_ACTOR,
            expected_version=before[0],
            clock=on("2025-03-03"),
        )
    # Only HR records a rating now; the command offers the policy's scale and names the field.
    (problem,) = refused.value.problems
    assert problem.startswith("value: must be one of ")
    assert "(got '3')" in problem
    assert snapshot(case) == before


def test_it_refuses_a_step_from_a_stale_version_and_writes_nothing() -> None:
    case = open_pat()
    stale = version_of(case)
    record(
        case,
        "document_concern",
        note="Missed the launch",
        actor=MANAGER_ACTOR,
        expected_version=stale,
        clock=on("2025-03-03"),
    )
    before = snapshot(case)
    with pytest.raises(Conflict) as refused:
        record(
            case, "start_focus", actor=MANAGER_ACTOR, expected_version=stale, clock=on("2025-03-04")
        )
    assert (refused.value.expected, refused.value.actual) == (stale, before[0])
    assert snapshot(case) == before
    assert stage_of(case) == "good_standing"


def test_it_introduces_an_actor_again_once_their_introduction_was_retracted() -> None:
    case = open_pat(people=[{"id": MANAGER, "name": "Morgn Manger", "role": "manager"}])
    corrections.retract(
        case.ref, 2, "Name misspelt", actor=HR_ACTOR, expected_version=2, clock=on("2025-03-03")
    )

    record(
        case,
        "start_focus",
        actor=MANAGER_ACTOR,
        expected_version=3,
        approver=HR_ACTOR,
        clock=on("2025-03-04"),
    )

    exported = export_case(case, on("2025-03-04"))
    # The manager's Focus waited for HR's sign-off (all_adverse) and is recorded as theirs.
    assert exported["people"] == [{"id": MANAGER, "name": "Morgan Manager", "role": "manager"}]
    assert last_event(case, "2025-03-04")["by"] == MANAGER
    assert stage_of(case) == "focus"


@pytest.fixture
def committed_ledger(transactional_db: None) -> Iterator[None]:
    """Let pytest-django empty the ledger after a test that commits.

    It cleans up after such a test by flushing every table (DELETE on SQLite, TRUNCATE on
    PostgreSQL), which the append-only triggers refuse. This teardown runs just before.
    """
    yield
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Replica mode skips ordinary triggers, for this session only: the flush runs on
            # this connection and pytest-django closes it afterwards, so the next test has
            # the triggers again.
            cursor.execute("SET session_replication_role = replica")
        else:
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s",
                ["ledger_no_delete"],
            )
            (trigger,) = cursor.fetchone()
            cursor.execute("DROP TRIGGER ledger_no_delete")
            cursor.execute("DELETE FROM records_ledgerentry")
            cursor.execute(trigger)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("committed_ledger")
def test_it_lets_exactly_one_of_two_simultaneous_steps_through() -> None:
    case = open_pat(people=[{"id": MANAGER, "name": "Morgan Manager", "role": "manager"}])
    before = snapshot(case)
    start = threading.Barrier(2, timeout=60)
    outcomes: list[str] = []
    lock = threading.Lock()

    def act(note: str) -> None:
        try:
            start.wait()
            record(
                case,
                "document_concern",
                note=note,
                actor=MANAGER_ACTOR,
                expected_version=before[0],
                clock=on("2025-03-04"),
            )
            outcome = "recorded"
        except Conflict:
            outcome = "conflict"
        except Exception as exc:  # reported below, so a failure names its cause
            outcome = f"{type(exc).__name__}: {exc}"
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=act, args=(note,)) for note in ("first", "second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["conflict", "recorded"]
    assert snapshot(case)[:2] == (before[0] + 1, before[1] + 1)
    (concern,) = export_case(case, on("2025-03-04"))["events"]
    assert (concern["type"], concern["note"] in ("first", "second")) == (
        "concern_documented",
        True,
    )
    assert chains.verify_all().breaks == []


@pytest.mark.parametrize(("end", "refused"), [("2025-04-01", True), ("2025-04-02", False)])
def test_it_refuses_an_extension_ending_on_or_before_the_plans_start(
    end: str, refused: bool
) -> None:
    # review-v4.md item 13: a refused step in live use, with nothing written.
    case = open_pat(policy="standard-pip")
    record(
        case,
        "start_plan",
        plan=plan("2025-04-01", "2025-05-31"),
        checkin_every_days=14,
        actor=MANAGER_ACTOR,
        approver=HR_ACTOR,
        clock=on("2025-04-01"),
    )
    before = snapshot(case)

    def extend() -> None:
        record(
            case,
            "extend_plan",
            end=end,
            actor=HR_ACTOR,
            expected_version=before[0],
            clock=on("2025-04-10"),
        )

    if not refused:
        extend()
        assert version_of(case) > before[0]
        return
    with pytest.raises(InvalidInput) as caught:
        extend()
    [problem] = caught.value.problems
    # A live step's own problem names its field alone (``end``, not ``events[1].end``).
    assert problem == (
        f"end: on or before the start of the plan it extends (plan start 2025-04-01, end "
        f"given {end})"
    )
    assert snapshot(case) == before
