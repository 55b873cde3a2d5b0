"""Deadline codes: every date by which someone must act, from the law or the policy."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from fairpivot.domain.dates import add_months
from fairpivot.domain.review.context import ReviewContext, plus_days
from fairpivot.domain.review.exits import appeal_elect_by
from fairpivot.domain.review.model import Deadline

_ROLLS = "; a filing due on a weekend or holiday may roll to the next business day"


def deadlines(ctx: ReviewContext) -> list[Deadline]:
    """Every deadline in the case, sorted by date then code (stable for equal pairs)."""
    found = dict.fromkeys(_all(ctx))  # drops exact repeats, keeps the order raised
    return [
        Deadline(code, when, when < ctx.as_of, basis)
        for code, when, basis in sorted(found, key=lambda item: (item[1], item[0]))
    ]


def _all(ctx: ReviewContext) -> Iterator[tuple[str, date, str]]:
    yield from _charge_deadlines(ctx)
    yield from _offer_deadlines(ctx)
    yield from _plan_deadlines(ctx)
    spell = ctx.state.open_focus
    if spell is not None:
        target = ctx.thresholds.focus_target_days
        yield (
            "focus_review_by",
            plus_days(spell.started, target),
            f"Policy {ctx.policy.name}: Focus is resolved within {target} days "
            "(thresholds.focus_target_days)",
        )


def _charge_deadlines(ctx: ReviewContext) -> Iterator[tuple[str, date, str]]:
    if not ctx.in_us:
        return
    t = ctx.thresholds
    state_code = ctx.employee.work_state
    if state_code in t.eeoc_states_without_state_agency:
        days, why = t.eeoc_charge_days_without_state_agency, f"no state agency in {state_code}"
    else:
        days, why = t.eeoc_charge_days, f"a state agency also covers {state_code}"
    months = t.state_agency_months.get(state_code)
    for notice in sorted(set(ctx.notice_dates())):
        yield (
            "eeoc_charge",
            plus_days(notice, days),
            f"42 U.S.C. 2000e-5(e)(1); 29 U.S.C. 626(d): {days} days from notice of the act "
            f"of {notice.isoformat()} ({why}); National Railroad Passenger Corp. v. Morgan, "
            f"536 U.S. 101 (2002){_ROLLS}",
        )
        if months is not None:
            yield (
                "state_agency",
                add_months(notice, months),
                _state_basis(state_code, months, notice),
            )


def _state_basis(state_code: str, months: int, notice: date) -> str:
    if state_code == "WA":
        where = "RCW 49.60.230(2) (Washington State Human Rights Commission)"
    else:
        where = f"the {state_code} fair-employment agency's filing period"
    return f"{where}: {months} months from the act of {notice.isoformat()}{_ROLLS}"


def _offer_deadlines(ctx: ReviewContext) -> Iterator[tuple[str, date, str]]:
    for offer in ctx.state.offers:
        if offer.source == "pivot_offered":
            yield (
                "pivot_decide_by",
                offer.decide_by,
                f"The Pivot letter of {offer.made_on.isoformat()}: "
                f"{(offer.decide_by - offer.made_on).days} days to choose",
            )
        yield (
            "offer_expires",
            offer.expires,
            f"The tier-{offer.offer.tier} offer of {offer.made_on.isoformat()}: "
            f"{offer.offer.consideration_days} days to consider; 29 U.S.C. 626(f)(1)(F) "
            "for employees aged 40+",
        )
        if offer.signed_on is None:
            continue
        days = offer.offer.revocation_days
        minimum = ctx.thresholds.owbpa_revocation_days
        if ctx.older_worker_on(offer.signed_on) and days < minimum:
            days = minimum
            why = f"{minimum} days, the minimum 29 U.S.C. 626(f)(1)(G) allows"
        else:
            why = f"{days} days, as the offer gives"
        yield (
            "revoke_by",
            plus_days(offer.signed_on, days),
            f"Signed {offer.signed_on.isoformat()}: revocable for {why}",
        )


def _plan_deadlines(ctx: ReviewContext) -> Iterator[tuple[str, date, str]]:
    for plan in ctx.state.plans:
        if not plan.taken_up:
            continue
        yield (
            "plan_ends",
            plan.end,
            f"Policy {ctx.policy.name}: the plan that started {plan.start.isoformat()} ends "
            "on this date (as extended)",
        )
        if plan.appeal_days is not None and ctx.policy.appeals_failed_plans:
            elect_by = appeal_elect_by(ctx, plan)
            assert elect_by is not None
            yield (
                "appeal_elect_by",
                elect_by,
                f"{plan.appeal_days} business days from the failed plan, skipping weekends "
                "and observed US federal holidays (5 U.S.C. 6103)",
            )
