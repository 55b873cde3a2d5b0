"""The steps around the case events: guarded steps held for HR sign-off, statements,
replies, documents and panel votes. Each is recorded in the ledger like any other fact.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from django.db import transaction

from fairpivot.domain.appeal import Outcome, panel_decision
from fairpivot.domain.casefile.entries import Fact, retracted
from fairpivot.domain.review import Review, review
from fairpivot.records.cases.usecases import (
    Actor,
    commit,
    get_case,
    prepare_event,
    record_event,
)
from fairpivot.records.clock import SYSTEM_CLOCK, Clock
from fairpivot.records.errors import TransitionRefused
from fairpivot.records.ledger import chains

HOLD, SIGNOFF = "hold", "signoff"
STATEMENT, REPLY, DOCUMENT, VOTE = "statement", "reply", "document", "panel_vote"


@dataclass(frozen=True, slots=True)
class StepResult:
    """What asking for a step did: recorded it, or held it for HR sign-off."""

    review: Review | None
    held: int | None = None
    findings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Hold:
    """A step waiting for HR: the event asked for and why it was held."""

    seq: int
    event: dict[str, Any]
    findings: list[str]
    justification: str
    requested_by: str
    actor: dict[str, Any]


def _high_findings(result: Review) -> set[tuple[str, str, str]]:
    # A finding about a step is dated by the step; two steps on one day (Focus approved in
    # the morning, Pivot offered that afternoon) each get their own, told apart by the step.
    return {
        (f.code, f.date.isoformat(), str(f.evidence.get("step", "")))
        for f in result.findings
        if f.severity == "high"
    }


def request_step(
    ref: str,
    event: dict[str, Any],
    *,
    actor: Actor,
    expected_version: int,
    justification: str = "",
    clock: Clock = SYSTEM_CLOCK,
) -> StepResult:
    """A manager's adverse step: held for HR sign-off under the policy's guardrails.

    ``guardrails.hold = all_adverse`` holds every one; ``risky_only`` holds one that would
    add a high finding, and records the rest. A second request for a step already waiting
    for HR is refused. The findings are kept with the hold for HR; whoever asked is told
    only that HR reviews the step (review-v4.md section 8 item 6).
    """
    prepared = prepare_event(ref, event, actor=actor, clock=clock)
    waiting = next(
        (h for h in pending_holds_in(prepared.facts) if h.event.get("type") == event["type"]),
        None,
    )
    if waiting is not None:
        raise TransitionRefused(
            [
                f"{event['type']}: this step already waits for HR's sign-off (entry "
                f"{waiting.seq}); HR decides it before it can be asked for again"
            ]
        )
    current = prepared.before()
    before = review(current.file, current.policy)
    after = review(prepared.after.file, prepared.after.policy)
    new = sorted({code for code, *_ in _high_findings(after) - _high_findings(before)})
    if new or prepared.after.policy.guardrails.hold == "all_adverse":
        hold = {
            "event": prepared.entries[-1][1],
            "findings": new,
            "justification": justification.strip(),
            "requested_by": actor.username,
            "actor": {"person_id": actor.person_id, "name": actor.name, "role": actor.role},
        }
        commit(prepared.case, [(HOLD, hold)], actor, expected_version, clock)
        return StepResult(None, held=prepared.case.version, findings=tuple(new))
    return StepResult(commit(prepared.case, prepared.entries, actor, expected_version, clock))


def pending_holds(ref: str) -> list[Hold]:
    """The holds on a case that HR has not decided yet."""
    return pending_holds_in(chains.facts_of(get_case(ref)))


def pending_holds_in(facts: list[Fact]) -> list[Hold]:
    """The holds among a case's ledger facts that HR has not decided yet."""
    decided = {f.payload["hold"] for f in facts if f.kind == SIGNOFF}
    return [
        Hold(
            f.seq,
            f.payload["event"],
            f.payload["findings"],
            f.payload["justification"],
            f.payload["requested_by"],
            f.payload.get("actor", {}),
        )
        for f in facts
        if f.kind == HOLD and f.seq not in decided
    ]


def sign_off(
    ref: str,
    hold_seq: int,
    *,
    approve: bool,
    justification: str,
    actor: Actor,
    expected_version: int,
    clock: Clock = SYSTEM_CLOCK,
) -> Review:
    """HR decides a held step, in writing; an approved step is then recorded as of today."""
    hold = next((h for h in pending_holds(ref) if h.seq == hold_seq), None)
    if hold is None:
        raise TransitionRefused([f"hold: {ref} has no pending hold {hold_seq}"])
    if not justification.strip():
        raise TransitionRefused(["justification: a sign-off needs a written justification"])
    decision = {
        "hold": hold_seq,
        "decision": "approved" if approve else "rejected",
        "justification": justification.strip(),
    }
    if not approve:
        return commit(get_case(ref), [(SIGNOFF, decision)], actor, expected_version, clock)
    requester = Actor(
        hold.requested_by,
        hold.actor.get("person_id"),
        hold.actor.get("name", ""),
        hold.actor.get("role", "manager"),
    )
    step = {k: v for k, v in hold.event.items() if k != "date"}
    prepared = prepare_event(ref, step, actor=requester, clock=clock)
    entries = [(SIGNOFF, decision), *prepared.entries]
    return commit(prepared.case, entries, actor, expected_version, clock)


