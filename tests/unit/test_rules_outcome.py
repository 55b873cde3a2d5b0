"""The outcome rules: exits timed before pay vests, quits that were not, attrition quotas."""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import MANAGER, case, codes, event, findings, offer, pivot, plan, review_of

FOCUS = event("focus_started", "2025-03-03", by=MANAGER, disclosed=True)
# The builders' Pivot plan for an offer on 2025-04-01 runs 2025-04-08 to 2025-06-07.
PIVOT = pivot("2025-04-01", decision_days=21)
PIVOT_DECIDE_BY = "2025-04-22"
PLAN_END = "2025-06-07"
TAKE_PLAN = event("option_chosen", "2025-04-03", option="plan")
FAIL_PLAN = event("plan_failed", PLAN_END, by=MANAGER)
SEPARATION = "2025-06-30"


# --- vesting.forfeiture: the window after the separation date -----------------------------


@pytest.mark.parametrize(
    ("vests_on", "fires"),
    [
        ("2025-06-30", False),  # day 0: the last day employed, so it vested
        ("2025-07-01", True),  # day 1
        ("2025-09-28", True),  # day 90
        ("2025-09-29", False),  # day 91
    ],
)
def test_it_counts_vests_from_the_day_after_separation_through_day_90(
    vests_on: str, fires: bool
) -> None:
    doc = case(
        equity=[{"grant": "G-1", "vests": [{"date": vests_on, "shares": 10}]}],
        share_price=100,
        events=[event("separated", SEPARATION, reason="layoff")],
    )
    found = findings(review_of(doc), "vesting.forfeiture")
    assert [(f["date"], f["evidence"]["value_lost"]) for f in found] == (
        [(SEPARATION, 1000.0)] if fires else []
    )


@pytest.mark.parametrize(
    ("paid_on", "fires"),
    [("2025-06-30", False), ("2025-07-01", True), ("2025-09-28", True), ("2025-09-29", False)],
)
def test_it_counts_bonuses_in_the_same_window(paid_on: str, fires: bool) -> None:
    doc = case(
        bonuses=[{"date": paid_on, "amount": 5000}],
        events=[event("separated", SEPARATION, reason="layoff")],
    )
    found = findings(review_of(doc), "vesting.forfeiture")
    assert [f["evidence"]["value_lost"] for f in found] == ([5000.0] if fires else [])


def test_it_adds_up_equity_and_bonuses_in_the_window_only() -> None:
    doc = case(
        equity=[
            {
                "grant": "G-1",
                "vests": [
                    {"date": "2025-07-15", "shares": 10},
                    {"date": "2025-08-15", "shares": 5},
                    {"date": "2025-12-15", "shares": 50},
                ],
            }
        ],
        share_price=100,
        bonuses=[{"date": "2025-08-01", "amount": 2500.5}, {"date": "2025-10-01", "amount": 9000}],
        events=[event("separated", SEPARATION, reason="layoff")],
    )
    (found,) = findings(review_of(doc), "vesting.forfeiture")
    assert found["evidence"]["value_lost"] == 4000.5
    assert found["evidence"]["window_days"] == 90
    assert found["evidence"]["exit_by"] == "separated"


# --- vesting.forfeiture: severity against the largest cash offered ------------------------


@pytest.mark.parametrize(
    ("bonus", "severity"), [(30000, "high"), (29999.99, "medium"), (30000.01, "high")]
)
def test_it_is_high_when_the_value_lost_reaches_the_largest_offer(
    bonus: float, severity: str
) -> None:
    doc = case(
        bonuses=[{"date": "2025-07-15", "amount": bonus}],
        events=[FOCUS, PIVOT, event("separated", SEPARATION, reason="resignation_with_severance")],
    )
    (found,) = findings(review_of(doc), "vesting.forfeiture")
    assert found["severity"] == severity
    assert found["evidence"]["largest_offer"] == 30000.0


