"""The hash chain behind every case's ledger: pure, so a third party can check it too.

Each entry's hash is SHA-256 over a JSON array of the case id, the entry's position, its
kind, its payload text exactly as stored, who recorded it, when (UTC, microseconds) and
the previous entry's hash. Changing any entry changes its hash, and so every hash after it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from fairpivot.domain.errors import InvalidInput

GENESIS = "0" * 64
LEDGER_FORMAT = "fairpivot.ledger/1"


@dataclass(frozen=True, slots=True)
class Entry:
    """One ledger entry as it is hashed and exported."""

    case: str
    seq: int
    kind: str
    payload: str
    recorded_by: str
    recorded_at: str
    prev_hash: str
    hash: str
    # A redacted ledger's withheld entry (review-v4.md section 8 item 5): only its number
    # and stored hash are known, so only the link from the entry after it can be checked.
    withheld: bool = False

    def describe(self) -> str:
        """The entry named for a person: ``entry 5 (event pivot_offered of 2025-06-02)``."""
        what = self.kind
        try:
            data = json.loads(self.payload)
        except ValueError:
            data = None
        if isinstance(data, dict) and self.kind == "event":
            what = f"event {data.get('type')} of {data.get('date')}"
        elif isinstance(data, dict) and "date" in data:
            what = f"{self.kind} of {data.get('date')}"
        return f"entry {self.seq} ({what})"


@dataclass(frozen=True, slots=True)
class Break:
    """The first place a chain does not hold, and why."""

    case: str
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"{self.case}: {self.reason}"


def payload_text(value: Any) -> str:
    """The compact JSON text an entry stores and hashes; key order is kept as given.

    ``json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)``,
    character for character: the same C encoder, made once rather than on every call
    (which was most of the time of hashing thousands of entries on import).
    """
    if _ENCODE is None:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return "".join(_ENCODE(value, 0))


def entry_hash(
    *,
    case: str,
    seq: int,
    kind: str,
    payload: str,
    recorded_by: str,
    recorded_at: str,
    prev_hash: str,
) -> str:
    """The SHA-256 of one entry, chained to the one before it."""
    # json.dumps([case, seq, kind, payload, recorded_by, recorded_at, prev_hash],
    # ensure_ascii=False, separators=(",", ":")), spelled out: the strings escaped by the
    # function json.dumps uses for them, the position as the int it is.
    text = _text
    material = (
        f"[{text(case)},{int(seq)},{text(kind)},{text(payload)},"
        f"{text(recorded_by)},{text(recorded_at)},{text(prev_hash)}]"
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


_text = json.encoder.encode_basestring  # the C one, as json.dumps(ensure_ascii=False) uses
_MAKE: Any = getattr(json.encoder, "c_make_encoder", None)  # None without CPython's _json
_ENCODE: Any = (
    None
    if _MAKE is None
    else _MAKE(
        None,  # no circular check: payloads are decoded JSON, trees by construction
        json.JSONEncoder().default,  # raises TypeError for what JSON cannot hold
        _text,
        None,
        ":",
        ",",
        False,
        False,
        False,  # allow_nan: NaN and the infinities raise ValueError
    )
)


def head_matches(version: int, head_hash: str, entries: Sequence[Entry]) -> bool:
    """Whether a chain's recorded head (its count and last hash) is where its entries end."""
    return version == len(entries) and (not entries or entries[-1].hash == head_hash)


