"""Process policies: the shipped ones load, and an invalid one is refused key by key."""

from __future__ import annotations

from decimal import Decimal
from importlib import resources

import pytest

from fairpivot.domain.errors import InvalidPolicy
from fairpivot.domain.policy import STAGES, load_policy, shipped_policies
from fairpivot.domain.policy.load import parse_policy

AMAZON = resources.files("fairpivot.domain.policies").joinpath("amazon-pivot.toml").read_text()


def problems_of(text: str) -> list[str]:
    """The messages an invalid policy gets (fails the test if it is accepted)."""
    with pytest.raises(InvalidPolicy) as caught:
        parse_policy(text, source="custom.toml")
    return list(caught.value.problems)


def test_it_ships_the_two_policies() -> None:
    assert shipped_policies() == ("amazon-pivot", "standard-pip")


@pytest.mark.parametrize("name", ["amazon-pivot", "standard-pip"])
def test_it_loads_each_shipped_policy(name: str) -> None:
    policy = load_policy(name)
    assert policy.name == name
    assert set(policy.stages) <= set(STAGES)


def test_it_refuses_an_unknown_policy_name() -> None:
    with pytest.raises(InvalidPolicy, match="unknown policy 'nope'"):
        load_policy("nope")


def test_it_computes_tier_one_from_pay_and_whole_years_of_tenure() -> None:
    policy = load_policy("amazon-pivot")
    # 10 weeks of 156,000 a year is 30,000; 4 whole years add 4% of base, 6,240.
    assert policy.tier1_amount(156000, 4) == Decimal("36240.00")
    assert policy.tier1_amount(156000, 0) == Decimal("30000.00")


def test_it_derives_later_tiers_as_fractions_of_tier_one() -> None:
    policy = load_policy("amazon-pivot")
    assert policy.tier_amount(2, Decimal("30000")) == Decimal("10000.00")
    assert policy.tier_amount(3, Decimal("30000")) == Decimal("5000.00")
    assert policy.tier_amount(4, Decimal("30000")) is None


def test_it_has_no_tiers_under_standard_pip() -> None:
    policy = load_policy("standard-pip")
    assert not policy.has_tiers
    assert policy.tier1_amount(100000, 3) is None


def test_it_tells_which_appeals_a_policy_allows() -> None:
    assert load_policy("amazon-pivot").appeals_failed_plans
    assert not load_policy("standard-pip").appeals_failed_plans
    assert not load_policy("amazon-pivot").appeals_placement


@pytest.mark.parametrize(
    ("setting", "floor"),
    [
        ("owbpa_consideration_days", 21),
        ("owbpa_group_consideration_days", 45),
        ("owbpa_revocation_days", 7),
    ],
)
def test_it_refuses_a_policy_looser_than_a_legal_minimum(setting: str, floor: int) -> None:
    text = AMAZON.replace(f"{setting} = {floor}\n", f"{setting} = {floor - 1}\n")
    assert problems_of(text) == [
        f"custom.toml: thresholds.{setting}: must be at least {floor} (got {floor - 1})"
    ]


@pytest.mark.parametrize(
    ("setting", "legal", "message"),
    [
        ("eeoc_charge_days", 300, "must be at most 300"),
        ("eeoc_charge_days_without_state_agency", 180, "must be at most 180"),
        ("owbpa_min_age", 40, "must be at most 40"),
        ("adea_min_headcount", 20, "must be at most 20"),
        ("fmla_min_headcount", 50, "must be at most 50"),
    ],
)
def test_it_refuses_a_longer_clock_or_narrower_coverage_than_the_law(
    setting: str, legal: int, message: str
) -> None:
    text = AMAZON.replace(f"{setting} = {legal}\n", f"{setting} = {legal + 1}\n")
    (problem,) = problems_of(text)
    assert problem.startswith(f"custom.toml: thresholds.{setting}: {message}")


def test_it_accepts_a_policy_stricter_than_the_law() -> None:
    text = AMAZON.replace("owbpa_consideration_days = 21", "owbpa_consideration_days = 30")
    assert parse_policy(text, "custom.toml").thresholds.owbpa_consideration_days == 30


def test_it_refuses_a_longer_washington_clock() -> None:
    text = AMAZON.replace(
        'state_agency_months = { "WA" = 6 }', 'state_agency_months = { "WA" = 7 }'
    )
    (problem,) = problems_of(text)
    assert problem.startswith("custom.toml: thresholds.state_agency_months.WA: must be at most 6")


def test_it_refuses_dropping_a_180_day_state() -> None:
    text = AMAZON.replace('["AL", "AR", "GA", "MS", "NC"]', '["AL", "AR", "GA", "MS"]')
    (problem,) = problems_of(text)
    assert "missing NC" in problem


def test_it_names_a_missing_key() -> None:
    text = AMAZON.replace("leave_adjacent_days = 30\n", "")
    assert problems_of(text) == ["custom.toml: thresholds.leave_adjacent_days: required"]


def test_it_names_an_unknown_key() -> None:
    text = AMAZON.replace("leave_adjacent_days = 30", "leave_adjacent_days = 30\nleave_days = 3")
    assert problems_of(text) == ["custom.toml: thresholds.leave_days: unknown key"]


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ('focus_started = "focus"', 'focus_begun = "focus"', "unknown event 'focus_begun'"),
        ('focus_started = "focus"', 'focus_started = "limbo"', "unknown stage 'limbo'"),
        ('"option_chosen:plan" = ', '"option_chosen:maybe" = ', "has no variant 'maybe'"),
        ('offer_made = "exiting"', 'offer_made = "@before_signing"', "only for offer_revoked"),
        ("[stages.focus]", "[stages.purgatory]", "purgatory: unknown stage"),
    ],
)
def test_it_checks_the_stage_table(before: str, after: str, message: str) -> None:
    (problem,) = problems_of(AMAZON.replace(before, after, 1))
    assert problem.startswith("custom.toml: stages.")
    assert message in problem


def test_it_refuses_retaliation_windows_out_of_order() -> None:
    text = AMAZON.replace("retaliation_high_days = 30", "retaliation_high_days = 100")
    (problem,) = problems_of(text)
    assert "retaliation_high_days <= retaliation_medium_days" in problem


def test_it_refuses_a_bad_tier_fraction() -> None:
    (problem,) = problems_of(AMAZON.replace('"1/3"', '"3/1"'))
    assert "severance.tier_fractions" in problem
    assert "at most 1" in problem


def test_it_refuses_text_that_is_not_toml() -> None:
    (problem,) = problems_of("name = ")
    assert problem.startswith("custom.toml: not TOML")


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        ('"2" = "1/3"', '"2" = 3', "severance.tier_fractions.2: must be a string (got 3)"),
        (
            '{ "WA" = 6 }',
            '{ "WA" = "six" }',
            'thresholds.state_agency_months.WA: must be an integer (got "six")',
        ),
        ('values = ["LE", "HV3"', 'values = ["LE", 3', "scale.values[1]: must be a string (got 3)"),
        (
            "checkins_held_ratio = 0.75",
            "checkins_held_ratio = 1.5",
            "thresholds.checkins_held_ratio: must be at most 1.0 (got 1.5)",
        ),
        ("[rehire]\n", "[rehire]\nafter_lunch = true\n", "rehire.after_lunch: unknown key"),
    ],
)
def test_it_names_the_exact_key_of_a_bad_value(before: str, after: str, message: str) -> None:
    assert problems_of(AMAZON.replace(before, after, 1)) == [f"custom.toml: {message}"]
