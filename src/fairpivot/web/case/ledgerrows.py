"""A case's ledger entries worded for its pages: the notes filed, and the ledger's rows.

A viewer who may not see every entry (``privacy``: a manager, a panelist) gets only the
entries they may see, with no placeholder for the others: no row, number, count, time or
author says that one exists. A retraction is shown only with the entry it retracts, and
without its reason to those who may not read reasons.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fairpivot.domain.casefile.entries import Fact, retracted
from fairpivot.domain.ledger import Entry
from fairpivot.records.cases.documents import is_issued
from fairpivot.web.case.casefacts import People
from fairpivot.web.case.forms import Options
from fairpivot.web.privacy import FULL, Sight
from fairpivot.web.wording import activity_label, event_label, humanize

# Entry kinds an employee may reply to in writing.
REPLIABLE = frozenset(
    {"event", "document", "statement", "rating", "promotion", "signoff", "dispute"}
)
NOTE_KINDS = ("document", "statement", "reply", "terms_requested", "terms_refused")
NOT_RETRACTABLE = frozenset({"opened", "retraction", "dispute"})


@dataclass(frozen=True, slots=True)
class Note:
    """A document, appeal statement or reply filed in the case."""

    seq: int | None  # its ledger entry, for those who see entry numbers
    kind: str
    heading: str
    by: str
    at: datetime
    text: str
    retracted: bool


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One ledger entry as the ledger table shows it."""

    seq: int | None  # its position, for those who see entry numbers
    kind: str
    what: str
    recorded_by: str
    recorded_at: str
    short_hash: str
    retracted: bool
    by_employee: bool


def payloads(entries: list[Entry]) -> dict[int, Any]:
    """Each entry's payload, by position."""
    return {e.seq: json.loads(e.payload) for e in entries}


def retracted_seqs(entries: list[Entry], data: dict[int, Any]) -> set[int]:
    """The positions a later retraction names (the case file's own rule, on these rows)."""
    return retracted(Fact(e.seq, e.kind, data[e.seq]) for e in entries)


def visible_entries(entries: list[Entry], data: dict[int, Any], sight: Sight) -> list[Entry]:
    """The entries ``sight`` may see, oldest first; a retraction only with its entry."""
    if sight.everything:
        return entries
    kinds = sight.ledger_kinds
    seen = {
        e.seq
        for e in entries
        if e.kind in kinds and e.kind != "retraction" and _issued_to(sight, data[e.seq])
    }
    return [
        e
        for e in entries
        if e.seq in seen
        or (e.kind == "retraction" and "retraction" in kinds and _target(data, e.seq) in seen)
    ]


def _issued_to(sight: Sight, payload: Any) -> bool:
    """Whether an entry is no issued document, or one given to the sight's audience (a
    manager sees the letters HR gave them a copy of, a panelist none, the employee's own
    record the letters given to the employee)."""
    recipient = RECIPIENT.get(sight.audience, sight.audience)
    return not is_issued(payload) or recipient in payload.get("audience", [])


# The recipient an audience is on an issued document, where the two names differ.
RECIPIENT = {"own": "employee"}


def _target(data: dict[int, Any], seq: int) -> int | None:
    payload = data.get(seq)
    entry = payload.get("entry") if isinstance(payload, dict) else None
    return int(entry) if isinstance(entry, int) else None


def notes(
    entries: list[Entry], data: dict[int, Any], people: People, sight: Sight = FULL
) -> list[Note]:
    """The documents, statements and replies, oldest first (of ``entries``, those shown)."""
    gone = retracted_seqs(entries, data)
    out = []
    for entry in entries:
        payload = data[entry.seq]
        if entry.kind not in NOTE_KINDS or is_issued(payload):
            continue  # an issued file is listed with the case's documents, not as a note
        reply = f"Reply to entry {payload.get('to')}" if sight.entry_numbers else "Reply"
        heading = {
            "document": f"Document: {payload.get('title', '')}",
            "statement": f"Appeal statement ({payload.get('side', '')} side)",
            "reply": reply,
            "terms_requested": "Request for other terms" + _asked(payload),
            "terms_refused": "HR's refusal of the request for other terms",
        }[entry.kind]
        at = datetime.fromisoformat(entry.recorded_at)
        by = people.name(payload.get("by")) or entry.recorded_by
        seq = entry.seq if sight.entry_numbers else None
        out.append(Note(seq, entry.kind, heading, by, at, str(payload["text"]), entry.seq in gone))
    return out


