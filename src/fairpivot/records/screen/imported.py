"""The reviews after an import: each new case from its file as checked when its record is
that very file, every other case the import moved from its ledger.

An import records every batch first (records/cases/transfer.py) and reviews afterwards, so a
reader sees each case's record whole before its review. A new case whose record (its own
entries and its person's history) assembles to the file it came from, such as a person's
first case, is reviewed from that file as checked, without reading it back and checking
it a second time; the rest as the screen reviews them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fairpivot.domain.casefile import CaseFile, LoadedCase
from fairpivot.domain.casefile.entries import Fact, assemble, with_history
from fairpivot.domain.policy import Policy
from fairpivot.records.clock import Clock, today
from fairpivot.records.reviewing import BatchRows, review_checked, scale_of
from fairpivot.records.screen.projection import write
from fairpivot.records.screen.screening import (
    BATCH,
    WORKERS_FROM,
    CaseScreen,
    in_workers,
    screen_cases,
)

Versions = tuple[int, int]  # the case's ledger version and its person's history version
Checked = tuple[int, CaseFile, Policy]  # what a worker reviews: no raw JSON, one policy a batch


@dataclass(frozen=True, slots=True)
class AsChecked:
    """A new case's file as checked, and its record as written (and at which versions)."""

    loaded: LoadedCase
    versions: Versions
    entries: list[tuple[str, Any]]  # the file's entries, the case's ledger
    history: list[Fact]  # its person's history once the batch was written

    def is_its_file(self, day: date) -> bool:
        """Whether the record assembles to the very file it came from.

        The record is the file's entries and whatever its person's history holds beyond
        them (the person's first case: nothing); such a case is reviewed from its file.
        """
        own = [Fact(seq, kind, payload) for seq, (kind, payload) in enumerate(self.entries, 1)]
        if self.history:  # as the screen reads it (records/ledger/chains.py ``facts_by_case``)
            own = with_history(own, self.history, scale_of(self.loaded.policy.name))
        return assemble(own, day) == self.loaded.raw


@dataclass(slots=True)
class ToReview:
    """The cases an import moved, and those of them it added, with their checked files."""

    moved: set[int] = field(default_factory=set)
    as_checked: dict[int, AsChecked] = field(default_factory=dict)

    def add(self, moved: set[int], as_checked: dict[int, AsChecked]) -> None:
        """Add a batch's: a case it moved other than by adding it is read from its ledger."""
        for pk in moved - as_checked.keys():
            self.as_checked.pop(pk, None)
        self.as_checked.update(as_checked)
        self.moved |= moved


def review_moved(
    todo: ToReview, clock: Clock, workers: int = 1, workers_from: int = WORKERS_FROM
) -> CaseScreen:
    """Review the cases an import moved and store their projections, as a rebuild would.

    In ``workers`` processes once there are ``workers_from`` cases to review from their files.
    """
    started = time.perf_counter()
    day = today(clock)
    ids = sorted(pk for pk, new in todo.as_checked.items() if new.is_its_file(day))
    batches: list[list[Checked]] = [
        [(pk, todo.as_checked[pk].loaded.file, todo.as_checked[pk].loaded.policy) for pk in chunk]
        for chunk in (ids[i : i + BATCH] for i in range(0, len(ids), BATCH))
    ]
    if workers > 1 and len(ids) >= workers_from:
        results: Iterator[BatchRows] = in_workers(review_checked, batches, workers)
    else:
        results = (review_checked(batch) for batch in batches)
    findings = 0
    for rows in results:
        write(rows, clock, {pk: todo.as_checked[pk].versions for pk in rows.case_ids})
        findings += len(rows.findings)
    rest = screen_cases(clock, ids=sorted(todo.moved - set(ids)), workers=workers)
    reviewed = len(ids) + rest.cases
    return CaseScreen(reviewed, findings + rest.findings, time.perf_counter() - started)
