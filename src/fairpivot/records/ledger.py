"""Append to case ledgers, read them back, verify every chain and take checkpoints."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import F

from fairpivot.domain.casefile.entries import Fact
from fairpivot.domain.ledger import (
    GENESIS,
    Break,
    Entry,
    checkpoint_root,
    entry_hash,
    first_break,
    payload_text,
)
from fairpivot.records.clock import Clock
from fairpivot.records.errors import Conflict
from fairpivot.records.models import Case, Checkpoint, LedgerEntry, stamp


def append(
    case: Case,
    entries: Sequence[tuple[str, Any]],
    recorded_by: str,
    expected_version: int,
    clock: Clock,
) -> list[LedgerEntry]:
    """Append entries to a case's chain, if nobody else has since ``expected_version``.

    Runs inside the caller's transaction: the version check, the rows and the new head
    commit together or not at all.
    """
    assert transaction.get_connection().in_atomic_block, "append needs a transaction"
    start = _head_at(case, expected_version)
    rows = chain(case, entries, recorded_by, clock.now(), after=expected_version, head=start)
    seq = expected_version + len(rows)
    head = rows[-1].hash if rows else start
    moved = Case.objects.filter(pk=case.pk, version=expected_version).update(
        version=F("version") + len(rows), head_hash=head
    )
    if moved != 1:
        actual = Case.objects.values_list("version", flat=True).get(pk=case.pk)
        raise Conflict(case.ref, expected_version, actual)
    LedgerEntry.objects.bulk_create(rows)
    case.version, case.head_hash = seq, head
    return rows


def chain(
    case: Case,
    entries: Sequence[tuple[str, Any]],
    recorded_by: str,
    moment: datetime,
    *,
    after: int,
    head: str,
) -> list[LedgerEntry]:
    """The rows that extend ``case``'s chain after entry ``after`` (hash ``head``), unsaved."""
    recorded_at, rows, seq = stamp(moment), [], after
    for kind, payload in entries:
        seq += 1
        text = payload_text(payload)
        digest = entry_hash(
            case=case.ref,
            seq=seq,
            kind=kind,
            payload=text,
            recorded_by=recorded_by,
            recorded_at=recorded_at,
            prev_hash=head,
        )
        rows.append(
            LedgerEntry(
                case=case,
                seq=seq,
                kind=kind,
                payload=text,
                recorded_by=recorded_by,
                recorded_at=moment,
                prev_hash=head,
                hash=digest,
            )
        )
        head = digest
    return rows


def _head_at(case: Case, version: int) -> str:
    if version == 0:
        return GENESIS
    row = LedgerEntry.objects.filter(case=case, seq=version).values_list("hash", flat=True)
    return row.first() or ""


def facts_of(case: Case) -> list[Fact]:
    """The case's entries as (position, kind, payload) facts, in order."""
    rows = (
        LedgerEntry.objects.filter(case=case).order_by("seq").values_list("seq", "kind", "payload")
    )
    return [Fact(seq, kind, json.loads(payload)) for seq, kind, payload in rows]


def entries_of(case: Case) -> list[Entry]:
    """The case's chain as the pure verifier sees it."""
    return [row.as_entry() for row in LedgerEntry.objects.filter(case=case).order_by("seq")]


@dataclass(frozen=True, slots=True)
class Verification:
    """What ``ledger verify`` found: how much it checked and the first break per case."""

    cases: int
    entries: int
    breaks: list[Break]


def verify_all() -> Verification:
    """Check every case's chain, and that each case row's head matches its last entry."""
    breaks, cases, count = [], 0, 0
    for case in Case.objects.order_by("id").iterator():
        cases += 1
        entries = entries_of(case)
        count += len(entries)
        found = first_break(entries)
        if found is None and (
            case.version != len(entries) or (entries and case.head_hash != entries[-1].hash)
        ):
            found = Break(
                case.ref,
                case.version,
                f"the case's head (entry {case.version}) does not match its ledger "
                f"({len(entries)} entries)",
            )
        if found is not None:
            breaks.append(found)
    return Verification(cases, count, breaks)


def heads() -> list[tuple[str, int, str]]:
    """Every case chain's head: case id, position, hash."""
    return [
        (f"C-{pk}", version, head)
        for pk, version, head in Case.objects.order_by("id").values_list(
            "id", "version", "head_hash"
        )
    ]


def take_checkpoint(created_by: str, clock: Clock) -> Checkpoint:
    """Store and return a root hash over every chain's head."""
    current = heads()
    root = checkpoint_root(current)
    existing = Checkpoint.objects.filter(root_hash=root).first()
    if existing is not None:
        return existing
    return Checkpoint.objects.create(
        root_hash=root,
        heads=[list(h) for h in current],
        created_at=clock.now(),
        created_by=created_by,
    )


def verify_checkpoint(root: str) -> list[str]:
    """Prove nothing recorded before the checkpoint ``root`` has changed since.

    Recomputes the root from today's entries at the positions the checkpoint names; a
    change to any earlier entry changes its hash or breaks its chain, and so the root.
    """
    checkpoint = Checkpoint.objects.filter(root_hash=root).first()
    if checkpoint is None:
        return [f"no checkpoint {root} in this database"]
    positions: Iterable[list[Any]] = checkpoint.heads
    now = []
    for case_ref, seq, _ in positions:
        pk = int(str(case_ref).removeprefix("C-"))
        digest = LedgerEntry.objects.filter(case_id=pk, seq=seq).values_list("hash", flat=True)
        now.append((str(case_ref), int(seq), digest.first() or GENESIS))
    if checkpoint_root(now) != root:
        return [f"the ledger no longer matches checkpoint {root}"]
    return []
