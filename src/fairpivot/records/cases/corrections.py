"""Correcting the record without bending it: retractions, and disputes of the employee's word.

A mistaken entry is retracted: a new entry names it and why, and the review and the export
leave it out. An entry the employee recorded (their complaint, their leave, their reply,
the option they chose) is their word, not the employer's mistake: HR cannot retract it,
or a complaint could vanish along with the retaliation findings that rest on it. HR
records a dispute beside it instead, naming it and why; the entry stands, and the review
still counts it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from fairpivot.domain.casefile.entries import (
    DISPUTE,
    HEADER,
    RETRACTION,
    Fact,
    history_positions,
    retracted,
)
from fairpivot.domain.review import Review
from fairpivot.records.cases import documents
from fairpivot.records.cases.usecases import Actor, check_appended, commit, commit_history, get_case
from fairpivot.records.clock import SYSTEM_CLOCK, Clock
from fairpivot.records.errors import TransitionRefused
from fairpivot.records.ledger import chains
from fairpivot.records.models import Case, Employee, HistoryEntry, LedgerEntry

# Entries that correct or contest others: never themselves retracted or disputed.
CORRECTIONS = frozenset({HEADER, RETRACTION, DISPUTE})
# A held step and HR's decision on it: the sign-off is how a hold is answered, so neither is
# retracted or disputed (a retracted hold would still wait for a decision).
# Entries that stand as recorded, and why: a correction of one would rewrite what happened.
DECISIONS = {
    "hold": "a held step is withdrawn by rejecting it at sign-off, and a sign-off stands",
    "signoff": "a held step is withdrawn by rejecting it at sign-off, and a sign-off stands",
}
ISSUED = "a document issued stays issued; a corrected one is issued again"
__all__ = [
    "CORRECTIONS",
    "DISPUTE",
    "dispute",
    "employee_entries",
    "employee_login",
    "employees_among",
    "retract",
]


def employee_login(case: Case) -> str | None:
    """The login of the case's employee, when they have one."""
    login = Employee.objects.filter(employee_id=case.employee_ref).values_list(
        "user__username", flat=True
    )
    return login.first()


def employee_entries(case: Case) -> set[int]:
    """The positions of the entries the case's employee recorded, among the case's facts.

    Entries of the employee's history the case does not hold have negative positions
    (records/ledger/chains.py); those it does hold are counted once, as the case's own.
    """
    rows = list(LedgerEntry.objects.filter(case=case).values_list("seq", "recorded_by", "payload"))
    if case.employee_ref:
        history = HistoryEntry.objects.filter(history__employee_ref=case.employee_ref)
        placed = history_positions(chains.facts_of(case), chains.history_facts(case.employee_ref))
        rows += [
            (-seq, by, text)
            for seq, by, text in history.values_list("seq", "recorded_by", "payload")
            if placed[seq] < 0
        ]
    return employees_among(case, ((seq, by, json.loads(text)) for seq, by, text in rows))


def employees_among(case: Case, rows: Iterable[tuple[int, str, Any]]) -> set[int]:
    """Which of these ``(seq, recorded_by, payload)`` entries are the employee's word.

    Recorded by their login in live use, or naming them as the one who acted (``by``), as
    an imported event or a reply does: either way the entry is theirs.
    """
    login = employee_login(case)
    found = set()
    for seq, recorded_by, payload in rows:
        by = payload.get("by") if isinstance(payload, dict) else None
        if (login is not None and recorded_by == login) or (
            case.employee_ref and by == case.employee_ref
        ):
            found.add(seq)
    return found


