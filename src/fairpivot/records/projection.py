"""Projections: where each case stands, rebuilt from its ledger whenever it changes.

One case is refreshed after every change to it (``refresh``); the daily screen refreshes
thousands at a time through the same ``review_facts`` and ``store`` (records/screen.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from django.db import transaction

from fairpivot.domain.analytics.milestones import Milestones, milestones
from fairpivot.domain.casefile import LoadedCase, check_case_document
from fairpivot.domain.casefile.entries import Fact, assemble
from fairpivot.domain.policy import Policy, load_policy
from fairpivot.domain.review import Review
from fairpivot.domain.review.engine import examine
from fairpivot.records.clock import Clock, today
from fairpivot.records.ledger import facts_of
from fairpivot.records.models import (
    Case,
    CaseProjection,
    DeadlineProjection,
    FindingProjection,
    ReleaseOfferProjection,
)

shipped_policy: Callable[[str], Policy] = cache(load_policy)


@dataclass(frozen=True, slots=True)
class Reviewed:
    """One case's review and milestones, ready to store."""

    case_id: int
    review: Review
    milestones: Milestones


def load_facts(facts: Sequence[Fact], day: date) -> LoadedCase:
    """The case file a ledger's facts describe, checked (retractions applied)."""
    return check_case_document(assemble(facts, day), resolve=shipped_policy)


def load_case(case: Case, clock: Clock) -> LoadedCase:
    """The case as a checked case file, assembled from its ledger (retractions applied)."""
    return load_facts(facts_of(case), today(clock))


def review_facts(
    case_id: int, facts: Sequence[Fact], day: date, as_of: date | None = None
) -> Reviewed:
    """Review a case from its facts, as of ``as_of`` when given and later than its file's."""
    loaded = load_facts(facts, day)
    moved = as_of if as_of is not None and as_of > loaded.file.as_of else None
    result, ctx = examine(loaded.file, loaded.policy, as_of=moved, case_id=f"C-{case_id}")
    return Reviewed(case_id, result, milestones(ctx))


def refresh(case: Case, clock: Clock) -> Review:
    """Review the case from its ledger and store where it stands."""
    reviewed = review_facts(case.pk, facts_of(case), today(clock))
    store([reviewed], clock)
    return reviewed.review


def store(batch: Sequence[Reviewed], clock: Clock) -> None:
    """Write the reviews of a batch of cases over their previous projections, in bulk."""
    ids = [item.case_id for item in batch]
    moment = clock.now()
    with transaction.atomic():
        CaseProjection.objects.bulk_create(
            [_projection(item, moment) for item in batch],
            update_conflicts=True,
            unique_fields=["case"],
            update_fields=_PROJECTED,
        )
        DeadlineProjection.objects.filter(case_id__in=ids).delete()
        DeadlineProjection.objects.bulk_create(
            DeadlineProjection(case_id=item.case_id, code=d.code, date=d.date, passed=d.passed)
            for item in batch
            for d in item.review.deadlines
        )
        FindingProjection.objects.filter(case_id__in=ids).delete()
        FindingProjection.objects.bulk_create(
            FindingProjection(case_id=item.case_id, code=f.code, severity=f.severity, date=f.date)
            for item in batch
            for f in item.review.findings
        )
        ReleaseOfferProjection.objects.filter(case_id__in=ids).delete()
        ReleaseOfferProjection.objects.bulk_create(
            ReleaseOfferProjection(
                case_id=item.case_id,
                org=item.milestones.org,
                date=offer.date,
                consideration_days=offer.consideration_days,
                age_40_plus=offer.age_40_plus,
            )
            for item in batch
            for offer in item.milestones.releases
            # An offer the employer ran as a group program is judged by the case review.
            if not offer.group_program
        )


_PROJECTED = [
    "stage",
    "as_of",
    "review",
    "worst_severity",
    "high_findings",
    "next_deadline",
    "refreshed_at",
    "org",
    "manager_ref",
    "focus_on",
    "pivot_on",
    "plan_on",
    "plan_outcome",
    "appeal_on",
    "appeal_outcome",
    "exit_on",
    "last_event_on",
]


def _projection(item: Reviewed, moment: datetime) -> CaseProjection:
    result, marks = item.review, item.milestones
    upcoming = [d.date for d in result.deadlines if not d.passed]
    return CaseProjection(
        case_id=item.case_id,
        stage=result.stage,
        as_of=result.as_of,
        review=result.to_json(),
        worst_severity=result.worst(),
        high_findings=sum(f.severity == "high" for f in result.findings),
        next_deadline=min(upcoming, default=None),
        refreshed_at=moment,
        org=marks.org,
        manager_ref=marks.manager,
        focus_on=marks.focus_on,
        pivot_on=marks.pivot_on,
        plan_on=marks.plan_on,
        plan_outcome=marks.plan_outcome,
        appeal_on=marks.appeal_on,
        appeal_outcome=marks.appeal_outcome,
        exit_on=marks.exit_on,
        last_event_on=marks.last_event_on,
    )


def rebuild_all(clock: Clock) -> int:
    """Recompute every case's projection from its ledger; return how many."""
    from fairpivot.records.screen import screen_cases  # noqa: PLC0415  (screen uses this module)

    return screen_cases(clock, every_case=True).cases


__all__ = ["Reviewed", "load_case", "load_facts", "refresh", "review_facts", "store"]
