"""Org analytics over the record: attrition against targets, the funnel, adverse impact.

Every figure comes from tables kept current as data changes: case milestones, and a copy
of the employee's demographics, are written with each case's projection
(records/screen/projection.py, records/screen/demographics.py); headcounts are rebuilt by
each HRIS import (records/hris/importing.py). So no query here scans or joins the employee
table. The statistics and the org-level finding codes are the pure domain's
(domain/analytics/).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import Case as Choice
from django.db.models import Count, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from fairpivot.domain.analytics import (
    FunnelCounts,
    FunnelStep,
    GroupCount,
    OrgScreenSettings,
    StageImpact,
    funnel_steps,
    stage_impact,
)
from fairpivot.records.models import (
    CaseProjection,
    Employee,
    ManagerHeadcount,
    OrgHeadcount,
    OrgTarget,
)

COMPANY = ""  # the org filter that means the whole company
YEAR = timedelta(days=365)
DIMENSIONS = ("sex", "race_ethnicity", "age_band")
STAGES = ("focus", "pivot", "failed", "exited")
SETTINGS = OrgScreenSettings()  # the thresholds every query and the screen read


@dataclass(frozen=True, slots=True)
class UraRow:
    """Unregretted attrition in one org over the year to ``as_of``, against its target."""

    org: str
    headcount: int
    exits: int
    rate: float | None
    target: float | None


@dataclass(frozen=True, slots=True)
class UraPoint:
    """Exits in one quarter, and the yearly rate they would make at today's headcount."""

    start: date
    end: date
    exits: int
    annual_rate: float | None


@dataclass(frozen=True, slots=True)
class ManagerUra:
    """Unregretted attrition under one manager over the year to ``as_of``."""

    manager_ref: str
    name: str
    org: str
    headcount: int
    exits: int
    rate: float | None


def within(field: str, org: str) -> Q:
    """Rows in ``org`` or below it (every row for the whole company)."""
    if org == COMPANY:
        return Q()
    return Q(**{field: org}) | Q(**{f"{field}__startswith": f"{org}/"})


def child_of(org: str, path: str) -> str:
    """The org one level below ``org`` that ``path`` sits in (or ``org`` itself)."""
    depth = org.count("/") + 2 if org else 1
    return "/".join(path.split("/")[:depth])


def ura_by_org(as_of: date, org: str = COMPANY) -> list[UraRow]:
    """Attrition over the last year in each org one level below ``org``."""
    heads: dict[str, int] = defaultdict(int)
    for path, count in OrgHeadcount.objects.filter(within("org", org), dimension="all").values_list(
        "org", "headcount"
    ):
        heads[child_of(org, path)] += count
    exits: dict[str, int] = defaultdict(int)
    for path, count in (
        CaseProjection.objects.filter(within("org", org), exit_on__gt=as_of - YEAR)
        .filter(exit_on__lte=as_of)
        .values("org")
        .annotate(n=Count("case"))
        .values_list("org", "n")
    ):
        exits[child_of(org, path)] += count
    targets = dict(OrgTarget.objects.filter(year=as_of.year).values_list("org", "ura_target"))
    return [
        UraRow(
            name, heads[name], exits[name], _rate(exits[name], heads[name]), _target(targets, name)
        )
        for name in sorted(set(heads) | set(exits))
    ]


def ura_over_time(as_of: date, org: str = COMPANY, quarters: int = 8) -> list[UraPoint]:
    """Exits per calendar quarter for the last ``quarters`` quarters, as yearly rates."""
    headcount = _headcount(org)
    starts = _quarter_starts(as_of, quarters)
    ends = [*starts[1:], _next_quarter(starts[-1])]
    # Not past ``as_of``: the quarter that holds it counts only the days up to it.
    dates = CaseProjection.objects.filter(
        within("org", org), exit_on__gte=starts[0], exit_on__lt=ends[-1], exit_on__lte=as_of
    ).values_list("exit_on", flat=True)
    counts: dict[date, int] = defaultdict(int)
    for day in dates:
        if day is None:
            continue
        counts[max(s for s in starts if s <= day)] += 1
    return [
        UraPoint(s, e - timedelta(days=1), counts[s], _rate(counts[s] * 4, headcount))
        for s, e in zip(starts, ends, strict=True)
    ]


