"""Options (spec/review.md, "Options"): the choices open at a decision point, side by side."""

from __future__ import annotations

from typing import Any

import pytest

from tests.builders import case, event, offer, pivot, plan, review_of

# Vests and bonuses on both sides of the dates the options turn on (decide-by 2025-05-06,
# plan end 2025-07-07 for a Pivot offered on 2025-05-01 with 5 days to decide).
EQUITY = [
    {
        "grant": "G-1",
        "vests": [
            {"date": "2025-05-06", "shares": 10},
            {"date": "2025-05-07", "shares": 20},
            {"date": "2025-09-01", "shares": 40},
        ],
    }
]
SHARE_PRICE = 33.3333
BONUSES = [
    {"date": "2025-05-06", "amount": 1000},
    {"date": "2025-06-01", "amount": 2500},
    {"date": "2025-07-08", "amount": 1500},
]


def _options(doc: dict[str, Any], as_of: str | None = None) -> list[dict[str, Any]]:
    return [option.to_json() for option in review_of(doc, as_of=as_of).options]


# --- at pivot_offered --------------------------------------------------------------------


def test_it_sets_the_pivot_offer_beside_the_plan() -> None:
    doc = case(
        as_of="2025-05-03",
        equity=EQUITY,
        share_price=SHARE_PRICE,
        bonuses=BONUSES,
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-05-01", decision_days=5, amount=31234.56),
        ],
    )

    assert review_of(doc).stage == "pivot_offered"
    assert _options(doc) == [
        {
            "option": "severance",
            "tier": 1,
            "cash": 31234.56,
            # 60 shares vesting after 2025-05-06 (1999.998) + bonuses of 2500 and 1500
            "equity_forfeited": 6000.0,
            "decide_by": "2025-05-06",
            "release_required": True,
            "rehire_eligible": False,
        },
        {
            "option": "plan",
            "tier": None,
            "cash": 0.0,
            # 40 shares vesting after the plan's end on 2025-07-07 (1333.332) + 1500
            "equity_forfeited": 2833.33,
            "decide_by": "2025-05-06",
            "release_required": False,
            "rehire_eligible": False,
        },
    ]


def test_it_forfeits_nothing_dated_on_the_decide_by_date_itself() -> None:
    doc = case(
        as_of="2025-05-03",
        equity=[{"grant": "G-1", "vests": [{"date": "2025-05-06", "shares": 10}]}],
        share_price=100.0,
        bonuses=[{"date": "2025-05-06", "amount": 1000}],
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-05-01", decision_days=5),
        ],
    )

    assert [o["equity_forfeited"] for o in _options(doc)] == [0.0, 0.0]


@pytest.mark.parametrize(
    ("clauses", "release_required"),
    [
        (["release_of_claims"], True),
        (["covenant_not_to_sue", "carve_out_illegal_conduct"], True),
        (["confidentiality", "carve_out_illegal_conduct", "preserves_section7_rights"], False),
    ],
)
def test_it_requires_a_release_only_when_the_offer_has_one(
    clauses: list[str], release_required: bool
) -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-05-01", clauses=clauses),
        ],
    )

    severance, plan_option = _options(doc)

    assert severance["release_required"] is release_required
    assert plan_option["release_required"] is False


@pytest.mark.parametrize(
    "offer_fields",
    [
        pytest.param({}, id="plain"),
        pytest.param({"negotiated": True, "amount": 45000}, id="negotiated"),
        pytest.param(
            {"clauses": ["release_of_claims", "no_rehire", "carve_out_illegal_conduct"]},
            id="no-rehire-clause",
        ),
    ],
)
def test_it_bars_rehire_after_any_exit_under_amazon_pivot(offer_fields: dict[str, Any]) -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-05-01", **offer_fields),
        ],
    )

    assert [o["rehire_eligible"] for o in _options(doc)] == [False, False]


def test_it_offers_nothing_once_the_pivot_choice_is_made() -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-05-01"),
            event("option_chosen", "2025-05-03", option="plan"),
        ],
    )

    result = review_of(doc)

    assert result.stage == "in_plan"
    assert result.options == ()


# --- at plan_failed ----------------------------------------------------------------------