def test_it_compares_equity_at_the_share_price_with_the_offer_exactly() -> None:
    doc = case(
        equity=[{"grant": "G-1", "vests": [{"date": "2025-07-15", "shares": 300}]}],
        share_price=100,
        events=[FOCUS, PIVOT, event("separated", SEPARATION, reason="resignation_with_severance")],
    )
    (found,) = findings(review_of(doc), "vesting.forfeiture")
    assert (found["severity"], found["evidence"]["value_lost"]) == ("high", 30000.0)


def test_it_weighs_the_loss_against_the_largest_of_several_offers() -> None:
    doc = case(
        bonuses=[{"date": "2025-07-15", "amount": 20000}],
        events=[
            FOCUS,
            PIVOT,
            TAKE_PLAN,
            FAIL_PLAN,
            event("offer_made", "2025-06-10", offer=offer(tier=2, amount=10000)),
            event("separated", SEPARATION, reason="termination_performance"),
        ],
    )
    (found,) = findings(review_of(doc), "vesting.forfeiture")
    assert (found["severity"], found["evidence"]["largest_offer"]) == ("medium", 30000.0)


def test_it_is_high_when_no_cash_was_offered() -> None:
    doc = case(
        bonuses=[{"date": "2025-07-15", "amount": 100}],
        events=[event("separated", SEPARATION, reason="termination_performance")],
    )
    (found,) = findings(review_of(doc), "vesting.forfeiture")
    assert (found["severity"], found["evidence"]["largest_offer"]) == ("high", 0.0)


# --- vesting.forfeiture: the projected exit while not separated ---------------------------


@pytest.mark.parametrize(
    ("vests_on", "fires"),
    [
        (PIVOT_DECIDE_BY, False),  # day 0
        ("2025-04-23", True),  # day 1
        ("2025-07-21", True),  # day 90
        ("2025-07-22", False),  # day 91
    ],
)
def test_it_projects_the_exit_to_the_pivot_decide_by_date(vests_on: str, fires: bool) -> None:
    doc = case(
        as_of="2025-04-10",
        equity=[{"grant": "G-1", "vests": [{"date": vests_on, "shares": 10}]}],
        share_price=100,
        events=[FOCUS, PIVOT],
    )
    found = findings(review_of(doc), "vesting.forfeiture")
    assert [(f["date"], f["evidence"]["exit_by"]) for f in found] == (
        [(PIVOT_DECIDE_BY, "offer_decide_by")] if fires else []
    )


@pytest.mark.parametrize(("vests_on", "fires"), [(PLAN_END, False), ("2025-06-08", True)])
def test_it_projects_the_exit_to_the_plan_end_while_in_the_plan(vests_on: str, fires: bool) -> None:
    doc = case(
        as_of="2025-05-01",
        equity=[{"grant": "G-1", "vests": [{"date": vests_on, "shares": 10}]}],
        share_price=100,
        events=[FOCUS, PIVOT, TAKE_PLAN],
    )
    found = findings(review_of(doc), "vesting.forfeiture")
    assert [(f["date"], f["evidence"]["exit_by"]) for f in found] == (
        [(PLAN_END, "plan_end")] if fires else []
    )


def test_it_projects_the_exit_to_the_plan_end_as_extended() -> None:
    doc = case(
        as_of="2025-05-01",
        equity=[{"grant": "G-1", "vests": [{"date": "2025-06-08", "shares": 10}]}],
        bonuses=[{"date": "2025-07-08", "amount": 700}],
        share_price=100,
        events=[FOCUS, PIVOT, TAKE_PLAN, event("plan_extended", "2025-04-30", end="2025-07-07")],
    )
    (found,) = findings(review_of(doc), "vesting.forfeiture")
    assert (found["date"], found["evidence"]["value_lost"]) == ("2025-07-07", 700.0)


