"""Review cases from their ledger facts and turn the results into projection rows.

Pure: no Django, no database. The screen runs it in worker processes as well as in its
own, so it must stay importable (and picklable) without the web app around it.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

import msgspec

from fairpivot.domain.analytics.milestones import Milestones, milestones
from fairpivot.domain.casefile import CaseFile, LoadedCase, check_case_document
from fairpivot.domain.casefile.entries import Fact, assemble, with_history
from fairpivot.domain.errors import InvalidInput
from fairpivot.domain.policy import Policy, load_policy
from fairpivot.domain.review import Deadline, Finding, Option, Review
from fairpivot.domain.review.engine import examine
from fairpivot.domain.review.model import NOTICE

shipped_policy: Callable[[str], Policy] = cache(load_policy)
Row = tuple[Any, ...]
Entry = tuple[int, str, str]  # a stored entry's seq, kind and payload (JSON text)


@dataclass(frozen=True, slots=True)
class StoredCase:
    """A case's ledger entries and its employee's history as read, payloads not decoded.

    The screen reads these and hands them to the worker processes as they are: decoding
    the payloads there, not in the process that reads and writes the database, keeps that
    one from being the bottleneck, and text pickles far cheaper than the decoded values.
    """

    case_id: int
    policy: str
    entries: list[Entry]
    history: list[Entry]


@dataclass(frozen=True, slots=True)
class Reviewed:
    """One case's review and milestones, ready to store."""

    case_id: int
    review: Review
    milestones: Milestones


@dataclass(slots=True)
class BatchRows:
    """A batch of reviews as the rows of each projection table (dates as ISO text)."""

    case_ids: list[int] = field(default_factory=list)
    projections: list[Row] = field(default_factory=list)  # refreshed_at is added on writing
    deadlines: list[Row] = field(default_factory=list)
    findings: list[Row] = field(default_factory=list)
    releases: list[Row] = field(default_factory=list)


def scale_of(policy: str) -> list[str] | None:
    """The rating scale of a shipped policy (None if it is not one): what a case can hold."""
    try:
        return shipped_policy(policy).scale.values
    except InvalidInput:
        return None


def facts_of_stored(case: StoredCase) -> list[Fact]:
    """The case's facts, then its employee's history's (numbered -1, -2, ...)."""
    loads = msgspec.json.decode
    facts = [Fact(seq, kind, loads(payload)) for seq, kind, payload in case.entries]
    if not case.history:
        return facts
    history = [Fact(seq, kind, loads(payload)) for seq, kind, payload in case.history]
    return with_history(facts, history, scale_of(case.policy))


def load_facts(facts: Sequence[Fact], day: date) -> LoadedCase:
    """The case file a ledger's facts describe, checked (retractions applied).

    Read as stored: a record an earlier version accepted stays readable, and the checks
    v4 added are for new entries and ``fairpivot ledger verify`` (review-v4.md 8.11).
    """
    return check_case_document(assemble(facts, day), resolve=shipped_policy, stored=True)


def review_facts(
    case_id: int, facts: Sequence[Fact], day: date, as_of: date | None = None
) -> Reviewed:
    """Review a case from its facts, as of ``as_of`` when given and later than its file's."""
    return review_loaded(case_id, load_facts(facts, day), as_of)


def review_loaded(case_id: int, loaded: LoadedCase, as_of: date | None = None) -> Reviewed:
    """Review a case file already checked (as ``review_facts`` does once it has loaded it)."""
    moved = as_of if as_of is not None and as_of > loaded.file.as_of else None
    result, ctx = examine(loaded.file, loaded.policy, as_of=moved, case_id=f"C-{case_id}")
    return Reviewed(case_id, result, milestones(ctx))


def review_batch(
    ledgers: Sequence[tuple[int, Sequence[Fact]]], day: date, as_of: date | None
) -> BatchRows:
    """Review a batch of cases and return their projection rows (run in worker processes)."""
    return rows_of([review_facts(case_id, facts, day, as_of) for case_id, facts in ledgers])


def review_checked(cases: Sequence[tuple[int, CaseFile, Policy]]) -> BatchRows:
    """Review a batch of case files as checked on import (run in worker processes too)."""
    return rows_of([review_loaded(pk, LoadedCase(file, policy, {})) for pk, file, policy in cases])


