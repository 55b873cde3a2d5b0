"""The names the specs give: event types and stages, shared by every layer."""

from __future__ import annotations

EVENT_TYPES: tuple[str, ...] = (
    "concern_documented",
    "focus_started",
    "focus_disclosed",
    "focus_removed",
    "pivot_offered",
    "option_chosen",
    "plan_started",
    "checkin",
    "plan_extended",
    "plan_passed",
    "plan_failed",
    "appeal_elected",
    "appeal_decided",
    "offer_made",
    "offer_signed",
    "offer_revoked",
    "separated",
    "transferred",
)

STAGES: tuple[str, ...] = (
    "good_standing",
    "focus",
    "pivot_offered",
    "in_plan",
    "plan_failed",
    "appeal",
    "appeal_lost",
    "exiting",
    "separated",
    "closed_passed",
    "closed_retained",
)

# Stages a case ends in: nothing is left to decide, and a person at one has no open case.
CLOSED_STAGES: frozenset[str] = frozenset({"separated", "closed_passed", "closed_retained"})