def retract(
    ref: str,
    seq: int,
    reason: str,
    *,
    actor: Actor,
    expected_version: int,
    clock: Clock = SYSTEM_CLOCK,
) -> Review:
    """Correct a mistaken entry: record a retraction naming it and why; keep both.

    Refused for an entry the employee recorded, unless the employee is the one retracting
    it: anyone else records a dispute (``dispute``).
    """
    case = get_case(ref)
    facts = chains.facts_of(case)
    target = _target(case, facts, seq, "retracted")
    if seq in employee_entries(case) and actor.username != employee_login(case):
        raise TransitionRefused(
            [
                f"entry: {ref} entry {seq} ({_what(target)}) was recorded by the employee, "
                "so only they may withdraw it; record a dispute beside it instead, which "
                "keeps it on the record and in the review"
            ]
        )
    entries = [(RETRACTION, {"entry": seq, "reason": _reason(reason, "retraction")})]
    check_appended(facts, entries, clock)
    return _commit(case, entries, actor, expected_version, clock)


def dispute(
    ref: str,
    seq: int,
    reason: str,
    *,
    actor: Actor,
    expected_version: int,
    clock: Clock = SYSTEM_CLOCK,
) -> Review:
    """Contest an entry the employee recorded: a dispute beside it, naming it and why.

    The disputed entry stands: the case file, the export and the review keep it.
    """
    case = get_case(ref)
    facts = chains.facts_of(case)
    _target(case, facts, seq, "disputed")
    if seq not in employee_entries(case):
        raise TransitionRefused(
            [
                f"entry: {ref} entry {seq} was not recorded by the employee; a dispute "
                "contests the employee's word, a mistake of the employer's is retracted"
            ]
        )
    entries = [(DISPUTE, {"entry": seq, "reason": _reason(reason, "dispute")})]
    check_appended(facts, entries, clock)
    return _commit(case, entries, actor, expected_version, clock)


def _commit(
    case: Case, entries: list[tuple[str, Any]], actor: Actor, expected_version: int, clock: Clock
) -> Review:
    """Record a correction where the entry it names lives, and where every case sees it.

    An entry of the employee's history that the case does not hold has a negative
    position (records/ledger/chains.py): its correction goes to the history alone, in the
    history's numbering. A retraction of a person's entry the case does hold goes to both
    ledgers, so no other case of theirs keeps it either.
    """
    ((kind, payload),) = entries
    seq = int(payload["entry"])
    if not case.employee_ref or (seq > 0 and kind != RETRACTION):
        return commit(case, entries, actor, expected_version, clock)
    history = chains.history_facts(case.employee_ref)
    own = chains.facts_of(case)
    place = {at: n for n, at in history_positions(own, history).items()}
    if seq < 0:
        moved = [(kind, {**payload, "entry": -seq})]
        return commit_history(case, [], actor, expected_version, clock, history=moved)
    if seq not in place:
        return commit(case, entries, actor, expected_version, clock)
    also = [(kind, {**payload, "entry": place[seq]})]
    return commit_history(case, entries, actor, expected_version, clock, history=also)


def _target(case: Case, facts: list[Fact], seq: int, done: str) -> Fact:
    """The entry at ``seq`` if it can be retracted or disputed; else TransitionRefused."""
    target = next((f for f in facts if f.seq == seq), None)
    if target is None or target.kind in CORRECTIONS:
        raise TransitionRefused([f"entry: {case.ref} has no entry {seq} that can be {done}"])
    issued = target.kind == "document" and documents.is_issued(target.payload)
    stands = DECISIONS.get(target.kind) or (ISSUED if issued else None)
    if stands is not None:
        raise TransitionRefused(
            [f"entry: {case.ref} entry {seq} is a {target.kind}, which is not {done}: {stands}"]
        )
    if seq in retracted(facts):
        raise TransitionRefused([f"entry: {case.ref} entry {seq} is already retracted"])
    return target


def _reason(reason: str, what: str) -> str:
    if not reason.strip():
        raise TransitionRefused([f"reason: a {what} needs a reason"])
    return reason.strip()


def _what(fact: Fact) -> str:
    """The entry in a few words: ``event appeal_elected``, ``protected activity``."""
    payload = fact.payload if isinstance(fact.payload, dict) else {}
    if fact.kind == "event":
        return f"event {payload.get('type')}"
    return fact.kind.replace("_", " ")
