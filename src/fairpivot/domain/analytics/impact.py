"""Adverse impact at each funnel stage: the table of rates, ratios, shortfalls and p-values.

Counts come per group of one demographic dimension at one stage. Small groups are not
shown, and neither is the one cell that would let a hidden group be worked out by
subtracting the shown groups from the total. Whether a row raises ``impact.four_fifths``
is decided over the whole screen's family of tests (fourfifths.py), not table by table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from fairpivot.domain.analytics.settings import DEFAULT_SETTINGS, OrgScreenSettings
from fairpivot.domain.analytics.stats import fisher_greater
from fairpivot.domain.errors import InvalidInput

# At risk: focus = headcount, pivot = those on Focus, failed = plans with an outcome,
# exited = everyone with a case. The phrase is what the adverse outcome was.
STAGES: dict[str, str] = {
    "focus": "were placed on Focus",
    "pivot": "were moved from Focus to Pivot",
    "failed": "failed their plan",
    "exited": "left the company",
}
DIMENSIONS = ("sex", "race_ethnicity", "age_band")
UNDISCLOSED = "undisclosed"
UNKNOWN = "unknown"  # no demographics on record
# Age is tested one way only: the ADEA protects workers 40 and over, against those under 40.
AGE, OLDER, YOUNGER = "age_band", "40_plus", "under_40"
Suppression = Literal["small", "complementary"]


@dataclass(frozen=True, slots=True)
class GroupCount:
    """One group's people at risk at a stage and how many of them met the adverse outcome."""

    group: str
    at_risk: int
    adverse: int


@dataclass(frozen=True, slots=True)
class ImpactRow:
    """One group's line in the table; a suppressed group carries no counts and no rates.

    ``adverse_ratio`` is the comparison group's adverse rate over this group's and
    ``favourable_ratio`` this group's favourable rate over the comparison group's (both 1.0
    when both rates are 0; None when the ratio would be infinite or there is no comparison
    group). ``shortfall`` is how many more of this group met the adverse outcome than
    would have at the comparison group's rate. ``p_value`` is the one-sided Fisher exact
    test of this group's rate being the higher, for a group that is tested: None for the
    comparison group, for untested groups (age: only 40 and over is tested) and when there
    is no comparison group.
    """

    group: str
    suppressed: Suppression | None
    at_risk: int | None = None
    adverse: int | None = None
    adverse_rate: float | None = None
    favourable_rate: float | None = None
    adverse_ratio: float | None = None
    favourable_ratio: float | None = None
    shortfall: float | None = None
    p_value: float | None = None

    @property
    def shown(self) -> bool:
        """Whether the group's counts may be published."""
        return self.suppressed is None

    @property
    def tested(self) -> bool:
        """Whether the row is one test of the screen's family."""
        return self.p_value is not None


@dataclass(frozen=True, slots=True)
class StageImpact:
    """The adverse-impact table for one stage and one dimension, rows in input order."""

    stage: str
    dimension: str
    rows: tuple[ImpactRow, ...]
    comparison_group: str | None

    def row(self, group: str) -> ImpactRow:
        """The row of one group."""
        return next(row for row in self.rows if row.group == group)

    @property
    def comparison(self) -> ImpactRow | None:
        """The comparison group's row (see ``comparison_pool``)."""
        return None if self.comparison_group is None else self.row(self.comparison_group)

    @property
    def tests(self) -> list[ImpactRow]:
        """The rows tested against the comparison group."""
        return [row for row in self.rows if row.tested]


def stage_impact(
    stage: str,
    dimension: str,
    counts: Sequence[GroupCount],
    settings: OrgScreenSettings = DEFAULT_SETTINGS,
) -> StageImpact:
    """The table of rates, ratios, shortfalls and p-values for one stage and dimension."""
    _check(stage, dimension, counts)
    hidden = _suppressed(counts, settings.min_group)
    shown = [c for c in counts if c.group not in hidden]
    pool = comparison_pool(dimension, shown, settings)
    # Ties go to the larger group, whose rate is the better-founded reference.
    comparison = min(pool, key=lambda c: (_rate(c), -c.at_risk, c.group), default=None)
    rows = tuple(
        ImpactRow(group=c.group, suppressed=hidden[c.group])
        if c.group in hidden
        else _row(c, comparison, tested=_tested(dimension, c, comparison))
        for c in counts
    )
    return StageImpact(
        stage=stage,
        dimension=dimension,
        rows=rows,
        comparison_group=None if comparison is None else comparison.group,
    )