def _note(
    kind: str,
    ref: str,
    payload: dict[str, Any],
    *,
    actor: Actor,
    expected_version: int,
    clock: Clock,
) -> Review:
    text = str(payload.get("text", "")).strip()
    if not text:
        raise TransitionRefused([f"text: a {kind.replace('_', ' ')} cannot be empty"])
    payload = {**payload, "text": text, "by": actor.person_id or actor.username}
    return commit(get_case(ref), [(kind, payload)], actor, expected_version, clock)


def add_statement(
    ref: str,
    side: str,
    text: str,
    *,
    actor: Actor,
    expected_version: int,
    clock: Clock = SYSTEM_CLOCK,
) -> Review:
    """An appeal statement from one side: ``employee`` or ``manager``."""
    if side not in ("employee", "manager"):
        raise TransitionRefused([f"side: must be employee or manager (got {side!r})"])
    return _note(
        STATEMENT,
        ref,
        {"side": side, "text": text},
        actor=actor,
        expected_version=expected_version,
        clock=clock,
    )


def reply(
    ref: str,
    to_entry: int,
    text: str,
    *,
    actor: Actor,
    expected_version: int,
    clock: Clock = SYSTEM_CLOCK,
) -> Review:
    """The employee's written reply to an entry in their case."""
    case = get_case(ref)
    if not 1 <= to_entry <= case.version:
        raise TransitionRefused([f"to: {ref} has no entry {to_entry}"])
    return _note(
        REPLY,
        ref,
        {"to": to_entry, "text": text},
        actor=actor,
        expected_version=expected_version,
        clock=clock,
    )


def add_document(
    ref: str,
    title: str,
    text: str,
    *,
    actor: Actor,
    expected_version: int,
    clock: Clock = SYSTEM_CLOCK,
) -> Review:
    """A document filed in the case: a written plan, a letter, meeting notes."""
    if not title.strip():
        raise TransitionRefused(["title: a document needs a title"])
    return _note(
        DOCUMENT,
        ref,
        {"title": title.strip(), "text": text},
        actor=actor,
        expected_version=expected_version,
        clock=clock,
    )


def votes(ref: str) -> dict[str, Outcome]:
    """The panel's votes on the case's open appeal, by voter (a later vote replaces one)."""
    return votes_in(chains.facts_of(get_case(ref)))


def votes_in(facts: Iterable[Fact]) -> dict[str, Outcome]:
    """``votes``, from the case's facts already read."""
    cast: dict[str, Outcome] = {}
    for fact in facts:
        if fact.kind == VOTE:
            cast[fact.payload["voter"]] = fact.payload["vote"]
        elif fact.kind == "event" and fact.payload.get("type") == "appeal_decided":
            cast = {}
    return cast


@dataclass(frozen=True, slots=True)
class Statement:
    """One side's appeal statement, at its place in the case's ledger."""

    seq: int
    side: str
    text: str


def statements_in(facts: Iterable[Fact]) -> list[Statement]:
    """The appeal statements in force, oldest first: those no retraction names."""
    facts = list(facts)
    gone = retracted(facts)
    return [
        Statement(f.seq, f.payload.get("side", ""), f.payload.get("text", ""))
        for f in facts
        if f.kind == STATEMENT and f.seq > 0 and f.seq not in gone
    ]


def vote(
    ref: str,
    outcome: Outcome,
    *,
    panel: list[str],
    actor: Actor,
    expected_version: int,
    tie_goes_to: str = "employee",
    clock: Clock = SYSTEM_CLOCK,
) -> Review:
    """A panelist's vote; once every panelist has voted the majority decides the appeal."""
    if outcome not in ("upheld", "overturned"):
        raise TransitionRefused([f"vote: must be upheld or overturned (got {outcome!r})"])
    voter = actor.person_id or actor.username
    if voter not in panel:
        raise TransitionRefused(["vote: only the case's panelists vote"])
    case = get_case(ref)
    with transaction.atomic():
        result = commit(
            case, [(VOTE, {"voter": voter, "vote": outcome})], actor, expected_version, clock
        )
        # Only the seated panel's votes count: a recused panelist's vote is set aside.
        cast = {voter: vote for voter, vote in votes(ref).items() if voter in panel}
        if set(cast) >= set(panel):
            tie: Literal["employee", "manager"] = (
                "manager" if tie_goes_to == "manager" else "employee"
            )
            decided = {
                "type": "appeal_decided",
                "outcome": panel_decision(cast.values(), tie),
                "panel": sorted(panel),
            }
            # The decision is the panel's, not the last voter's: no ``by``.
            result = record_event(
                ref,
                decided,
                actor=Actor(actor.username),
                clock=clock,
                expected_version=case.version,
            )
    return result
