"""What the org analytics page shows: the queries' results worded and laid out for it.

The figures come from ``records.analytics``; this module only words them (percentages to
one decimal, groups and steps as people say them) and places them on charts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fairpivot.domain.analytics import STAGES as STAGE_OUTCOMES
from fairpivot.domain.analytics import FunnelStep, ImpactRow, StageImpact
from fairpivot.records import analytics
from fairpivot.records.models import CaseProjection, ManagerHeadcount, OrgHeadcount
from fairpivot.records.screen import orgcodes
from fairpivot.web.org import charts
from fairpivot.web.org.charts import BarRow
from fairpivot.web.org.query import (
    finding_counts,
    findings_within,
    last_screened,
    p_value,
    percent,
    quarter_name,
    ratio,
    target_of,
)
from fairpivot.web.wording import humanize

DIMENSION_NAMES = {"sex": "Sex", "race_ethnicity": "Race and ethnicity", "age_band": "Age band"}
GROUP_NAMES = {"40_plus": "40 and over", "under_40": "Under 40"}
STEP_NAMES = {
    "low_rated": "Lowest rating (LE)",
    "focus": "Focus",
    "pivot": "Pivot offered",
    "plan_taken": "Took the plan",
    "plan_outcome": "Plan decided",
    "appeal": "Appealed",
    "exit": "Left the company",
}
AT_RISK = {
    "focus": "everyone in the org",
    "pivot": "people placed on Focus",
    "failed": "plans that have ended",
    "exited": "people with a case",
}


@dataclass(frozen=True, slots=True)
class ImpactLine:
    """One group's row of an impact table, worded."""

    group: str
    comparison: bool
    suppressed: str  # why the group is not shown; empty when it is
    at_risk: str
    adverse: str
    rate: str
    adverse_ratio: str
    favourable_ratio: str
    shortfall: str
    p_value: str
    adjusted_p: str
    under: bool  # the adverse-rate ratio is under the four-fifths line
    fires: bool  # the last screen raised impact.four_fifths on this row


def group_name(group: str) -> str:
    """A demographic group as people say it."""
    return GROUP_NAMES.get(group, humanize(group))


def over_target(rate: float | None, target: float | None) -> bool:
    """Whether an attrition rate is over its target."""
    return rate is not None and target is not None and rate > target


def against_target(rate: float | None, target: float | None) -> str:
    """``over target by 2.5 points``, ``within target`` or ``no target``."""
    if rate is None or target is None:
        return "no target" if target is None else "no headcount"
    if rate > target:
        return f"over target by {(rate - target) * 100:.1f} points"
    return "within target"


def ura_section(org: str, as_of: date) -> dict[str, Any]:
    """(a) and (b): the year's attrition by child org and per quarter, against target."""
    rows = analytics.ura_by_org(as_of, org)
    bars = [
        BarRow(
            label=row.org or "(company)",
            value=row.rate,
            text=(
                f"{percent(row.rate)} ({row.exits} of {row.headcount})"
                if row.rate is not None
                else f"no headcount ({row.exits} exits)"
            )
            + (" · over target" if over_target(row.rate, row.target) else ""),
            css="over" if over_target(row.rate, row.target) else "",
            marker=row.target,
            marker_text=f"target {percent(row.target)}",
        )
        for row in rows
    ]
    target = target_of(org, as_of.year)
    points = analytics.ura_over_time(as_of, org, 8)
    columns = [(quarter_name(p.start), p.annual_rate, percent(p.annual_rate)) for p in points]
    return {
        "ura_rows": [
            {
                "row": row,
                "rate": percent(row.rate),
                "target": percent(row.target),
                "against": against_target(row.rate, row.target),
                "over": over_target(row.rate, row.target),
            }
            for row in rows
        ],
        "ura_chart": charts.bar_chart(bars) if bars else None,
        "target": target,
        "target_text": percent(target),
        "quarters": [
            {
                "point": p,
                "name": quarter_name(p.start),
                "rate": percent(p.annual_rate),
                "against": against_target(p.annual_rate, target),
            }
            for p in points
        ],
        "quarter_chart": charts.column_chart(
            columns, line=target, line_label=f"target {percent(target)}"
        ),
    }


def managers_section(org: str, as_of: date) -> dict[str, Any]:
    """(c): the managers with the highest attrition."""
    rows = analytics.ura_by_manager(as_of, org, 20)
    return {"managers": [{"row": r, "rate": percent(r.rate)} for r in rows]}


def funnel_section(org: str, as_of: date) -> dict[str, Any]:
    """(d): the funnel from the lowest rating to the exit."""
    steps = analytics.funnel(as_of, org)
    bars = [BarRow(STEP_NAMES[s.name], float(s.count), step_text(s)) for s in steps]
    return {
        "steps": [
            {
                "step": s,
                "name": STEP_NAMES[s.name],
                "rate": percent(s.rate),
                "pass_rate": percent(s.pass_rate),
                "exit_rate": percent(s.exit_rate),
            }
            for s in steps
        ],
        "funnel_chart": charts.bar_chart(bars, top=1.0),
    }


