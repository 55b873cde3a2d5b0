"""The process rules: Focus kept hidden or left open, plans set up to fail, skipped steps.

``focus.undisclosed``, ``focus.overdue``, ``plan.short``, ``plan.ended_early``,
``plan.missed_checkins``, ``procedure.out_of_order`` and ``appeal.short_window``, each
threshold tried the day before, on and after. Focus starts on ``START`` (2025-03-03) and
plans start on it too: 2025-05-01 is 59 days after it, 2025-05-02 is 60 and 2025-05-03 is 61;
2025-04-01 is 29 days after it, 2025-04-02 is 30 and 2025-04-03 is 31.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from fairpivot.domain.errors import MalformedCaseFile
from tests.builders import (
    MANAGER,
    case,
    codes,
    event,
    findings,
    load,
    offer,
    pivot,
    plan,
    review_of,
)

AMAZON = "amazon-pivot"
STANDARD = "standard-pip"
START = "2025-03-03"
PLAN_END = "2025-05-02"  # 60 days after START
Events = list[dict[str, Any]]


def days_after(day: str, days: int) -> str:
    """The ISO date ``days`` calendar days after ``day``."""
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


def focus(on: str = START, *, disclosed: bool = True) -> dict[str, Any]:
    """A ``focus_started`` event by the manager."""
    return event("focus_started", on, by=MANAGER, disclosed=disclosed)


def pivot_with_plan(on: str, start: str, end: str, **plan_fields: Any) -> dict[str, Any]:
    """A Pivot letter whose plan runs from ``start`` to ``end``."""
    return event(
        "pivot_offered",
        on,
        by=MANAGER,
        decision_days=21,
        offer=offer(),
        plan=plan(start, end, **plan_fields),
    )


def pip(start: str = START, end: str = PLAN_END, **plan_fields: Any) -> dict[str, Any]:
    """A ``plan_started`` event, as standard-pip starts a plan."""
    return event("plan_started", start, by=MANAGER, plan=plan(start, end, **plan_fields))


def checkins(*days: str, held: bool = True) -> Events:
    """One ``checkin`` event on each of ``days``."""
    return [event("checkin", day, held=held) for day in days]


# focus.overdue: longer than 60 days, to its end or to as_of while open


@pytest.mark.parametrize(("days", "fires"), [(59, False), (60, False), (61, True)])
def test_it_flags_an_open_focus_only_past_sixty_days_to_as_of(days: int, fires: bool) -> None:
    result = review_of(case(as_of=days_after(START, days), events=[focus()]))
    found = findings(result, "focus.overdue")
    assert len(found) == int(fires)
    if fires:
        assert found[0]["evidence"] == {
            "focus_started": START,
            "until": days_after(START, days),
            "days": 61,
            "target_days": 60,
        }
        assert found[0]["severity"] == "low"
        assert found[0]["date"] == START


@pytest.mark.parametrize(("days", "fires"), [(59, False), (60, False), (61, True)])
def test_it_flags_a_removed_focus_only_when_it_lasted_past_sixty_days(
    days: int, fires: bool
) -> None:
    removed = event("focus_removed", days_after(START, days))
    result = review_of(case(events=[focus(), removed]))
    found = findings(result, "focus.overdue")
    assert len(found) == int(fires)
    if fires:
        assert found[0]["evidence"]["until"] == days_after(START, days)
        assert found[0]["evidence"]["days"] == days


@pytest.mark.parametrize(("days", "fires"), [(59, False), (60, False), (61, True)])
def test_it_measures_a_focus_ended_by_the_pivot_offer_to_that_offer(days: int, fires: bool) -> None:
    result = review_of(case(events=[focus(), pivot(days_after(START, days))]))
    assert len(findings(result, "focus.overdue")) == int(fires)


def test_it_measures_a_closed_focus_to_its_end_not_to_as_of() -> None:
    removed = event("focus_removed", days_after(START, 30))
    result = review_of(case(as_of=days_after(START, 300), events=[focus(), removed]))
    assert "focus.overdue" not in codes(result)


def test_it_flags_each_overdue_focus_once() -> None:
    second = days_after(START, 200)
    events = [focus(), event("focus_removed", days_after(START, 90)), focus(second)]
    result = review_of(case(as_of=days_after(second, 61), events=events))
    assert [f["evidence"]["focus_started"] for f in findings(result, "focus.overdue")] == [
        START,
        second,
    ]


# focus.undisclosed: a hidden Focus not disclosed before it ends or before as_of


def test_it_flags_a_hidden_focus_still_undisclosed_at_as_of() -> None:
    result = review_of(case(as_of="2025-04-01", events=[focus(disclosed=False)]))
    found = findings(result, "focus.undisclosed")
    assert len(found) == 1
    assert found[0]["severity"] == "medium"
    assert found[0]["date"] == START
    assert found[0]["evidence"] == {
        "focus_started": START,
        "until": "2025-04-01",
        "ended_by": None,
        "days_hidden": 29,
    }


def test_it_flags_a_hidden_focus_removed_without_ever_being_disclosed() -> None:
    events = [focus(disclosed=False), event("focus_removed", "2025-04-01")]
    found = findings(review_of(case(events=events)), "focus.undisclosed")
    assert len(found) == 1
    assert found[0]["evidence"]["ended_by"] == "focus_removed"
    assert found[0]["evidence"]["until"] == "2025-04-01"


def test_it_is_silenced_by_a_disclosure_before_as_of() -> None:
    events = [focus(disclosed=False), event("focus_disclosed", "2025-03-20")]
    assert "focus.undisclosed" not in codes(review_of(case(as_of="2025-04-01", events=events)))


def test_it_is_silenced_by_a_disclosure_before_the_focus_is_removed() -> None:
    events = [
        focus(disclosed=False),
        event("focus_disclosed", "2025-03-20"),
        event("focus_removed", "2025-04-01"),
    ]
    assert "focus.undisclosed" not in codes(review_of(case(events=events)))


def test_it_is_silenced_by_a_disclosure_before_the_pivot_offer() -> None:
    events = [focus(disclosed=False), event("focus_disclosed", "2025-03-20"), pivot("2025-04-01")]
    assert "focus.undisclosed" not in codes(review_of(case(events=events)))


def test_it_is_not_silenced_by_a_disclosure_after_the_pivot_offer() -> None:
    events = [focus(disclosed=False), pivot("2025-04-01"), event("focus_disclosed", "2025-04-02")]
    result = review_of(case(events=events))
    found = findings(result, "focus.undisclosed")
    assert len(found) == 1
    assert found[0]["evidence"]["ended_by"] == "pivot_offered"
    assert found[0]["evidence"]["until"] == "2025-04-01"
    # Disclosing a Focus that has already ended is itself out of order at pivot_offered.
    assert "procedure.out_of_order" in codes(result)


def test_it_never_flags_a_focus_disclosed_when_it_started() -> None:
    events = [focus(disclosed=True), pivot("2025-04-01")]
    open_result = review_of(case(as_of="2025-04-01", events=[focus(disclosed=True)]))
    assert "focus.undisclosed" not in codes(review_of(case(events=events)))
    assert "focus.undisclosed" not in codes(open_result)


# plan.short: a plan's end less than 30 days after its start


@pytest.mark.parametrize(("days", "fires"), [(29, True), (30, False), (31, False)])
def test_it_flags_a_started_plan_shorter_than_thirty_days(days: int, fires: bool) -> None:
    end = days_after(START, days)
    result = review_of(case(policy=STANDARD, events=[pip(end=end)]))
    found = findings(result, "plan.short")
    assert len(found) == int(fires)
    if fires:
        assert found[0]["severity"] == "medium"
        assert found[0]["evidence"] == {"start": START, "end": end, "days": 29, "min_days": 30}


@pytest.mark.parametrize(("days", "fires"), [(29, True), (30, False), (31, False)])
def test_it_flags_a_short_plan_offered_in_a_pivot_letter(days: int, fires: bool) -> None:
    letter = pivot_with_plan("2025-02-24", START, days_after(START, days))
    result = review_of(case(events=[focus("2025-01-06"), letter]))
    found = findings(result, "plan.short")
    assert len(found) == int(fires)
    if fires:
        assert found[0]["date"] == "2025-02-24"


def test_it_flags_a_short_pivot_plan_once_when_the_employee_takes_it_up() -> None:
    letter = pivot_with_plan("2025-02-24", START, days_after(START, 29))
    chose = event("option_chosen", "2025-02-28", option="plan")
    result = review_of(case(events=[focus("2025-01-06"), letter, chose]))
    assert codes(result).count("plan.short") == 1


# review-v4.md item 13: plan.short measures to the end as it finally stands.


def test_it_judges_plan_length_by_the_end_as_it_finally_stands() -> None:
    extended = event("plan_extended", "2025-03-20", end=PLAN_END)
    result = review_of(case(policy=STANDARD, events=[pip(end="2025-03-20"), extended]))
    assert findings(result, "plan.short") == []


@pytest.mark.parametrize(("days", "fires"), [(29, True), (30, False)])
def test_it_flags_a_plan_an_extension_shortened_below_thirty_days(days: int, fires: bool) -> None:
    shortened = event("plan_extended", "2025-03-10", end=days_after(START, days))
    result = review_of(case(policy=STANDARD, events=[pip(), shortened]))
    found = findings(result, "plan.short")
    assert len(found) == int(fires)
    if fires:
        assert found[0]["evidence"] == {
            "start": START,
            "end": days_after(START, 29),
            "days": 29,
            "min_days": 30,
            "written_end": PLAN_END,
        }


def test_it_leaves_out_an_extension_after_as_of_from_plan_length() -> None:
    shortened = event("plan_extended", "2025-03-20", end=days_after(START, 10))
    doc = case(policy=STANDARD, events=[pip(), shortened])
    assert findings(review_of(doc, as_of="2025-03-19"), "plan.short") == []
    assert len(findings(review_of(doc), "plan.short")) == 1


def test_it_judges_a_pivot_plan_not_taken_by_its_written_end() -> None:
    letter = pivot_with_plan("2025-02-24", START, days_after(START, 29))
    chose = event("option_chosen", "2025-02-28", option="severance")
    later = event("plan_extended", "2025-03-01", end=days_after(START, 60))
    result = review_of(case(events=[focus("2025-01-06"), letter, chose, later]))
    assert findings(result, "plan.short")[0]["evidence"]["end"] == days_after(START, 29)


@pytest.mark.parametrize(("failed_on", "fires"), [("2025-05-01", True), (PLAN_END, False)])
def test_it_compares_a_failure_with_the_latest_end_the_plan_ever_had(
    failed_on: str, fires: bool
) -> None:
    # Extended to 2025-05-02, then pulled back to 2025-04-01: failing on 2025-05-01 is
    # still a day early; the pulled-back end cannot take the failure out of the finding.
    events = [
        pip(end="2025-04-15"),
        event("plan_extended", "2025-03-20", end=PLAN_END),
        event("plan_extended", "2025-03-25", end="2025-04-01"),
        event("plan_failed", failed_on, by=MANAGER),
    ]
    found = findings(review_of(case(policy=STANDARD, events=events)), "plan.ended_early")
    assert len(found) == int(fires)
    if fires:
        assert found[0]["evidence"] == {
            "failed_on": "2025-05-01",
            "plan_end": PLAN_END,
            "days_early": 1,
            "end_as_it_stands": "2025-04-01",
        }


def test_it_applies_no_extension_recorded_after_the_failure() -> None:
    events = [
        pip(),
        event("plan_failed", "2025-05-02", by=MANAGER),
        event("plan_extended", "2025-05-03", end="2025-06-30"),
    ]
    result = review_of(case(policy=STANDARD, events=events))
    assert findings(result, "plan.ended_early") == []
    assert [d.date.isoformat() for d in result.deadlines if d.code == "plan_ends"] == [PLAN_END]


@pytest.mark.parametrize(
    ("end", "refused"), [("2025-03-02", True), (START, True), ("2025-03-04", False)]
)
def test_it_refuses_an_extension_ending_on_or_before_the_plan_start(
    end: str, refused: bool
) -> None:
    doc = case(policy=STANDARD, events=[pip(), event("plan_extended", "2025-03-10", end=end)])
    if refused:
        with pytest.raises(MalformedCaseFile) as caught:
            load(doc)
        assert list(caught.value.problems) == [
            f"events[1].end: on or before the start of the plan it extends "
            f"(plan start {START}, end given {end})"
        ]
    else:
        load(doc)


# plan.ended_early: plan_failed before the plan's end as moved by plan_extended


@pytest.mark.parametrize(
    ("failed_on", "fires"), [("2025-05-01", True), (PLAN_END, False), ("2025-05-05", False)]
)
def test_it_flags_a_plan_failed_before_its_end(failed_on: str, fires: bool) -> None:
    failed = event("plan_failed", failed_on, by=MANAGER)
    found = findings(review_of(case(policy=STANDARD, events=[pip(), failed])), "plan.ended_early")
    assert len(found) == int(fires)
    if fires:
        assert found[0]["severity"] == "high"
        assert found[0]["date"] == "2025-05-01"
        assert found[0]["evidence"] == {
            "failed_on": "2025-05-01",
            "plan_end": PLAN_END,
            "days_early": 1,
        }


@pytest.mark.parametrize(
    ("failed_on", "fires"), [(PLAN_END, True), ("2025-05-15", True), ("2025-05-16", False)]
)
def test_it_measures_an_early_failure_against_the_extended_end(failed_on: str, fires: bool) -> None:
    extended = event("plan_extended", "2025-04-15", end="2025-05-16")
    failed = event("plan_failed", failed_on, by=MANAGER)
    result = review_of(case(policy=STANDARD, events=[pip(), extended, failed]))
    found = findings(result, "plan.ended_early")
    assert len(found) == int(fires)
    if fires:
        assert found[0]["evidence"]["plan_end"] == "2025-05-16"


def test_it_flags_a_pivot_plan_failed_before_its_end() -> None:
    events = [
        focus("2025-01-06"),
        pivot_with_plan("2025-02-24", START, PLAN_END),
        event("option_chosen", "2025-02-28", option="plan"),
        event("plan_failed", "2025-04-15", by=MANAGER, appeal_days=5),
    ]
    found = findings(review_of(case(events=events)), "plan.ended_early")
    assert [f["evidence"]["days_early"] for f in found] == [17]


def test_it_does_not_flag_a_passed_plan_that_ended_early() -> None:
    passed = event("plan_passed", "2025-04-15")
    result = review_of(case(policy=STANDARD, events=[pip(), passed]))
    assert "plan.ended_early" not in codes(result)


# plan.missed_checkins: a missed check-in, or under 75% of floor(D / N) held


def test_it_flags_any_checkin_recorded_as_missed() -> None:
    events = [pip(), *checkins("2025-03-10"), *checkins("2025-03-17", held=False)]
    found = findings(review_of(case(policy=STANDARD, events=events)), "plan.missed_checkins")
    assert len(found) == 1
    assert found[0]["severity"] == "medium"
    assert found[0]["evidence"]["missed"] == 1
    assert found[0]["evidence"]["held"] == 1
    assert found[0]["evidence"]["every_days"] is None


def test_it_does_not_flag_a_plan_with_no_schedule_and_no_missed_checkins() -> None:
    result = review_of(case(policy=STANDARD, events=[pip(), *checkins("2025-03-10")]))
    assert "plan.missed_checkins" not in codes(result)


# A 60-day plan with check-ins every 7 days has floor(60 / 7) = 8 due: 6 held is 75%.
WEEKLY = [days_after(START, 7 * week) for week in range(1, 9)]


@pytest.mark.parametrize(("held", "fires"), [(5, True), (6, False), (7, False)])
def test_it_flags_fewer_than_three_quarters_of_due_checkins_held(held: int, fires: bool) -> None:
    events = [pip(checkin_every_days=7), *checkins(*WEEKLY[:held])]
    found = findings(review_of(case(policy=STANDARD, events=events)), "plan.missed_checkins")
    assert len(found) == int(fires)
    if fires:
        assert found[0]["evidence"] == {
            "held": 5,
            "missed": 0,
            "due": 8,
            "every_days": 7,
            "held_ratio": 0.75,
            "counted_until": PLAN_END,
        }


# Cut to 28 days, the same schedule has floor(28 / 7) = 4 due: 3 held is 75%.
CUT = "2025-03-31"


@pytest.mark.parametrize(("held", "fires"), [(2, True), (3, False)])
def test_it_counts_due_checkins_only_to_the_plans_outcome(held: int, fires: bool) -> None:
    failed = event("plan_failed", CUT, by=MANAGER)
    events = [pip(checkin_every_days=7), *checkins(*WEEKLY[:held]), failed]
    found = findings(review_of(case(policy=STANDARD, events=events)), "plan.missed_checkins")
    assert len(found) == int(fires)
    if fires:
        assert found[0]["evidence"]["due"] == 4
        assert found[0]["evidence"]["counted_until"] == CUT


@pytest.mark.parametrize(("held", "fires"), [(2, True), (3, False)])
def test_it_counts_due_checkins_only_to_the_separation(held: int, fires: bool) -> None:
    left = event("separated", CUT, reason="termination_performance")
    events = [pip(checkin_every_days=7), *checkins(*WEEKLY[:held]), left]
    found = findings(review_of(case(policy=STANDARD, events=events)), "plan.missed_checkins")
    assert len(found) == int(fires)
    if fires:
        assert found[0]["evidence"]["due"] == 4


@pytest.mark.parametrize(("held", "fires"), [(2, True), (3, False)])
def test_it_counts_due_checkins_only_to_as_of_while_the_plan_runs(held: int, fires: bool) -> None:
    events = [pip(checkin_every_days=7), *checkins(*WEEKLY[:held])]
    found = findings(
        review_of(case(policy=STANDARD, as_of=CUT, events=events)), "plan.missed_checkins"
    )
    assert len(found) == int(fires)
    if fires:
        assert found[0]["evidence"]["due"] == 4
        assert found[0]["evidence"]["counted_until"] == CUT


def test_it_counts_due_checkins_to_the_end_as_extended() -> None:
    # Written for 28 days (4 due, 4 held); extended to 60 days (8 due, 4 held).
    written = [pip(end=CUT, checkin_every_days=7), *checkins(*WEEKLY[:4])]
    extended = event("plan_extended", CUT, end=PLAN_END)
    before = review_of(case(policy=STANDARD, events=written))
    after = findings(
        review_of(case(policy=STANDARD, events=[*written, extended])), "plan.missed_checkins"
    )
    assert "plan.missed_checkins" not in codes(before)
    assert len(after) == 1
    assert after[0]["evidence"]["due"] == 8
    assert after[0]["evidence"]["counted_until"] == PLAN_END


def test_it_counts_checkins_of_a_pivot_plan_taken_up() -> None:
    events = [
        focus("2025-01-06"),
        pivot_with_plan("2025-02-24", START, PLAN_END, checkin_every_days=7),
        event("option_chosen", "2025-02-28", option="plan"),
        *checkins(*WEEKLY[:5]),
    ]
    found = findings(review_of(case(events=events)), "plan.missed_checkins")
    assert [(f["evidence"]["held"], f["evidence"]["due"]) for f in found] == [(5, 8)]


def test_it_does_not_count_checkins_due_on_a_pivot_plan_never_taken_up() -> None:
    letter = pivot_with_plan("2025-02-24", START, PLAN_END, checkin_every_days=7)
    result = review_of(case(events=[focus("2025-01-06"), letter]))
    assert "plan.missed_checkins" not in codes(result)


# procedure.out_of_order: one finding per offending event, the allowed events as evidence


def test_it_raises_one_out_of_order_finding_per_offending_event() -> None:
    events = [
        event("plan_started", START, by=MANAGER, plan=plan(START, PLAN_END)),
        event("checkin", "2025-03-10", held=True),
        event("option_chosen", "2025-03-11", option="appeal"),
        event("concern_documented", "2025-03-12", by=MANAGER),
    ]
    found = findings(review_of(case(events=events)), "procedure.out_of_order")
    assert [f["evidence"]["event"] for f in found] == ["plan_started", "option_chosen:appeal"]
    assert [f["evidence"]["index"] for f in found] == [0, 2]
    assert [f["date"] for f in found] == [START, "2025-03-11"]
    assert {f["severity"] for f in found} == {"medium"}


def test_it_lists_the_events_the_stage_allows_as_evidence() -> None:
    found = findings(review_of(case(events=[pivot(START)])), "procedure.out_of_order")
    assert len(found) == 1
    evidence = found[0]["evidence"]
    assert evidence["event"] == "pivot_offered"
    assert evidence["stage"] == "good_standing"
    assert set(evidence["allowed"]) == {
        "concern_documented",
        "focus_started",
        "transferred",
        "separated",
    }
    assert "focus_started" in found[0]["message"]


def test_it_lists_the_allowed_events_when_an_offer_is_signed_with_none_of_that_tier() -> None:
    events = [focus("2025-01-06"), pivot("2025-02-24"), event("offer_signed", START, tier=2)]
    found = findings(review_of(case(events=events)), "procedure.out_of_order")
    assert len(found) == 1
    assert found[0]["evidence"]["stage"] == "pivot_offered"
    assert "offer_signed" in found[0]["evidence"]["allowed"]
    assert "tier 2" in found[0]["message"]


def test_it_raises_no_out_of_order_finding_for_a_case_that_follows_the_table() -> None:
    events = [
        focus("2025-01-06"),
        pivot("2025-02-24"),
        event("option_chosen", "2025-02-28", option="plan"),
        event("plan_passed", "2025-05-02"),
    ]
    result = review_of(case(events=events))
    assert result.stage == "closed_passed"
    assert "procedure.out_of_order" not in codes(result)


def test_it_raises_an_out_of_order_finding_for_an_appeal_under_standard_pip() -> None:
    events = [pip(), event("plan_failed", PLAN_END), event("appeal_elected", "2025-05-05")]
    found = findings(review_of(case(policy=STANDARD, events=events)), "procedure.out_of_order")
    assert [(f["evidence"]["event"], f["evidence"]["stage"]) for f in found] == [
        ("appeal_elected", "plan_failed")
    ]


# appeal.short_window: fewer than 5 business days to elect an appeal


def amazon_failed_plan(**failure: Any) -> Events:
    """An amazon-pivot case's events up to a plan failed on its end with ``failure`` fields."""
    return [
        focus("2025-01-06"),
        pivot_with_plan("2025-02-24", START, PLAN_END),
        event("option_chosen", "2025-02-28", option="plan"),
        event("plan_failed", PLAN_END, by=MANAGER, **failure),
    ]


