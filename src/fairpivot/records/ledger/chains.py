"""Append to the ledgers, read them back, verify every chain and take checkpoints.

Two kinds of chain share one format and one code path: each case's ledger, and each
person's history (``person:E-1001``), which holds what belongs to the person rather than
to one case (review-v4.md section 8 item 4). A case's facts are its own entries followed
by its employee's history.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import F

from fairpivot.domain.casefile.entries import Fact, with_history
from fairpivot.domain.ledger import (
    GENESIS,
    Break,
    Entry,
    checkpoint_root,
    entry_hash,
    first_break,
    head_matches,
    payload_text,
)
from fairpivot.records.clock import Clock
from fairpivot.records.errors import Conflict
from fairpivot.records.models import (
    Case,
    Checkpoint,
    HistoryEntry,
    LedgerEntry,
    PersonHistory,
    history_chain,
    stamp,
)
from fairpivot.records.prepared import Prepared
from fairpivot.records.reviewing import Entry as StoredEntry
from fairpivot.records.reviewing import StoredCase, facts_of_stored, scale_of

HISTORY_PREFIX = history_chain("")


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
    _advance(case, expected_version, [row.hash for row in rows])
    LedgerEntry.objects.bulk_create(rows)
    return rows


def append_history(
    employee_ref: str, entries: Sequence[tuple[str, Any]], recorded_by: str, clock: Clock
) -> list[HistoryEntry]:
    """Append entries to a person's history, after whatever it holds now.

    Facts about a person do not depend on one another, so there is no version to expect
    (the case acted from has one): a writer that lost the race to the same head raises
    Conflict, and nothing is written.
    """
    assert transaction.get_connection().in_atomic_block, "append needs a transaction"
    history, _ = PersonHistory.objects.get_or_create(employee_ref=employee_ref)
    version = history.version
    rows = history_chain_rows(
        history, entries, recorded_by, clock.now(), after=version, head=history.head_hash
    )
    _advance(history, version, [row.hash for row in rows])
    HistoryEntry.objects.bulk_create(rows)
    return rows


def _advance(head: Case | PersonHistory, expected_version: int, hashes: list[str]) -> None:
    """Move a chain's head past ``hashes``, if it is still at ``expected_version``.

    The conditional UPDATE is the lock: a second writer from the same version waits for
    the first to commit, then matches no row.
    """
    moved = (
        type(head)
        .objects.filter(pk=head.pk, version=expected_version)
        .update(
            version=F("version") + len(hashes), head_hash=hashes[-1] if hashes else F("head_hash")
        )
    )
    if moved != 1:
        actual = type(head).objects.values_list("version", flat=True).get(pk=head.pk)
        raise Conflict(head.ref, expected_version, actual)
    head.version = expected_version + len(hashes)
    if hashes:
        head.head_hash = hashes[-1]


def links(
    chain_name: str,
    entries: Sequence[tuple[str, Any]],
    recorded_by: str,
    moment: datetime,
    *,
    after: int,
    head: str,
) -> list[dict[str, Any]]:
    """The fields of the entries that extend chain ``chain_name`` after ``after`` (``head``)."""
    recorded_at, out, seq = stamp(moment), [], after
    for kind, payload in entries:
        seq += 1
        text = payload_text(payload)
        digest = entry_hash(
            case=chain_name,
            seq=seq,
            kind=kind,
            payload=text,
            recorded_by=recorded_by,
            recorded_at=recorded_at,
            prev_hash=head,
        )
        out.append(
            {
                "seq": seq,
                "kind": kind,
                "payload": text,
                "recorded_by": recorded_by,
                "recorded_at": moment,
                "prev_hash": head,
                "hash": digest,
            }
        )
        head = digest
    return out


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
    fields = links(case.ref, entries, recorded_by, moment, after=after, head=head)
    return [LedgerEntry(case=case, **row) for row in fields]


def history_chain_rows(
    history: PersonHistory,
    entries: Sequence[tuple[str, Any]],
    recorded_by: str,
    moment: datetime,
    *,
    after: int,
    head: str,
) -> list[HistoryEntry]:
    """The rows that extend a person's history after entry ``after`` (hash ``head``), unsaved."""
    fields = links(history.ref, entries, recorded_by, moment, after=after, head=head)
    return [HistoryEntry(history=history, **row) for row in fields]


