"""The separation agreement's release, as the case's law and the offer's recorded terms
have it, and the offers no agreement is issued for.

The agreement renders the offer's terms (review-v4.md section 8 item 10): the ADEA is
named where the offer records that it is, the days are the offer's own. Which wording a
recorded term takes follows the work state (a carve-out is RCW 49.44.211's in Washington,
Gov. Code 12964.5's in California) and the employee's age on the offer's date (the OWBPA's
framing only where it applies: a release from someone under 40 claims no ADEA terms).
An offer the review flags gets no agreement at all: the findings are named instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from fairpivot.documents.letters.facts import Source, offer_terms
from fairpivot.domain.casefile import model as m
from fairpivot.domain.dates import us_business_days_within
from fairpivot.domain.fold import CaseState, OfferState
from fairpivot.domain.offers import open_offers
from fairpivot.domain.policy import Policy
from fairpivot.domain.review import Finding

# Gov. Code 12964.5(b)(4): at least 5 business days to consider a separation agreement.
CA_BUSINESS_DAYS = 5


def agreement_offer(src: Source) -> OfferState | None:
    """The offer an agreement is for: the latest offer the employee may sign today."""
    ctx = src.ctx
    return latest_open(ctx.file.events, ctx.state, ctx.policy, src.issued_on)


def flags(findings: Iterable[Finding], offer: OfferState) -> list[Finding]:
    """The findings on ``offer`` (each offer rule names the offer's tier, date and source).

    The date is compared as text: a review read back from its stored document (the
    projection's, which the pages show) holds evidence dates as ISO text.
    """
    return [
        f
        for f in findings
        if f.evidence.get("offer_tier") == offer.offer.tier
        and str(f.evidence.get("offer_date")) == offer.made_on.isoformat()
        and f.evidence.get("source") == offer.source
    ]


def latest_open(
    events: Sequence[m.Event], state: CaseState, policy: Policy, today: date
) -> OfferState | None:
    """The latest offer the employee may sign on ``today``: the one an agreement is for."""
    found = open_offers(events, state, policy, today)
    return max(found, key=lambda o: o.index) if found else None


def release_terms(src: Source, offer: OfferState) -> dict[str, Any]:
    """What the agreement's release says, each element from the record and the law."""
    o = offer.offer
    state = src.file.employee.work_state
    older = src.ctx.older_worker_on(offer.made_on)
    t = src.policy.thresholds
    needed = t.owbpa_group_consideration_days if o.group_program else t.owbpa_consideration_days
    gags = [c for c in ("confidentiality", "non_disparagement") if o.has(c)]
    return {
        **offer_terms(src, offer),
        "release": o.has("release_of_claims"),
        "covenant": o.has("covenant_not_to_sue"),
        "confidentiality": o.has("confidentiality"),
        "non_disparagement": o.has("non_disparagement"),
        "gags": gags,
        "no_rehire": o.has("no_rehire"),
        "carve_out": o.has("carve_out_illegal_conduct"),
        "section7": o.has("preserves_section7_rights"),
        # Which law's words the agencies and a recorded carve-out take.
        "us": src.ctx.in_us,
        "wa": state == "WA",
        "ca": state == "CA",
        "ca_business_days": us_business_days_within(
            offer.made_on, offer.consider_days, CA_BUSINESS_DAYS
        ),
        "names_adea": o.names_adea,
        "advises_attorney": o.advises_attorney,
        # The OWBPA's conditions are spoken of as such only where they apply.
        "owbpa": older and o.names_adea,
        "owbpa_days": needed,
        "owbpa_revoke": t.owbpa_revocation_days,
        "group_disclosures": o.group_program and o.group_disclosures,
        "revocable": o.revocation_days >= 1,
        "effective_day": o.revocation_days + 1,
    }
