"""Adverse impact at each funnel stage: the four-fifths rule with Fisher's exact test.

Counts come per group of one demographic dimension at one stage. Small groups are not
shown, and neither is the one cell that would let a hidden group be worked out by
subtracting the shown groups from the total.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Literal

from fairpivot.domain.analytics.settings import DEFAULT_SETTINGS, OrgScreenSettings
from fairpivot.domain.analytics.stats import fisher_exact
from fairpivot.domain.errors import InvalidInput
from fairpivot.domain.review.model import Finding

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
Suppression = Literal["small", "complementary"]

_BASIS = (
    "29 C.F.R. 1607.4(D) (the four-fifths rule): a selection rate for a group under 80% of "
    "the rate for the group with the highest rate is evidence of adverse impact; it applies "
    "to retention and demotion decisions as well as hiring, so to placement, failure and "
    "exit rates. Paired with Fisher's exact test because the counts are small"
)


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
    when both rates are 0). Only ``undisclosed`` can fare better than the comparison group;
    when that makes a ratio infinite it is None. ``p_value`` is Fisher's exact test of this
    group against the comparison group, None for the comparison group itself.
    """

    group: str
    suppressed: Suppression | None
    at_risk: int | None = None
    adverse: int | None = None
    adverse_rate: float | None = None
    favourable_rate: float | None = None
    adverse_ratio: float | None = None
    favourable_ratio: float | None = None
    p_value: float | None = None

    @property
    def shown(self) -> bool:
        """Whether the group's counts may be published."""
        return self.suppressed is None


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
        """The comparison group's row: the shown disclosed group with the lowest rate."""
        return None if self.comparison_group is None else self.row(self.comparison_group)


def stage_impact(
    stage: str,
    dimension: str,
    counts: Sequence[GroupCount],
    settings: OrgScreenSettings = DEFAULT_SETTINGS,
) -> StageImpact:
    """The table of rates, ratios and p-values for one stage and dimension, suppressed."""
    _check(stage, dimension, counts)
    hidden = _suppressed(counts, settings.min_group)
    shown = [c for c in counts if c.group not in hidden]
    pool = [c for c in shown if c.group != UNDISCLOSED]
    # Ties go to the larger group, whose rate is the better-founded reference.
    comparison = min(pool, key=lambda c: (_rate(c), -c.at_risk, c.group), default=None)
    rows = tuple(
        ImpactRow(group=c.group, suppressed=hidden[c.group])
        if c.group in hidden
        else _row(c, comparison)
        for c in counts
    )
    return StageImpact(
        stage=stage,
        dimension=dimension,
        rows=rows,
        comparison_group=None if comparison is None else comparison.group,
    )


def four_fifths_findings(
    impact: StageImpact,
    org: str,
    as_of: date,
    settings: OrgScreenSettings = DEFAULT_SETTINGS,
) -> list[Finding]:
    """``impact.four_fifths``: each shown group whose adverse or favourable ratio is under 0.8.

    Basis: 29 C.F.R. 1607.4(D), applied to retention and demotion decisions, with Fisher's
    exact test deciding the severity (high when p < ``significance``). Suppressed groups are
    never compared, named or counted.
    """
    comparison = impact.comparison
    if comparison is None:
        return []
    findings = []
    for row in impact.rows:
        if not row.shown or row.group == comparison.group:
            continue
        if not (_under(row.adverse_ratio, settings) or _under(row.favourable_ratio, settings)):
            continue
        findings.append(_finding(impact, row, comparison, org=org, as_of=as_of, settings=settings))
    return findings


def _finding(
    impact: StageImpact,
    row: ImpactRow,
    comparison: ImpactRow,
    *,
    org: str,
    as_of: date,
    settings: OrgScreenSettings,
) -> Finding:
    p = row.p_value if row.p_value is not None else 1.0
    rate, comparison_rate = row.adverse_rate or 0.0, comparison.adverse_rate or 0.0
    message = (
        f"In {org}, {row.adverse} of {row.at_risk} people in the {impact.dimension} group "
        f"'{row.group}' ({rate:.1%}) {STAGES[impact.stage]}, against {comparison_rate:.1%} in "
        f"'{comparison.group}', the group with the lowest rate: an adverse-rate ratio of "
        f"{_show(row.adverse_ratio)} and a favourable-rate ratio of "
        f"{_show(row.favourable_ratio)}, at least one under the four-fifths line of "
        f"{settings.four_fifths:g} (Fisher's exact p = {_sig(p)})."
    )
    return Finding(
        code="impact.four_fifths",
        severity="high" if p < settings.significance else "medium",
        date=as_of,
        message=message,
        evidence={
            "org": org,
            "stage": impact.stage,
            "dimension": impact.dimension,
            "group": row.group,
            "comparison_group": comparison.group,
            "at_risk": row.at_risk,
            "adverse": row.adverse,
            "rate": round(rate, 4),
            "comparison_rate": round(comparison_rate, 4),
            "adverse_ratio": _rounded(row.adverse_ratio),
            "favourable_ratio": _rounded(row.favourable_ratio),
            "p_value": _sig(p),
        },
        basis=_BASIS,
    )


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


def _row(count: GroupCount, comparison: GroupCount | None) -> ImpactRow:
    rate = _rate(count)
    best = rate if comparison is None else _rate(comparison)
    return ImpactRow(
        group=count.group,
        suppressed=None,
        at_risk=count.at_risk,
        adverse=count.adverse,
        adverse_rate=float(rate),
        favourable_rate=float(1 - rate),
        adverse_ratio=None if comparison is None else _ratio(best, rate),
        favourable_ratio=None if comparison is None else _ratio(1 - rate, 1 - best),
        p_value=(
            None
            if comparison is None or comparison.group == count.group
            else _p_value(count, comparison)
        ),
    )


def _p_value(count: GroupCount, comparison: GroupCount) -> float:
    return fisher_exact(
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


def _under(ratio: float | None, settings: OrgScreenSettings) -> bool:
    return ratio is not None and ratio < settings.four_fifths


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _show(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _sig(p: float) -> float:
    """Three significant figures: a p-value of 3e-9 should not read as 0."""
    return float(f"{p:.3g}")
