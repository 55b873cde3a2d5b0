"""The employee's case as the steps of the process: what happened at each, and where it is now."""

from __future__ import annotations

from dataclasses import dataclass

from fairpivot.domain.policy import load_policy
from fairpivot.web.case.casefacts import EventRow

# The process's phases, the event types that belong to each, and the stages spent in it.
PHASES: tuple[tuple[str, frozenset[str], frozenset[str]], ...] = (
    (
        "Focus",
        frozenset({"concern_documented", "focus_started", "focus_disclosed", "focus_removed"}),
        frozenset({"focus"}),
    ),
    ("Pivot", frozenset({"pivot_offered", "option_chosen"}), frozenset({"pivot_offered"})),
    (
        "Improvement plan",
        frozenset({"plan_started", "checkin", "plan_extended", "plan_passed", "plan_failed"}),
        frozenset({"in_plan", "plan_failed", "closed_passed"}),
    ),
    (
        "Appeal",
        frozenset({"appeal_elected", "appeal_decided"}),
        frozenset({"appeal", "appeal_lost", "closed_retained"}),
    ),
    (
        "Exit",
        frozenset({"offer_made", "offer_signed", "offer_revoked", "separated"}),
        frozenset({"exiting", "separated"}),
    ),
)


@dataclass(frozen=True, slots=True)
class Phase:
    """One phase of the process for this case."""

    name: str
    status: str  # current, done, not reached
    events: tuple[EventRow, ...]


def progress(events: list[EventRow], stage: str, policy_name: str) -> list[Phase]:
    """Each phase the case's policy has, with its events and whether the case is in it."""
    policy = load_policy(policy_name)
    has = {
        "Focus": policy.leads_to("focus_started") is not None,
        "Pivot": policy.leads_to("pivot_offered") is not None,
        "Appeal": policy.appeals_failed_plans,
    }
    out = []
    for name, kinds, stages in PHASES:
        mine = tuple(e for e in events if e.kind in kinds)
        if not has.get(name, True) and not mine:
            continue
        # The exit is done only by leaving: offers made, signed and revoked (the case back
        # where it was) are listed, but the case never reached its exit.
        finished = bool(mine) and name != "Exit"
        status = "current" if stage in stages else "done" if finished else "not reached"
        out.append(Phase(name, status, mine))
    return out
