"""The use cases in live use: each step checked, dated by the clock, and written whole or not."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.db import connection, transaction

from fairpivot.domain.errors import InvalidInput
from fairpivot.records import corrections, ledger, steps, usecases
from fairpivot.records.clock import FixedClock
from fairpivot.records.errors import Conflict, TransitionRefused
from fairpivot.records.models import Case, CaseProjection, LedgerEntry
from fairpivot.records.transfer import export_case
from tests.builders import EMPLOYEE, HR, MANAGER, offer, plan

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
    case = open_pat()
    assert stage_of(case) == "good_standing"
    journey: list[tuple[str, usecases.Actor, Callable[..., Any], dict[str, Any], str]] = [
        ("2025-03-03", MANAGER_ACTOR, steps.start_focus, {}, "focus"),
        (
            "2025-04-01",
            MANAGER_ACTOR,
            steps.offer_pivot,
            {
                "offer": offer(),
                "plan": plan("2025-04-08", "2025-06-07"),
                "decision_days": 21,
            },
            "pivot_offered",
        ),
        ("2025-04-10", EMPLOYEE_ACTOR, steps.choose_option, {"option": "plan"}, "in_plan"),
        ("2025-05-01", MANAGER_ACTOR, steps.record_checkin, {"held": True}, "in_plan"),
        ("2025-06-09", MANAGER_ACTOR, steps.fail_plan, {"appeal_days": 5}, "plan_failed"),
        ("2025-06-11", EMPLOYEE_ACTOR, steps.elect_appeal, {}, "appeal"),
        (
            "2025-06-25",
            HR_ACTOR,
            steps.decide_appeal,
            {"outcome": "upheld", "panel": [HR]},
            "appeal_lost",
        ),
    ]
    for day, actor, step, fields, stage in journey:
        result = step(
            case.ref, actor=actor, expected_version=version_of(case), clock=on(day), **fields
        )
        assert (result.stage, stage_of(case)) == (stage, stage), step.__name__
        event = last_event(case, day)
        assert (event["date"], event["by"]) == (day, actor.person_id), step.__name__

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
    # Each acting colleague is introduced once, on their first step; the employee never is.
    assert exported["people"] == [
        {"id": MANAGER, "name": "Morgan Manager", "role": "manager"},
        {"id": HR, "name": "Harper HR", "role": "hr"},
    ]
    assert version_of(case) == 1 + len(journey) + 2
    assert CaseProjection.objects.get(case=case).as_of == date(2025, 6, 25)
    assert ledger.verify_all().breaks == []


def test_it_refuses_a_pivot_offer_with_no_focus_and_writes_nothing() -> None:
    case = open_pat()
    before = snapshot(case)
    with pytest.raises(TransitionRefused) as refused:
        steps.offer_pivot(
            case.ref,
            offer=offer(),
            plan=plan("2025-03-10", "2025-05-09"),
            decision_days=21,
            actor=MANAGER_ACTOR,
            expected_version=before[0],
            clock=on("2025-03-03"),
        )
    message = str(refused.value)
    assert message.startswith("pivot_offered: not allowed while the case is at stage good_standing")
    assert "allowed now: concern_documented, focus_started, transferred, separated" in message
    assert snapshot(case) == before
    assert stage_of(case) == "good_standing"


def test_it_refuses_an_appeal_under_a_policy_without_appeals_and_writes_nothing() -> None:
    case = open_pat(policy="standard-pip")
    steps.start_plan(
        case.ref,
        plan("2025-03-10", "2025-05-09"),
        actor=MANAGER_ACTOR,
        expected_version=version_of(case),
        clock=on("2025-03-03"),
    )
    steps.fail_plan(
        case.ref, actor=MANAGER_ACTOR, expected_version=version_of(case), clock=on("2025-05-12")
    )
    before = snapshot(case)
    with pytest.raises(TransitionRefused) as refused:
        steps.elect_appeal(
            case.ref, actor=EMPLOYEE_ACTOR, expected_version=before[0], clock=on("2025-05-13")
        )
    message = str(refused.value)
    assert "appeal_elected: not allowed while the case is at stage plan_failed" in message
    assert "under standard-pip" in message
    assert "allowed now: concern_documented, offer_made, offer_signed, separated" in message
    assert snapshot(case) == before
    assert stage_of(case) == "plan_failed"


def test_it_refuses_a_plan_that_ends_before_it_starts_naming_the_field() -> None:
    case = open_pat()
    steps.start_focus(
        case.ref, actor=MANAGER_ACTOR, expected_version=version_of(case), clock=on("2025-03-03")
    )
    before = snapshot(case)
    with pytest.raises(InvalidInput) as refused:
        steps.offer_pivot(
            case.ref,
            offer=offer(),
            plan=plan("2025-04-08", "2025-04-01"),
            decision_days=21,
            actor=MANAGER_ACTOR,
            expected_version=before[0],
            clock=on("2025-04-01"),
        )
    assert not isinstance(refused.value, TransitionRefused)
    assert [p.split(":")[0] for p in refused.value.problems] == ["events[1].plan.end"]
    assert snapshot(case) == before


def test_it_refuses_an_unknown_clause_naming_the_field() -> None:
    case = open_pat()
    steps.start_focus(
        case.ref, actor=MANAGER_ACTOR, expected_version=version_of(case), clock=on("2025-03-03")
    )
    before = snapshot(case)
    with pytest.raises(InvalidInput) as refused:
        steps.offer_pivot(
            case.ref,
            offer=offer(clauses=["release_of_claims", "silence_forever"]),
            plan=plan("2025-04-08", "2025-06-07"),
            decision_days=21,
            actor=MANAGER_ACTOR,
            expected_version=before[0],
            clock=on("2025-04-01"),
        )
    (problem,) = refused.value.problems
    assert problem.startswith("events[1].offer.clauses[1]: must be one of")
    assert '(got "silence_forever")' in problem
    assert snapshot(case) == before


def test_it_refuses_a_rating_off_the_policys_scale_naming_the_field() -> None:
    case = open_pat()
    before = snapshot(case)
    with pytest.raises(InvalidInput) as refused:
        steps.record_rating(
            case.ref,
            {"date": "2025-01-31", "value": "3"},
            actor=MANAGER_ACTOR,
            expected_version=before[0],
            clock=on("2025-03-03"),
        )
    (problem,) = refused.value.problems
    assert problem.startswith("ratings[0].value: not on the amazon-pivot scale")
    assert snapshot(case) == before


def test_it_refuses_a_step_from_a_stale_version_and_writes_nothing() -> None:
    case = open_pat()
    stale = version_of(case)
    steps.document_concern(
        case.ref,
        "Missed the launch",
        actor=MANAGER_ACTOR,
        expected_version=stale,
        clock=on("2025-03-03"),
    )
    before = snapshot(case)
    with pytest.raises(Conflict) as refused:
        steps.start_focus(
            case.ref, actor=MANAGER_ACTOR, expected_version=stale, clock=on("2025-03-04")
        )
    assert (refused.value.expected, refused.value.actual) == (stale, before[0])
    assert snapshot(case) == before
    assert stage_of(case) == "good_standing"


def test_it_introduces_an_actor_again_once_their_introduction_was_retracted() -> None:
    case = open_pat(people=[{"id": MANAGER, "name": "Morgn Manger", "role": "manager"}])
    corrections.retract(
        case.ref, 2, "Name misspelt", actor=HR_ACTOR, expected_version=2, clock=on("2025-03-03")
    )

    steps.start_focus(case.ref, actor=MANAGER_ACTOR, expected_version=3, clock=on("2025-03-04"))

    exported = export_case(case, on("2025-03-04"))
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
            steps.document_concern(
                case.ref,
                note,
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
    assert ledger.verify_all().breaks == []


@pytest.mark.parametrize(("end", "refused"), [("2025-04-01", True), ("2025-04-02", False)])
def test_it_refuses_an_extension_ending_on_or_before_the_plans_start(
    end: str, refused: bool
) -> None:
    # review-v4.md item 13: a refused step in live use, with nothing written.
    case = open_pat(policy="standard-pip")
    steps.start_plan(
        case.ref,
        plan=plan("2025-04-01", "2025-05-31"),
        actor=MANAGER_ACTOR,
        expected_version=version_of(case),
        clock=on("2025-04-01"),
    )
    before = snapshot(case)

    def extend() -> None:
        steps.extend_plan(
            case.ref, end, actor=HR_ACTOR, expected_version=before[0], clock=on("2025-04-10")
        )

    if not refused:
        extend()
        assert version_of(case) > before[0]
        return
    with pytest.raises(InvalidInput) as caught:
        extend()
    [problem] = caught.value.problems
    assert problem.endswith(
        f".end: on or before the start of the plan it extends (plan start 2025-04-01, end "
        f"given {end})"
    )
    assert snapshot(case) == before