def _head_at(case: Case, version: int) -> str:
    if version == 0:
        return GENESIS
    row = LedgerEntry.objects.filter(case=case, seq=version).values_list("hash", flat=True)
    return row.first() or ""


def facts_of(case: Case) -> list[Fact]:
    """The case's entries then its employee's history (numbered -1, -2, ...), as facts."""
    rows = (
        LedgerEntry.objects.filter(case=case).order_by("seq").values_list("seq", "kind", "payload")
    )
    own = [Fact(seq, kind, json.loads(payload)) for seq, kind, payload in rows]
    return with_history(own, history_facts(case.employee_ref), scale_of(case.policy))


def facts_from(case: Case, entries: Sequence[Entry]) -> list[Fact]:
    """``facts_of``, from the case's entries already read (its history is read here)."""
    own = [Fact(e.seq, e.kind, json.loads(e.payload)) for e in entries]
    return with_history(own, history_facts(case.employee_ref), scale_of(case.policy))


def history_facts(employee_ref: str) -> list[Fact]:
    """A person's history as facts, in its own numbering (1, 2, ...)."""
    if not employee_ref:
        return []
    rows = (
        HistoryEntry.objects.filter(history__employee_ref=employee_ref)
        .order_by("seq")
        .values_list("seq", "kind", "payload")
    )
    return [Fact(seq, kind, json.loads(payload)) for seq, kind, payload in rows]


def histories_facts(refs: Iterable[str]) -> dict[str, list[Fact]]:
    """The histories of these people as facts, in one query (no entry for one without)."""
    rows = (
        HistoryEntry.objects.filter(history__employee_ref__in=list(refs))
        .order_by("history_id", "seq")
        .values_list("history__employee_ref", "seq", "kind", "payload")
    )
    out: dict[str, list[Fact]] = {}
    for ref, seq, kind, payload in rows:
        out.setdefault(ref, []).append(Fact(seq, kind, json.loads(payload)))
    return out


def entries_of(case: Case) -> list[Entry]:
    """The case's chain as the pure verifier sees it (read as values: every page view
    reads it, and building a model per entry cost more than the query)."""
    return entries_from(case, ledger_rows(case))


def ledger_rows(case: Case) -> list[tuple[Any, ...]]:
    """The case's ledger rows as the database gives them, every column the chain hashes
    (``entries_from`` makes them entries): a page view compares them with those a kept
    record was built from before making anything of them."""
    return _ENTRIES.raw(case.pk)


def entries_from(case: Case, rows: list[tuple[Any, ...]]) -> list[Entry]:
    """The chain ``ledger_rows`` read, as the pure verifier sees it."""
    name = case.ref
    return [
        Entry(name, seq, kind, payload, by, stamp(at), prev, digest)
        for seq, kind, payload, by, at, prev, digest in _ENTRIES.converted(rows)
    ]


_ENTRY_COLUMNS = ("seq", "kind", "payload", "recorded_by", "recorded_at", "prev_hash", "hash")
_ENTRIES = Prepared(
    lambda case_id: (
        LedgerEntry.objects.filter(case_id=case_id).order_by("seq").values_list(*_ENTRY_COLUMNS)
    ),
    int,
)


def history_entries(history: PersonHistory) -> list[Entry]:
    """A person's history as the pure verifier sees it."""
    rows = HistoryEntry.objects.filter(history=history).order_by("seq")
    return [row.entry_in(history.ref) for row in rows]


def history_head(employee_ref: str) -> tuple[int, str]:
    """Where a person's history stands: its length and last hash (0 and GENESIS if none)."""
    found = PersonHistory.objects.filter(employee_ref=employee_ref).values_list(
        "version", "head_hash"
    )
    return found.first() or (0, GENESIS)


@dataclass(frozen=True, slots=True)
class Verification:
    """What ``ledger verify`` found: how much it checked and the first break per chain."""

    cases: int
    entries: int
    breaks: list[Break]
    people: int = 0  # person ledgers (histories); their entries are counted in ``entries``


