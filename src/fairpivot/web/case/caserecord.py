"""The parts of a case's page that follow from its ledger alone, built once and reused.

A case page shows the review, the timeline, the notes and the ledger: all of it a function
of the case's ledger entries, the day, the viewer's audience (``privacy``: the whole case,
a manager's view or a panelist's), and the time zone. Rebuilding and rendering them was
most of a page view's cost, so each process keeps the last few it built (``Record``),
keyed by exactly those inputs.

Why reuse is safe:

- the page still reads the whole ledger on every view and checks it (it says whether the
  chain verifies): a record is kept only from a chain whose every hash was computed again
  and found right and that ends at the case's recorded head, and it is reused only when
  every row read now equals, column by column, a row it was built from. Rows that differ in
  anything (a payload, a time, a stored hash) are verified from the first entry again, so
  a tampered ledger is shown broken, never from a kept record;
- the case file includes the employee's history (records/ledger/chains.py), which changes without
  the case's own chain: its head is part of the key too;
- a name the case file does not hold comes from the org's table (``casefacts.People``),
  which changes without the ledger: a record keeps the names it looked up and is reused
  only while the table still gives the same ones;
- a record is kept only when the case did not change while it was being built;
- what depends on the viewer (the access checks, the access log, the actions and their
  forms, the CSRF token) is never part of a record.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from threading import Lock
from typing import Any, Generic, TypeVar

from django.utils import timezone

from fairpivot.domain.ledger import GENESIS, Entry, first_break, head_matches
from fairpivot.domain.review import Review
from fairpivot.records.cases.commands import Situation
from fairpivot.records.cases.documents import Issued
from fairpivot.records.cases.workflow import Hold
from fairpivot.records.ledger.chains import entries_from, history_head, ledger_rows
from fairpivot.records.models import Case, Employee
from fairpivot.web.case.forms import Options
from fairpivot.web.privacy import Audience

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

# Records kept per process: a worker serves the cases being worked on, not every case.
RECORDS_KEPT = 256


class Memo(Generic[K, V]):
    """The last ``size`` values by key, shared by a process's threads (least recent out)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = Lock()

    def get(self, key: K) -> V | None:
        """The value kept for ``key``, if any."""
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        """Keep ``value`` for ``key``, dropping the least recently used beyond the size."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget everything kept."""
        with self._lock:
            self._items.clear()


@dataclass(slots=True)
class Record:
    """What a case's ledger says, as a page shows it on one day to one audience.

    Shared between requests and threads: nothing here is changed once built, but
    ``fragments`` (the HTML rendered from it) and ``forms``, filled in on first use.
    """

    raw: dict[str, Any]  # the case file's JSON value
    result: Review
    context: dict[str, Any]  # template context: review, timeline, notes, ledger rows
    choices: dict[str, dict[str, Options]]  # the entries the forms offer to pick from
    holds: list[Hold]  # steps waiting for HR sign-off
    org_names: dict[str, str]  # names looked up in the org's table, not in the case file
    situation: Situation  # the read model it was built from (the commands' too)
    issued: list[Issued]  # the documents issued in the case (who may have each: per viewer)
    # The ledger's rows it was built from (``ledger_rows``), verified then: a view whose
    # rows are equal to them may reuse it (``record_of``). Empty until kept.
    rows: list[tuple[Any, ...]] = field(default_factory=list)
    fragments: dict[str, str] = field(default_factory=dict)
    # The commands open and their forms, by the viewer's relations to the case and where
    # the forms go back to: the same for everyone who stands to the case the same way.
    forms: dict[tuple[Any, ...], Any] = field(default_factory=dict)
    # Whole pages by viewer (views/case.py), with a stand-in for the CSRF token.
    pages: dict[tuple[Any, ...], str] = field(default_factory=dict)


Build = Callable[[list[Entry]], Record]

_records: Memo[tuple[Any, ...], Record] = Memo(RECORDS_KEPT)


def record_of(case: Case, now: date, audience: Audience, build: Build) -> Record:
    """The case's record, reused when its verified ledger, day and audience are unchanged."""
    rows = ledger_rows(case)
    history = _history_of(case)
    key = (
        case.pk,
        case.version,
        case.head_hash,
        history,
        case.employee_ref,
        case.policy,
        now,
        audience,
        timezone.get_current_timezone_name(),
    )
    found = _records.get(key)
    # Rows equal, column by column as the database gives them, to those of a kept record
    # (whose chain was hashed and verified to end at this head when it was built) verify
    # without hashing them again; any other rows are verified from the first entry.
    if found is not None and found.rows == rows and names_unchanged(found.org_names):
        return found
    entries = entries_from(case, rows)
    if not verifies(case, entries):
        return build(entries)  # shown as broken, and never kept
    made = build(entries)
    made.rows = rows
    if _unchanged_since(case) and history_head(case.employee_ref) == history:
        _records.put(key, made)
    return made


def _history_of(case: Case) -> tuple[int, str]:
    """Where the employee's history stands: as read with the case (``access.case_for``), or
    read now."""
    if hasattr(case, "history_version"):
        return getattr(case, "history_version", 0) or 0, getattr(
            case, "history_head", ""
        ) or GENESIS
    return history_head(case.employee_ref)


def _unchanged_since(case: Case) -> bool:
    """Whether the case is still at the version its entries were read at.

    A record is built from a few reads (the entries, the review's facts, the held steps);
    a change committed between them would mix two versions, so such a record serves only
    the request that built it, as a page always did, and is not kept.
    """
    now = Case.objects.filter(pk=case.pk).values_list("version", flat=True).first()
    return now == case.version


def verifies(case: Case, entries: list[Entry]) -> bool:
    """Whether the chain is intact and ends at the case's recorded head."""
    head_ok = head_matches(case.version, case.head_hash, entries)
    return head_ok and first_break(entries) is None


def names_unchanged(names: dict[str, str]) -> bool:
    """Whether the org's table still names these people as it did (an id: no such person)."""
    if not names:
        return True
    rows = dict(
        Employee.objects.filter(employee_id__in=list(names)).values_list("employee_id", "name")
    )
    return all((rows.get(ident) or ident) == name for ident, name in names.items())


def forget() -> None:
    """Drop every kept record (tests; a process never needs to)."""
    _records.clear()
