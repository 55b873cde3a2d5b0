"""A chain's recorded head matches its entries only at their count and last hash."""

from __future__ import annotations

from fairpivot.domain.ledger import GENESIS, Entry, entry_hash, first_break, head_matches


def chain(count: int) -> list[Entry]:
    entries, previous = [], GENESIS
    for seq in range(1, count + 1):
        payload, at = f'{{"n": {seq}}}', "2026-01-01T00:00:00Z"
        digest = entry_hash(
            case="C-1",
            seq=seq,
            kind="event",
            payload=payload,
            recorded_by="hr",
            recorded_at=at,
            prev_hash=previous,
        )
        entries.append(Entry("C-1", seq, "event", payload, "hr", at, previous, digest))
        previous = digest
    return entries


def test_a_head_at_the_last_entry_matches() -> None:
    entries = chain(3)
    assert first_break(entries) is None
    assert head_matches(3, entries[-1].hash, entries)
    assert head_matches(0, GENESIS, [])


def test_a_head_one_entry_short_or_on_another_hash_does_not() -> None:
    entries = chain(3)
    assert not head_matches(2, entries[-1].hash, entries)  # an entry past the head
    assert not head_matches(4, entries[-1].hash, entries)  # a head past the entries
    assert not head_matches(3, entries[-2].hash, entries)
    assert not head_matches(1, entries[0].hash, [])
