"""The two analytics queries as they were computed before their fast paths (issue 13, item 4).

Kept as the reference the fast paths must match, row for row, and for the benchmark to
time the old way against the new on the same database: ``ura_by_manager`` as it was,
and adverse impact grouped by joining each case to its employee's demographics.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from django.db.models import Case as Choice
from django.db.models import Count, F, Value, When
from django.db.models.functions import Coalesce

from fairpivot.records import analytics
from fairpivot.records.analytics import COMPANY, YEAR, ManagerUra, within
from fairpivot.records.models import CaseProjection, Employee, ManagerHeadcount


def ura_by_manager(as_of: date, org: str = COMPANY, limit: int = 20) -> list[ManagerUra]:
    """Every manager's year of exits, their teams and names by long IN lists, sorted here."""
    exits = dict(
        CaseProjection.objects.filter(within("org", org), exit_on__gt=as_of - YEAR)
        .filter(exit_on__lte=as_of)
        .exclude(manager_ref="")
        .values("manager_ref")
        .annotate(n=Count("case"))
        .values_list("manager_ref", "n")
    )
    teams = {
        ref: (team_org, count)
        for ref, team_org, count in ManagerHeadcount.objects.filter(
            manager_ref__in=list(exits)
        ).values_list("manager_ref", "org", "headcount")
    }
    names = dict(
        Employee.objects.filter(employee_id__in=list(exits)).values_list("employee_id", "name")
    )
    rows = [
        ManagerUra(
            ref,
            names.get(ref, ref),
            teams.get(ref, ("", 0))[0],
            teams.get(ref, ("", 0))[1],
            n,
            analytics._rate(n, teams.get(ref, ("", 0))[1]),
        )
        for ref, n in exits.items()
    ]
    rows.sort(key=lambda r: (-(r.rate or 0.0), -r.exits, r.manager_ref))
    return rows[:limit]


def _group_by_join(dimension: str, as_of: date) -> Choice | Coalesce:
    """A case's group read through case → employee → demographics, as it was."""
    person = "case__employee__demographics__"
    if dimension != "age_band":
        return Coalesce(F(person + dimension), Value("unknown"))
    return Choice(
        When(**{person + "birth_date__isnull": True}, then=Value("unknown")),
        When(
            **{person + "birth_date__lte": analytics._years_before(as_of, 40)},
            then=Value("40_plus"),
        ),
        default=Value("under_40"),
    )


@contextmanager
def impact_by_join() -> Iterator[None]:
    """While open, adverse impact (``impact``, ``group_counts``, ``impact_everywhere``)
    groups cases by the join it used before, instead of the projection's copy."""
    kept = analytics._group_of
    analytics._group_of = _group_by_join
    try:
        yield
    finally:
        analytics._group_of = kept
