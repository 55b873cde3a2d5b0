"""The options open at a decision point, side by side: cash, what is lost, by when."""

from __future__ import annotations

from datetime import date

from fairpivot.domain.fold import OfferState
from fairpivot.domain.review.context import ReviewContext
from fairpivot.domain.review.exits import appeal_elect_by, policy_tier_amount, standing_offer
from fairpivot.domain.review.model import Option

_DEFAULT_TIER = {"plan_failed": 2, "appeal_lost": 3}


def options(ctx: ReviewContext) -> list[Option]:
    """Each choice open at the case's current decision point; empty elsewhere."""
    stage = ctx.state.stage
    if stage == "pivot_offered":
        return _at_pivot(ctx)
    if stage in _DEFAULT_TIER:
        found = [] if (offer := _severance(ctx, stage)) is None else [offer]
        if stage == "plan_failed":
            found += _appeal_after_failure(ctx)
        return found
    return []


def _forfeited(ctx: ReviewContext, exit_on: date | None) -> float:
    return ctx.value_after(exit_on or ctx.as_of)


def _rehire_after_offer(ctx: ReviewContext, offer: OfferState) -> bool:
    rehire = ctx.policy.rehire
    if offer.offer.has("no_rehire"):
        return False
    if offer.offer.negotiated and not rehire.after_negotiated_offer:
        return False
    return rehire.after_severance


def _offer_option(ctx: ReviewContext, offer: OfferState) -> Option:
    return Option(
        option="severance",
        tier=offer.offer.tier,
        cash=float(offer.offer.amount),
        # An offer decided past 9999-12-31 forfeits nothing the file can date (reading 68).
        equity_forfeited=0.0 if offer.decide_by is None else _forfeited(ctx, offer.decide_by),
        decide_by=offer.decide_by,
        release_required=offer.offer.is_release,
        rehire_eligible=_rehire_after_offer(ctx, offer),
    )


def _at_pivot(ctx: ReviewContext) -> list[Option]:
    offer = ctx.state.pivot_offer
    if offer is None:
        return []
    found = [_offer_option(ctx, offer)]
    plan = next((p for p in reversed(ctx.state.plans) if p.index == offer.index), None)
    if plan is not None:
        found.append(
            Option(
                option="plan",
                tier=None,
                cash=0.0,
                equity_forfeited=_forfeited(ctx, plan.end),
                decide_by=offer.decide_by,
                release_required=False,
                rehire_eligible=ctx.policy.rehire.after_plan_failure,
            )
        )
    if ctx.policy.appeals_placement:
        found.append(_appeal(offer.decide_by))
    return found


def _severance(ctx: ReviewContext, stage: str) -> Option | None:
    offer = standing_offer(ctx)
    if offer is not None:
        return _offer_option(ctx, offer)
    tier = _DEFAULT_TIER[stage]
    amount = policy_tier_amount(ctx, tier)
    if amount is None:
        return None
    return Option(
        option="severance",
        tier=tier,
        cash=amount,
        equity_forfeited=_forfeited(ctx, None),
        decide_by=None,
        release_required=ctx.policy.severance.release_required,
        rehire_eligible=ctx.policy.rehire.after_severance,
    )


def _appeal_after_failure(ctx: ReviewContext) -> list[Option]:
    plan = ctx.state.current_plan
    if not ctx.policy.appeals_failed_plans or plan is None:
        return []
    if plan.outcome != "plan_failed":
        return []
    elect_by = appeal_elect_by(ctx, plan)  # None: the window closes past 9999-12-31
    if elect_by is not None and elect_by < ctx.as_of:
        return []
    return [_appeal(elect_by)]


def _appeal(decide_by: date | None) -> Option:
    return Option(
        option="appeal",
        tier=None,
        cash=0.0,
        equity_forfeited=None,
        decide_by=decide_by,
        release_required=False,
        rehire_eligible=True,
    )
