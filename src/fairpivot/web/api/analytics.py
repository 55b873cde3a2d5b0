"""Org analytics: attrition against target, the funnel, adverse impact, org-level findings.

The same figures and the same access rule as the page (``access.may_view_analytics``):
HR within their org subtrees, counsel and admins everywhere; an org out of reach is not
found. Bad parameters are a 400 whose problems name the field.
"""

# No ``from __future__ import annotations``: ninja reads the routes' annotations at run
# time, from the module its decorators wrap them in.

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import AuthorizationError

from fairpivot.domain.analytics import FunnelStep, StageImpact
from fairpivot.records import analytics
from fairpivot.records.clock import SYSTEM_CLOCK, today
from fairpivot.records.screen import orgcodes
from fairpivot.web import access
from fairpivot.web.api.auth import viewer
from fairpivot.web.api.schemas import ErrorOut
from fairpivot.web.errors import WebError
from fairpivot.web.org import query

router = Router(tags=["analytics"])

READ: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class Where(Schema):
    """Which org and day: the org path (empty: the whole company) and the day counted back from."""

    org: str | None = Field(
        None,
        description="an org path such as Sales/Southeast; empty for the whole company; "
        "absent: the whole company for counsel, the first org HR covers",
    )
    as_of: str | None = Field(
        None, description="YYYY-MM-DD; today when absent", examples=["2025-06-30"]
    )


class WhereAndDimension(Where):
    """An org, a day, and the demographic dimension to compare groups by."""

    dimension: str | None = Field(
        None, description=f"one of {', '.join(analytics.DIMENSIONS)}; sex when absent"
    )


class UraRowOut(Schema):
    """Attrition in one org one level below the one asked for, over the year."""

    org: str
    headcount: int
    exits: int
    rate: float | None
    target: float | None
    over_target: bool


class UraPointOut(Schema):
    """Exits in one calendar quarter, as the yearly rate they would make."""

    start: date
    end: date
    exits: int
    annual_rate: float | None


class ManagerOut(Schema):
    """Attrition among one manager's direct reports over the year."""

    manager_ref: str
    name: str
    org: str
    headcount: int
    exits: int
    rate: float | None


class UraOut(Schema):
    """Unregretted attrition: by child org, per quarter, and the managers with the most."""

    org: str
    as_of: date
    target: float | None
    by_org: list[UraRowOut]
    over_time: list[UraPointOut]
    by_manager: list[ManagerOut]


class StepOut(Schema):
    """One funnel step: its count and rates (None when the base is 0 or does not apply)."""

    name: str
    count: int
    rate: float | None
    pass_rate: float | None
    exit_rate: float | None


class FunnelOut(Schema):
    """The funnel from the lowest rating to the exit, for cases active in the year."""

    org: str
    as_of: date
    steps: list[StepOut]


class GroupOut(Schema):
    """One group at one stage; a suppressed one (``small``, ``complementary``) has no figures.

    ``shortfall``: how many more of the group met the adverse outcome than at the comparison
    group's rate. ``p_value``: one-sided Fisher, for a tested group. ``adjusted_p_value``:
    Benjamini-Hochberg over the last screen's family, for the screen's day and counts only;
    ``finding``: whether that screen raised ``impact.four_fifths`` on the group.
    """

    group: str
    suppressed: str | None
    at_risk: int | None
    adverse: int | None
    adverse_rate: float | None
    favourable_rate: float | None
    adverse_ratio: float | None
    favourable_ratio: float | None
    shortfall: float | None
    p_value: float | None
    adjusted_p_value: float | None
    finding: bool


class StageOut(Schema):
    """The adverse-impact table of one stage."""

    stage: str
    comparison_group: str | None
    groups: list[GroupOut]


class ImpactOut(Schema):
    """Adverse impact at each stage for one dimension, with the thresholds used.

    ``tests``: how many tests the last screen's family held, when its adjusted p-values
    apply to this day (None otherwise).
    """

    org: str
    as_of: date
    dimension: str
    four_fifths: float
    min_group: int
    min_test_group: int
    fdr_q: float
    min_shortfall: float
    tests: int | None
    stages: list[StageOut]


class FindingOut(Schema):
    """An org-level finding the last screen stored."""

    code: str
    severity: str
    org: str
    date: date
    message: str
    evidence: dict[str, Any]
    basis: str


class CodeCountOut(Schema):
    """How many findings of one code, and how many high and medium."""

    code: str
    total: int
    high: int
    medium: int


class FindingsOut(Schema):
    """The stored org-level findings in the org, high first, with a count per code."""

    org: str
    screened_at: datetime | None
    counts: list[CodeCountOut]
    findings: list[FindingOut]


def _asked(request: HttpRequest, params: dict[str, str | None]) -> query.Asked:
    """The checked parameters, once the caller may see the org: 403, 404 or 400 if not."""
    who = viewer(request)
    if not any(who.has(role) for role in access.ANALYTICS_ROLES):
        raise AuthorizationError(message="Only HR, counsel and admins read org analytics.")
    asked = query.read(params, today(SYSTEM_CLOCK))
    org = asked.org if asked.org is not None else access.analytics_home(who)
    if org is None or not access.may_view_analytics(who, org):
        raise Http404(org)
    if asked.problems:
        raise query.BadQuery(asked.problems)
    return query.Asked(org, asked.dimension, asked.as_of, ())


