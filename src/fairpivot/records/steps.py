"""The named steps of a case, each one use case: ``start_focus``, ``offer_pivot`` and so on.

Each builds its event as spec/casefile.md defines it and records it through
``usecases.record_event`` (dated today, by the actor, checked against the policy).
"""

from __future__ import annotations

from typing import Any

from fairpivot.domain.review import Review
from fairpivot.records.clock import SYSTEM_CLOCK, Clock
from fairpivot.records.usecases import Actor, record_event, record_fact


def _present(**fields: Any) -> dict[str, Any]:
    """The event's fields that were given: a case file leaves the others out."""
    return {key: value for key, value in fields.items() if value is not None}


def _event(ref: str, actor: Actor, version: int, clock: Clock, **fields: Any) -> Review:
    return record_event(ref, _present(**fields), actor=actor, expected_version=version, clock=clock)


def document_concern(
    ref: str, note: str, *, actor: Actor, expected_version: int, clock: Clock = SYSTEM_CLOCK
) -> Review:
    """Record a written performance concern."""
    return _event(ref, actor, expected_version, clock, type="concern_documented", note=note)


def start_focus(
    ref: str,
    *,
    goals: list[dict[str, Any]] | None = None,
    actor: Actor,
    expected_version: int,
    clock: Clock = SYSTEM_CLOCK,
) -> Review:
    """Start Focus. In live use the employee is told: it is recorded as disclosed."""
    return _event(
        ref, actor, expected_version, clock, type="focus_started", disclosed=True, goals=goals
    )


def disclose_focus(
    ref: str, *, actor: Actor, expected_version: int, clock: Clock = SYSTEM_CLOCK
) -> Review:
    """Record that the employee was told they are on Focus."""
    return _event(ref, actor, expected_version, clock, type="focus_disclosed")


def remove_focus(
    ref: str, *, actor: Actor, expected_version: int, clock: Clock = SYSTEM_CLOCK
) -> Review:
    """End Focus with the employee back in good standing."""
    return _event(ref, actor, expected_version, clock, type="focus_removed")


def offer_pivot(
    ref: str,
    *,
    offer: dict[str, Any],
    plan: dict[str, Any],
    decision_days: int,
    actor: Actor,
    expected_version: int,
    clock: Clock = SYSTEM_CLOCK,
) -> Review:
    """Send the Pivot letter: leave with the offer, or take the plan."""
    return _event(
        ref,
        actor,
        expected_version,
        clock,
        type="pivot_offered",
        offer=offer,
        plan=plan,
        decision_days=decision_days,
    )


def choose_option(
    ref: str, option: str, *, actor: Actor, expected_version: int, clock: Clock = SYSTEM_CLOCK
) -> Review:
    """Record the employee's choice at Pivot: severance, plan or appeal."""
    return _event(ref, actor, expected_version, clock, type="option_chosen", option=option)


def start_plan(
    ref: str,
    plan: dict[str, Any],
    *,
    actor: Actor,
    expected_version: int,
    clock: Clock = SYSTEM_CLOCK,
) -> Review:
    """Start an improvement plan directly (policies without a Pivot letter)."""
    return _event(ref, actor, expected_version, clock, type="plan_started", plan=plan)


def record_checkin(
    ref: str,
    held: bool,
    *,
    actor: Actor,
    expected_version: int,
    note: str | None = None,
    clock: Clock = SYSTEM_CLOCK,
) -> Review:
    """Record a scheduled check-in, held or missed."""
    return _event(ref, actor, expected_version, clock, type="checkin", held=held, note=note)


def extend_plan(
    ref: str, end: str, *, actor: Actor, expected_version: int, clock: Clock = SYSTEM_CLOCK
) -> Review:
    """Move the plan's end."""
    return _event(ref, actor, expected_version, clock, type="plan_extended", end=end)


def pass_plan(
    ref: str, *, actor: Actor, expected_version: int, clock: Clock = SYSTEM_CLOCK
) -> Review:
    """Close the plan as passed."""
    return _event(ref, actor, expected_version, clock, type="plan_passed")