def test_it_offers_a_third_of_the_tier_one_offer_and_an_appeal_after_a_failed_plan() -> None:
    doc = case(
        as_of="2025-06-23",
        equity=[
            {
                "grant": "G-1",
                "vests": [
                    {"date": "2025-06-23", "shares": 10},
                    {"date": "2025-06-24", "shares": 5},
                ],
            }
        ],
        share_price=100.0,
        bonuses=[{"date": "2025-12-01", "amount": 1000}],
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-04-01", amount=31000),
            event("option_chosen", "2025-04-03", option="plan"),
            event("plan_failed", "2025-06-20", appeal_days=3),
        ],
    )

    assert review_of(doc).stage == "plan_failed"
    assert _options(doc) == [
        {
            "option": "severance",
            "tier": 2,
            "cash": 10333.33,
            # no decide-by date: what vests or pays after as_of (5 shares + the bonus)
            "equity_forfeited": 1500.0,
            "decide_by": None,
            "release_required": True,
            "rehire_eligible": False,
        },
        {
            "option": "appeal",
            "tier": None,
            "cash": 0.0,
            "equity_forfeited": None,
            "decide_by": "2025-06-25",  # 3 business days from Friday 2025-06-20
            "release_required": False,
            "rehire_eligible": True,
        },
    ]


@pytest.mark.parametrize(
    ("tier1_amount", "tier2_cash"),
    [(30000, 10000.0), (31000, 10333.33), (45000.5, 15000.17), (20000.02, 6666.67)],
)
def test_it_takes_tier_two_as_a_third_of_the_tier_one_offer_made(
    tier1_amount: float, tier2_cash: float
) -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-04-01", amount=tier1_amount, negotiated=tier1_amount > 40000),
            event("option_chosen", "2025-04-03", option="plan"),
            event("plan_failed", "2025-06-20"),
        ],
    )

    (severance,) = [o for o in _options(doc) if o["option"] == "severance"]

    assert severance["tier"] == 2
    assert severance["cash"] == tier2_cash
    assert severance["decide_by"] is None


@pytest.mark.parametrize(
    ("as_of", "cash"),
    [
        # 100000 x 10 / 52 = 19230.769...; + 1% of base per whole year since 2022-03-01
        ("2025-02-28", 7076.92),  # 2 whole years: 21230.77 / 3
        ("2025-03-01", 7410.26),  # 3 whole years: 22230.77 / 3
        ("2025-12-31", 7410.26),
    ],
)
def test_it_takes_tier_two_from_the_formula_when_no_tier_one_offer_was_made(
    as_of: str, cash: float
) -> None:
    doc = case(
        as_of=as_of,
        employee={"base_salary": 100000, "hire_date": "2022-03-01"},
        events=[
            # Out of order under amazon-pivot (no Pivot letter), but the record is the record.
            event("plan_started", "2024-11-01", plan=plan("2024-11-01", "2025-01-31")),
            event("plan_failed", "2025-02-03"),
        ],
    )

    result = review_of(doc)
    (severance,) = [o for o in result.options if o.option == "severance"]

    assert result.stage == "plan_failed"
    assert (severance.tier, severance.cash, severance.decide_by) == (2, cash, None)


def test_it_takes_the_default_formula_for_the_builders_employee() -> None:
    # 156000 x 10 / 52 = 30000, + 5% for 5 whole years (2020-01-06 to 2025-12-31) = 37800
    doc = case(
        events=[
            event("plan_started", "2025-04-01", plan=plan("2025-04-01", "2025-06-30")),
            event("plan_failed", "2025-07-01"),
        ],
    )

    (severance,) = [o for o in review_of(doc).options if o.option == "severance"]

    assert severance.cash == 12600.0


def test_it_offers_the_latest_offer_made_since_the_failure() -> None:
    doc = case(
        as_of="2025-06-30",
        equity=[
            {
                "grant": "G-1",
                "vests": [
                    {"date": "2025-07-21", "shares": 4},
                    {"date": "2025-07-22", "shares": 10},
                ],
            }
        ],
        share_price=250.5,
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-04-01", amount=31000),
            event("option_chosen", "2025-04-03", option="plan"),
            event("plan_failed", "2025-06-20", appeal_days=3),
            event("offer_made", "2025-06-23", offer=offer(2, 11000)),
            event("offer_made", "2025-06-30", offer=offer(2, 12000.5, consideration_days=21)),
        ],
    )

    (severance,) = _options(doc)

    assert severance == {
        "option": "severance",
        "tier": 2,
        "cash": 12000.5,
        "equity_forfeited": 2505.0,  # only the vest after the decide-by date
        "decide_by": "2025-07-21",
        "release_required": True,
        "rehire_eligible": False,
    }