def comparison_pool(
    dimension: str, shown: Sequence[GroupCount], settings: OrgScreenSettings = DEFAULT_SETTINGS
) -> list[GroupCount]:
    """The groups the comparison group is chosen from: the lowest adverse rate among them.

    Shown groups of at least ``min_test_group`` people; never ``undisclosed`` or
    ``unknown``, which are not groups anyone belongs to. For age, only the under-40s: the
    ADEA compares workers 40 and over with younger ones (29 U.S.C. 623, 631(a)).
    """
    big = [c for c in shown if c.at_risk >= settings.min_test_group]
    if dimension == AGE:
        return [c for c in big if c.group == YOUNGER]
    return [c for c in big if c.group not in (UNDISCLOSED, UNKNOWN)]


def _tested(dimension: str, count: GroupCount, comparison: GroupCount | None) -> bool:
    if comparison is None or count.group == comparison.group:
        return False
    return count.group == OLDER if dimension == AGE else True


def _check(stage: str, dimension: str, counts: Sequence[GroupCount]) -> None:
    problems = []
    if stage not in STAGES:
        problems.append(f"stage: '{stage}' is not one of {', '.join(STAGES)}")
    if dimension not in DIMENSIONS:
        problems.append(f"dimension: '{dimension}' is not one of {', '.join(DIMENSIONS)}")
    seen: set[str] = set()
    for c in counts:
        if c.group in seen:
            problems.append(f"{c.group}: the group is counted twice")
        seen.add(c.group)
        if c.at_risk < 0 or not 0 <= c.adverse <= c.at_risk:
            problems.append(f"{c.group}: adverse {c.adverse} is not within 0..{c.at_risk}")
    if problems:
        raise InvalidInput(problems)


def _suppressed(counts: Sequence[GroupCount], min_group: int) -> dict[str, Suppression]:
    hidden: dict[str, Suppression] = {c.group: "small" for c in counts if c.at_risk < min_group}
    # One hidden group equals the total minus the shown ones, so hide one more: the smallest
    # shown group, which loses the least. Two or more hidden groups only reveal their sum.
    if len(hidden) == 1:
        rest = [c for c in counts if c.group not in hidden]
        if rest:
            hidden[min(rest, key=lambda c: (c.at_risk, c.group)).group] = "complementary"
    return hidden


def _row(count: GroupCount, comparison: GroupCount | None, *, tested: bool) -> ImpactRow:
    rate = _rate(count)
    if comparison is None:
        return ImpactRow(
            group=count.group,
            suppressed=None,
            at_risk=count.at_risk,
            adverse=count.adverse,
            adverse_rate=float(rate),
            favourable_rate=float(1 - rate),
        )
    best = _rate(comparison)
    own = count.group == comparison.group
    return ImpactRow(
        group=count.group,
        suppressed=None,
        at_risk=count.at_risk,
        adverse=count.adverse,
        adverse_rate=float(rate),
        favourable_rate=float(1 - rate),
        adverse_ratio=_ratio(best, rate),
        favourable_ratio=_ratio(1 - rate, 1 - best),
        shortfall=None if own else float(count.adverse - count.at_risk * best),
        p_value=_p_value(count, comparison) if tested else None,
    )


def _p_value(count: GroupCount, comparison: GroupCount) -> float:
    return fisher_greater(
        count.adverse,
        count.at_risk - count.adverse,
        comparison.adverse,
        comparison.at_risk - comparison.adverse,
    )


def _rate(count: GroupCount) -> Fraction:
    return Fraction(count.adverse, count.at_risk) if count.at_risk else Fraction(0)


def _ratio(top: Fraction, bottom: Fraction) -> float | None:
    if bottom == 0:
        return 1.0 if top == 0 else None
    # Exact, then rounded once, so that 4/5 compares equal to a 0.8 setting.
    return float(top / bottom)