def step_text(step: FunnelStep) -> str:
    """What follows a funnel bar: the count and the step's rate."""
    text = f"{step.count}"
    if step.rate is not None:
        text += f" · {percent(step.rate)} of the step before"
    if step.exit_rate is not None:
        text += f" · {percent(step.exit_rate)} of those on Focus"
    return text


def impact_section(org: str, as_of: date, dimension: str) -> dict[str, Any]:
    """(e): adverse impact at each stage for one dimension, small groups suppressed."""
    settings = analytics.SETTINGS
    tables = analytics.impact(as_of, org, dimension)
    adjusted = orgcodes.adjusted_p_values(as_of, org, dimension, tables)
    stages = []
    for stage in tables:
        lines = [impact_line(stage, row, adjusted) for row in stage.rows]
        bars = [
            BarRow(
                label=line.group,
                value=row.adverse_ratio,
                text=line.suppressed
                or (
                    f"{ratio(row.adverse_ratio)}"
                    + (" · comparison group" if line.comparison else "")
                    + (f" · under {settings.four_fifths:g}" if line.under else "")
                ),
                css="under" if line.under else ("hidden" if line.suppressed else ""),
            )
            for line, row in zip(lines, stage.rows, strict=True)
        ]
        stages.append(
            {
                "stage": stage.stage,
                "outcome": STAGE_OUTCOMES[stage.stage],
                "at_risk": AT_RISK[stage.stage],
                "lines": lines,
                "chart": impact_chart(bars) if bars else None,
            }
        )
    family = next((a.family for a in adjusted.values()), None)
    return {
        "impact": stages,
        "dimension_name": DIMENSION_NAMES[dimension],
        "min_group": settings.min_group,
        "min_test_group": settings.min_test_group,
        "four_fifths": f"{settings.four_fifths:g}",
        "fdr_q": f"{settings.fdr_q:g}",
        "min_shortfall": f"{settings.min_shortfall:g}",
        "family": family,
        "age": dimension == "age_band",
    }


def impact_chart(bars: list[BarRow]) -> charts.BarChart:
    """Ratios on a scale to 1.25, so the 0.8 line and 1.0 both show; longer bars are cut."""
    line = analytics.SETTINGS.four_fifths
    return charts.bar_chart(bars, line=line, line_label=f"{line:g}", top=1.25, limit=1.25)


def impact_line(
    stage: StageImpact, row: ImpactRow, adjusted: dict[tuple[str, str], orgcodes.Adjusted]
) -> ImpactLine:
    """One group's row, worded; a suppressed group says why and shows nothing else."""
    settings = analytics.SETTINGS
    name = group_name(row.group)
    if row.suppressed is not None:
        why = (
            f"fewer than {settings.min_group} people — not shown"
            if row.suppressed == "small"
            else "hidden so a small group can't be worked out"
        )
        blank = ""
        return ImpactLine(
            name, False, why, blank, blank, blank, blank, blank, blank, blank, blank, False, False
        )
    found = adjusted.get((stage.stage, row.group))
    return ImpactLine(
        group=name,
        comparison=row.group == stage.comparison_group,
        suppressed="",
        at_risk=str(row.at_risk),
        adverse=str(row.adverse),
        rate=percent(row.adverse_rate),
        adverse_ratio=ratio(row.adverse_ratio),
        favourable_ratio=ratio(row.favourable_ratio),
        shortfall="—" if row.shortfall is None else f"{row.shortfall:.1f}",
        p_value=p_value(row.p_value),
        adjusted_p=p_value(found.adjusted_p if found else None),
        under=row.adverse_ratio is not None and row.adverse_ratio < settings.four_fifths,
        fires=found is not None and found.fires,
    )


def findings_section(org: str) -> dict[str, Any]:
    """(f): the stored org-level findings in the org, high first, with a count per code."""
    findings = findings_within(org)
    return {
        "findings": findings,
        "finding_counts": finding_counts(findings),
        "screened_at": last_screened(),
    }


def has_data(org: str) -> bool:
    """Whether the org has any headcount or case to count (else the page says so)."""
    return (
        OrgHeadcount.objects.filter(analytics.within("org", org)).exists()
        or ManagerHeadcount.objects.filter(analytics.within("org", org)).exists()
        or CaseProjection.objects.filter(analytics.within("org", org)).exists()
    )


def build(org: str, dimension: str, as_of: date) -> dict[str, Any]:
    """Everything the page shows for one org, dimension and day."""
    return {
        **ura_section(org, as_of),
        **managers_section(org, as_of),
        **funnel_section(org, as_of),
        **impact_section(org, as_of, dimension),
        **findings_section(org),
        "has_data": has_data(org),
    }
