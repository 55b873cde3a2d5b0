"""A case file as ledger entries and back: one header, then one entry per fact and event.

Import then export must give back the same JSON value, so the header keeps the file's
top-level keys in their order, and an array key appears in the export only if the file had
it or an entry of its kind was recorded since.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

HEADER = "opened"
RETRACTION = "retraction"
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
    for fact in facts[1:]:
        if fact.seq in gone or fact.kind not in ARRAY_KINDS:
            continue
        arrays.setdefault(ARRAY_KINDS[fact.kind], []).append(fact.payload)
    keys = list(header["keys"])
    keys += [key for key in ARRAY_KINDS.values() if key in arrays and key not in keys]
    if "events" not in keys:
        keys.append("events")
    out: dict[str, Any] = {}
    for key in keys:
        if key in _KIND_OF_ARRAY:
            out[key] = arrays.get(key, [])
        else:
            out[key] = header["case_file"][key] if key != "as_of" else None
    out["as_of"] = _as_of(header["case_file"].get("as_of"), out["events"], today)
    return out


def _as_of(recorded: str | None, events: list[dict[str, Any]], today: date) -> str:
    if recorded is None:
        return today.isoformat()
    latest = max((str(e["date"]) for e in events), default=recorded)
    return max(recorded, latest)
