"""The org's funnel: how many people reach each step from the lowest rating to the exit."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction


@dataclass(frozen=True, slots=True)
class FunnelCounts:
    """Head counts for one org and period, each a number of people (cases)."""

    low_rated: int  # given the lowest rating (LE)
    focus: int  # placed on Focus
    pivot: int  # offered Pivot
    plan_taken: int  # chose the improvement plan over leaving with severance
    plan_passed: int
    plan_failed: int
    appealed: int  # elected an appeal after failing the plan
    appeal_won: int
    exited: int  # left the company, by any path


@dataclass(frozen=True, slots=True)
class FunnelStep:
    """One step of the funnel and its rates; a rate is None when its base is 0 or n/a."""

    name: str
    count: int
    rate: float | None
    pass_rate: float | None = None
    exit_rate: float | None = None


def funnel_steps(counts: FunnelCounts) -> list[FunnelStep]:
    """The funnel's steps, LE through exit, each with its rate from the step before.

    - ``low_rated``: no rate (the first step).
    - ``focus``: rate = placed on Focus / low-rated.
    - ``pivot``: rate = offered Pivot / on Focus.
    - ``plan_taken``: rate = took the plan / offered Pivot (the rest left with severance).
    - ``plan_outcome``: count = plans passed + failed; rate = outcomes / plans taken (the
      rest are still running); pass_rate = passed / outcomes.
    - ``appeal``: count = appealed; rate = appealed / plans failed, since only a failure can
      be appealed; pass_rate = appeals won / appealed.
    - ``exit``: count = exited; rate None, because people leave from several steps (at
      Pivot, after a failure, after a lost appeal) and no single one is the step before;
      exit_rate = exited / on Focus, the share of the whole funnel that ended in an exit.
    """
    c = counts
    outcomes = c.plan_passed + c.plan_failed
    return [
        FunnelStep("low_rated", c.low_rated, None),
        FunnelStep("focus", c.focus, _share(c.focus, c.low_rated)),
        FunnelStep("pivot", c.pivot, _share(c.pivot, c.focus)),
        FunnelStep("plan_taken", c.plan_taken, _share(c.plan_taken, c.pivot)),
        FunnelStep(
            "plan_outcome",
            outcomes,
            _share(outcomes, c.plan_taken),
            pass_rate=_share(c.plan_passed, outcomes),
        ),
        FunnelStep(
            "appeal",
            c.appealed,
            _share(c.appealed, c.plan_failed),
            pass_rate=_share(c.appeal_won, c.appealed),
        ),
        FunnelStep("exit", c.exited, None, exit_rate=_share(c.exited, c.focus)),
    ]


def _share(part: int, whole: int) -> float | None:
    return None if whole == 0 else float(Fraction(part, whole))