def _bad(exc: query.BadQuery) -> Status[dict[str, object]]:
    error = WebError(400, "bad_request", "Some parameters are not valid.", exc.problems)
    return Status(400, error.to_json())


@router.get("/analytics/ura", response={200: UraOut, **READ}, summary="Unregretted attrition")
def ura(request: HttpRequest, where: Query[Where]) -> Any:
    """Attrition over the last year by child org against target, per quarter, and by manager."""
    try:
        asked = _asked(request, where.dict())
    except query.BadQuery as exc:
        return _bad(exc)
    org, day = str(asked.org), asked.as_of
    return UraOut(
        org=org,
        as_of=day,
        target=query.target_of(org, day.year),
        by_org=[
            UraRowOut(
                org=r.org,
                headcount=r.headcount,
                exits=r.exits,
                rate=r.rate,
                target=r.target,
                over_target=r.rate is not None and r.target is not None and r.rate > r.target,
            )
            for r in analytics.ura_by_org(day, org)
        ],
        over_time=[
            UraPointOut(start=p.start, end=p.end, exits=p.exits, annual_rate=p.annual_rate)
            for p in analytics.ura_over_time(day, org, query.QUARTERS)
        ],
        by_manager=[
            ManagerOut(
                manager_ref=m.manager_ref,
                name=m.name,
                org=m.org,
                headcount=m.headcount,
                exits=m.exits,
                rate=m.rate,
            )
            for m in analytics.ura_by_manager(day, org, query.MANAGERS)
        ],
    )


@router.get("/analytics/funnel", response={200: FunnelOut, **READ}, summary="The funnel")
def funnel(request: HttpRequest, where: Query[Where]) -> Any:
    """LE → Focus → Pivot → plan → outcome → appeal → exit, with each step's rates."""
    try:
        asked = _asked(request, where.dict())
    except query.BadQuery as exc:
        return _bad(exc)
    steps = analytics.funnel(asked.as_of, str(asked.org))
    return FunnelOut(org=str(asked.org), as_of=asked.as_of, steps=[_step(s) for s in steps])


@router.get("/analytics/impact", response={200: ImpactOut, **READ}, summary="Adverse impact")
def impact(request: HttpRequest, where: Query[WhereAndDimension]) -> Any:
    """Adverse impact per stage for one dimension: rates, ratios, shortfall, raw and adjusted p."""
    try:
        asked = _asked(request, where.dict())
    except query.BadQuery as exc:
        return _bad(exc)
    org, settings = str(asked.org), analytics.SETTINGS
    stages = analytics.impact(asked.as_of, org, asked.dimension)
    adjusted = orgcodes.adjusted_p_values(asked.as_of, org, asked.dimension, stages)
    return ImpactOut(
        org=org,
        as_of=asked.as_of,
        dimension=asked.dimension,
        four_fifths=settings.four_fifths,
        min_group=settings.min_group,
        min_test_group=settings.min_test_group,
        fdr_q=settings.fdr_q,
        min_shortfall=settings.min_shortfall,
        tests=next((a.family for a in adjusted.values()), None),
        stages=[_stage(s, adjusted) for s in stages],
    )


@router.get(
    "/analytics/findings", response={200: FindingsOut, **READ}, summary="Org-level findings"
)
def findings(request: HttpRequest, where: Query[Where]) -> Any:
    """The org-level findings the last screen stored in the org or below it."""
    try:
        asked = _asked(request, where.dict())
    except query.BadQuery as exc:
        return _bad(exc)
    org = str(asked.org)
    stored = query.findings_within(org)
    return FindingsOut(
        org=org,
        screened_at=query.last_screened(),
        counts=[
            CodeCountOut(code=c.code, total=c.total, high=c.high, medium=c.medium)
            for c in query.finding_counts(stored)
        ],
        findings=[
            FindingOut(
                code=f.code,
                severity=f.severity,
                org=f.org,
                date=f.date,
                message=f.message,
                evidence=f.evidence,
                basis=f.basis,
            )
            for f in stored
        ],
    )


def _step(step: FunnelStep) -> StepOut:
    return StepOut(
        name=step.name,
        count=step.count,
        rate=step.rate,
        pass_rate=step.pass_rate,
        exit_rate=step.exit_rate,
    )


def _stage(stage: StageImpact, adjusted: dict[tuple[str, str], orgcodes.Adjusted]) -> StageOut:
    groups = []
    for r in stage.rows:
        found = adjusted.get((stage.stage, r.group))
        groups.append(
            GroupOut(
                group=r.group,
                suppressed=r.suppressed,
                at_risk=r.at_risk,
                adverse=r.adverse,
                adverse_rate=r.adverse_rate,
                favourable_rate=r.favourable_rate,
                adverse_ratio=r.adverse_ratio,
                favourable_ratio=r.favourable_ratio,
                shortfall=r.shortfall,
                p_value=r.p_value,
                adjusted_p_value=found.adjusted_p if found else None,
                finding=found is not None and found.fires,
            )
        )
    return StageOut(stage=stage.stage, comparison_group=stage.comparison_group, groups=groups)
