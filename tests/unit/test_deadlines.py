"""Deadline codes (spec/review.md, "Deadline codes"): every date by which someone must act."""

from __future__ import annotations

from datetime import date, timedelta
from importlib import resources
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fairpivot.domain.policy.load import parse_policy
from fairpivot.domain.review import review
from tests.builders import case, deadline_dates, event, load, offer, pivot, plan, review_of


def _days_after(day: str, days: int) -> str:
    return (date.fromisoformat(day) + timedelta(days=days)).isoformat()


# --- eeoc_charge and state_agency ------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "days"),
    [
        ("WA", 300),
        ("CA", 300),
        ("NY", 300),
        ("TX", 300),
        ("AL", 180),
        ("AR", 180),
        ("GA", 180),
        ("MS", 180),
        ("NC", 180),
    ],
)
def test_it_gives_the_eeoc_charge_deadline_of_the_state(state: str, days: int) -> None:
    doc = case(
        employee={"work_state": state},
        events=[event("focus_started", "2025-03-03", disclosed=True)],
    )

    assert deadline_dates(review_of(doc), "eeoc_charge") == [_days_after("2025-03-03", days)]


def test_it_dates_the_eeoc_charge_deadlines_of_a_worked_example() -> None:
    doc = case(
        employee={"work_state": "GA"},
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-04-01"),
        ],
    )

    assert deadline_dates(review_of(doc), "eeoc_charge") == ["2025-08-30", "2025-09-28"]


def test_it_lists_one_eeoc_charge_deadline_per_adverse_step() -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-04-01"),
            event("option_chosen", "2025-04-03", option="plan"),
            event("plan_failed", "2025-06-20"),
            event("separated", "2025-07-01", reason="termination_performance"),
        ],
    )

    assert deadline_dates(review_of(doc), "eeoc_charge") == [
        "2025-12-28",  # 2025-03-03 + 300
        "2026-01-26",  # 2025-04-01 + 300
        "2026-04-16",  # 2025-06-20 + 300
        "2026-04-27",  # 2025-07-01 + 300
    ]


def test_it_counts_an_upheld_appeal_and_a_lowest_rating_as_adverse_steps() -> None:
    doc = case(
        ratings=[{"date": "2025-02-03", "value": "LE"}, {"date": "2025-02-04", "value": "HV2"}],
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-04-01"),
            event("option_chosen", "2025-04-03", option="plan"),
            event("plan_failed", "2025-06-20"),
            event("appeal_elected", "2025-06-23"),
            event("appeal_decided", "2025-07-10", outcome="upheld"),
        ],
    )

    dates = deadline_dates(review_of(doc), "eeoc_charge")

    assert _days_after("2025-02-03", 300) in dates
    assert _days_after("2025-02-04", 300) not in dates
    assert _days_after("2025-07-10", 300) in dates
    assert len(dates) == 5


def test_it_does_not_count_an_overturned_appeal_as_an_adverse_step() -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-04-01"),
            event("option_chosen", "2025-04-03", option="plan"),
            event("plan_failed", "2025-06-20"),
            event("appeal_elected", "2025-06-23"),
            event("appeal_decided", "2025-07-10", outcome="overturned"),
        ],
    )

    assert _days_after("2025-07-10", 300) not in deadline_dates(review_of(doc), "eeoc_charge")


def test_it_lists_steps_on_the_same_date_once() -> None:
    doc = case(
        ratings=[{"date": "2025-03-03", "value": "LE"}],
        events=[event("focus_started", "2025-03-03", disclosed=True)],
    )

    result = review_of(doc)

    assert deadline_dates(result, "eeoc_charge") == ["2025-12-28"]
    assert deadline_dates(result, "state_agency") == ["2025-09-03"]


def test_it_starts_the_clock_of_an_undisclosed_focus_when_it_is_disclosed() -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=False),
            event("focus_disclosed", "2025-04-14"),
        ],
    )

    result = review_of(doc)

    assert deadline_dates(result, "eeoc_charge") == [_days_after("2025-04-14", 300)]
    assert deadline_dates(result, "state_agency") == ["2025-10-14"]


def test_it_starts_the_clock_of_a_never_disclosed_focus_at_the_next_adverse_step() -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=False),
            pivot("2025-05-01"),
        ],
    )

    result = review_of(doc)

    # The Focus's notice date is the Pivot's date, which the Pivot lists anyway.
    assert deadline_dates(result, "eeoc_charge") == [_days_after("2025-05-01", 300)]
    assert deadline_dates(result, "state_agency") == ["2025-11-01"]