def test_it_ignores_an_offer_made_before_the_failure() -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-04-01", amount=31000),
            event("option_chosen", "2025-04-03", option="plan"),
            event("offer_made", "2025-06-10", offer=offer(2, 20000)),
            event("plan_failed", "2025-06-20"),
        ],
    )

    (severance,) = [o for o in _options(doc) if o["option"] == "severance"]

    assert (severance["cash"], severance["decide_by"]) == (10333.33, None)


@pytest.mark.parametrize(
    ("as_of", "appeal_decide_by"),
    [
        ("2025-06-20", "2025-06-25"),
        ("2025-06-25", "2025-06-25"),  # the last day of the window is still open
        ("2025-06-26", None),  # closed
    ],
)
def test_it_offers_an_appeal_only_while_the_election_window_is_open(
    as_of: str, appeal_decide_by: str | None
) -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-04-01"),
            event("option_chosen", "2025-04-03", option="plan"),
            event("plan_failed", "2025-06-20", appeal_days=3),
        ],
    )

    found = _options(doc, as_of=as_of)
    appeals = [o["decide_by"] for o in found if o["option"] == "appeal"]

    assert found[0]["option"] == "severance"
    assert appeals == ([] if appeal_decide_by is None else [appeal_decide_by])


def test_it_keeps_the_appeal_window_the_failure_gives_across_holidays() -> None:
    doc = case(
        events=[
            event("focus_started", "2025-07-01", disclosed=True),
            pivot("2025-08-01"),
            event("option_chosen", "2025-08-03", option="plan"),
            event("plan_failed", "2025-11-21", appeal_days=5),
        ],
    )

    appeals = [o for o in _options(doc, as_of="2025-11-24") if o["option"] == "appeal"]

    assert [o["decide_by"] for o in appeals] == ["2025-12-01"]


def test_it_uses_the_policy_appeal_window_when_the_failure_gives_none() -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-04-01"),
            event("option_chosen", "2025-04-03", option="plan"),
            event("plan_failed", "2025-06-20"),
        ],
    )

    appeals = [o for o in _options(doc, as_of="2025-06-20") if o["option"] == "appeal"]

    # amazon-pivot: windows.appeal_election_business_days = 3
    assert [o["decide_by"] for o in appeals] == ["2025-06-25"]


# --- at appeal_lost ----------------------------------------------------------------------


def test_it_offers_a_sixth_of_the_tier_one_offer_after_a_lost_appeal() -> None:
    doc = case(
        as_of="2025-07-11",
        equity=[{"grant": "G-1", "vests": [{"date": "2025-07-12", "shares": 3}]}],
        share_price=99.99,
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-04-01", amount=31000),
            event("option_chosen", "2025-04-03", option="plan"),
            event("plan_failed", "2025-06-20", appeal_days=3),
            event("offer_made", "2025-06-23", offer=offer(2, 10333.33)),
            event("appeal_elected", "2025-06-23"),
            event("appeal_decided", "2025-07-10", outcome="upheld"),
        ],
    )

    result = review_of(doc)

    assert result.stage == "appeal_lost"
    assert [o.to_json() for o in result.options] == [
        {
            "option": "severance",
            "tier": 3,
            "cash": 5166.67,
            "equity_forfeited": 299.97,
            "decide_by": None,
            "release_required": True,
            "rehire_eligible": False,
        }
    ]


def test_it_offers_the_latest_offer_made_since_the_appeal_was_lost() -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", disclosed=True),
            pivot("2025-04-01", amount=31000),
            event("option_chosen", "2025-04-03", option="plan"),
            event("plan_failed", "2025-06-20", appeal_days=3),
            event("appeal_elected", "2025-06-23"),
            event("appeal_decided", "2025-07-10", outcome="upheld"),
            event("offer_made", "2025-07-11", offer=offer(3, 6000, consideration_days=45)),
        ],
    )

    assert [(o["tier"], o["cash"], o["decide_by"]) for o in _options(doc)] == [
        (3, 6000.0, "2025-08-25")
    ]


