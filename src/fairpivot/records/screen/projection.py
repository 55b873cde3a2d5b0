"""Projections: where each case stands, rebuilt from its ledger whenever it changes.

One case is refreshed after every change to it (``refresh``); the daily screen refreshes
thousands at a time through the same ``review_facts`` and ``store`` (records/screen/screening.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, cast

import msgspec
from django.db import connection, transaction

from fairpivot.domain.casefile import LoadedCase
from fairpivot.domain.casefile.checks import v4_problems
from fairpivot.domain.casefile.entries import Fact
from fairpivot.domain.review import Review
from fairpivot.records.clock import Clock, today
from fairpivot.records.ledger.bulk import insert_rows
from fairpivot.records.ledger.chains import facts_of
from fairpivot.records.models import (
    Case,
    CaseProjection,
    DeadlineProjection,
    FindingProjection,
    PersonHistory,
    ReleaseOfferProjection,
)
from fairpivot.records.reviewing import (
    PROJECTED,
    BatchRows,
    Reviewed,
    Row,
    load_facts,
    review_facts,
    rows_of,
)
from fairpivot.records.screen.demographics import copy_demographics


def load_case(case: Case, clock: Clock) -> LoadedCase:
    """The case as a checked case file, assembled from its ledger (retractions applied)."""
    return load_facts(facts_of(case), today(clock))


def refused_by_v4(clock: Clock) -> list[tuple[str, list[str]]]:
    """Each stored case whose file review v4 would refuse on input, with the problems.

    Such a record stays readable as stored (review-v4.md section 8 item 11); HR corrects
    it with a new entry.
    """
    found = []
    for case in Case.objects.order_by("id").iterator():
        problems = v4_problems(load_case(case, clock).file)
        if problems:
            found.append((case.ref, problems))
    return found


def refresh(case: Case, clock: Clock, as_of: date | None = None) -> Review:
    """Review the case from its ledger and store where it stands (as of ``as_of`` when
    given and later than its file's, as the screen reviews it)."""
    reviewed = review_facts(case.pk, facts_of(case), today(clock), as_of)
    store([reviewed], clock)
    return reviewed.review


def current_review(case: Case, clock: Clock) -> dict[str, Any]:
    """The case's review document as of today (the API's): ``current``'s, as JSON."""
    day = today(clock)
    stored = _stored_if_current(case, day)
    if stored is None:
        return _made_again(case, facts_of(case), clock).review.to_json()
    return _dated(stored[0], day)


def current(case: Case, clock: Clock, facts: Sequence[Fact], currency: str) -> Review:
    """The case's review as of today (the pages'): the projection's when it is current.

    A projection that has expired, was made for a later day, or read facts that have moved
    since (or was never made) is made again first from ``facts``, as of today, as the daily
    screen would, and stored. One made on an earlier day that has not expired reads the
    same today (``expires_on`` is the first day it could read differently), so it is given
    as of today. The API's ``current_review`` is the same review as a document.
    """
    day = today(clock)
    stored = _stored_if_current(case, day)
    if stored is None:
        return _made_again(case, facts, clock).review
    document, expires_on = stored
    return Review.from_json(_dated(document, day), currency=currency, expires_on=expires_on)


def _stored_if_current(case: Case, day: date) -> tuple[dict[str, Any], date | None] | None:
    """The stored review and its expiry, if the projection is current on ``day``.

    Reads what ``access.case_for`` loaded with the case (its projection, and where its
    employee's history stands) when it is there; asks the database otherwise.
    """
    loaded = Case.projection.related
    row: CaseProjection | None
    if loaded.is_cached(case):
        row = cast("CaseProjection | None", loaded.get_cached_value(case))
    else:
        row = CaseProjection.objects.filter(case=case).first()
    if row is None:
        return None
    if hasattr(case, "history_version"):  # read with the case (``access.case_for``)
        history = case.history_version
    else:
        found = PersonHistory.objects.filter(employee_ref=case.employee_ref)
        history = found.values_list("version", flat=True).first()
    moved = (row.case_version, row.history_version) != (case.version, history or 0)
    if moved or row.as_of > day or (row.expires_on is not None and row.expires_on <= day):
        return None
    return row.review, row.expires_on


def _dated(document: dict[str, Any], day: date) -> dict[str, Any]:
    """A current stored review, given as of ``day`` (it reads the same until it expires)."""
    if str(document.get("as_of", "")) < day.isoformat():
        return {**document, "as_of": day.isoformat()}
    return document


def _made_again(case: Case, facts: Sequence[Fact], clock: Clock) -> Reviewed:
    """Review the case from ``facts`` as of today and store it, stamped with the versions
    the case was read at (facts read after them can only be newer: the next reader finds
    the projection moved, and makes it again)."""
    reviewed = review_facts(case.pk, facts, today(clock), today(clock))
    versions = None
    if hasattr(case, "history_version"):
        versions = {case.pk: (case.version, case.history_version or 0)}
    write(rows_of([reviewed]), clock, versions)
    return reviewed


def refresh_person(employee_ref: str, clock: Clock, acting: Case) -> Review:
    """Refresh every case of a person whose history changed; return ``acting``'s review.

    Each case's file includes its employee's history, so a fact recorded from one case
    moves the review of every other case of theirs too.
    """
    others = Case.objects.filter(employee_ref=employee_ref).exclude(pk=acting.pk).order_by("id")
    for other in others:
        refresh(other, clock)
    return refresh(acting, clock)


def store(batch: Sequence[Reviewed], clock: Clock) -> None:
    """Write the reviews of a batch of cases over their previous projections."""
    write(rows_of(batch), clock)


Versions = Mapping[int, tuple[int, int]]


def write(rows: BatchRows, clock: Clock, versions: Versions | None = None) -> None:
    """Write a batch's projection rows over the cases' previous ones, in bulk.

    Plain SQL with ``executemany``: the ORM's bulk_create spent more time preparing each
    field than the review took to compute it. The projections are the records app's own
    tables and hold nothing that is not rebuilt from the ledger.

    ``versions``: each case's ledger and history versions as its facts were read (the
    screen reads them before the facts); by default as they stand, for a writer inside the
    transaction that changed them.
    """
    if not rows.case_ids:
        return
    moment = connection.ops.adapt_datetimefield_value(clock.now())
    marks = ", ".join(["%s"] * len(rows.case_ids))
    with transaction.atomic(), connection.cursor() as cursor:
        read = versions_of(rows.case_ids) if versions is None else versions
        stamped = [(*row, *read.get(row[0], (0, 0)), moment) for row in rows.projections]
        if connection.vendor == "postgresql":
            # One statement for the batch, which goes as one JSON array of rows (each review
            # in it as the JSON it is): executemany runs a statement per row there.
            cursor.execute(_UPSERT_JSON, [_json_rows(stamped)])
        else:
            cursor.executemany(_UPSERT, stamped)
        copy_demographics(rows.case_ids)  # the review knows nothing of them
        for table in (_DEADLINES, _FINDINGS, _RELEASES):
            cursor.execute(f"DELETE FROM {table} WHERE case_id IN ({marks})", rows.case_ids)  # noqa: S608
        insert_rows(_DEADLINES, _DEADLINE_COLUMNS, rows.deadlines)
        insert_rows(_FINDINGS, _FINDING_COLUMNS, rows.findings)
        insert_rows(_RELEASES, ReleaseOfferProjection.COLUMNS, rows.releases)


def versions_of(ids: Sequence[int]) -> dict[int, tuple[int, int]]:
    """Each case's ledger version and its employee's history version (0 without one)."""
    if not ids:
        return {}
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.id, c.version, COALESCE(h.version, 0) FROM {_CASES} c "  # noqa: S608
            f"LEFT JOIN {_HISTORIES} h ON h.employee_ref = c.employee_ref "
            f"WHERE c.id IN ({marks})",
            list(ids),
        )
        return {case_id: (version, history) for case_id, version, history in cursor.fetchall()}