def test_it_takes_a_lowest_rating_as_the_next_adverse_step_after_an_undisclosed_focus() -> None:
    doc = case(
        ratings=[{"date": "2025-04-10", "value": "LE"}],
        events=[event("focus_started", "2025-03-03", disclosed=False)],
    )

    assert deadline_dates(review_of(doc), "eeoc_charge") == [_days_after("2025-04-10", 300)]


def test_it_lists_no_charge_deadline_for_a_focus_the_employee_never_learned_of() -> None:
    doc = case(events=[event("focus_started", "2025-03-03", disclosed=False)])

    result = review_of(doc)

    assert deadline_dates(result, "eeoc_charge") == []
    assert deadline_dates(result, "state_agency") == []
    assert deadline_dates(result, "focus_review_by") == ["2025-05-02"]


def test_it_lists_no_charge_deadline_for_a_focus_disclosed_after_as_of() -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=False),
            event("focus_disclosed", "2025-04-14"),
        ],
    )

    assert deadline_dates(review_of(doc, as_of="2025-04-13"), "eeoc_charge") == []


def test_it_lists_no_charge_deadline_outside_the_us() -> None:
    doc = case(
        employee={"work_state": "XX"},
        events=[event("focus_started", "2025-03-03", disclosed=True), pivot("2025-04-01")],
    )

    result = review_of(doc)

    assert deadline_dates(result, "eeoc_charge") == []
    assert deadline_dates(result, "state_agency") == []
    assert deadline_dates(result, "pivot_decide_by") == ["2025-04-22"]


@pytest.mark.parametrize("state", ["CA", "OR", "AL", "NY"])
def test_it_lists_the_state_agency_deadline_only_in_washington(state: str) -> None:
    doc = case(
        employee={"work_state": state},
        events=[event("focus_started", "2025-03-03", disclosed=True)],
    )

    assert deadline_dates(review_of(doc), "state_agency") == []


@pytest.mark.parametrize(
    ("notice", "expected"),
    [
        ("2025-03-03", "2025-09-03"),
        ("2025-08-31", "2026-02-28"),
        ("2023-08-31", "2024-02-29"),
        ("2025-12-31", "2026-06-30"),
        ("2025-07-31", "2026-01-31"),
    ],
)
def test_it_gives_washington_six_calendar_months(notice: str, expected: str) -> None:
    doc = case(
        as_of=notice,
        events=[event("focus_started", notice, disclosed=True)],
    )

    assert deadline_dates(review_of(doc), "state_agency") == [expected]


def test_it_says_the_law_behind_a_charge_deadline() -> None:
    doc = case(
        employee={"work_state": "NC"},
        events=[event("focus_started", "2025-03-03", disclosed=True)],
    )

    (deadline,) = [d for d in review_of(doc).deadlines if d.code == "eeoc_charge"]

    assert "180 days" in deadline.basis
    assert "2000e-5(e)(1)" in deadline.basis
    assert "next business day" in deadline.basis


# --- pivot_decide_by and offer_expires -------------------------------------------------


def test_it_gives_the_pivot_decide_by_date() -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-05-01", decision_days=5),
        ],
    )

    assert deadline_dates(review_of(doc), "pivot_decide_by") == ["2025-05-06"]


def test_it_gives_every_offer_its_expiry() -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-04-01", consideration_days=45),
            event("option_chosen", "2025-04-03", option="plan"),
            event("plan_failed", "2025-06-20"),
            event("offer_made", "2025-06-23", offer=offer(2, 10000, consideration_days=21)),
            event("offer_made", "2025-06-30", offer=offer(2, 12000, consideration_days=30)),
        ],
    )

    result = review_of(doc)

    assert deadline_dates(result, "offer_expires") == ["2025-05-16", "2025-07-14", "2025-07-30"]
    assert deadline_dates(result, "pivot_decide_by") == ["2025-04-22"]


def test_it_lets_an_offer_expire_the_day_it_is_made_with_no_time_to_consider() -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-04-01", consideration_days=0),
        ],
    )

    assert deadline_dates(review_of(doc), "offer_expires") == ["2025-04-01"]


