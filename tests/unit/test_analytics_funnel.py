"""The funnel from the lowest rating to the exit, with each step's rates."""

from __future__ import annotations

from fairpivot.domain.analytics.funnel import FunnelCounts, FunnelStep, funnel_steps

COUNTS = FunnelCounts(
    low_rated=200,
    focus=100,
    pivot=40,
    plan_taken=30,
    plan_passed=6,
    plan_failed=18,
    appealed=10,
    appeal_won=3,
    exited=35,
)


def test_it_walks_the_steps_from_the_lowest_rating_to_the_exit() -> None:
    assert funnel_steps(COUNTS) == [
        FunnelStep("low_rated", 200, None),
        FunnelStep("focus", 100, 0.5),
        FunnelStep("pivot", 40, 0.4),
        FunnelStep("plan_taken", 30, 0.75),
        FunnelStep("plan_outcome", 24, 0.8, pass_rate=0.25),
        FunnelStep("appeal", 10, 10 / 18, pass_rate=0.3),
        FunnelStep("exit", 35, None, exit_rate=0.35),
    ]


def test_it_gives_no_rate_where_the_base_is_zero() -> None:
    empty = FunnelCounts(0, 0, 0, 0, 0, 0, 0, 0, 0)
    steps = funnel_steps(empty)
    assert [s.count for s in steps] == [0] * 7
    assert all(s.rate is None and s.pass_rate is None and s.exit_rate is None for s in steps)


def test_it_measures_appeals_against_failed_plans_only() -> None:
    counts = FunnelCounts(10, 10, 10, 10, 8, 2, 2, 2, 0)
    appeal = funnel_steps(counts)[5]
    assert (appeal.name, appeal.rate, appeal.pass_rate) == ("appeal", 1.0, 1.0)
