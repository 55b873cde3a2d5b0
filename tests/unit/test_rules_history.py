"""The ``history.strong_performer`` rule: a first adverse step soon after a top rating or promotion.

Most cases put the first adverse step, Focus, on ``STEP`` (2025-07-01). Days before STEP:
2024-07-02 is 364, 2024-07-01 is 365, 2024-06-30 is 366, 2024-01-01 is 547, 2023-12-31 is
548 and 2023-12-30 is 549.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest

from fairpivot.domain.policy import Policy
from fairpivot.domain.policy.load import parse_policy
from fairpivot.domain.review import review
from tests.builders import MANAGER, case, codes, event, findings, load, pivot, review_of

STEP = "2025-07-01"
FOCUS = event("focus_started", STEP, by=MANAGER, disclosed=True)
STRONG = "history.strong_performer"


def amazon_pivot_with(old: str, new: str) -> Policy:
    """The shipped amazon-pivot policy with one line of its TOML replaced."""
    text = resources.files("fairpivot.domain.policies").joinpath("amazon-pivot.toml").read_text()
    assert old in text
    return parse_policy(text.replace(old, new), source="changed.toml")


@pytest.mark.parametrize(
    ("rated_on", "days", "fires"),
    [("2024-01-01", 547, True), ("2023-12-31", 548, True), ("2023-12-30", 549, False)],
)
def test_it_flags_a_first_step_within_548_days_after_a_top_rating(
    rated_on: str, days: int, fires: bool
) -> None:
    doc = case(events=[FOCUS], ratings=[{"date": rated_on, "value": "TT", "cycle": "2023"}])
    found = findings(review_of(doc), STRONG)
    assert len(found) == (1 if fires else 0)
    if fires:
        assert found[0]["severity"] == "medium"
        assert found[0]["date"] == STEP
        assert found[0]["evidence"] == {
            "step": "focus_started",
            "after": "rating",
            "after_date": rated_on,
            "value": "TT",
            "days": days,
            "window_days": 548,
        }


@pytest.mark.parametrize(
    ("promoted_on", "days", "fires"),
    [("2024-07-02", 364, True), ("2024-07-01", 365, True), ("2024-06-30", 366, False)],
)
def test_it_flags_a_first_step_within_365_days_after_a_promotion(
    promoted_on: str, days: int, fires: bool
) -> None:
    doc = case(events=[FOCUS], promotions=[{"date": promoted_on, "to_level": "L6"}])
    found = findings(review_of(doc), STRONG)
    assert len(found) == (1 if fires else 0)
    if fires:
        assert found[0]["severity"] == "medium"
        assert found[0]["evidence"]["after"] == "promotion"
        assert found[0]["evidence"]["value"] == "L6"
        assert found[0]["evidence"]["days"] == days
        assert found[0]["evidence"]["window_days"] == 365


def test_it_counts_a_promotion_with_no_level_named() -> None:
    doc = case(events=[FOCUS], promotions=[{"date": "2025-01-02"}])
    [found] = findings(review_of(doc), STRONG)
    assert found["evidence"]["value"] is None
    assert found["message"].endswith("after a promotion on 2025-01-02.")


@pytest.mark.parametrize(
    ("value", "fires"),
    [("TT", True), ("HV1", True), ("HV2", False), ("HV3", False)],
)
def test_it_counts_only_the_top_two_ratings_of_the_scale(value: str, fires: bool) -> None:
    doc = case(events=[FOCUS], ratings=[{"date": "2024-07-01", "value": value}])
    assert codes(review_of(doc)).count(STRONG) == (1 if fires else 0)


def test_it_looks_only_at_the_first_adverse_step() -> None:
    events = [
        event("focus_started", "2025-01-10", by=MANAGER, disclosed=True),
        pivot(STEP),
        event("separated", "2025-09-01", reason="termination_performance"),
    ]
    doc = case(
        events=events,
        ratings=[{"date": "2025-03-01", "value": "TT"}],
        promotions=[{"date": "2025-02-01"}],
    )
    assert STRONG not in codes(review_of(doc))


def test_it_raises_one_finding_for_the_first_step_however_many_steps_follow() -> None:
    events = [FOCUS, pivot("2025-08-01"), event("separated", "2025-09-01", reason="layoff")]
    doc = case(events=events, ratings=[{"date": "2025-01-15", "value": "HV1"}])
    [found] = findings(review_of(doc), STRONG)
    assert found["date"] == STEP
    assert found["evidence"]["step"] == "focus_started"


def test_it_counts_a_lowest_rating_as_the_first_adverse_step() -> None:
    doc = case(
        events=[FOCUS],
        ratings=[{"date": "2023-06-01", "value": "TT"}, {"date": "2024-06-01", "value": "LE"}],
    )
    [found] = findings(review_of(doc), STRONG)
    assert found["date"] == "2024-06-01"
    assert found["evidence"]["step"] == "lowest_rating"
    assert found["evidence"]["days"] == 366


def test_it_does_not_reach_past_a_lowest_rating_to_a_later_step() -> None:
    # The LE rating is the first adverse step and is 549 days after the TT rating; Focus,
    # 400 days after the promotion, comes too late to count.
    doc = case(
        events=[FOCUS],
        ratings=[{"date": "2022-06-29", "value": "TT"}, {"date": "2023-12-30", "value": "LE"}],
        promotions=[{"date": "2024-05-27"}],
    )
    assert STRONG not in codes(review_of(doc))


def test_it_raises_nothing_without_an_adverse_step() -> None:
    doc = case(
        events=[event("concern_documented", STEP, by=MANAGER)],
        ratings=[{"date": "2025-01-15", "value": "TT"}],
        promotions=[{"date": "2025-02-01"}],
    )
    assert STRONG not in codes(review_of(doc))


def test_it_raises_one_finding_naming_the_most_recent_of_a_rating_and_a_promotion() -> None:
    doc = case(
        events=[FOCUS],
        ratings=[{"date": "2024-04-01", "value": "TT"}],
        promotions=[{"date": "2024-10-01", "to_level": "L6"}],
    )
    [found] = findings(review_of(doc), STRONG)
    assert found["evidence"]["after"] == "promotion"
    assert found["evidence"]["after_date"] == "2024-10-01"


def test_it_still_applies_outside_the_us() -> None:
    doc = case(
        events=[FOCUS],
        ratings=[{"date": "2024-07-01", "value": "TT"}],
        employee={"work_state": "XX"},
    )
    assert STRONG in codes(review_of(doc))


def test_it_leaves_out_a_rating_dated_after_the_review_date() -> None:
    doc = case(events=[FOCUS], ratings=[{"date": "2023-12-31", "value": "TT"}])
    assert STRONG in codes(review_of(doc, as_of=STEP))
    assert STRONG not in codes(review_of(doc, as_of="2025-06-30"))


# Thresholds come from the policy


@pytest.mark.parametrize(
    ("setting", "value", "record", "on_the_line", "past_it"),
    [
        (
            "strong_rating_days = 548",
            365,
            "ratings",
            {"date": "2024-07-01", "value": "TT"},
            {"date": "2024-06-30", "value": "TT"},
        ),
        ("promotion_days = 365", 180, "promotions", {"date": "2025-01-02"}, {"date": "2025-01-01"}),
    ],
    ids=["rating", "promotion"],
)
def test_it_takes_the_windows_from_the_policy(
    setting: str, value: int, record: str, on_the_line: dict[str, Any], past_it: dict[str, Any]
) -> None:
    policy = amazon_pivot_with(setting, f"{setting.partition(' = ')[0]} = {value}")
    past = case(events=[FOCUS], **{record: [past_it]})
    on = case(events=[FOCUS], **{record: [on_the_line]})
    # Under the shipped window both dates count; under the policy's the boundary moves.
    assert STRONG in codes(review_of(past))
    assert STRONG not in codes(review(load(past).file, policy))
    [found] = [f for f in review(load(on).file, policy).findings if f.code == STRONG]
    assert found.evidence["window_days"] == value


def test_it_counts_as_many_top_ratings_as_the_policy_says() -> None:
    doc = case(events=[FOCUS], ratings=[{"date": "2024-07-01", "value": "HV2"}])
    assert STRONG not in codes(review_of(doc))
    top_three = amazon_pivot_with("strong_rating_top_values = 2", "strong_rating_top_values = 3")
    assert STRONG in codes(review(load(doc).file, top_three))
