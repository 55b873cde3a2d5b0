"""Negotiation: the employee (or their representative) asks in writing for other terms;
HR answers with a new offer (``negotiated: true``) or a written refusal.

Both are ledger entries of the case. A request stays open until HR answers it: a refusal
naming it, or any negotiated offer made after it. A negotiated offer carries what the
policy demands of one (at ``amazon-pivot``, no rehire), except a no-rehire term where
CCP 1002.5 may void it: ``work_state`` CA with a complaint on file (review-v4.md section 8
item 9); the offer then goes out without it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from fairpivot.domain.casefile import LoadedCase
from fairpivot.domain.casefile.entries import Fact
from fairpivot.domain.casefile.model import COMPLAINT_KINDS
from fairpivot.domain.review import Review
from fairpivot.records.cases.usecases import Actor, commit
from fairpivot.records.clock import Clock
from fairpivot.records.errors import TransitionRefused
from fairpivot.records.ledger import chains
from fairpivot.records.models import Case

REQUESTED, REFUSED = "terms_requested", "terms_refused"


@dataclass(frozen=True, slots=True)
class Request:
    """An open request for other terms."""

    seq: int
    payload: dict[str, Any]

    @property
    def label(self) -> str:
        """How a form names the request."""
        text = str(self.payload.get("text", ""))
        return f"#{self.seq}: {text[:60]}{'…' if len(text) > 60 else ''}"


def open_requests(facts: Sequence[Fact]) -> list[Request]:
    """The requests for other terms HR has not answered yet."""
    requests: dict[int, Request] = {}
    for fact in facts:
        if fact.kind == REQUESTED:
            requests[fact.seq] = Request(fact.seq, fact.payload)
        elif fact.kind == REFUSED:
            requests.pop(int(fact.payload["request"]), None)
        elif (
            fact.kind == "event"
            and fact.payload.get("type") == "offer_made"
            and fact.payload.get("offer", {}).get("negotiated")
        ):
            requests.clear()
    return list(requests.values())


def request(
    case: Case, values: dict[str, Any], *, actor: Actor, expected_version: int, clock: Clock
) -> Review:
    """Record a written request for other terms."""
    payload: dict[str, Any] = {"text": values["text"], "by": actor.person_id or actor.username}
    for key in ("amount", "consideration_days"):
        if values.get(key) not in (None, ""):
            payload[key] = values[key]
    if values.get("drop_clauses"):
        payload["drop_clauses"] = list(values["drop_clauses"])
    return commit(case, [(REQUESTED, payload)], actor, expected_version, clock)


def refuse(
    case: Case,
    seq: int,
    text: str,
    *,
    actor: Actor,
    expected_version: int,
    clock: Clock,
) -> Review:
    """HR's written refusal of a request."""
    if seq not in {r.seq for r in open_requests(chains.facts_of(case))}:
        raise TransitionRefused([f"request: no open request {seq}"])
    payload = {"request": seq, "text": text, "by": actor.person_id or actor.username}
    return commit(case, [(REFUSED, payload)], actor, expected_version, clock)


def policy_clauses(loaded: LoadedCase, clauses: list[str]) -> list[str]:
    """A negotiated offer's clauses with what the policy adds to one."""
    if loaded.policy.rehire.after_negotiated_offer or "no_rehire" in clauses:
        return clauses
    if may_void_no_rehire(loaded):
        return clauses
    return [*clauses, "no_rehire"]


def may_void_no_rehire(loaded: LoadedCase) -> bool:
    """Whether CCP 1002.5 may void a no-rehire term: in California, with a complaint on file."""
    file = loaded.file
    return file.employee.work_state == "CA" and any(
        a.kind in COMPLAINT_KINDS for a in file.protected_activities
    )


def policy_adds(loaded: LoadedCase) -> str:
    """What the form says the policy adds to a negotiated offer."""
    if loaded.policy.rehire.after_negotiated_offer:
        return "The policy adds nothing to a negotiated offer."
    if may_void_no_rehire(loaded):
        return (
            "The policy asks for no rehire after a negotiated offer, but it is left out here: "
            "in California, with a complaint on file, CCP 1002.5 may void it."
        )
    return "The policy adds a no-rehire term to a negotiated offer."