Describe = Callable[[Any, People], str]
# What each kind of entry records, in a few words.
_ENTRIES: dict[str, Describe] = {
    "opened": lambda p, _: f"Case opened under {p['case_file'].get('policy', 'amazon-pivot')}",
    "event": lambda p, _: f"{event_label(p['type'])} ({p['date']})",
    "protected_activity": lambda p, _: f"{activity_label(p['kind'])} ({p['date']})",
    "person": lambda p, _: f"{p['name']} ({p['role']})",
    "rating": lambda p, _: f"Rating {p['value']} ({p['date']})",
    "promotion": lambda p, _: f"Promotion ({p['date']})",
    "bonus": lambda p, _: f"Bonus ({p['date']})",
    "equity": lambda p, _: f"Equity grant {p['grant']}",
    "share_price": lambda p, _: f"Price per share: {p['value']}",
    "retraction": lambda p, _: f"Retracts entry {p['entry']}: {p['reason']}",
    "dispute": lambda p, _: f"Disputes entry {p['entry']}: {p['reason']}",
    "hold": lambda p, _: f"{event_label(p['event']['type'])} held for HR sign-off",
    "signoff": lambda p, _: f"HR {p['decision']} held entry {p['hold']}",
    "panel_vote": lambda p, people: f"Panel vote by {people.name(p.get('voter'))}",
    "document": lambda p, _: f"Document: {p.get('title', '')}",
    "statement": lambda p, _: f"Appeal statement ({p.get('side')} side)",
    "reply": lambda p, _: f"Reply to entry {p.get('to')}",
    "terms_requested": lambda p, _: "Request for other terms" + _asked(p),
    "terms_refused": lambda p, _: f"HR refused the request of entry {p.get('request')}",
    "panel_seated": lambda p, people: (
        "Panel seated: " + ", ".join(people.name(i) or i for i in p.get("ids", []))
    ),
    "panel_recused": lambda p, people: f"{people.name(p.get('id')) or p.get('id')} recused",
}


def _asked(payload: Any) -> str:
    """What a request for other terms asks for, in a few words."""
    parts = []
    if payload.get("amount") is not None:
        parts.append(f"amount {payload['amount']:,}")
    if payload.get("consideration_days") is not None:
        parts.append(f"{payload['consideration_days']} days to consider")
    if payload.get("drop_clauses"):
        parts.append("without " + ", ".join(humanize(c) for c in payload["drop_clauses"]))
    return f" ({'; '.join(parts)})" if parts else ""


# The same, without the entry numbers they name, for those who do not see entry numbers.
_UNNUMBERED: dict[str, Callable[[Any], str]] = {
    "signoff": lambda p: f"HR {p['decision']} a held step",
    "reply": lambda p: "Reply",
    "terms_refused": lambda p: "HR refused a request for other terms",
}


def describe_entry(kind: str, payload: Any, people: People) -> str:
    """What an entry records, in a few words."""
    describe = _ENTRIES.get(kind)
    return describe(payload, people) if describe else humanize(kind)


def ledger_rows(
    entries: list[Entry],
    data: dict[int, Any],
    people: People,
    *,
    sight: Sight = FULL,
    employee: str,
) -> list[LedgerRow]:
    """The rows of ``entries`` (those ``sight`` may see, from ``visible_entries``)."""
    gone = retracted_seqs(entries, data)
    kinds = {e.seq: e.kind for e in entries}
    rows = []
    for entry in entries:
        payload = data[entry.seq]
        by = payload.get("by") if isinstance(payload, dict) else None
        what = describe_entry(entry.kind, payload, people)
        if not sight.entry_numbers and entry.kind in _UNNUMBERED:
            what = _UNNUMBERED[entry.kind](payload)
        if entry.kind == "retraction" and not sight.retraction_reasons:
            target = int(payload["entry"])
            what = "Retracts: " + describe_entry(kinds[target], data[target], people)
        rows.append(
            LedgerRow(
                entry.seq if sight.entry_numbers else None,
                entry.kind,
                what,
                entry.recorded_by,
                entry.recorded_at[:19].replace("T", " ") + " UTC",
                entry.hash[:12],
                entry.seq in gone,
                by == employee,
            )
        )
    return rows


def field_choices(
    employee: str,
    raw: dict[str, Any],
    entries: list[Entry],
    data: dict[int, Any],
    mine: frozenset[int] = frozenset(),
) -> dict[str, dict[str, Options]]:
    """Choices for the command fields that name an entry of the case (the offers open to
    sign and the signings open to revoke are the commands' own choices).

    ``entries`` are those the viewer may see; only they are offered. ``mine`` are the
    entries the employee recorded: HR disputes them, never retracts them."""
    people = People(raw)
    gone = retracted_seqs(entries, data)
    kinds = {e.seq: e.kind for e in entries}

    def label(seq: int) -> str:
        return f"#{seq} {describe_entry(kinds[seq], data[seq], people)}"

    # The employee replies to what others recorded; HR retracts its own mistakes and
    # disputes what the employee recorded.
    repliable = [
        s
        for s, k in kinds.items()
        if k in REPLIABLE and s not in gone and data[s].get("by") != employee
    ]
    open_ = [s for s, k in kinds.items() if k not in NOT_RETRACTABLE and s not in gone]
    out: dict[str, dict[str, Options]] = {
        "reply": {"to": tuple((str(s), label(s)) for s in repliable)},
        "retract": {"entry": tuple((str(s), label(s)) for s in open_ if s not in mine)},
        "dispute": {"entry": tuple((str(s), label(s)) for s in open_ if s in mine)},
    }
    return out