def ura_by_manager(as_of: date, org: str = COMPANY, limit: int = 20) -> list[ManagerUra]:
    """The managers with the highest attrition over the last year (most exits first on ties).

    One query groups the year's exits by manager, joins each group to the team size kept
    in ManagerHeadcount, ranks them and keeps the first ``limit``; only those are then
    looked up for a name. A manager without a team ranks as a rate of 0.
    """
    exits = (
        CaseProjection.objects.filter(within("org", org), exit_on__gt=as_of - YEAR)
        .filter(exit_on__lte=as_of)
        .exclude(manager_ref="")
        .values("manager_ref")
        .annotate(n=Count("case"))
    )
    grouped, params = exits.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(_RANKED.format(exits=grouped, code_points=_code_points()), [*params, limit])
        ranked = cursor.fetchall()
    refs = [ref for ref, *_ in ranked]
    names = dict(Employee.objects.filter(employee_id__in=refs).values_list("employee_id", "name"))
    return [
        ManagerUra(ref, names.get(ref, ref), team_org or "", team or 0, n, _rate(n, team or 0))
        for ref, n, team_org, team in ranked
    ]


# The ranking Python's sort made of every manager: rate (0 without a team) down, exits
# down, then the reference in code-point order.
_RANKED = f"""
    SELECT x.manager_ref, x.n, t.org, t.headcount FROM ({{exits}}) x
    LEFT JOIN {ManagerHeadcount._meta.db_table} t ON t.manager_ref = x.manager_ref
    ORDER BY CASE WHEN t.headcount > 0 THEN CAST(x.n AS double precision) / t.headcount
        ELSE 0 END DESC, x.n DESC, x.manager_ref COLLATE {{code_points}}
    LIMIT %s
"""  # noqa: S608  (the table's name is the model's; the exits query is the ORM's)


def _code_points() -> str:
    """The collation that orders text as Python orders strings, by code point."""
    return '"C"' if connection.vendor == "postgresql" else "BINARY"


def funnel(as_of: date, org: str = COMPANY) -> list[FunnelStep]:
    """LE → Focus → Pivot → plan outcome → appeal → exit, for cases active in the last year."""
    cases = CaseProjection.objects.filter(within("org", org), last_event_on__gt=as_of - YEAR)
    totals = cases.aggregate(
        focus=Count("focus_on"),
        pivot=Count("pivot_on"),
        plan_taken=Count("plan_on"),
        plan_passed=Count("case", filter=Q(plan_outcome="passed")),
        plan_failed=Count("case", filter=Q(plan_outcome="failed")),
        appealed=Count("appeal_on"),
        appeal_won=Count("case", filter=Q(appeal_outcome="overturned")),
        exited=Count("exit_on"),
    )
    low_rated = OrgHeadcount.objects.filter(within("org", org), dimension="all").aggregate(
        n=Coalesce(Sum("low_rated"), 0)
    )["n"]
    return funnel_steps(FunnelCounts(low_rated=low_rated, **totals))


def impact(as_of: date, org: str = COMPANY, dimension: str = "sex") -> list[StageImpact]:
    """Adverse impact at each funnel stage by ``dimension``, small groups suppressed."""
    per_group = group_counts(as_of, org, dimension)
    return [
        stage_impact(stage, dimension, [counts[stage] for counts in per_group.values()], SETTINGS)
        for stage in STAGES
    ]


def group_counts(as_of: date, org: str, dimension: str) -> dict[str, dict[str, GroupCount]]:
    """Per group of ``dimension``: at risk and adverse counts at each stage."""
    heads, tallies = _tallies(as_of, dimension, org, by_org=False)
    return _stage_counts(
        {group: n for (_, group), n in heads.items()},
        {group: row for (_, group), row in tallies.items()},
    )


def impact_everywhere(
    as_of: date, dimension: str, settings: OrgScreenSettings | None = None
) -> dict[str, list[StageImpact]]:
    """Adverse impact at each stage for the company and every org at every level."""
    settings = settings or SETTINGS
    heads, tallies = _tallies(as_of, dimension, COMPANY, by_org=True)
    rolled_heads: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rolled: dict[str, dict[str, dict[str, int]]] = defaultdict(dict)
    for (path, group), n in heads.items():
        for org in prefixes(path):
            rolled_heads[org][group] += n
    for (path, group), row in tallies.items():
        for org in prefixes(path):
            into = rolled[org].setdefault(group, dict.fromkeys(_TALLIED, 0))
            for key in _TALLIED:
                into[key] += row[key]
    out = {}
    for org in sorted(set(rolled_heads) | set(rolled)):
        per_group = _stage_counts(rolled_heads.get(org, {}), rolled.get(org, {}))
        out[org] = [
            stage_impact(stage, dimension, [c[stage] for c in per_group.values()], settings)
            for stage in STAGES
        ]
    return out


