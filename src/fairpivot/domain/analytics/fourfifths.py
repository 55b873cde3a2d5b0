"""``impact.four_fifths`` over a whole screen: every test adjusted for every other.

The org screen tests every org and team, every dimension, stage and group: thousands of
tests. At a p-value of 0.05 one in twenty fires by chance, so a screen that reads each test
alone buries the few real patterns. The p-values are adjusted by Benjamini-Hochberg over
the screen's whole family, and a finding also needs the four-fifths ratio and a shortfall of
at least two people (review-v4.md §7).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from fairpivot.domain.analytics.impact import AGE, STAGES, ImpactRow, StageImpact
from fairpivot.domain.analytics.settings import DEFAULT_SETTINGS, OrgScreenSettings
from fairpivot.domain.analytics.stats import benjamini_hochberg
from fairpivot.domain.review.model import Finding

CODE = "impact.four_fifths"
_STATISTICS = (
    "The comparison group is {comparison} {min_test} people; the p-value is "
    "Fisher's exact test, one-sided, adjusted by Benjamini-Hochberg over the {tests} tests "
    "of the screen (false discovery rate {q:g}); a shortfall under {shortfall:g} people is "
    "not raised, since so few could reverse it"
)
_LOWEST = "the group with the lowest adverse rate among groups of at least"
_YOUNGER = "the workers under 40, when there are at least"
_UGESP = (
    "29 C.F.R. 1607.4(D) (the four-fifths rule): a selection rate for a group under 80% of "
    "the rate of the group with the most favourable rate is evidence of adverse impact under "
    "Title VII (42 U.S.C. 2000e-2(k)); it applies to retention and demotion decisions as well "
    "as hiring, so to placement, failure and exit rates. "
)
_ADEA = (
    "ADEA disparate impact (29 U.S.C. 623(a)(2); Smith v. City of Jackson, 544 U.S. 228 "
    "(2005)): a practice that falls more heavily on workers 40 and over may be unlawful "
    "unless it rests on a reasonable factor other than age (29 C.F.R. 1625.7). The Uniform "
    "Guidelines (29 C.F.R. 1607) do not cover age; the four-fifths ratio is used here only "
    "as a yardstick. "
)


@dataclass(frozen=True, slots=True)
class ImpactTest:
    """One group tested against its comparison group, in one org at one stage and dimension.

    ``adjusted_p`` is the Benjamini-Hochberg adjusted p-value over the family of ``family``
    tests; ``fires`` says whether all three conditions of the rule hold.
    """

    org: str
    table: StageImpact
    row: ImpactRow
    adjusted_p: float
    family: int
    fires: bool


@dataclass(frozen=True, slots=True)
class ImpactScreen:
    """Every test of a screen, adjusted, and the findings they raise."""

    tests: tuple[ImpactTest, ...]
    findings: tuple[Finding, ...]


def screen_impact(
    tables: Iterable[tuple[str, StageImpact]],
    as_of: date,
    settings: OrgScreenSettings = DEFAULT_SETTINGS,
) -> ImpactScreen:
    """``impact.four_fifths`` over every table of one screen run, as (org, table) pairs.

    A group raises a finding when, against its comparison group, (1) its adverse-rate
    ratio is under ``four_fifths``, (2) its one-sided Fisher p, adjusted by
    Benjamini-Hochberg over every test of the run, is under ``fdr_q``, and (3) its shortfall
    is at least ``min_shortfall`` people. High when the adjusted p is under ``high_p``.

    Basis: 29 C.F.R. 1607.4(D) (Title VII); for age, the ADEA (Smith v. City of Jackson,
    544 U.S. 228 (2005); 29 C.F.R. 1625.7), which the Uniform Guidelines do not cover.
    """
    raw = [(org, table, row) for org, table in tables for row in table.tests]
    adjusted = benjamini_hochberg([row.p_value or 1.0 for _, _, row in raw])
    family = len(raw)
    tests = tuple(
        ImpactTest(org, table, row, p, family, _fires(row, p, settings))
        for (org, table, row), p in zip(raw, adjusted, strict=True)
    )
    findings = tuple(_finding(test, as_of, settings) for test in tests if test.fires)
    return ImpactScreen(tests, findings)


def _fires(row: ImpactRow, adjusted: float, settings: OrgScreenSettings) -> bool:
    return (
        row.adverse_ratio is not None
        and row.adverse_ratio < settings.four_fifths
        and adjusted < settings.fdr_q
        and row.shortfall is not None
        and row.shortfall >= settings.min_shortfall
    )


def _finding(test: ImpactTest, as_of: date, settings: OrgScreenSettings) -> Finding:
    table, row = test.table, test.row
    comparison = table.comparison
    if comparison is None:
        raise ValueError(f"{test.org}: a tested row without a comparison group")
    raw = row.p_value if row.p_value is not None else 1.0
    rate, comparison_rate = row.adverse_rate or 0.0, comparison.adverse_rate or 0.0
    shortfall = row.shortfall or 0.0
    who = (
        "people aged 40 and over"
        if table.dimension == AGE
        else f"people in the {table.dimension} group '{row.group}'"
    )
    message = (
        f"In {test.org}, {row.adverse} of {row.at_risk} {who} ({rate:.1%}) "
        f"{STAGES[table.stage]}, against {comparison_rate:.1%} of the {comparison.at_risk} in "
        f"'{comparison.group}': an adverse-rate ratio of {_show(row.adverse_ratio)}, under the "
        f"four-fifths line of {settings.four_fifths:g}, and {shortfall:.1f} more people than "
        f"at '{comparison.group}'s rate. One-sided Fisher p = {_sig(raw)}, "
        f"{_sig(test.adjusted_p)} after adjusting for the {test.family} tests of this screen "
        "(Benjamini-Hochberg). Evidence of adverse impact to look into, not a finding of "
        "discrimination: the employer may show the practice is job-related"
        + (" or rests on a reasonable factor other than age." if table.dimension == AGE else ".")
    )
    statistics = _STATISTICS.format(
        comparison=_YOUNGER if table.dimension == AGE else _LOWEST,
        min_test=settings.min_test_group,
        tests=test.family,
        q=settings.fdr_q,
        shortfall=settings.min_shortfall,
    )
    return Finding(
        code=CODE,
        severity="high" if test.adjusted_p < settings.high_p else "medium",
        date=as_of,
        message=message,
        evidence={
            "org": test.org,
            "stage": table.stage,
            "dimension": table.dimension,
            "group": row.group,
            "comparison_group": comparison.group,
            "at_risk": row.at_risk,
            "adverse": row.adverse,
            "comparison_at_risk": comparison.at_risk,
            "comparison_adverse": comparison.adverse,
            "rate": round(rate, 4),
            "comparison_rate": round(comparison_rate, 4),
            "adverse_ratio": _rounded(row.adverse_ratio),
            "favourable_ratio": _rounded(row.favourable_ratio),
            "shortfall": round(shortfall, 2),
            "p_value": _sig(raw),
            "adjusted_p_value": _sig(test.adjusted_p),
            "tests": test.family,
        },
        basis=(_ADEA if table.dimension == AGE else _UGESP) + statistics,
    )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _show(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}"


def _sig(p: float) -> float:
    """Three significant figures: a p-value of 3e-9 should not read as 0."""
    return float(f"{p:.3g}")
