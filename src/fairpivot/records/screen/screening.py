"""The org-wide screen: the cases that need it reviewed as of a day, then the org codes.

Deadlines and timing findings move with the calendar alone, so ``fairpivot screen`` runs
daily; but each review knows the first day it could read differently (``expires_on``), so
a day's screen reviews only the cases whose review has expired or whose facts moved since,
and costs what changed rather than the size of the org. Cases are loaded a batch at a time
(one query for a batch's ledgers, one bulk write for its projections), never one round
trip per case.
"""

from __future__ import annotations

import multiprocessing
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import TypeVar

from django.db import connection, transaction

from fairpivot.records.clock import Clock, today
from fairpivot.records.ledger.chains import stored_cases
from fairpivot.records.models import (
    Case,
    CaseProjection,
    ImpactTest,
    OrgFinding,
    PersonHistory,
)
from fairpivot.records.reviewing import BatchRows, StoredCase, review_stored
from fairpivot.records.screen import orgcodes
from fairpivot.records.screen.projection import versions_of, write

B = TypeVar("B")  # a batch, as whoever reviews it takes it

BATCH = 500
WORKERS_FROM = 5_000  # cases; below this, starting worker processes costs more than it saves
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class CaseScreen:
    """What screening the cases did."""

    cases: int
    findings: int
    seconds: float


@dataclass(frozen=True, slots=True)
class ScreenReport:
    """What a whole screen did: the cases, then the org-level codes."""

    as_of: date
    cases: CaseScreen
    org_findings: int
    seconds: float


def screen(
    clock: Clock,
    *,
    as_of: date | None = None,
    every_case: bool = False,
    workers: int = 1,
    progress: Progress | None = None,
) -> ScreenReport:
    """Review the cases that need it as of ``as_of`` (today), then the org-level codes.

    A case needs it when it was never reviewed, its facts moved since, or its review has
    expired; ``every_case`` reviews them all (after an upgrade of the rules or a policy).
    """
    started = time.perf_counter()
    day = as_of or today(clock)
    cases = screen_cases(
        clock, as_of=day, every_case=every_case, workers=workers, progress=progress
    )
    org = screen_org(clock, day)
    return ScreenReport(day, cases, org, time.perf_counter() - started)


def rebuild_all(clock: Clock) -> int:
    """Recompute every case's projection from its ledger; return how many."""
    return screen_cases(clock, every_case=True).cases


def screen_cases(
    clock: Clock,
    *,
    as_of: date | None = None,
    every_case: bool = False,
    ids: Sequence[int] | None = None,
    batch_size: int = BATCH,
    workers: int = 1,
    progress: Progress | None = None,
) -> CaseScreen:
    """Review cases in batches and store their projections; return how many and findings.

    With ``workers`` above 1 (and enough cases to repay starting them), the reviews run
    in that many fresh processes while this one reads the next ledgers and writes the
    last batch's rows: the review is pure Python, so only processes use more than a core.
    ``ids``: review these cases (those an import moved), whatever their projections.
    """
    started = time.perf_counter()
    if ids is not None:
        ids = list(ids)
    elif every_case:
        ids = list(Case.objects.order_by("id").values_list("id", flat=True))
    else:
        ids = candidate_ids(as_of or today(clock))
    day, reviewed, findings = today(clock), 0, 0
    read: dict[int, tuple[int, int]] = {}  # the versions each case's facts were read at

    def load(batch: Sequence[int]) -> list[StoredCase]:
        read.update(versions_of(batch))  # before the facts: a later change is seen next time
        return stored_cases(batch)

    batches = (load(batch) for batch in _chunks(ids, batch_size))
    if workers > 1 and len(ids) >= WORKERS_FROM:
        results = in_workers(partial(review_stored, day=day, as_of=as_of), batches, workers)
    else:
        results = (review_stored(cases, day, as_of) for cases in batches)
    for rows in results:
        write(rows, clock, {case_id: read.pop(case_id) for case_id in rows.case_ids})
        reviewed += len(rows.case_ids)
        findings += len(rows.findings)
        if progress is not None:
            progress(reviewed, len(ids))
    return CaseScreen(reviewed, findings, time.perf_counter() - started)


def in_workers(
    review: Callable[[B], BatchRows], batches: Iterable[B], workers: int
) -> Iterator[BatchRows]:
    """``review`` each batch in worker processes, a few ahead of the one being written, in
    order (``review`` must be a module-level function, or a partial of one, to pickle)."""
    # Spawned, not forked: a forked child would share this process's database connection.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending: deque[Future[BatchRows]] = deque()
        for batch in batches:
            pending.append(pool.submit(review, batch))
            if len(pending) > 2 * workers:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def candidate_ids(as_of: date) -> list[int]:
    """Cases never reviewed, whose review has expired by ``as_of`` or was made for another
    day after it (a screen run ahead), or whose facts (their ledger or their employee's
    history) moved since it was made."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT c.id FROM {_CASES} c "  # noqa: S608
            f"LEFT JOIN {_PROJECTIONS} p ON p.case_id = c.id "
            f"LEFT JOIN {_HISTORIES} h ON h.employee_ref = c.employee_ref "
            "WHERE p.case_id IS NULL OR p.expires_on <= %s OR p.as_of > %s "
            "OR p.case_version <> c.version OR p.history_version <> COALESCE(h.version, 0) "
            "ORDER BY c.id",
            [connection.ops.adapt_datefield_value(as_of)] * 2,
        )
        return [case_id for (case_id,) in cursor.fetchall()]


_CASES = Case._meta.db_table
_PROJECTIONS = CaseProjection._meta.db_table
_HISTORIES = PersonHistory._meta.db_table


def screen_org(clock: Clock, as_of: date) -> int:
    """Recompute the org-level findings over every case; replace the stored ones.

    The adverse-impact tests are stored with them: a table's adjusted p-values belong to
    the screen run whose family they were adjusted over.
    """
    result = orgcodes.org_findings(as_of)
    moment = clock.now()
    with transaction.atomic():
        OrgFinding.objects.all().delete()
        OrgFinding.objects.bulk_create(
            OrgFinding(
                code=f.code,
                severity=f.severity,
                org=str(f.evidence.get("org", "")),
                date=f.date,
                message=f.message,
                evidence=f.to_json()["evidence"],
                basis=f.basis,
                screened_at=moment,
            )
            for f in result.findings
        )
        ImpactTest.objects.all().delete()
        ImpactTest.objects.bulk_create(
            (
                ImpactTest(
                    as_of=as_of,
                    org=test.org,
                    dimension=test.table.dimension,
                    stage=test.table.stage,
                    group=test.row.group,
                    at_risk=test.row.at_risk or 0,
                    adverse=test.row.adverse or 0,
                    comparison_group=test.table.comparison_group or "",
                    p_value=test.row.p_value if test.row.p_value is not None else 1.0,
                    adjusted_p=test.adjusted_p,
                    family=test.family,
                    fires=test.fires,
                )
                for test in result.tests
            ),
            batch_size=2000,
        )
    return len(result.findings)


def _chunks(ids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


__all__ = ["CaseScreen", "ScreenReport", "screen", "screen_cases", "screen_org"]
