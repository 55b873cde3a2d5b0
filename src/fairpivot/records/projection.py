"""Projections: where each case stands, rebuilt from its ledger whenever it changes."""

from __future__ import annotations

import json

from django.db import transaction

from fairpivot.domain.casefile import LoadedCase, parse_case_file
from fairpivot.domain.casefile.entries import assemble
from fairpivot.domain.review import Review, review
from fairpivot.records.clock import Clock, today
from fairpivot.records.ledger import facts_of
from fairpivot.records.models import Case, CaseProjection, DeadlineProjection, FindingProjection


def load_case(case: Case, clock: Clock) -> LoadedCase:
    """The case as a checked case file, assembled from its ledger (retractions applied)."""
    document = assemble(facts_of(case), today(clock))
    return parse_case_file(json.dumps(document).encode())


def refresh(case: Case, clock: Clock) -> Review:
    """Review the case from its ledger and store where it stands."""
    loaded = load_case(case, clock)
    result = review(loaded.file, loaded.policy, case_id=case.ref)
    upcoming = [d.date for d in result.deadlines if not d.passed]
    with transaction.atomic():
        CaseProjection.objects.update_or_create(
            case=case,
            defaults={
                "stage": result.stage,
                "as_of": result.as_of,
                "review": result.to_json(),
                "worst_severity": result.worst(),
                "high_findings": sum(f.severity == "high" for f in result.findings),
                "next_deadline": min(upcoming, default=None),
                "refreshed_at": clock.now(),
            },
        )
        DeadlineProjection.objects.filter(case=case).delete()
        DeadlineProjection.objects.bulk_create(
            DeadlineProjection(case=case, code=d.code, date=d.date, passed=d.passed)
            for d in result.deadlines
        )
        FindingProjection.objects.filter(case=case).delete()
        FindingProjection.objects.bulk_create(
            FindingProjection(case=case, code=f.code, severity=f.severity, date=f.date)
            for f in result.findings
        )
    return result


def rebuild_all(clock: Clock) -> int:
    """Recompute every case's projection from its ledger; return how many."""
    count = 0
    for case in Case.objects.order_by("id").iterator():
        refresh(case, clock)
        count += 1
    return count
