"""Deadline codes: every date by which someone must act, from the law or the policy.

Each deadline says whether it has ``passed`` (its date is before as_of) and whether it is
``settled``: the decision it times was made or can no longer be (review-v4.md section 5).
A date the law or the policy would set past 9999-12-31 is not listed (item 14).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from fairpivot.domain.casefile.model import GAG_CLAUSES
from fairpivot.domain.dates import days_later, months_later, years_later
from fairpivot.domain.fold import OfferState, PlanState
from fairpivot.domain.review.context import ReviewContext, Step
from fairpivot.domain.review.coverage import claim_min_headcount
from fairpivot.domain.review.exits import appeal_elect_by
from fairpivot.domain.review.model import Deadline

_ROLLS = "; a filing due on a weekend or holiday may roll to the next business day"
# The claim deadlines: the law's, never settled, one per distinct date per code.
CLAIM_CODES = frozenset(
    {
        "eeoc_charge",
        "state_agency",
        "fmla_suit",
        "nlrb_charge",
        "osha_11c",
        "ca_crd_complaint",
        "wa_wlad_suit",
    }
)

# Every deadline code the review lists (review.md and review-v4.md section 3).
DEADLINE_CODES = frozenset(
    {
        *CLAIM_CODES,
        "pivot_decide_by",
        "offer_expires",
        "revoke_by",
        "appeal_elect_by",
        "plan_ends",
        "focus_review_by",
    }
)

Raised = tuple[str, date | None, str, bool]  # code, date, basis, settled


def deadlines(ctx: ReviewContext) -> list[Deadline]:
    """Every deadline in the case, sorted by date then code (stable for equal pairs)."""
    found: dict[tuple[object, ...], Raised] = {}
    for item in _all(ctx):
        code, when, _, _ = item
        assert code in DEADLINE_CODES, code
        if when is None:
            continue  # past 9999-12-31
        key: tuple[object, ...] = (code, when) if code in CLAIM_CODES else item
        found.setdefault(key, item)
    ordered = sorted(found.values(), key=lambda item: (item[1], item[0]))
    return [
        Deadline(code, when, when < ctx.as_of, basis, settled)
        for code, when, basis, settled in ordered
        if when is not None
    ]


def _all(ctx: ReviewContext) -> Iterator[Raised]:
    yield from _charge_deadlines(ctx)
    yield from _claim_deadlines(ctx)
    yield from _offer_deadlines(ctx)
    yield from _plan_deadlines(ctx)
    spell = ctx.state.open_focus
    if spell is not None:
        target = ctx.thresholds.focus_target_days
        yield (
            "focus_review_by",
            days_later(spell.started, target),
            f"Policy {ctx.policy.name}: Focus is resolved within {target} days "
            "(thresholds.focus_target_days)",
            False,  # listed only while the Focus is open (reading 61)
        )


def _listed(ctx: ReviewContext, code: str) -> bool:
    """Whether a claim deadline is listed at this employer's size (reading 47)."""
    minimum = claim_min_headcount(code, ctx.thresholds)
    return minimum is None or ctx.covered(minimum)


def _charge_deadlines(ctx: ReviewContext) -> Iterator[Raised]:
    if not ctx.in_us:
        return
    t = ctx.thresholds
    state_code = ctx.employee.work_state
    if state_code in t.eeoc_states_without_state_agency:
        days, why = t.eeoc_charge_days_without_state_agency, f"no state agency in {state_code}"
    else:
        days, why = t.eeoc_charge_days, f"a state agency also covers {state_code}"
    months = t.state_agency_months.get(state_code)
    eeoc, state = _listed(ctx, "eeoc_charge"), _listed(ctx, "state_agency")
    for notice in sorted(set(ctx.notice_dates())):
        if eeoc:
            yield (
                "eeoc_charge",
                days_later(notice, days),
                f"42 U.S.C. 2000e-5(e)(1); 29 U.S.C. 626(d): {days} days from notice of the "
                f"act of {notice.isoformat()} ({why}); National Railroad Passenger Corp. v. "
                f"Morgan, 536 U.S. 101 (2002){_ROLLS}",
                False,
            )
        if months is not None and state:
            yield (
                "state_agency",
                months_later(notice, months),
                _state_basis(state_code, months, notice),
                False,
            )


def _state_basis(state_code: str, months: int, notice: date) -> str:
    if state_code == "WA":
        where = "RCW 49.60.230(2) (Washington State Human Rights Commission)"
    else:
        where = f"the {state_code} fair-employment agency's filing period"
    return f"{where}: {months} months from the act of {notice.isoformat()}{_ROLLS}"


def _after_activity(ctx: ReviewContext, kind: str) -> date | None:
    """The first date of an activity of ``kind`` on or before as_of (reading 53)."""
    return min(
        (a.date for a in ctx.file.protected_activities if a.kind == kind and a.date <= ctx.as_of),
        default=None,
    )