def fail_plan(
    ref: str,
    *,
    appeal_days: int | None = None,
    actor: Actor,
    expected_version: int,
    clock: Clock = SYSTEM_CLOCK,
) -> Review:
    """Declare the plan failed, with business days to elect an appeal where allowed."""
    return _event(ref, actor, expected_version, clock, type="plan_failed", appeal_days=appeal_days)


def elect_appeal(
    ref: str, *, actor: Actor, expected_version: int, clock: Clock = SYSTEM_CLOCK
) -> Review:
    """Record the employee's election to appeal."""
    return _event(ref, actor, expected_version, clock, type="appeal_elected")


def decide_appeal(
    ref: str,
    outcome: str,
    *,
    panel: list[str] | None = None,
    actor: Actor,
    expected_version: int,
    clock: Clock = SYSTEM_CLOCK,
) -> Review:
    """Record the panel's decision: upheld (the manager's decision stands) or overturned."""
    return _event(
        ref, actor, expected_version, clock, type="appeal_decided", outcome=outcome, panel=panel
    )


def make_offer(
    ref: str,
    offer: dict[str, Any],
    *,
    actor: Actor,
    expected_version: int,
    clock: Clock = SYSTEM_CLOCK,
) -> Review:
    """Make a further severance offer."""
    return _event(ref, actor, expected_version, clock, type="offer_made", offer=offer)


def sign_offer(
    ref: str, tier: int, *, actor: Actor, expected_version: int, clock: Clock = SYSTEM_CLOCK
) -> Review:
    """Record the employee's signature on the offer of ``tier``."""
    return _event(ref, actor, expected_version, clock, type="offer_signed", tier=tier)


def revoke_offer(
    ref: str, tier: int, *, actor: Actor, expected_version: int, clock: Clock = SYSTEM_CLOCK
) -> Review:
    """Record the employee's revocation of the signed offer of ``tier``."""
    return _event(ref, actor, expected_version, clock, type="offer_revoked", tier=tier)


def separate(
    ref: str,
    reason: str,
    *,
    no_rehire: bool | None = None,
    notified_on: str | None = None,
    actor: Actor,
    expected_version: int,
    clock: Clock = SYSTEM_CLOCK,
) -> Review:
    """End employment, with the label the employer records and the day the employee was told."""
    return _event(
        ref,
        actor,
        expected_version,
        clock,
        type="separated",
        reason=reason,
        no_rehire=no_rehire,
        notified_on=notified_on,
    )


def record_protected_activity(
    ref: str,
    activity: dict[str, Any],
    *,
    actor: Actor,
    expected_version: int,
    clock: Clock = SYSTEM_CLOCK,
) -> Review:
    """Record a protected activity (a leave, a complaint, a charge), with ``known_on`` if known."""
    return record_fact(
        ref,
        "protected_activity",
        activity,
        actor=actor,
        expected_version=expected_version,
        clock=clock,
    )


def record_rating(
    ref: str,
    rating: dict[str, Any],
    *,
    actor: Actor,
    expected_version: int,
    clock: Clock = SYSTEM_CLOCK,
) -> Review:
    """Record a performance rating."""
    return record_fact(
        ref, "rating", rating, actor=actor, expected_version=expected_version, clock=clock
    )


def record_promotion(
    ref: str,
    promotion: dict[str, Any],
    *,
    actor: Actor,
    expected_version: int,
    clock: Clock = SYSTEM_CLOCK,
) -> Review:
    """Record a promotion."""
    return record_fact(
        ref, "promotion", promotion, actor=actor, expected_version=expected_version, clock=clock
    )


def record_equity(
    ref: str,
    grant: dict[str, Any],
    *,
    actor: Actor,
    expected_version: int,
    clock: Clock = SYSTEM_CLOCK,
) -> Review:
    """Record an equity grant and its vesting schedule."""
    return record_fact(
        ref, "equity", grant, actor=actor, expected_version=expected_version, clock=clock
    )


def record_bonus(
    ref: str,
    bonus: dict[str, Any],
    *,
    actor: Actor,
    expected_version: int,
    clock: Clock = SYSTEM_CLOCK,
) -> Review:
    """Record a bonus that requires employment on its date."""
    return record_fact(
        ref, "bonus", bonus, actor=actor, expected_version=expected_version, clock=clock
    )
