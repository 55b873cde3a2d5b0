"""A case's ledger entries worded for its pages: the notes filed, and the ledger's rows.

Restricted entries (protected activities, for viewers who may not see them) are named as
restricted, never described.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fairpivot.domain.ledger import Entry
from fairpivot.web.casefacts import People, offered_tiers, signed_tiers
from fairpivot.web.forms import Options
from fairpivot.web.wording import activity_label, event_label, humanize

# Entry kinds an employee may reply to in writing.
REPLIABLE = frozenset({"event", "document", "statement", "rating", "promotion", "signoff"})
NOTE_KINDS = ("document", "statement", "reply")
NOT_RETRACTABLE = frozenset({"opened", "retraction"})


@dataclass(frozen=True, slots=True)
class Note:
    """A document, appeal statement or reply filed in the case."""

    seq: int
    kind: str
    heading: str
    by: str
    at: datetime
    text: str
    retracted: bool


@dataclass(frozen=True, slots=True)
class LedgerRow:
    """One ledger entry as the ledger table shows it."""

    seq: int
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
    """The positions a later retraction names."""
    return {int(data[e.seq]["entry"]) for e in entries if e.kind == "retraction"}


def notes(entries: list[Entry], data: dict[int, Any], people: People) -> list[Note]:
    """The documents, statements and replies, oldest first."""
    gone = retracted_seqs(entries, data)
    out = []
    for entry in entries:
        if entry.kind not in NOTE_KINDS:
            continue
        payload = data[entry.seq]
        heading = {
            "document": f"Document: {payload.get('title', '')}",
            "statement": f"Appeal statement ({payload.get('side', '')} side)",
            "reply": f"Reply to entry {payload.get('to')}",
        }[entry.kind]
        at = datetime.fromisoformat(entry.recorded_at)
        by = people.name(payload.get("by")) or entry.recorded_by
        out.append(
            Note(entry.seq, entry.kind, heading, by, at, str(payload["text"]), entry.seq in gone)
        )
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
    "retraction": lambda p, _: f"Retracts entry {p['entry']}: {p['reason']}",
    "dispute": lambda p, _: f"Disputes entry {p['entry']}: {p['reason']}",
    "hold": lambda p, _: f"{event_label(p['event']['type'])} held for HR sign-off",
    "signoff": lambda p, _: f"HR {p['decision']} held entry {p['hold']}",
    "panel_vote": lambda p, people: f"Panel vote by {people.name(p.get('voter'))}",
    "document": lambda p, _: f"Document: {p.get('title', '')}",
    "statement": lambda p, _: f"Appeal statement ({p.get('side')} side)",
    "reply": lambda p, _: f"Reply to entry {p.get('to')}",
}


def describe_entry(kind: str, payload: Any, people: People, *, sensitive: bool) -> str:
    """What an entry records, in a few words; protected activities only when ``sensitive``."""
    if kind in ("protected_activity", "dispute") and not sensitive:
        return "Restricted"
    describe = _ENTRIES.get(kind)
    return describe(payload, people) if describe else humanize(kind)


def ledger_rows(
    entries: list[Entry], data: dict[int, Any], people: People, *, sensitive: bool, employee: str
) -> list[LedgerRow]:
    """The ledger's rows, with restricted entries named but not described."""
    gone = retracted_seqs(entries, data)
    rows = []
    for entry in entries:
        payload = data[entry.seq]
        restricted = entry.kind == "protected_activity" and not sensitive
        by = payload.get("by") if isinstance(payload, dict) else None
        rows.append(
            LedgerRow(
                entry.seq,
                "restricted" if restricted else entry.kind,
                describe_entry(entry.kind, payload, people, sensitive=sensitive),
                entry.recorded_by,
                entry.recorded_at[:19].replace("T", " ") + " UTC",
                entry.hash[:12],
                entry.seq in gone,
                by == employee,
            )
        )
    return rows


def field_choices(
    employee: str, raw: dict[str, Any], entries: list[Entry], data: dict[int, Any], sensitive: bool
) -> dict[str, dict[str, Options]]:
    """Choices for the action fields that name something in the case: entries and tiers."""
    people = People(raw)
    gone = retracted_seqs(entries, data)
    kinds = {e.seq: e.kind for e in entries}

    def label(seq: int) -> str:
        return f"#{seq} {describe_entry(kinds[seq], data[seq], people, sensitive=sensitive)}"

    # The employee replies to what others recorded; HR retracts anything but the header.
    repliable = [
        s
        for s, k in kinds.items()
        if k in REPLIABLE and s not in gone and data[s].get("by") != employee
    ]
    retractable = [s for s, k in kinds.items() if k not in NOT_RETRACTABLE and s not in gone]
    out: dict[str, dict[str, Options]] = {
        "reply": {"to": tuple((str(s), label(s)) for s in repliable)},
        "retract": {"entry": tuple((str(s), label(s)) for s in retractable)},
    }
    tiers = {"sign_offer": offered_tiers(raw), "revoke_offer": signed_tiers(raw)}
    for name, found in tiers.items():
        if found:
            out[name] = {"tier": tuple((str(t), f"Tier {t}") for t in found)}
    return out