def test_it_projects_the_exit_to_an_open_offer_after_a_failed_plan() -> None:
    doc = case(
        as_of="2025-06-15",
        equity=[{"grant": "G-1", "vests": [{"date": "2025-07-02", "shares": 10}]}],
        share_price=100,
        events=[
            FOCUS,
            PIVOT,
            TAKE_PLAN,
            FAIL_PLAN,
            event("offer_made", "2025-06-10", offer=offer(tier=2, amount=10000)),
        ],
    )
    (found,) = findings(review_of(doc), "vesting.forfeiture")
    assert (found["date"], found["evidence"]["exit_by"]) == ("2025-07-01", "offer_decide_by")


@pytest.mark.parametrize(("vests_on", "fires"), [("2025-05-10", False), ("2025-05-16", True)])
def test_it_counts_a_projected_exit_already_past_as_the_review_date(
    vests_on: str, fires: bool
) -> None:
    doc = case(
        as_of="2025-05-15",
        equity=[{"grant": "G-1", "vests": [{"date": vests_on, "shares": 10}]}],
        share_price=100,
        events=[FOCUS, PIVOT],
    )
    found = findings(review_of(doc), "vesting.forfeiture")
    assert [f["evidence"]["exit_date"] for f in found] == (["2025-05-15"] if fires else [])


@pytest.mark.parametrize(
    ("tail", "stage"),
    [
        ([], "plan_failed"),
        ([event("appeal_elected", "2025-06-09")], "appeal"),
        (
            [
                event("appeal_elected", "2025-06-09"),
                event("appeal_decided", "2025-06-12", outcome="upheld"),
            ],
            "appeal_lost",
        ),
    ],
)
def test_it_projects_an_exit_any_day_once_the_plan_has_failed(
    tail: list[dict[str, Any]], stage: str
) -> None:
    doc = case(
        as_of="2025-06-15",
        equity=[{"grant": "G-1", "vests": [{"date": "2025-09-13", "shares": 10}]}],
        share_price=100,
        events=[FOCUS, PIVOT, TAKE_PLAN, FAIL_PLAN, *tail],
    )
    result = review_of(doc)
    assert result.stage == stage
    (found,) = findings(result, "vesting.forfeiture")
    assert found["evidence"]["exit_date"] == "2025-06-15"
    assert found["evidence"]["exit_by"] == "plan_end"


def test_it_projects_no_exit_once_the_plan_has_passed() -> None:
    doc = case(
        as_of="2025-06-15",
        equity=[{"grant": "G-1", "vests": [{"date": "2025-07-01", "shares": 10}]}],
        share_price=100,
        events=[FOCUS, PIVOT, TAKE_PLAN, event("plan_passed", PLAN_END, by=MANAGER)],
    )
    assert findings(review_of(doc), "vesting.forfeiture") == []


def test_it_projects_no_exit_while_on_focus_alone() -> None:
    doc = case(
        as_of="2025-04-10",
        equity=[{"grant": "G-1", "vests": [{"date": "2025-04-11", "shares": 10}]}],
        share_price=100,
        events=[FOCUS],
    )
    assert findings(review_of(doc), "vesting.forfeiture") == []


def test_it_flags_forfeiture_outside_the_us_too() -> None:
    doc = case(
        employee={"work_state": "XX"},
        bonuses=[{"date": "2025-07-01", "amount": 5000}],
        events=[event("separated", SEPARATION, reason="layoff")],
    )
    assert "vesting.forfeiture" in codes(review_of(doc))


# --- unemployment.resignation_label ------------------------------------------------------


@pytest.mark.parametrize("reason", ["resignation", "resignation_with_severance"])
def test_it_flags_a_quit_recorded_after_a_pivot_offer(reason: str) -> None:
    doc = case(events=[FOCUS, PIVOT, event("separated", "2025-04-15", reason=reason)])
    (found,) = findings(review_of(doc), "unemployment.resignation_label")
    assert (found["severity"], found["date"], found["evidence"]) == (
        "medium",
        "2025-04-15",
        {"reason": reason},
    )


@pytest.mark.parametrize("reason", ["termination_performance", "termination_misconduct", "layoff"])
def test_it_does_not_flag_an_exit_recorded_as_the_employers(reason: str) -> None:
    doc = case(events=[FOCUS, PIVOT, event("separated", "2025-04-15", reason=reason)])
    assert findings(review_of(doc), "unemployment.resignation_label") == []


