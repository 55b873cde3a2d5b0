"""The org-level codes over the record: what the screen finds across many cases.

The queries read the tables kept current with each case (records/analytics.py); the rules
and the statistics are the pure domain's (domain/analytics/). Every adverse-impact test of
a run is one family for the Benjamini-Hochberg adjustment, and the tests are stored with
the findings, so a table's adjusted p-values are those of the screen that adjusted them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from fairpivot.domain.analytics import (
    COMPANY as COMPANY_LABEL,
)
from fairpivot.domain.analytics import (
    ImpactTest,
    OrgScreenSettings,
    Placement,
    ReleaseOffer,
    StageImpact,
    hidden_group_programs,
    quota_clustering,
    screen_impact,
)
from fairpivot.domain.review import Finding
from fairpivot.records import analytics
from fairpivot.records.analytics import DIMENSIONS, YEAR, impact_everywhere, prefixes
from fairpivot.records.models import CaseProjection, ReleaseOfferProjection
from fairpivot.records.models import ImpactTest as StoredTest


@dataclass(frozen=True, slots=True)
class OrgScreen:
    """What the org-level codes found, and every adverse-impact test behind them."""

    findings: list[Finding]
    tests: tuple[ImpactTest, ...]


def org_findings(as_of: date, settings: OrgScreenSettings | None = None) -> OrgScreen:
    """Every org-level finding, at every level of the org tree.

    Adverse impact and bunched placements are looked for in the company, each org and each
    team below it, so a pattern in one team is not averaged away by the rest of its org.
    Every adverse-impact test of the run is one family for the Benjamini-Hochberg
    adjustment; group programs are looked for per decisional unit.
    """
    settings = settings or analytics.SETTINGS
    tables = [
        (org or COMPANY_LABEL, stage)
        for dimension in DIMENSIONS
        for org, stages in impact_everywhere(as_of, dimension, settings).items()
        for stage in stages
    ]
    impact = screen_impact(tables, as_of, settings)
    found = list(impact.findings)
    found += hidden_group_programs(release_offers(as_of), as_of, settings)
    found += quota_clustering(placements(as_of), as_of, settings)
    return OrgScreen(found, impact.tests)


def release_offers(as_of: date) -> list[ReleaseOffer]:
    """The release offers of the last two years not run as a group program."""
    rows = ReleaseOfferProjection.objects.filter(
        date__gt=as_of - 2 * YEAR, date__lte=as_of
    ).values_list(*ReleaseOfferProjection.COLUMNS)
    return [ReleaseOffer(f"C-{row[0]}", *row[1:]) for row in rows]


def placements(as_of: date) -> list[Placement]:
    """Every Focus and Pivot placement in the last two years, once for each org it is in."""
    rows = CaseProjection.objects.filter(
        Q(focus_on__gt=as_of - 2 * YEAR) | Q(pivot_on__gt=as_of - 2 * YEAR)
    ).values_list("case_id", "org", "focus_on", "pivot_on")
    out = []
    for case_id, path, focus_on, pivot_on in rows:
        for kind, day in (("focus_started", focus_on), ("pivot_offered", pivot_on)):
            if day is not None and as_of - 2 * YEAR < day <= as_of:
                out += [
                    Placement(f"C-{case_id}", org or COMPANY_LABEL, day, kind)
                    for org in prefixes(path)
                ]
    return out


@dataclass(frozen=True, slots=True)
class Adjusted:
    """A table row's p-value as adjusted over the last screen's family of tests."""

    adjusted_p: float
    family: int
    fires: bool


def adjusted_p_values(
    as_of: date, org: str, dimension: str, tables: list[StageImpact]
) -> dict[tuple[str, str], Adjusted]:
    """Per (stage, group), the last screen's adjusted p for rows of ``tables`` it tested.

    Only for the screen's own day, and only where the row's counts and comparison group
    are still what the screen tested: an adjusted p belongs to one screen run's family.
    """
    stored = StoredTest.objects.filter(org=org or COMPANY_LABEL, dimension=dimension, as_of=as_of)
    found = {(test.stage, test.group): test for test in stored}
    out = {}
    for table in tables:
        for row in table.tests:
            hit = found.get((table.stage, row.group))
            if hit is not None and (hit.at_risk, hit.adverse, hit.comparison_group) == (
                row.at_risk,
                row.adverse,
                table.comparison_group,
            ):
                out[table.stage, row.group] = Adjusted(hit.adjusted_p, hit.family, hit.fires)
    return out
