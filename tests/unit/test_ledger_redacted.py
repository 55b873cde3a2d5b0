"""A redacted ledger (review-v4.md section 8 item 5): withheld entries by number and hash,
every visible entry recomputed and every link checked."""

from __future__ import annotations

import json
from typing import Any

import pytest

from fairpivot.domain.errors import InvalidInput
from fairpivot.domain.ledger import Entry, first_break, ledger_document, parse_ledger_document
from tests.unit.test_ledger_head import chain


def redacted(entries: list[Entry], withheld: set[int]) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(json.dumps(ledger_document("C-1", entries, withheld)))
    return document


def read(document: dict[str, Any]) -> list[Entry]:
    return parse_ledger_document(json.dumps(document).encode())[1]


def test_a_withheld_entry_is_its_number_the_word_and_its_hash_only() -> None:
    entries = chain(4)
    rows = redacted(entries, {2})["entries"]
    assert rows[1] == {"seq": 2, "withheld": True, "hash": entries[1].hash}
    assert all("payload" in row for i, row in enumerate(rows) if i != 1)


def test_a_ledger_with_nothing_withheld_is_the_whole_ledger() -> None:
    entries = chain(3)
    assert ledger_document("C-1", entries, ()) == ledger_document("C-1", entries)
    assert read(redacted(entries, set())) == entries


def test_a_redacted_ledger_of_an_intact_chain_verifies() -> None:
    found = read(redacted(chain(5), {1, 3, 4}))
    assert first_break(found) is None
    assert [e.withheld for e in found] == [True, False, True, True, False]


def test_a_changed_visible_entry_breaks_it() -> None:
    document = redacted(chain(4), {2})
    document["entries"][2]["payload"] = '{"n": 9}'
    broken = first_break(read(document))
    assert broken is not None
    assert broken.seq == 3
    assert "changed" in broken.reason


def test_a_changed_withheld_hash_breaks_the_link_after_it() -> None:
    document = redacted(chain(4), {2})
    document["entries"][1]["hash"] = "f" * 64
    broken = first_break(read(document))
    assert broken is not None
    assert broken.seq == 3
    assert "does not follow" in broken.reason


def test_a_withheld_entry_out_of_place_breaks_it() -> None:
    document = redacted(chain(3), {2})
    document["entries"][1]["seq"] = 5
    broken = first_break(read(document))
    assert broken is not None
    assert "out of place" in broken.reason


@pytest.mark.parametrize("row", [{"seq": 2, "withheld": True}, {"withheld": True, "hash": "a"}])
def test_a_withheld_entry_without_its_number_or_hash_is_named(row: dict[str, Any]) -> None:
    document = redacted(chain(3), set())
    document["entries"][1] = row
    with pytest.raises(InvalidInput) as raised:
        read(document)
    assert "entries[1]" in str(raised.value)