def _json_rows(rows: Sequence[Row]) -> str:
    """Projection rows as one JSON array of objects, keyed by column, for PostgreSQL."""
    at = _UPSERTED.index("review")  # the review is JSON already: it goes in as it is
    objects = [
        dict(zip(_UPSERTED, (*row[:at], msgspec.Raw(row[at]), *row[at + 1 :]), strict=True))
        for row in rows
    ]
    return msgspec.json.encode(objects).decode()


_CASES = Case._meta.db_table
_HISTORIES = PersonHistory._meta.db_table
_DEADLINES = DeadlineProjection._meta.db_table
_FINDINGS = FindingProjection._meta.db_table
_RELEASES = ReleaseOfferProjection._meta.db_table
_DEADLINE_COLUMNS = ("case_id", "code", "date", "passed", "settled")
_FINDING_COLUMNS = ("case_id", "code", "severity", "date")
_UPSERTED = ("case_id", *PROJECTED)
_PROJECTIONS = CaseProjection._meta.db_table
_INTO = f"INSERT INTO {_PROJECTIONS} ({', '.join(_UPSERTED)})"
_ON_CONFLICT = "ON CONFLICT (case_id) DO UPDATE SET " + ", ".join(
    f"{column} = excluded.{column}" for column in PROJECTED
)
_UPSERT = f"{_INTO} VALUES ({', '.join(['%s'] * len(_UPSERTED))}) {_ON_CONFLICT}"
_UPSERT_JSON = (
    f"{_INTO} SELECT {', '.join(_UPSERTED)} "  # noqa: S608
    f"FROM json_populate_recordset(NULL::{_PROJECTIONS}, %s::json) {_ON_CONFLICT}"
)


__all__ = [
    "Reviewed",
    "load_case",
    "load_facts",
    "refresh",
    "refresh_person",
    "review_facts",
    "store",
    "write",
]
