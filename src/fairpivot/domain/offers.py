"""Which offers an employee may sign now, and which signings they may still revoke.

A signing signs the latest offer of its tier (review-v4.md section 8 item 1). The offers
open to sign are those of the case's current phase, the one begun by the latest Pivot
letter, failed plan or appeal decision: after a failed plan the Pivot's tier-1 offer is
gone, and only what was offered since may be signed. An offer signed once (even if that
signing was revoked) or past its decide-by date is not open; a Pivot offer whose severance
was chosen stays open for its consideration period.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from fairpivot.domain.casefile import model as m
from fairpivot.domain.dates import days_later
from fairpivot.domain.fold import CaseState, OfferState, Signing
from fairpivot.domain.policy import Policy
from fairpivot.domain.review.context import ReviewContext
from fairpivot.domain.review.exits import policy_tier_amount

# Events that begin a new phase of offers: what was offered before them lapses.
PHASE_EVENTS = frozenset({"pivot_offered", "plan_started", "plan_failed", "appeal_decided"})


@dataclass(frozen=True, slots=True)
class Revocable:
    """A signing the employee may still revoke, and the last day they may."""

    offer: OfferState
    signing: Signing
    last_day: date


def phase_start(events: Sequence[m.Event]) -> int:
    """The index of the event that began the current phase of offers (0 if none did)."""
    return next((i for i in range(len(events) - 1, -1, -1) if events[i].type in PHASE_EVENTS), 0)


def open_offers(
    events: Sequence[m.Event], state: CaseState, policy: Policy, today: date
) -> list[OfferState]:
    """The offers the employee may sign today, lowest tier first."""
    if not policy.allows(state.stage, "offer_signed"):
        return []
    start = phase_start(events)
    latest: dict[int, OfferState] = {}
    for offer in state.offers:
        if offer.index >= start:
            latest[offer.offer.tier] = offer
    return [
        offer
        for _, offer in sorted(latest.items())
        if not offer.signings and not _lapsed(offer, today)
    ]


def _lapsed(offer: OfferState, today: date) -> bool:
    """Past its decide-by date; a Pivot offer whose severance was chosen stays open to sign
    for its whole consideration period."""
    cutoff = offer.decide_by
    if offer.chosen == "severance" and offer.expires is not None and cutoff is not None:
        cutoff = max(cutoff, offer.expires)
    return cutoff is not None and today > cutoff


def revocable(state: CaseState, policy: Policy, today: date) -> list[Revocable]:
    """The signings still inside their revocation period today."""
    if not policy.allows(state.stage, "offer_revoked"):
        return []
    out = []
    for offer in state.offers:
        signing = offer.standing_signing
        days = offer.offer.revocation_days
        if signing is None or days < 1:
            continue
        last = days_later(signing.signed_on, days)
        if last is not None and today <= last:
            out.append(Revocable(offer, signing, last))
    return out


# The tier an offer has at each stage under a tiered policy: the Pivot's (and a negotiated
# one's) is 1, after a failed plan 2, after a lost appeal 3.
_TIER_AT = {"focus": 1, "pivot_offered": 1, "plan_failed": 2, "appeal_lost": 3}
# What a release offer holds unless HR says otherwise: the release, and the two carve-outs
# that keep it from reaching what the law protects.
DEFAULT_CLAUSES = ("release_of_claims", "carve_out_illegal_conduct", "preserves_section7_rights")


@dataclass(frozen=True, slots=True)
class Terms:
    """The terms an offer form starts from: the policy's amount and the legal minimums."""

    tier: int
    amount: float | None  # the policy's formula amount for this employee, if it has one
    consideration_days: int
    revocation_days: int
    older_worker: bool  # OWBPA applies: 21 (45 in a group program) and 7 days, ADEA named
    clauses: tuple[str, ...] = DEFAULT_CLAUSES


def suggested_terms(file: m.CaseFile, policy: Policy, stage: str, today: date) -> Terms:
    """The offer a form at ``stage`` starts from; HR changes what it must."""
    ctx = ReviewContext(file, policy, today, age_anchor=file.as_of)
    made = [o.offer.tier for o in ctx.state.offers]
    tier = _TIER_AT.get(stage, made[-1] if made else 1)
    older = ctx.older_worker_on(today)
    t, windows = policy.thresholds, policy.windows
    return Terms(
        tier=tier,
        amount=policy_tier_amount(ctx, tier),
        consideration_days=t.owbpa_consideration_days if older else windows.pivot_decision_days,
        revocation_days=t.owbpa_revocation_days if older else 0,
        older_worker=older,
    )