def review_stored(cases: Sequence[StoredCase], day: date, as_of: date | None) -> BatchRows:
    """``review_batch`` from the entries as read (the screen's worker processes run this)."""
    with _no_cycle_collection():
        return review_batch([(c.case_id, facts_of_stored(c)) for c in cases], day, as_of)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Hold Python's cycle collector for a batch, then let it run as before.

    A review allocates tens of thousands of small objects a batch, freed by reference
    counting as each case is done; the collector, run every 700 allocations, walked them
    all the same: about a tenth of a batch's CPU. Any cycles a batch leaves are collected
    once it is done.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def rows_of(batch: Sequence[Reviewed]) -> BatchRows:
    """The projection rows of a batch of reviews."""
    out = BatchRows()
    for item in batch:
        result, marks = item.review, item.milestones
        out.case_ids.append(item.case_id)
        out.projections.append(_projection(item))
        out.deadlines += [
            (item.case_id, d.code, d.date.isoformat(), d.passed, d.settled)
            for d in result.deadlines
        ]
        out.findings += [
            (item.case_id, f.code, f.severity, f.date.isoformat()) for f in result.findings
        ]
        out.releases += [
            (
                item.case_id,
                marks.org,
                o.date.isoformat(),
                o.consideration_days,
                o.age_40_plus,
                o.amount,
                o.formula_amount,
                o.negotiated,
                o.group_disclosures,
            )
            for o in marks.releases
            # An offer the employer ran as a group program is judged by the case review.
            if not o.group_program
        ]
    return out


# The case projection's columns in the order of ``_projection``'s tuple, then the versions
# and refreshed_at.
PROJECTED = (
    "stage",
    "as_of",
    "review",
    "worst_severity",
    "high_findings",
    "next_deadline",
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
    "expires_on",
    "case_version",  # this and the next: added by the writer, which knows what was read
    "history_version",
    "refreshed_at",
)


def _projection(item: Reviewed) -> Row:
    result, marks = item.review, item.milestones
    upcoming = [d.date for d in result.open_deadlines if not d.passed]
    return (
        item.case_id,
        result.stage,
        _day(result.as_of),
        msgspec.json.encode(result.to_json()).decode(),
        result.worst(),
        sum(f.severity == "high" for f in result.findings),
        _day(min(upcoming, default=None)),
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
        _day(result.expires_on),
    )


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


# The review format's key order, as the domain writes it (PostgreSQL's jsonb does not keep it).
_REVIEW_KEYS = tuple(Review("", date.min, "", "", "").to_json())
_PARTS = {
    "findings": tuple(Finding("", "info", date.min, "", {}, "").to_json()),
    "deadlines": tuple(Deadline("", date.min, False, "").to_json()),
    "options": tuple(Option("plan", None, 0.0, None, None, False, False).to_json()),
}


def review_document(stored: dict[str, Any]) -> dict[str, Any]:
    """A stored review as the review format writes it: keys in order, ``notice`` last.

    The projection's JSON column gives keys back in the database's own order on
    PostgreSQL. A review stored before reviews carried a notice gets it here (it is one
    fixed text, the same in every review), and a deadline stored before deadlines were
    judged settled says ``settled: false``, as the projection's column does, until
    ``fairpivot ledger rebuild`` recomputes it.
    """
    out = _in_order({"notice": NOTICE, **stored}, _REVIEW_KEYS)
    defaults: dict[str, dict[str, Any]] = {"deadlines": {"settled": False}}
    for part, keys in _PARTS.items():
        if isinstance(out.get(part), list):
            out[part] = [_in_order({**defaults.get(part, {}), **i}, keys) for i in out[part]]
    return out


def _in_order(item: dict[str, Any], keys: tuple[str, ...]) -> dict[str, Any]:
    """``item`` with ``keys`` first, in that order, then any others, the last key kept last."""
    head = [k for k in keys[:-1] if k in item]
    rest = [k for k in item if k not in keys]
    tail = [keys[-1]] if keys and keys[-1] in item else []
    return {k: item[k] for k in (*head, *rest, *tail)}
