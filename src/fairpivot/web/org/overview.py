"""Questions asked across many cases, from the projections: the dashboard's and the team's.

Each takes the cases the viewer may see (``access.visible_cases``) and narrows them; none
widens them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Q, QuerySet

from fairpivot.domain.casefile.entries import Fact
from fairpivot.domain.review.model import SEVERITIES
from fairpivot.domain.vocabulary import STAGES
from fairpivot.records.cases.workflow import HOLD, SIGNOFF, pending_holds_in
from fairpivot.records.models import (
    Case,
    CaseProjection,
    DeadlineProjection,
    Employee,
    LedgerEntry,
    case_number,
)
from fairpivot.web.wording import event_label, stage_label


@dataclass(frozen=True, slots=True)
class Filters:
    """The dashboard's filters and search, as given in the query string."""

    stage: str = ""
    severity: str = ""
    org: str = ""
    q: str = ""

    @classmethod
    def parse(cls, params: dict[str, str]) -> Filters:
        """Filters from query parameters; unknown values are ignored, not errors."""
        stage = params.get("stage", "")
        severity = params.get("severity", "")
        return cls(
            stage if stage in STAGES else "",
            severity if severity in SEVERITIES else "",
            params.get("org", "").strip(),
            params.get("q", "").strip()[:100],
        )

    @property
    def active(self) -> bool:
        """Whether any filter or search is set."""
        return bool(self.stage or self.severity or self.org or self.q)


def filtered(cases: QuerySet[Case], f: Filters) -> QuerySet[Case]:
    """The cases matching the filters: stage, a finding of that severity, org subtree, search."""
    if f.stage:
        cases = cases.filter(projection__stage=f.stage)
    if f.severity:
        cases = cases.filter(findings__severity=f.severity)
    if f.org:
        cases = cases.filter(
            Q(employee__org=f.org) | Q(employee__org__startswith=f.org.rstrip("/") + "/")
        )
    if f.q:
        found = Q(employee_ref__icontains=f.q) | Q(employee__name__icontains=f.q)
        number = case_number(f.q.upper())
        if f.q.upper().startswith("C-") and number is not None:
            found |= Q(pk=number)  # a case id ("C-12") finds that case
        cases = cases.filter(found)
    return cases.select_related("projection", "employee").distinct().order_by("id")


def stage_counts(cases: QuerySet[Case]) -> list[tuple[str, str, int]]:
    """How many cases are at each stage, in the process's order: (stage, label, count)."""
    # Counted on the projections of the cases, not on the cases: ``visible_cases`` is
    # distinct and ordered by id, and the two together put the id in the GROUP BY, so
    # every stage counted 1.
    counts = dict(
        CaseProjection.objects.filter(case__in=cases.order_by().values("pk"))
        .order_by()
        .values_list("stage")
        .annotate(n=Count("case_id"))
        .values_list("stage", "n")
    )
    return [(s, stage_label(s), counts.get(s, 0)) for s in STAGES]


def org_choices(cases: QuerySet[Case]) -> list[str]:
    """The orgs of the cases, with their parent orgs, for the org filter."""
    orgs = set(Employee.objects.filter(cases__in=cases).values_list("org", flat=True).distinct())
    parents = {org.partition("/")[0] for org in orgs}
    return sorted(o for o in orgs | parents if o)


@dataclass(frozen=True, slots=True)
class DueRow:
    """A deadline coming up in one case."""

    case: Case
    code: str
    date: date


def upcoming_deadlines(cases: QuerySet[Case], today: date, days: int = 14) -> list[DueRow]:
    """The unsettled deadlines from today through ``days`` days ahead, soonest first.

    A settled deadline's decision was made (or can no longer be): nobody must act by it.
    """
    rows = (
        DeadlineProjection.objects.filter(
            case__in=cases,
            settled=False,
            date__gte=today,
            date__lte=today + timedelta(days=days),
        )
        .select_related("case", "case__employee", "case__projection")
        .order_by("date", "code", "case_id")
    )
    return [DueRow(r.case, r.code, r.date) for r in rows]


def with_high_findings(cases: QuerySet[Case]) -> QuerySet[Case]:
    """The cases whose review has high findings, most first."""
    return (
        cases.filter(projection__high_findings__gt=0)
        .select_related("projection", "employee")
        .order_by("-projection__high_findings", "id")
    )


@dataclass(frozen=True, slots=True)
class PendingHold:
    """A step held for HR sign-off and not decided yet."""

    case: Case
    seq: int
    step: str
    findings: tuple[str, ...]
    requested_by: str
    at: datetime


def pending_holds(cases: QuerySet[Case]) -> list[PendingHold]:
    """Every held step in these cases that HR has not decided, oldest first.

    Read a case at a time from the hold and sign-off rows, by the one rule of what is
    still pending (``workflow.pending_holds_in``).
    """
    rows = (
        LedgerEntry.objects.filter(case__in=cases, kind__in=(HOLD, SIGNOFF))
        .select_related("case", "case__employee", "case__projection")
        .order_by("case_id", "seq")
    )
    by_case: dict[int, dict[int, LedgerEntry]] = {}
    for row in rows:
        by_case.setdefault(row.case_id, {})[row.seq] = row
    found = []
    for entries in by_case.values():
        facts = [Fact(r.seq, r.kind, json.loads(r.payload)) for r in entries.values()]
        for hold in pending_holds_in(facts):
            row = entries[hold.seq]
            found.append(
                PendingHold(
                    row.case,
                    row.seq,
                    event_label(str(hold.event.get("type", ""))),
                    tuple(hold.findings),
                    hold.requested_by,
                    row.recorded_at,
                )
            )
    return sorted(found, key=lambda h: (h.at, h.case.pk, h.seq))
