"""Where one case went, as org analytics count it: the funnel dates and the releases offered.

Read off the same fold the review makes, so the funnel and the findings can never disagree
about what happened in a case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fairpivot.domain.dates import whole_years_between
from fairpivot.domain.fold import OfferState
from fairpivot.domain.review.context import ReviewContext

RELEASE = "release_of_claims"


@dataclass(frozen=True, slots=True)
class ReleaseOffered:
    """A severance offer asking for a release of claims, as OWBPA's group rules see it.

    ``formula_amount`` is what the policy's tier formula gives this employee on the offer's
    day (None when the policy has no formula for the tier), so the org screen can tell an
    offer on the standard terms from one made case by case.
    """

    date: date
    consideration_days: int
    age_40_plus: bool | None
    group_program: bool
    amount: float = 0.0
    formula_amount: float | None = None
    negotiated: bool = False
    group_disclosures: bool = False


@dataclass(frozen=True, slots=True)
class Milestones:
    """The first day a case reached each funnel stage, and how its plan and appeal ended."""

    org: str
    manager: str
    focus_on: date | None
    pivot_on: date | None
    plan_on: date | None
    plan_outcome: str
    appeal_on: date | None
    appeal_outcome: str
    exit_on: date | None
    last_event_on: date | None
    releases: tuple[ReleaseOffered, ...]


def milestones(ctx: ReviewContext) -> Milestones:
    """The case's funnel dates and release offers, from its fold."""
    state, employee = ctx.state, ctx.employee
    pivot = next((o for o in state.offers if o.source == "pivot_offered"), None)
    plan = state.current_plan
    appeal = state.appeals[-1] if state.appeals else None
    return Milestones(
        org=employee.org or "",
        manager=employee.manager or "",
        focus_on=state.focus[0].started if state.focus else None,
        pivot_on=pivot.made_on if pivot else None,
        plan_on=plan.start if plan else None,
        # The fold keeps the event type (plan_passed); the column holds passed or failed.
        plan_outcome=(plan.outcome or "").removeprefix("plan_") if plan else "",
        appeal_on=state.appeals[0].elected_on if state.appeals else None,
        appeal_outcome=(appeal.outcome or "") if appeal else "",
        exit_on=state.separation.date if state.separation else None,
        last_event_on=max((e.date for e in ctx.file.events), default=None),
        releases=tuple(_release(ctx, o) for o in state.offers if o.offer.has(RELEASE)),
    )


def _release(ctx: ReviewContext, made: OfferState) -> ReleaseOffered:
    offer = made.offer
    return ReleaseOffered(
        date=made.made_on,
        consideration_days=offer.consideration_days,
        age_40_plus=_older(ctx, made.made_on),
        group_program=offer.group_program,
        amount=float(offer.amount),
        formula_amount=formula_amount(ctx, offer.tier, made.made_on),
        negotiated=offer.negotiated,
        group_disclosures=offer.group_disclosures,
    )


def formula_amount(ctx: ReviewContext, tier: int, day: date) -> float | None:
    """The policy's formula amount for ``tier`` for this employee on ``day``, if it has one.

    Tier 1 from base pay and whole years of tenure on the day; a later tier as the
    policy's fraction of that tier 1, so a later offer is judged on the formula itself.
    """
    policy, employee = ctx.policy, ctx.employee
    tenure = whole_years_between(employee.hire_date, day)
    tier1 = policy.tier1_amount(employee.base_salary, tenure)
    if tier1 is None or tier == 1:
        return None if tier1 is None else float(tier1)
    amount = policy.tier_amount(tier, tier1)
    return None if amount is None else float(amount)


def _older(ctx: ReviewContext, day: date) -> bool | None:
    """Whether the employee was 40 or over on ``day``; None when the file gives no age."""
    if ctx.employee.birth_date is None and ctx.employee.age is None:
        return None
    return ctx.age_on(day) >= ctx.thresholds.owbpa_min_age