def verify_all() -> Verification:
    """Check every chain (cases, then histories), and that each head matches its last entry."""
    breaks, cases, people, count = [], 0, 0, 0
    for case in Case.objects.order_by("id").iterator():
        cases += 1
        entries = entries_of(case)
        count += len(entries)
        found = _verify_chain(case, entries, "case")
        if found is not None:
            breaks.append(found)
    for history in PersonHistory.objects.order_by("id").iterator():
        people += 1
        entries = history_entries(history)
        count += len(entries)
        found = _verify_chain(history, entries, "history")
        if found is not None:
            breaks.append(found)
    return Verification(cases, count, breaks, people)


def _verify_chain(head: Case | PersonHistory, entries: list[Entry], what: str) -> Break | None:
    found = first_break(entries)
    if found is None and not head_matches(head.version, head.head_hash, entries):
        found = Break(
            head.ref,
            head.version,
            f"the {what}'s head (entry {head.version}) does not match its ledger "
            f"({len(entries)} entries)",
        )
    return found


def heads() -> list[tuple[str, int, str]]:
    """Every chain's head, the cases' then the histories': chain name, position, hash."""
    cases = Case.objects.order_by("id").values_list("id", "version", "head_hash")
    people = PersonHistory.objects.order_by("id").values_list(
        "employee_ref", "version", "head_hash"
    )
    return [(f"C-{pk}", version, head) for pk, version, head in cases] + [
        (history_chain(ref), version, head) for ref, version, head in people
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
    for name, seq, _ in positions:
        digest = _hash_at(str(name), int(seq))
        now.append((str(name), int(seq), digest or GENESIS))
    if checkpoint_root(now) != root:
        return [f"the ledger no longer matches checkpoint {root}"]
    return []


def _hash_at(name: str, seq: int) -> str | None:
    """The hash today of entry ``seq`` of the chain named ``name`` (a case or a history)."""
    if name.startswith(HISTORY_PREFIX):
        ref = name.removeprefix(HISTORY_PREFIX)
        found = HistoryEntry.objects.filter(history__employee_ref=ref, seq=seq)
        return found.values_list("hash", flat=True).first()
    rows = LedgerEntry.objects.filter(case_id=int(name.removeprefix("C-")), seq=seq)
    return rows.values_list("hash", flat=True).first()


def facts_by_case(ids: Sequence[int]) -> dict[int, list[Fact]]:
    """The ledgers of a batch of cases, each with its employee's history, in three queries."""
    return {case.case_id: facts_of_stored(case) for case in stored_cases(ids)}


def stored_cases(ids: Sequence[int]) -> list[StoredCase]:
    """A batch of cases' entries and histories as stored, in three queries (in ``ids``' order).

    The payloads stay JSON text: whoever reviews the cases decodes them (``facts_of_stored``).
    """
    if not ids:
        return []
    marks = ", ".join(["%s"] * len(ids))
    entries: dict[int, list[StoredEntry]] = {case_id: [] for case_id in ids}
    history: dict[int, list[StoredEntry]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, policy FROM {Case._meta.db_table} WHERE id IN ({marks})",  # noqa: S608
            list(ids),
        )
        policies = dict(cursor.fetchall())
        cursor.execute(
            f"SELECT case_id, seq, kind, payload FROM {LedgerEntry._meta.db_table} "  # noqa: S608
            f"WHERE case_id IN ({marks}) ORDER BY case_id, seq",
            list(ids),
        )
        for case_id, seq, kind, payload in cursor.fetchall():
            entries[case_id].append((seq, kind, payload))
        cursor.execute(
            f"SELECT c.id, h.seq, h.kind, h.payload FROM {Case._meta.db_table} c "  # noqa: S608
            f"JOIN {PersonHistory._meta.db_table} p ON p.employee_ref = c.employee_ref "
            f"JOIN {HistoryEntry._meta.db_table} h ON h.history_id = p.id "
            f"WHERE c.id IN ({marks}) ORDER BY c.id, h.seq",
            list(ids),
        )
        for case_id, seq, kind, payload in cursor.fetchall():
            history.setdefault(case_id, []).append((seq, kind, payload))
    return [
        StoredCase(case_id, policies[case_id], own, history.get(case_id, []))
        for case_id, own in entries.items()
    ]
