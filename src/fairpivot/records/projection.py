"""Projections: where each case stands, rebuilt from its ledger whenever it changes.

One case is refreshed after every change to it (``refresh``); the daily screen refreshes
thousands at a time through the same ``review_facts`` and ``store`` (records/screen.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

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
    """Write the reviews of a batch of cases over their previous projections, in bulk.

    Plain SQL with ``executemany``: the ORM's bulk_create spent more time preparing each
    field than the review took to compute it. The projections are the records app's own
    tables and hold nothing that is not rebuilt from the ledger.
    """
    if not batch:
        return
    ops = connection.ops
    moment = ops.adapt_datetimefield_value(clock.now())
    ids = [item.case_id for item in batch]
    marks = ", ".join(["%s"] * len(ids))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(_UPSERT, [_projection_row(item, moment) for item in batch])
        for table in (_DEADLINES, _FINDINGS, _RELEASES):
            cursor.execute(f"DELETE FROM {table} WHERE case_id IN ({marks})", ids)  # noqa: S608
        cursor.executemany(
            _INSERT_DEADLINE,
            [
                (item.case_id, d.code, _day(d.date), d.passed)
                for item in batch
                for d in item.review.deadlines
            ],
        )
        cursor.executemany(
            _INSERT_FINDING,
            [
                (item.case_id, f.code, f.severity, _day(f.date))
                for item in batch
                for f in item.review.findings
            ],
        )
        cursor.executemany(
            _INSERT_RELEASE,
            [
                (
                    item.case_id,
                    item.milestones.org,
                    _day(offer.date),
                    offer.consideration_days,
                    offer.age_40_plus,
                )
                for item in batch
                for offer in item.milestones.releases
                # An offer the employer ran as a group program is judged by the case review.
                if not offer.group_program
            ],
        )


_DEADLINES = DeadlineProjection._meta.db_table
_FINDINGS = FindingProjection._meta.db_table
_RELEASES = ReleaseOfferProjection._meta.db_table


def _insert_sql(table: str, columns: Sequence[str]) -> str:
    """An INSERT into one of this app's tables (names from the models, never from input)."""
    marks = ", ".join(["%s"] * len(columns))
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608


_INSERT_DEADLINE = _insert_sql(_DEADLINES, ["case_id", "code", "date", "passed"])
_INSERT_FINDING = _insert_sql(_FINDINGS, ["case_id", "code", "severity", "date"])
_INSERT_RELEASE = _insert_sql(
    _RELEASES, ["case_id", "org", "date", "consideration_days", "age_40_plus"]
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
_UPSERT = (
    _insert_sql(CaseProjection._meta.db_table, ["case_id", *_PROJECTED])
    + " ON CONFLICT (case_id) DO UPDATE SET "
    + ", ".join(f"{column} = excluded.{column}" for column in _PROJECTED)
)


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _projection_row(item: Reviewed, moment: Any) -> tuple[Any, ...]:
    result, marks = item.review, item.milestones
    upcoming = [d.date for d in result.deadlines if not d.passed]
    review = connection.ops.adapt_json_value(result.to_json(), DjangoJSONEncoder)
    return (
        item.case_id,
        result.stage,
        _day(result.as_of),
        review,
        result.worst(),
        sum(f.severity == "high" for f in result.findings),
        _day(min(upcoming, default=None)),
        moment,
        marks.org,
        marks.manager,
        _day(marks.focus_on),
        _day(marks.pivot_on),
        _day(marks.plan_on),
        marks.plan_outcome,
        _day(marks.appeal_on),
        marks.appeal_outcome,
        _day(marks.exit_on),
        _day(marks.last_event_on),
    )


def rebuild_all(clock: Clock) -> int:
    """Recompute every case's projection from its ledger; return how many."""
    from fairpivot.records.screen import screen_cases  # noqa: PLC0415  (screen uses this module)

    return screen_cases(clock, every_case=True).cases


__all__ = ["Reviewed", "load_case", "load_facts", "refresh", "review_facts", "store"]
