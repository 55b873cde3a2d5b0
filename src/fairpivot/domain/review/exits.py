"""When and how a case could end: the offer standing now, its date, tier amounts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from fairpivot.domain.dates import add_us_business_days, whole_years_between
from fairpivot.domain.fold import OfferState, PlanState
from fairpivot.domain.review.context import ReviewContext

PLAN_EXIT_STAGES = ("in_plan", "plan_failed", "appeal", "appeal_lost")


def _entered_at(ctx: ReviewContext, stage: str) -> int:
    """The index of the event that last moved the case into ``stage`` (-1 if none)."""
    return max((i for i, s in ctx.state.stages if s == stage), default=-1)


def standing_offer(ctx: ReviewContext) -> OfferState | None:
    """The offer the employee can take now, at the case's current stage."""
    state = ctx.state
    if state.stage == "pivot_offered":
        return state.pivot_offer
    if state.stage in ("plan_failed", "appeal_lost"):
        since = _entered_at(ctx, state.stage)
        return next((o for o in reversed(state.offers) if o.index > since), None)
    if state.stage == "exiting":
        signed = [o for o in state.offers if o.in_force]
        return signed[-1] if signed else (state.offers[-1] if state.offers else None)
    return None


def projected_exit(ctx: ReviewContext) -> tuple[date, str] | None:
    """The separation date, or the earliest the case could end by its offer or plan.

    A projected date already past counts as the review date.
    """
    state = ctx.state
    if state.separation is not None:
        return state.separation.date, "separated"
    offer = standing_offer(ctx)
    plan = state.current_plan
    if offer is not None:
        if offer.decide_by is None:
            return None  # it could end only past 9999-12-31 (reading 68)
        when, why = offer.decide_by, "offer_decide_by"
    elif state.stage in PLAN_EXIT_STAGES and plan is not None:
        # A failed plan (appealed or not) can end in an exit any day now: its end has
        # passed, so the review date stands in for it.
        when, why = plan.end, "plan_end"
    else:
        return None
    return max(when, ctx.as_of), why


def appeal_elect_by(ctx: ReviewContext, plan: PlanState) -> date | None:
    """The last day to elect an appeal of a failed plan; the policy's window by default.

    None when the plan did not fail, or when the window would close past 9999-12-31.
    """
    if plan.outcome != "plan_failed" or plan.outcome_on is None:
        return None
    days = plan.appeal_days or ctx.policy.windows.appeal_election_business_days
    return add_us_business_days(plan.outcome_on, days)


def tier1_reference(ctx: ReviewContext) -> Decimal | None:
    """Tier 1 as made in the case, else as the policy's formula gives it on as_of."""
    made = [o for o in ctx.state.offers if o.offer.tier == 1]
    if made:
        return Decimal(repr(made[-1].offer.amount))
    tenure = whole_years_between(ctx.employee.hire_date, ctx.as_of)
    return ctx.policy.tier1_amount(ctx.employee.base_salary, tenure)


def policy_tier_amount(ctx: ReviewContext, tier: int) -> float | None:
    """The policy's amount for ``tier``, or None when the policy has no such tier."""
    tier1 = tier1_reference(ctx)
    if tier1 is None:
        return None
    if tier == 1:
        return float(tier1)
    amount = ctx.policy.tier_amount(tier, tier1)
    return None if amount is None else float(amount)