@pytest.mark.parametrize(("appeal_days", "fires"), [(4, True), (5, False), (6, False)])
def test_it_flags_fewer_than_five_business_days_to_elect_an_appeal(
    appeal_days: int, fires: bool
) -> None:
    result = review_of(case(events=amazon_failed_plan(appeal_days=appeal_days)))
    found = findings(result, "appeal.short_window")
    assert len(found) == int(fires)
    if fires:
        assert found[0]["severity"] == "low"
        assert found[0]["date"] == PLAN_END
        assert found[0]["evidence"] == {"appeal_days": 4, "min_business_days": 5}
        # Friday 2 May 2025 plus 4 business days is Thursday 8 May.
        assert "2025-05-08" in found[0]["message"]


def test_it_does_not_flag_a_failed_plan_that_gives_no_appeal_days() -> None:
    result = review_of(case(events=amazon_failed_plan()))
    assert "appeal.short_window" not in codes(result)


def test_it_does_not_flag_appeal_days_under_a_policy_without_appeals() -> None:
    events = [pip(), event("plan_failed", PLAN_END, by=MANAGER, appeal_days=1)]
    result = review_of(case(policy=STANDARD, events=events))
    assert "appeal.short_window" not in codes(result)
    assert result.stage == "plan_failed"


def test_it_judges_a_pivot_plan_failed_with_no_choice_of_the_plan_recorded() -> None:
    events = [
        focus("2025-01-06"),
        pivot_with_plan("2025-02-24", START, PLAN_END),
        event("plan_failed", "2025-04-15", by=MANAGER, appeal_days=3),
    ]
    result = review_of(case(events=events))
    assert [f["evidence"]["days_early"] for f in findings(result, "plan.ended_early")] == [17]
    assert [f["evidence"]["appeal_days"] for f in findings(result, "appeal.short_window")] == [3]
    assert [f["evidence"]["event"] for f in findings(result, "procedure.out_of_order")] == [
        "plan_failed"
    ]


def test_it_judges_the_appeal_window_of_a_failure_recorded_with_no_plan_at_all() -> None:
    events = [focus("2025-01-06"), event("plan_failed", "2025-02-03", by=MANAGER, appeal_days=2)]
    result = review_of(case(events=events))
    assert [f["evidence"]["appeal_days"] for f in findings(result, "appeal.short_window")] == [2]
    assert "procedure.out_of_order" in codes(result)


@pytest.mark.parametrize(("extended_days", "fires"), [(29, True), (30, False)])
def test_it_judges_a_pivot_plan_extended_while_the_choice_was_open_by_its_new_end(
    extended_days: int, fires: bool
) -> None:
    letter = pivot_with_plan("2025-02-24", START, days_after(START, 20))
    extended = event("plan_extended", "2025-02-26", end=days_after(START, extended_days))
    result = review_of(case(events=[focus("2025-01-06"), letter, extended]))
    assert len(findings(result, "plan.short")) == int(fires)