# --- revoke_by ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("employee", "employer", "revocation_days", "expected"),
    [
        # review-v4.md item 1: the signing date + the offer's own days; nothing lengthens
        # it to 7, since 626(f)(1)(G) is a condition of the ADEA waiver, not a right.
        pytest.param({}, None, 3, ["2025-05-13"], id="45-year-old-keeps-the-offers-three"),
        pytest.param({}, None, 10, ["2025-05-20"], id="45-year-old-keeps-a-longer-period"),
        pytest.param({}, None, 7, ["2025-05-17"], id="45-year-old-with-exactly-seven"),
        pytest.param({}, None, 1, ["2025-05-11"], id="one-day-is-listed"),
        pytest.param({}, None, 0, [], id="no-days-no-revoke-by"),
        pytest.param({"birth_date": "1985-05-11"}, None, 3, ["2025-05-13"], id="39"),
        pytest.param({"birth_date": "1985-05-10"}, None, 3, ["2025-05-13"], id="40"),
        pytest.param({"birth_date": "1985-05-10"}, None, 0, [], id="40-with-no-days"),
        pytest.param({"work_state": "XX"}, None, 3, ["2025-05-13"], id="outside-the-us"),
        pytest.param({"work_state": "XX"}, None, 0, [], id="outside-the-us-no-days"),
        pytest.param({}, {"headcount": 19}, 3, ["2025-05-13"], id="employer-of-nineteen"),
        pytest.param({}, {"headcount": 20}, 3, ["2025-05-13"], id="employer-of-twenty"),
    ],
)
def test_it_gives_revoke_by_from_the_signing_and_the_offers_own_days(
    employee: dict[str, Any],
    employer: dict[str, Any] | None,
    revocation_days: int,
    expected: list[str],
) -> None:
    overrides: dict[str, Any] = {} if employer is None else {"employer": employer}
    doc = case(
        employee=employee,
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-05-01", revocation_days=revocation_days),
            event("offer_signed", "2025-05-10", tier=1),
        ],
        **overrides,
    )

    assert deadline_dates(review_of(doc), "revoke_by") == expected


def test_it_tells_a_40_plus_employee_given_too_few_days_to_revoke_by_a_finding() -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-05-01", revocation_days=3),
            event("offer_signed", "2025-05-10", tier=1),
        ],
    )
    result = review_of(doc)

    [deadline] = [d for d in result.deadlines if d.code == "revoke_by"]
    assert "3 days, as the offer gives" in deadline.basis
    assert "626(f)(1)(G)" in deadline.basis
    assert "owbpa.revocation_period" in [f.code for f in result.findings]


def test_it_lists_no_revoke_by_for_an_unsigned_offer() -> None:
    doc = case(
        events=[event("focus_started", "2025-03-03", disclosed=True), pivot("2025-05-01")],
    )

    assert deadline_dates(review_of(doc), "revoke_by") == []


def test_it_gives_revoke_by_for_a_later_signed_offer() -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-04-01"),
            event("option_chosen", "2025-04-03", option="plan"),
            event("plan_failed", "2025-06-20"),
            event("offer_made", "2025-06-23", offer=offer(2, 10000, revocation_days=14)),
            event("offer_signed", "2025-07-01", tier=2),
        ],
    )

    assert deadline_dates(review_of(doc), "revoke_by") == ["2025-07-15"]


# --- appeal_elect_by ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("failed_on", "appeal_days", "expected"),
    [
        pytest.param("2025-07-15", 3, "2025-07-18", id="plain-week"),
        pytest.param("2025-07-17", 3, "2025-07-22", id="over-a-weekend"),
        pytest.param("2025-11-25", 3, "2025-12-01", id="thanksgiving"),
        pytest.param("2025-12-23", 3, "2025-12-29", id="christmas"),
        pytest.param("2026-07-01", 3, "2026-07-07", id="saturday-holiday-observed-friday"),
        pytest.param("2025-06-17", 3, "2025-06-23", id="juneteenth"),
        pytest.param("2025-11-21", 5, "2025-12-01", id="five-days-over-thanksgiving"),
        pytest.param("2025-07-18", 1, "2025-07-21", id="friday-to-monday"),
    ],
)
def test_it_counts_the_appeal_election_window_in_us_business_days(
    failed_on: str, appeal_days: int, expected: str
) -> None:
    pivot_on = _days_after(failed_on, -80)
    doc = case(
        as_of=_days_after(failed_on, 30),
        events=[
            event("focus_started", _days_after(pivot_on, -30), disclosed=True),
            pivot(pivot_on),
            event("option_chosen", _days_after(pivot_on, 2), option="plan"),
            event("plan_failed", failed_on, appeal_days=appeal_days),
        ],
    )

    assert deadline_dates(review_of(doc), "appeal_elect_by") == [expected]