_TALLIED = ("cases", "focus", "pivot", "outcomes", "failed", "exited")


def _tallies(
    as_of: date, dimension: str, org: str, *, by_org: bool
) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], dict[str, int]]]:
    """Headcounts and case counts per (org or "", group), in two grouped queries."""
    if dimension not in DIMENSIONS:
        raise ValueError(f"dimension: one of {', '.join(DIMENSIONS)} (got {dimension!r})")
    keys = ["org", "value"] if by_org else ["value"]
    heads = {
        (row.get("org", ""), row["value"]): int(row["n"])
        for row in OrgHeadcount.objects.filter(within("org", org), dimension=dimension)
        .values(*keys)
        .annotate(n=Sum("headcount"))
    }
    rows = (
        CaseProjection.objects.filter(within("org", org), last_event_on__gt=as_of - YEAR)
        .annotate(group=_group_of(dimension, as_of))
        .values(*(["org", "group"] if by_org else ["group"]))
        .annotate(
            # Counted by columns of the impact index (models.py), so that on SQLite the
            # query reads the index alone; case_id, the key, is not in it.
            cases=Count("*"),
            focus=Count("focus_on"),
            pivot=Count("pivot_on"),
            outcomes=Count("plan_outcome", filter=Q(plan_outcome__in=("passed", "failed"))),
            failed=Count("plan_outcome", filter=Q(plan_outcome="failed")),
            exited=Count("exit_on"),
        )
    )
    tallies = {
        (row.get("org", ""), row["group"]): {key: int(row[key]) for key in _TALLIED} for row in rows
    }
    return heads, tallies


def _stage_counts(
    heads: dict[str, int], tallies: dict[str, dict[str, int]]
) -> dict[str, dict[str, GroupCount]]:
    out: dict[str, dict[str, GroupCount]] = {}
    for group in sorted(set(heads) | set(tallies)):
        n = tallies.get(group, dict.fromkeys(_TALLIED, 0))
        out[group] = {
            # Headcount is today's; a group can have had more placements than people now.
            "focus": GroupCount(group, max(heads.get(group, 0), n["focus"]), n["focus"]),
            "pivot": GroupCount(group, n["focus"], min(n["pivot"], n["focus"])),
            "failed": GroupCount(group, n["outcomes"], n["failed"]),
            "exited": GroupCount(group, n["cases"], n["exited"]),
        }
    return out


def prefixes(path: str) -> list[str]:
    """The company and every org from the top down to ``path``."""
    parts = path.split("/") if path else []
    return [COMPANY, *("/".join(parts[:depth]) for depth in range(1, len(parts) + 1))]


def top_orgs() -> list[str]:
    """The top-level orgs, from the headcount table."""
    paths = OrgHeadcount.objects.filter(dimension="all").values_list("org", flat=True)
    return sorted({path.split("/")[0] for path in paths if path})


def _group_of(dimension: str, as_of: date) -> Choice | Coalesce:
    """A case's group, from the copy of its employee's demographics on its projection."""
    if dimension != "age_band":
        return Coalesce(F(dimension), Value("unknown"))
    return Choice(
        When(birth_date__isnull=True, then=Value("unknown")),
        When(birth_date__lte=_years_before(as_of, 40), then=Value("40_plus")),
        default=Value("under_40"),
    )


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _headcount(org: str) -> int:
    total = OrgHeadcount.objects.filter(within("org", org), dimension="all").aggregate(
        n=Coalesce(Sum("headcount"), 0)
    )["n"]
    return int(total)


def _target(targets: dict[str, float], org: str) -> float | None:
    parts = org.split("/")
    for depth in range(len(parts), 0, -1):
        found = targets.get("/".join(parts[:depth]))
        if found is not None:
            return found
    return None


def _rate(count: int, headcount: int) -> float | None:
    return count / headcount if headcount else None


def _quarter_starts(as_of: date, quarters: int) -> list[date]:
    start = date(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1)
    out = [start]
    for _ in range(quarters - 1):
        month, year = out[0].month - 3, out[0].year
        out.insert(0, date(year - 1, month + 12, 1) if month < 1 else date(year, month, 1))
    return out


def _next_quarter(start: date) -> date:
    month = start.month + 3
    return date(start.year + 1, month - 12, 1) if month > 12 else date(start.year, month, 1)