def _claim_deadlines(ctx: ReviewContext) -> Iterator[Raised]:
    """The claim deadlines of review-v4.md section 3, each from a step's notice date."""
    if not ctx.in_us:
        return
    state_code = ctx.employee.work_state
    fmla = _after_activity(ctx, "fmla_leave") if _listed(ctx, "fmla_suit") else None
    # The NLRA protects employees, not supervisors (29 U.S.C. 152(3), (11)): no charge
    # deadline is promised to a supervisor, after concerted activity or an offer alike.
    concerted = None if ctx.employee.supervisor else _after_activity(ctx, "concerted_activity")
    safety = _after_activity(ctx, "safety_complaint")
    ca = state_code == "CA" and _listed(ctx, "ca_crd_complaint")
    wa = state_code == "WA" and _listed(ctx, "wa_wlad_suit")
    for step, notice in ctx.step_notices():
        act = f"the act of {notice.isoformat()}"
        if _on_or_after(step, fmla):
            yield (
                "fmla_suit",
                years_later(notice, 2),
                f"29 U.S.C. 2617(c)(1): a suit within 2 years of {act}; 3 years for a willful "
                f"violation, 29 U.S.C. 2617(c)(2){_ROLLS}",
                False,
            )
        if _on_or_after(step, concerted):
            yield ("nlrb_charge", months_later(notice, 6), _nlrb_basis(act), False)
        if _on_or_after(step, safety):
            yield (
                "osha_11c",
                days_later(notice, 30),
                f"29 U.S.C. 660(c)(2): a complaint to OSHA within 30 days of {act}{_ROLLS}",
                False,
            )
        if ca:
            yield (
                "ca_crd_complaint",
                years_later(notice, 3),
                f"Cal. Gov. Code 12960(e): a complaint with the Civil Rights Department within "
                f"3 years of {act}{_ROLLS}",
                False,
            )
        if wa:
            yield (
                "wa_wlad_suit",
                years_later(notice, 3),
                f"RCW 4.16.080(2): a suit under the WLAD (RCW 49.60) within 3 years of {act}"
                f"{_ROLLS}",
                False,
            )
    for fact in ctx.offers:
        if _raises_nlra(ctx, fact):
            act = f"the offer of {fact.made_on.isoformat()}"
            yield ("nlrb_charge", months_later(fact.made_on, 6), _nlrb_basis(act), False)


def _on_or_after(step: Step, activity_date: date | None) -> bool:
    return activity_date is not None and step.date >= activity_date


def _nlrb_basis(act: str) -> str:
    return f"29 U.S.C. 160(b): an unfair labor practice charge within 6 months of {act}{_ROLLS}"


def _raises_nlra(ctx: ReviewContext, fact: OfferState) -> bool:
    """Whether the offer raises nlra.broad_confidentiality (reading 54)."""
    return (
        not ctx.employee.supervisor
        and not GAG_CLAUSES.isdisjoint(fact.offer.clauses)
        and not fact.offer.has("preserves_section7_rights")
    )


def _indices(ctx: ReviewContext, *types: str) -> list[int]:
    return [i for i, event in enumerate(ctx.file.events) if event.type in types]


def _any_after(indices: list[int], index: int) -> bool:
    """Whether one of ``indices`` comes later in the file than ``index`` (reading 60)."""
    return any(i > index for i in indices)


def _offer_deadlines(ctx: ReviewContext) -> Iterator[Raised]:
    separations = _indices(ctx, "separated")
    offers_made = _indices(ctx, "pivot_offered", "offer_made")
    for offer in ctx.state.offers:
        signed = offer.standing_signing is not None
        separated_after = _any_after(separations, offer.index)
        if offer.source == "pivot_offered":
            decide_by = offer.decide_by
            days = "" if decide_by is None else f"{(decide_by - offer.made_on).days} days"
            yield (
                "pivot_decide_by",
                decide_by,
                f"The Pivot letter of {offer.made_on.isoformat()}: {days} to choose",
                offer.chosen is not None or signed or separated_after,
            )
        yield (
            "offer_expires",
            offer.expires,
            f"The tier-{offer.offer.tier} offer of {offer.made_on.isoformat()}: "
            f"{offer.offer.consideration_days} days to consider; 29 U.S.C. 626(f)(1)(F) "
            "for employees aged 40+",
            signed or _any_after(offers_made, offer.index) or separated_after,
        )
        yield from _revocation_deadlines(ctx, offer)


def _revocation_deadlines(ctx: ReviewContext, offer: OfferState) -> Iterator[Raised]:
    """``revoke_by``: the signing date plus the offer's own days, when it gives any.

    Nothing lengthens it: 29 U.S.C. 626(f)(1)(G) is a condition of a valid ADEA waiver,
    not a right written into the agreement (review-v4.md item 1).
    """
    days = offer.offer.revocation_days
    if days < 1:
        return
    law = (
        "; 29 U.S.C. 626(f)(1)(G) makes at least 7 days a condition of an ADEA waiver"
        if ctx.in_us
        else ""
    )
    for signing in offer.signings:
        yield (
            "revoke_by",
            days_later(signing.signed_on, days),
            f"Signed {signing.signed_on.isoformat()}: revocable for {days} days, as the "
            f"offer gives{law}",
            signing.revoked_on is not None,
        )


def _plan_deadlines(ctx: ReviewContext) -> Iterator[Raised]:
    separations = _indices(ctx, "separated")
    elections = _indices(ctx, "appeal_elected")
    for plan in ctx.state.plans:
        if not plan.taken_up:
            continue
        yield (
            "plan_ends",
            plan.end,
            f"Policy {ctx.policy.name}: the plan that started {plan.start.isoformat()} ends "
            "on this date (as extended)",
            plan.outcome is not None or _any_after(separations, plan.index),
        )
        if plan.appeal_days is not None and ctx.policy.appeals_failed_plans:
            yield _election(ctx, plan, separations, elections)


def _election(
    ctx: ReviewContext, plan: PlanState, separations: list[int], elections: list[int]
) -> Raised:
    failed_at = plan.outcome_index
    assert failed_at is not None
    return (
        "appeal_elect_by",
        appeal_elect_by(ctx, plan),
        f"{plan.appeal_days} business days from the failed plan, skipping weekends "
        "and observed US federal holidays (5 U.S.C. 6103)",
        _any_after(elections, failed_at) or _any_after(separations, failed_at),
    )