def test_it_lists_no_appeal_deadline_when_the_failure_gives_no_appeal_days() -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-04-01"),
            event("option_chosen", "2025-04-03", option="plan"),
            event("plan_failed", "2025-06-20"),
        ],
    )

    assert deadline_dates(review_of(doc), "appeal_elect_by") == []


def test_it_lists_no_appeal_deadline_under_a_policy_without_appeals() -> None:
    doc = case(
        policy="standard-pip",
        events=[
            event("plan_started", "2025-04-01", plan=plan("2025-04-01", "2025-06-30")),
            event("plan_failed", "2025-07-01", appeal_days=5),
        ],
    )

    result = review_of(doc)

    assert deadline_dates(result, "appeal_elect_by") == []
    assert deadline_dates(result, "plan_ends") == ["2025-06-30"]


# --- plan_ends ---------------------------------------------------------------------------


def test_it_gives_the_end_of_a_plan_taken_up() -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-04-01"),
            event("option_chosen", "2025-04-03", option="plan"),
        ],
    )

    assert deadline_dates(review_of(doc), "plan_ends") == ["2025-06-07"]


def test_it_moves_the_plan_end_when_the_plan_is_extended() -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-04-01"),
            event("option_chosen", "2025-04-03", option="plan"),
            event("plan_extended", "2025-06-01", end="2025-06-21"),
            event("plan_extended", "2025-06-15", end="2025-07-05"),
        ],
    )

    assert deadline_dates(review_of(doc), "plan_ends") == ["2025-07-05"]


@pytest.mark.parametrize(
    "after_pivot",
    [
        pytest.param([], id="not-yet-chosen"),
        pytest.param([event("option_chosen", "2025-04-03", option="severance")], id="severance"),
        pytest.param([event("offer_signed", "2025-04-10", tier=1)], id="offer-signed"),
    ],
)
def test_it_lists_no_plan_end_for_a_plan_not_taken_up(after_pivot: list[dict[str, Any]]) -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-04-01"),
            *after_pivot,
        ],
    )

    assert deadline_dates(review_of(doc), "plan_ends") == []


def test_it_gives_each_plan_its_end() -> None:
    doc = case(
        policy="standard-pip",
        events=[
            event("plan_started", "2024-01-08", plan=plan("2024-01-08", "2024-03-08")),
            event("plan_passed", "2024-03-08"),
            event("plan_started", "2025-04-01", plan=plan("2025-04-01", "2025-06-30")),
        ],
    )

    assert deadline_dates(review_of(doc), "plan_ends") == ["2024-03-08", "2025-06-30"]


# --- focus_review_by ---------------------------------------------------------------------


def test_it_gives_an_open_focus_sixty_days() -> None:
    doc = case(events=[event("focus_started", "2025-03-03", disclosed=True)])

    assert deadline_dates(review_of(doc), "focus_review_by") == ["2025-05-02"]


@pytest.mark.parametrize(
    "ending",
    [
        pytest.param(event("focus_removed", "2025-04-01"), id="removed"),
        pytest.param(pivot("2025-04-01"), id="escalated-to-pivot"),
        pytest.param(event("separated", "2025-04-01", reason="layoff"), id="separated"),
    ],
)
def test_it_lists_no_focus_review_for_a_focus_that_ended(ending: dict[str, Any]) -> None:
    doc = case(events=[event("focus_started", "2025-03-03", disclosed=True), ending])

    assert deadline_dates(review_of(doc), "focus_review_by") == []


def test_it_gives_a_second_focus_its_own_sixty_days() -> None:
    doc = case(
        events=[
            event("focus_started", "2025-01-06", disclosed=True),
            event("focus_removed", "2025-02-03"),
            event("focus_started", "2025-06-02", disclosed=True),
        ],
    )

    assert deadline_dates(review_of(doc), "focus_review_by") == ["2025-08-01"]


# --- passed, order and --as-of -----------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "passed"),
    [("2025-05-05", False), ("2025-05-06", False), ("2025-05-07", True)],
)
def test_it_marks_a_deadline_passed_only_after_its_date(as_of: str, passed: bool) -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-05-01", decision_days=5),
        ],
    )

    (deadline,) = [d for d in review_of(doc, as_of=as_of).deadlines if d.code == "pivot_decide_by"]

    assert deadline.date == date(2025, 5, 6)
    assert deadline.passed is passed