def test_it_takes_tier_three_from_the_formula_when_no_tier_one_offer_was_made() -> None:
    doc = case(
        employee={"base_salary": 100000, "hire_date": "2022-03-01"},
        events=[
            event("plan_started", "2025-04-01", plan=plan("2025-04-01", "2025-06-30")),
            event("plan_failed", "2025-07-01"),
            event("appeal_elected", "2025-07-02"),
            event("appeal_decided", "2025-07-20", outcome="upheld"),
        ],
    )

    # 22230.77 / 6
    assert [(o["tier"], o["cash"]) for o in _options(doc)] == [(3, 3705.13)]


# --- standard-pip ------------------------------------------------------------------------


def test_it_offers_nothing_after_a_failed_plan_without_an_offer_or_tiers() -> None:
    doc = case(
        policy="standard-pip",
        events=[
            event("plan_started", "2025-04-01", plan=plan("2025-04-01", "2025-06-30")),
            event("plan_failed", "2025-07-01", appeal_days=5),
        ],
    )

    result = review_of(doc, as_of="2025-07-01")

    assert result.stage == "plan_failed"
    assert result.options == ()


@pytest.mark.parametrize(
    ("offer_fields", "rehire_eligible"),
    [
        pytest.param({}, True, id="plain"),
        pytest.param({"negotiated": True}, True, id="negotiated"),
        pytest.param(
            {"clauses": ["release_of_claims", "no_rehire", "carve_out_illegal_conduct"]},
            False,
            id="no-rehire-clause",
        ),
    ],
)
def test_it_offers_a_standard_pip_severance_offer_with_its_rehire_terms(
    offer_fields: dict[str, Any], rehire_eligible: bool
) -> None:
    doc = case(
        policy="standard-pip",
        events=[
            event("plan_started", "2025-04-01", plan=plan("2025-04-01", "2025-06-30")),
            event("plan_failed", "2025-07-01", appeal_days=5),
            event("offer_made", "2025-07-02", offer=offer(1, 20000, **offer_fields)),
        ],
    )

    assert _options(doc, as_of="2025-07-02") == [
        {
            "option": "severance",
            "tier": 1,
            "cash": 20000.0,
            "equity_forfeited": 0.0,
            "decide_by": "2025-07-23",
            "release_required": True,
            "rehire_eligible": rehire_eligible,
        }
    ]


# --- everywhere else ---------------------------------------------------------------------


_FAILED = [
    event("focus_started", "2025-03-03", disclosed=True),
    pivot("2025-04-01"),
    event("option_chosen", "2025-04-03", option="plan"),
    event("plan_failed", "2025-06-20", appeal_days=3),
]


@pytest.mark.parametrize(
    ("events", "stage"),
    [
        ([], "good_standing"),
        ([event("focus_started", "2025-03-03", disclosed=True)], "focus"),
        (_FAILED[:3], "in_plan"),
        ([*_FAILED, event("appeal_elected", "2025-06-23")], "appeal"),
        (
            [
                *_FAILED,
                event("appeal_elected", "2025-06-23"),
                event("appeal_decided", "2025-07-10", outcome="overturned"),
            ],
            "closed_retained",
        ),
        ([*_FAILED[:3], event("plan_passed", "2025-06-07")], "closed_passed"),
        ([*_FAILED[:2], event("option_chosen", "2025-04-03", option="severance")], "exiting"),
        ([*_FAILED[:2], event("offer_signed", "2025-04-10", tier=1)], "exiting"),
        ([*_FAILED, event("offer_signed", "2025-06-24", tier=1)], "exiting"),
        (
            [*_FAILED, event("separated", "2025-06-30", reason="termination_performance")],
            "separated",
        ),
    ],
)
def test_it_lists_no_options_away_from_a_decision_point(
    events: list[dict[str, Any]], stage: str
) -> None:
    result = review_of(case(events=events))

    assert result.stage == stage
    assert result.options == ()
