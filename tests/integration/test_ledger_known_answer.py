"""The ledger's hash format, pinned by known answers: a fixed chain and its digests in hex.

Anyone checking an exported ledger recomputes these hashes from docs/records.md alone, and
a redacted ledger (review-v4.md section 8 item 5) lists withheld entries by the same
stored hash. So the format must never drift: a change of field order, separators, ASCII
escaping, the time's form or the checkpoint's lines changes a digest below and fails here.
The digests were computed once and written down; they are not recomputed by the code
under test.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

import pytest
from django.db import transaction

from fairpivot.domain.ledger import (
    GENESIS,
    Entry,
    checkpoint_root,
    entry_hash,
    first_break,
    ledger_document,
    parse_ledger_document,
    payload_text,
)
from fairpivot.records.clock import FixedClock
from fairpivot.records.ledger.chains import append, heads, verify_all
from fairpivot.records.models import Case, LedgerEntry

CASE = "C-42"
# (kind, payload, recorded_by, recorded_at): non-ASCII names, a nested object, a boolean,
# an array, and a time with one microsecond, so each part of the encoding shows.
LEDGER: list[tuple[str, object, str, str]] = [
    (
        "opened",
        {
            "keys": ["format", "policy", "employee", "as_of", "people", "events"],
            "case_file": {
                "format": "fairpivot.casefile/1",
                "policy": "amazon-pivot",
                "employee": {"id": "E-7", "name": "Zoë Ångström", "work_state": "WA"},
            },
        },
        "import",
        "2025-03-03T09:00:00.000000+00:00",
    ),
    (
        "event",
        {
            "date": "2025-03-03",
            "type": "focus_started",
            "disclosed": True,
            "by": "M-1",
            "note": "Q1 goals — missed",
        },
        "morgan",
        "2025-03-03T09:15:30.250000+00:00",
    ),
    (
        "protected_activity",
        {"date": "2025-02-10", "kind": "complaint", "known_to": ["M-1"]},
        "zoe",
        "2025-03-04T17:45:00.000001+00:00",
    ),
    (
        "retraction",
        {"entry": 2, "reason": "wrong employee"},
        "harper",
        "2025-03-05T08:00:00.000000+00:00",
    ),
]
PAYLOADS = [
    '{"keys":["format","policy","employee","as_of","people","events"],"case_file":'
    '{"format":"fairpivot.casefile/1","policy":"amazon-pivot","employee":{"id":"E-7",'
    '"name":"Zoë Ångström","work_state":"WA"}}}',
    '{"date":"2025-03-03","type":"focus_started","disclosed":true,"by":"M-1",'
    '"note":"Q1 goals — missed"}',
    '{"date":"2025-02-10","kind":"complaint","known_to":["M-1"]}',
    '{"entry":2,"reason":"wrong employee"}',
]
DIGESTS = [
    "1713dc46d09880ff0e1a9d8101dc634a09b3580b04921d082eb7154622958dcf",
    "0f13d2ac967a6ca0200b26511de75c43758de1203f4a013543e5f01f144a6cbf",
    "5bc666e04ed9fe8e371de035829d16b9324ad128b81b6e041804d501d6147a55",
    "18ee542250e96c6bce9d816a95ccef4081c62d0bb229c364158ec18e5f9dbf5a",
]
# The checkpoint root over this chain's head alone, and over it and another case's head.
ROOT = "780a92e3c35b32ce1c1ca1cdb14e9479347d8cc2eab0fbf98f597c915ad71dd6"
ROOT_OF_TWO = "7d94f25b79fa1bcde400089ced3fe49c1b2edc8d98f503758c77f76e16ee490f"


def known_chain() -> list[Entry]:
    """The fixed ledger as the pure chain code builds it."""
    entries, previous = [], GENESIS
    for seq, (kind, payload, by, at) in enumerate(LEDGER, start=1):
        text = payload_text(payload)
        digest = entry_hash(
            case=CASE,
            seq=seq,
            kind=kind,
            payload=text,
            recorded_by=by,
            recorded_at=at,
            prev_hash=previous,
        )
        entries.append(Entry(CASE, seq, kind, text, by, at, previous, digest))
        previous = digest
    return entries


def test_it_stores_each_payload_as_compact_unescaped_json_in_the_given_key_order() -> None:
    assert [payload_text(payload) for _, payload, _, _ in LEDGER] == PAYLOADS


def test_it_hashes_the_known_ledger_to_the_known_digests() -> None:
    chain = known_chain()

    assert [e.hash for e in chain] == DIGESTS
    assert [e.prev_hash for e in chain] == [GENESIS, *DIGESTS[:-1]]
    assert first_break(chain) is None


def test_it_hashes_the_documented_array_and_nothing_else() -> None:
    # docs/records.md: SHA-256 of [case, seq, kind, payload, recorded_by, recorded_at,
    # prev_hash] as compact UTF-8 JSON, not ASCII-escaped. Written out here by hand.
    material = (
        '["C-42",1,"opened",'
        '"{\\"keys\\":[\\"format\\",\\"policy\\",\\"employee\\",\\"as_of\\",\\"people\\",'
        '\\"events\\"],\\"case_file\\":{\\"format\\":\\"fairpivot.casefile/1\\",'
        '\\"policy\\":\\"amazon-pivot\\",\\"employee\\":{\\"id\\":\\"E-7\\",'
        '\\"name\\":\\"Zoë Ångström\\",\\"work_state\\":\\"WA\\"}}}",'
        '"import","2025-03-03T09:00:00.000000+00:00",'
        f'"{GENESIS}"]'
    )

    assert hashlib.sha256(material.encode("utf-8")).hexdigest() == DIGESTS[0]


@pytest.mark.parametrize(
    ("change", "field", "value"),
    [
        ("another case", "case", "C-43"),
        ("another position", "seq", 2),
        ("another kind", "kind", "event"),
        ("spaces after separators", "payload", PAYLOADS[0].replace(",", ", ")),
        ("ASCII escaping", "payload", PAYLOADS[0].replace("ë", "\\u00eb")),
        ("another recorder", "recorded_by", "imports"),
        ("the time without microseconds", "recorded_at", "2025-03-03T09:00:00+00:00"),
        ("the time as Z", "recorded_at", "2025-03-03T09:00:00.000000Z"),
        ("another previous hash", "prev_hash", "f" * 64),
    ],
)
def test_it_gives_another_digest_for_any_change_to_an_entry(
    change: str, field: str, value: object
) -> None:
    fields: dict[str, object] = {
        "case": CASE,
        "seq": 1,
        "kind": "opened",
        "payload": PAYLOADS[0],
        "recorded_by": "import",
        "recorded_at": "2025-03-03T09:00:00.000000+00:00",
        "prev_hash": GENESIS,
    }
    assert entry_hash(**fields) == DIGESTS[0]  # type: ignore[arg-type]

    assert entry_hash(**{**fields, field: value}) != DIGESTS[0]  # type: ignore[arg-type]


def test_it_roots_a_checkpoint_in_the_sorted_head_lines() -> None:
    head = (CASE, 4, DIGESTS[-1])
    other = ("C-7", 1, "ab" * 32)

    assert checkpoint_root([head]) == ROOT
    assert checkpoint_root([head, other]) == ROOT_OF_TWO
    assert checkpoint_root([other, head]) == ROOT_OF_TWO
    lines = f"C-42 4 {DIGESTS[-1]}\nC-7 1 {'ab' * 32}"
    assert hashlib.sha256(lines.encode("utf-8")).hexdigest() == ROOT_OF_TWO


def test_it_exports_and_reads_back_the_known_ledger_with_its_digests() -> None:
    document = ledger_document(CASE, known_chain())
    text = payload_text(document).encode("utf-8")

    case, entries = parse_ledger_document(text)

    assert case == CASE
    assert [e.hash for e in entries] == DIGESTS
    assert first_break(entries) is None


@pytest.mark.django_db
def test_it_stores_the_known_ledger_with_the_known_digests_and_root() -> None:
    case_row = Case.objects.create(
        id=42,
        employee_ref="E-7",
        policy="amazon-pivot",
        opened_at=datetime.fromisoformat(LEDGER[0][3]),
    )
    for version, (kind, payload, by, at) in enumerate(LEDGER):
        with transaction.atomic():
            clock = FixedClock(datetime.fromisoformat(at))
            append(case_row, [(kind, payload)], by, version, clock)

    stored = list(LedgerEntry.objects.filter(case=case_row).order_by("seq"))

    assert [row.hash for row in stored] == DIGESTS
    assert [row.payload for row in stored] == PAYLOADS
    assert [row.as_entry().recorded_at for row in stored] == [at for *_, at in LEDGER]
    assert first_break([row.as_entry() for row in stored]) is None
    assert verify_all().breaks == []
    assert heads() == [(CASE, 4, DIGESTS[-1])]
    assert checkpoint_root(heads()) == ROOT