def test_it_flags_a_quit_recorded_after_a_failed_plan() -> None:
    doc = case(
        policy="standard-pip",
        events=[
            event("plan_started", "2025-04-01", by=MANAGER, plan=plan("2025-04-01", "2025-05-15")),
            event("plan_failed", "2025-05-15", by=MANAGER),
            event("separated", "2025-05-20", reason="resignation"),
        ],
    )
    assert len(findings(review_of(doc), "unemployment.resignation_label")) == 1


@pytest.mark.parametrize(("outcome", "fires"), [("upheld", True), ("overturned", False)])
def test_it_flags_a_quit_recorded_after_an_upheld_appeal(outcome: str, fires: bool) -> None:
    # No Pivot or failed plan in the record (out of order, but the record is the record),
    # so only the appeal decision can make the exit employer-initiated.
    doc = case(
        events=[
            event("appeal_elected", "2025-05-01"),
            event("appeal_decided", "2025-05-10", outcome=outcome),
            event("separated", "2025-05-20", reason="resignation"),
        ],
    )
    assert len(findings(review_of(doc), "unemployment.resignation_label")) == (1 if fires else 0)


@pytest.mark.parametrize("before", [[], [FOCUS]])
def test_it_does_not_flag_a_plain_resignation(before: list[dict[str, Any]]) -> None:
    doc = case(events=[*before, event("separated", "2025-04-15", reason="resignation")])
    assert findings(review_of(doc), "unemployment.resignation_label") == []


def test_it_does_not_flag_a_resignation_label_outside_the_us() -> None:
    doc = case(
        employee={"work_state": "XX"},
        events=[FOCUS, PIVOT, event("separated", "2025-04-15", reason="resignation")],
    )
    assert findings(review_of(doc), "unemployment.resignation_label") == []


# --- quota.pressure ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("org_context", "severity"),
    [
        ({"ura_target": 0.06, "ura_actual": 0.04}, "medium"),
        ({"ura_target": 0.06, "ura_actual": 0.06}, None),
        ({"ura_target": 0.06, "ura_actual": 0.08}, None),
        ({"ura_target": 0.06}, None),
        ({"ura_actual": 0.04}, None),
        ({"quota_language": []}, None),
        ({"quota_language": ["need two more exits this quarter"]}, "high"),
        (
            {
                "ura_target": 0.06,
                "ura_actual": 0.04,
                "quota_language": ["need two more exits this quarter"],
            },
            "high",
        ),
        (
            {
                "ura_target": 0.06,
                "ura_actual": 0.06,
                "quota_language": ["need two more exits this quarter"],
            },
            "high",
        ),
    ],
)
def test_it_flags_an_attrition_shortfall_as_medium_and_quota_language_as_high(
    org_context: dict[str, Any], severity: str | None
) -> None:
    doc = case(org_context=org_context, events=[FOCUS])
    found = findings(review_of(doc), "quota.pressure")
    assert [f["severity"] for f in found] == ([] if severity is None else [severity])


def test_it_dates_quota_pressure_at_the_first_adverse_step() -> None:
    doc = case(org_context={"ura_target": 0.06, "ura_actual": 0.04}, events=[FOCUS, PIVOT])
    (found,) = findings(review_of(doc), "quota.pressure")
    assert found["date"] == "2025-03-03"
    assert (found["evidence"]["ura_target"], found["evidence"]["ura_actual"]) == (0.06, 0.04)


def test_it_raises_no_quota_pressure_without_org_context() -> None:
    assert findings(review_of(case(events=[FOCUS])), "quota.pressure") == []


def test_it_flags_quota_pressure_outside_the_us_too() -> None:
    doc = case(
        employee={"work_state": "XX"},
        org_context={"quota_language": ["need two more exits this quarter"]},
        events=[FOCUS],
    )
    assert [f["severity"] for f in findings(review_of(doc), "quota.pressure")] == ["high"]
