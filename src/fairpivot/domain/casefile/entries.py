"""A case file as ledger entries and back: one header, then one entry per fact and event.

Import then export must give back the same JSON value, so the header keeps the file's
top-level keys in their order, and an array key appears in the export only if the file had
it or an entry of its kind was recorded since.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

HEADER = "opened"
RETRACTION = "retraction"
DISPUTE = "dispute"
# Entry kinds that hold one item of a case-file array, and the array's key.
ARRAY_KINDS: dict[str, str] = {
    "person": "people",
    "rating": "ratings",
    "promotion": "promotions",
    "equity": "equity",
    "bonus": "bonuses",
    "protected_activity": "protected_activities",
    "event": "events",
}
_KIND_OF_ARRAY = {key: kind for kind, key in ARRAY_KINDS.items()}
# Kinds that belong to the person, not to one case (review-v4.md section 8 item 4): live,
# they are recorded in the employee's history, which every case of theirs reads.
PERSON_KINDS = frozenset({"protected_activity", "rating", "promotion", "equity", "bonus"})
# An entry that sets the case's price per share (``{"value": number}``), which values its
# equity: recorded live with a case's first equity grant; the latest one stands.
SHARE_PRICE = "share_price"


@dataclass(frozen=True, slots=True)
class Fact:
    """An entry's kind and payload, as the case file sees it."""

    seq: int
    kind: str
    payload: Any


def split(case_file: dict[str, Any]) -> list[tuple[str, Any]]:
    """The entries that record a well-formed case file: its header, then each item."""
    header = {
        "keys": list(case_file),
        "case_file": {k: v for k, v in case_file.items() if k not in _KIND_OF_ARRAY},
    }
    entries: list[tuple[str, Any]] = [(HEADER, header)]
    for key, value in case_file.items():
        if key in _KIND_OF_ARRAY:
            entries += [(_KIND_OF_ARRAY[key], item) for item in value]
    return entries


def retracted(facts: Iterable[Fact]) -> set[int]:
    """The positions of entries a later retraction names."""
    return {int(f.payload["entry"]) for f in facts if f.kind == RETRACTION}


def with_history(
    case: Sequence[Fact], history: Sequence[Fact], scale: Collection[str] | None = None
) -> list[Fact]:
    """A case's facts, then the entries of its employee's history the case does not hold.

    A history entry equal to one of the case's own (same kind and fields, its date among
    them) is that entry, recorded from this case or imported with its file: it is left
    out, and a correction in the history naming it names the case's entry. The others are
    numbered -1, -2, ... (their history position, negated), so a correction in either
    ledger names only what it means.

    An entry recorded from another case is read as this case's file can hold it: a
    rating off this case's policy ``scale`` and equity in a case with no share price (to
    value it) are left out, and of the people an activity was known to, those this case
    does not name (who cannot be its manager or anyone acting in it) are left out.
    """
    position = history_positions(case, history)
    header = case[0].payload["case_file"] if case and case[0].kind == HEADER else {}
    named = {str(header.get("employee", {}).get("id"))}
    named |= {str(f.payload.get("id")) for f in case if f.kind == "person"}
    merged = list(case)
    for fact in history:
        if position[fact.seq] > 0:
            continue
        payload = fact.payload
        if fact.kind in (RETRACTION, DISPUTE) and isinstance(payload, dict):
            target = int(payload["entry"])
            payload = {**payload, "entry": position.get(target, -target)}
        elif not _holds(fact, header, scale):
            continue
        elif fact.kind == "protected_activity" and payload.get("known_to") is not None:
            payload = {**payload, "known_to": [i for i in payload["known_to"] if i in named]}
        merged.append(Fact(-fact.seq, fact.kind, payload))
    return merged


def _holds(fact: Fact, header: dict[str, Any], scale: Collection[str] | None) -> bool:
    """Whether a case with this header and rating scale can hold another case's entry."""
    if fact.kind == "rating":
        return scale is None or fact.payload.get("value") in scale
    if fact.kind == "equity":
        return header.get("share_price") is not None
    return True


def history_positions(case: Sequence[Fact], history: Sequence[Fact]) -> dict[int, int]:
    """Where each history entry stands among a case's facts: the case entry equal to it
    (first come, first matched), else its own position negated."""
    own: dict[str, list[int]] = {}
    for fact in case:
        if fact.kind in PERSON_KINDS and fact.seq > 0:
            own.setdefault(same_fact(fact.kind, fact.payload), []).append(fact.seq)
    position: dict[int, int] = {}
    for fact in history:
        held = own.get(same_fact(fact.kind, fact.payload)) if fact.kind in PERSON_KINDS else None
        position[fact.seq] = held.pop(0) if held else -fact.seq
    return position


def same_fact(kind: str, payload: Any) -> str:
    """What makes two person entries the same: their kind and every field, in any order."""
    return kind + " " + json.dumps(payload, sort_keys=True, ensure_ascii=False)


def assemble(facts: Sequence[Fact], today: date) -> dict[str, Any]:
    """The case file the entries describe, leaving out retracted entries.

    A case opened by import keeps the file's ``as_of`` unless a later event is dated after
    it; a case opened in live use is reviewed as of ``today``.
    """
    if not facts or facts[0].kind != HEADER:
        raise ValueError("a case's first entry must be its header")
    header = facts[0].payload
    gone = retracted(facts)
    arrays: dict[str, list[Any]] = {}
    scalars: dict[str, Any] = {}
    for fact in facts[1:]:
        if fact.seq in gone:
            continue
        if fact.kind == SHARE_PRICE:
            scalars[SHARE_PRICE] = fact.payload["value"]
        elif fact.kind in ARRAY_KINDS:
            arrays.setdefault(ARRAY_KINDS[fact.kind], []).append(fact.payload)
    keys = list(header["keys"])
    keys += [key for key in scalars if key not in keys]
    keys += [key for key in ARRAY_KINDS.values() if key in arrays and key not in keys]
    if "events" not in keys:
        keys.append("events")
    out: dict[str, Any] = {}
    for key in keys:
        if key in _KIND_OF_ARRAY:
            out[key] = arrays.get(key, [])
        elif key in scalars:
            out[key] = scalars[key]
        else:
            out[key] = header["case_file"][key] if key != "as_of" else None
    out["as_of"] = _as_of(header["case_file"].get("as_of"), out["events"], today)
    return out


def _as_of(recorded: str | None, events: list[dict[str, Any]], today: date) -> str:
    if recorded is None:
        return today.isoformat()
    latest = max((str(e["date"]) for e in events), default=recorded)
    return max(recorded, latest)