def test_it_marks_every_deadline_passed_against_as_of() -> None:
    doc = case(
        as_of="2025-07-01",
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-04-01"),
            event("option_chosen", "2025-04-03", option="plan"),
        ],
    )

    result = review_of(doc)

    assert result.deadlines
    assert all(d.passed is (d.date < date(2025, 7, 1)) for d in result.deadlines)


def test_it_sorts_deadlines_by_date_then_code() -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            # 21 days both to decide and to consider: two codes on one date.
            pivot("2025-04-01", decision_days=21),
            event("option_chosen", "2025-04-03", option="plan"),
            event("plan_failed", "2025-06-20", appeal_days=3),
        ],
    )

    pairs = [(d.date.isoformat(), d.code) for d in review_of(doc).deadlines]

    assert pairs == sorted(pairs)
    assert pairs[:5] == [
        ("2025-04-22", "offer_expires"),
        ("2025-04-22", "pivot_decide_by"),
        ("2025-06-07", "plan_ends"),
        ("2025-06-25", "appeal_elect_by"),
        ("2025-09-03", "state_agency"),
    ]


def test_it_leaves_out_deadlines_of_events_after_as_of() -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-04-01"),
            event("option_chosen", "2025-04-03", option="plan"),
            event("plan_failed", "2025-06-20", appeal_days=3),
        ],
    )

    result = review_of(doc, as_of="2025-03-31")

    assert result.as_of == date(2025, 3, 31)
    assert {d.code for d in result.deadlines} == {
        "eeoc_charge",
        "state_agency",
        "wa_wlad_suit",
        "focus_review_by",
    }
    assert deadline_dates(result, "eeoc_charge") == ["2025-12-28"]
    assert deadline_dates(result, "focus_review_by") == ["2025-05-02"]


def test_it_keeps_the_deadlines_of_events_on_as_of() -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-04-01", decision_days=5),
        ],
    )

    result = review_of(doc, as_of="2025-04-01")

    assert deadline_dates(result, "pivot_decide_by") == ["2025-04-06"]
    assert deadline_dates(result, "focus_review_by") == []


_FULL_CASE = case(
    events=[
        event("focus_started", "2025-03-03", disclosed=False),
        event("focus_disclosed", "2025-03-20"),
        pivot("2025-04-01", decision_days=5),
        event("option_chosen", "2025-04-03", option="plan"),
        event("plan_extended", "2025-06-01", end="2025-06-21"),
        event("plan_failed", "2025-06-23", appeal_days=3),
        event("appeal_elected", "2025-06-24"),
        event("appeal_decided", "2025-07-10", outcome="upheld"),
        event("offer_made", "2025-07-11", offer=offer(3, 5000)),
        event("offer_signed", "2025-07-20", tier=3),
        event("separated", "2025-07-31", reason="termination_performance"),
    ],
)


@given(st.dates(min_value=date(2025, 3, 1), max_value=date(2025, 12, 31)))
@settings(deadline=None, max_examples=60)
def test_it_keeps_every_deadline_in_order_and_due_as_of_any_date(as_of: date) -> None:
    result = review_of(_FULL_CASE, as_of=as_of.isoformat())

    keys = [(d.date, d.code) for d in result.deadlines]
    assert keys == sorted(keys)
    assert len(keys) == len(set(keys))
    assert all(d.passed is (d.date < as_of) for d in result.deadlines)
    assert bool(deadline_dates(result, "pivot_decide_by")) is (as_of >= date(2025, 4, 1))
    assert bool(deadline_dates(result, "revoke_by")) is (as_of >= date(2025, 7, 20))
    assert bool(deadline_dates(result, "eeoc_charge")) is (as_of >= date(2025, 3, 20))


def test_it_lists_no_deadlines_for_a_case_with_no_events() -> None:
    assert review_of(case()).deadlines == ()


def test_it_names_the_state_agency_a_policy_adds_beside_washington() -> None:
    text = resources.files("fairpivot.domain.policies").joinpath("amazon-pivot.toml").read_text()
    policy = parse_policy(
        text.replace(
            'state_agency_months = { "WA" = 6 }', 'state_agency_months = { "WA" = 6, "OR" = 12 }'
        ),
        source="custom.toml",
    )
    doc = case(
        employee={"work_state": "OR"}, events=[event("separated", "2025-03-31", reason="layoff")]
    )
    result = review(load(doc).file, policy)
    (deadline,) = [d for d in result.deadlines if d.code == "state_agency"]
    assert deadline.date.isoformat() == "2026-03-31"
    assert deadline.basis.startswith("the OR fair-employment agency's filing period: 12 months")
