"""Write many chains at once: a batch's case entries and heads, and many people's histories.

The rows are those ``ledger.append`` and ``ledger.append_history`` write one chain at a
time, written here a statement per table per batch by the driver (``executemany``, the
entries by COPY on PostgreSQL):
importing thousands of case files spent most of its time in the ORM preparing each field
and in a few queries per person.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from django.db import connection, transaction

from fairpivot.domain.ledger import GENESIS
from fairpivot.records.errors import Conflict
from fairpivot.records.ledger.chains import links
from fairpivot.records.models import (
    Case,
    HistoryEntry,
    LedgerEntry,
    PersonHistory,
    history_chain,
)

Head = tuple[int, int, str]  # a chain's row id, version and head hash
Linked = tuple[int, dict[str, Any]]  # an entry's chain row id and its ``links`` fields


NewCase = tuple[str, int | None, str, str]  # employee_ref, employee id, policy, source digest


def create_cases(new: Sequence[NewCase], moment: datetime) -> dict[str, int]:
    """Create cases at version 0, opened at ``moment``, in one statement; return each id by
    its source digest (what the ORM's bulk_create did, less its preparing of every field)."""
    if not new:
        return {}
    at = connection.ops.adapt_datetimefield_value(moment)
    marks = ", ".join(["(%s, %s, %s, 0, %s, %s, %s)"] * len(new))
    values = [
        value
        for ref, employee, policy, digest in new
        for value in (ref, employee, policy, GENESIS, at, digest)
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {_CASES} (employee_ref, employee_id, policy, version, head_hash, "  # noqa: S608
            f"opened_at, source_digest) VALUES {marks} RETURNING id, source_digest",
            values,
        )
        return {str(digest): int(pk) for pk, digest in cursor.fetchall()}


def insert_case_entries(entries: Sequence[Linked], moment: datetime) -> None:
    """Insert case entries (each with its case's id), all recorded at ``moment``."""
    _insert(_LEDGER, "case_id", entries, moment)


def set_case_heads(heads: Sequence[Head]) -> None:
    """Move cases created in this transaction (at version 0) to their heads."""
    _move(_CASES, [(pk, version, head, 0) for pk, version, head in heads])


def _move(table: str, moves: Sequence[tuple[int, int, str, int]]) -> int:
    """Move chains' heads, each (id, new version, new head, version it must be at) only if
    still at that version, in a statement per thousand; return how many moved.

    One statement, not ``executemany``'s one per row: on PostgreSQL each row was a
    statement the server ran on its own.
    """
    moved = 0
    with connection.cursor() as cursor:
        for start in range(0, len(moves), 1000):
            chunk = moves[start : start + 1000]
            marks = ", ".join(["(%s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                # VALUES names its columns column1, column2, ... in both databases (and
                # sqlite3 counts no rows for a statement that starts with WITH).
                f"UPDATE {table} SET version = m.column2, head_hash = m.column3 "  # noqa: S608
                f"FROM (VALUES {marks}) AS m "
                f"WHERE {table}.id = m.column1 AND {table}.version = m.column4",
                [value for move in chunk for value in move],
            )
            moved += cursor.rowcount
    return moved


def history_heads(refs: Iterable[str]) -> dict[str, Head]:
    """Where these people's histories stand (none for a person without one), in one query."""
    rows = PersonHistory.objects.filter(employee_ref__in=list(refs)).values_list(
        "employee_ref", "id", "version", "head_hash"
    )
    return {ref: (pk, version, head) for ref, pk, version, head in rows}


def append_histories(
    new: Mapping[str, Sequence[tuple[str, Any]]],
    heads: Mapping[str, Head],
    recorded_by: str,
    moment: datetime,
) -> None:
    """Append entries to many people's histories, each after the head read in ``heads``.

    As ``ledger.append_history`` does for one: the conditional UPDATE of the heads is the
    lock, and a history another writer moved since ``heads`` were read raises Conflict
    (the caller's transaction then writes nothing). A person without a history gets one.
    """
    assert transaction.get_connection().in_atomic_block, "append needs a transaction"
    if not new:
        return
    missing = [ref for ref in new if ref not in heads]
    with connection.cursor() as cursor:
        for first in range(0, len(missing), 1000):
            chunk = missing[first : first + 1000]
            cursor.execute(
                f"INSERT INTO {_HISTORIES} (employee_ref, version, head_hash) "  # noqa: S608
                f"VALUES {', '.join(['(%s, 0, %s)'] * len(chunk))} "
                "ON CONFLICT (employee_ref) DO NOTHING",
                [value for ref in chunk for value in (ref, GENESIS)],
            )
    # A history made by another writer meanwhile is expected empty, so a moved one conflicts.
    made = {ref: (pk, 0, GENESIS) for ref, (pk, _, _) in history_heads(missing).items()}
    start = {**heads, **made}
    rows: list[Linked] = []
    moves: list[tuple[int, int, str, int]] = []
    for ref, entries in new.items():
        pk, version, head = start[ref]
        fields = links(history_chain(ref), entries, recorded_by, moment, after=version, head=head)
        rows += [(pk, f) for f in fields]
        moves.append((pk, version + len(fields), fields[-1]["hash"], version))
    if _move(_HISTORIES, moves) != len(moves):
        now = history_heads(new)
        ref = next(r for r in new if now[r][1] != start[r][1])
        raise Conflict(history_chain(ref), start[ref][1], now[ref][1])
    _insert(_HISTORY, "history_id", rows, moment)


def _insert(table: str, owner: str, rows: Sequence[Linked], moment: datetime) -> None:
    """Insert chained entries, each with its chain's row id in ``owner``."""
    columns = (owner, "seq", "kind", "payload", "recorded_by", "recorded_at", "prev_hash", "hash")
    at = connection.ops.adapt_datetimefield_value(moment)
    values = (
        (pk, f["seq"], f["kind"], f["payload"], f["recorded_by"], at, f["prev_hash"], f["hash"])
        for pk, f in rows
    )
    insert_rows(table, columns, values)


def insert_rows(table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Insert rows into one of this app's tables: COPY on PostgreSQL, ``executemany`` on SQLite.

    PostgreSQL runs ``executemany`` as a statement per row; COPY streams the batch in one.
    """
    names = ", ".join(columns)
    if connection.vendor == "postgresql":
        raw: Any = connection.connection  # inside the caller's transaction, as Django's cursor
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    with connection.cursor() as cursor:
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(rows))  # noqa: S608


_CASES = Case._meta.db_table
_LEDGER = LedgerEntry._meta.db_table
_HISTORIES = PersonHistory._meta.db_table
_HISTORY = HistoryEntry._meta.db_table