def first_break(entries: Sequence[Entry]) -> Break | None:
    """Check one case's chain from its first entry; return the first broken link."""
    previous = GENESIS
    for position, entry in enumerate(entries, start=1):
        if entry.seq != position:
            return Break(
                entry.case,
                entry.seq,
                f"entry {entry.seq} is out of place: expected entry {position}",
            )
        if entry.withheld:
            previous = entry.hash
            continue
        if entry.prev_hash != previous:
            return Break(
                entry.case, entry.seq, f"{entry.describe()} does not follow the entry before it"
            )
        expected = entry_hash(
            case=entry.case,
            seq=entry.seq,
            kind=entry.kind,
            payload=entry.payload,
            recorded_by=entry.recorded_by,
            recorded_at=entry.recorded_at,
            prev_hash=entry.prev_hash,
        )
        if entry.hash != expected:
            return Break(
                entry.case, entry.seq, f"{entry.describe()} was changed after it was recorded"
            )
        previous = entry.hash
    return None


def checkpoint_root(heads: Iterable[tuple[str, int, str]]) -> str:
    """One hash over every case chain's head: ``case seq hash`` lines, sorted."""
    lines = sorted(f"{case} {seq} {head}" for case, seq, head in heads)
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()


def ledger_document(
    case: str, entries: Sequence[Entry], withheld: Collection[int] = ()
) -> dict[str, Any]:
    """A case's ledger as a standalone document, for ``fairpivot ledger verify --file``.

    An entry whose number is in ``withheld`` is listed by its number, the word
    ``withheld`` and its stored hash only (review-v4.md section 8 item 5).
    """
    return {
        "format": LEDGER_FORMAT,
        "case": case,
        "hash": "sha256 over the JSON array [case, seq, kind, payload, recorded_by, "
        "recorded_at, prev_hash], compact, UTF-8; the first prev_hash is 64 zeros",
        "entries": [
            {"seq": e.seq, "withheld": True, "hash": e.hash}
            if e.seq in withheld
            else {
                "seq": e.seq,
                "kind": e.kind,
                "payload": e.payload,
                "recorded_by": e.recorded_by,
                "recorded_at": e.recorded_at,
                "prev_hash": e.prev_hash,
                "hash": e.hash,
            }
            for e in entries
        ],
    }


_ENTRY_KEYS = {
    "seq": int,
    "kind": str,
    "payload": str,
    "recorded_by": str,
    "recorded_at": str,
    "prev_hash": str,
    "hash": str,
}


def parse_ledger_document(data: bytes) -> tuple[str, list[Entry]]:
    """Read a ledger document; raise InvalidInput naming each problem."""
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput([f"(file): not JSON ({exc})"]) from None
    if not isinstance(doc, dict) or doc.get("format") != LEDGER_FORMAT:
        raise InvalidInput([f"format: must be {json.dumps(LEDGER_FORMAT)}"])
    case, rows = doc.get("case"), doc.get("entries")
    problems = []
    if not isinstance(case, str) or not case:
        problems.append("case: must be a non-empty string")
    if not isinstance(rows, list):
        problems.append("entries: must be an array")
        rows = []
    entries = []
    for i, row in enumerate(rows):
        if isinstance(row, dict) and row.get("withheld") is True:
            kept = _withheld(str(case), i, row, problems)
            entries += [kept] if kept else []
            continue
        bad = [
            k
            for k, kind in _ENTRY_KEYS.items()
            if not isinstance(row, dict)
            or not isinstance(row.get(k), kind)
            or isinstance(row.get(k), bool)
        ]
        problems += [f"entries[{i}].{k}: missing or of the wrong type" for k in bad]
        if not bad:
            entries.append(Entry(case=str(case), **{k: row[k] for k in _ENTRY_KEYS}))
    if problems:
        raise InvalidInput(problems)
    return str(case), entries


def _withheld(case: str, i: int, row: dict[str, Any], problems: list[str]) -> Entry | None:
    """A withheld entry of a redacted ledger: its number and hash, nothing else."""
    seq, digest = row.get("seq"), row.get("hash")
    if isinstance(seq, int) and not isinstance(seq, bool) and isinstance(digest, str):
        return Entry(case, seq, "withheld", "", "", "", "", digest, withheld=True)
    problems.append(f"entries[{i}]: a withheld entry needs its seq (a number) and hash")
    return None
