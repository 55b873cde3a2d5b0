"""Offer rules: releases that fail OWBPA, terms no release may hold, state and NLRA limits.

One finding per offer and code. Pivot offers count as offers; their consideration
period is the shorter of the offer's days and the Pivot letter's decision days.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from fairpivot.domain.casefile.model import COMPLAINT_KINDS, GAG_CLAUSES
from fairpivot.domain.dates import days_later, us_business_days_within
from fairpivot.domain.fold import OfferState
from fairpivot.domain.review.context import ACTIVITY_NAMES, ReviewContext
from fairpivot.domain.review.model import Finding, Severity
from fairpivot.domain.review.rules.registry import rule

_OWBPA = "29 U.S.C. 626(f)(1)"
# review-v4.md item 2: a release that misses an OWBPA condition does not waive ADEA claims;
# the rest of it stands or falls on whether it was knowing and voluntary.
_NO_ADEA_WAIVER = (
    "so the release does not waive ADEA claims; claims under other laws turn on whether "
    "it was knowing and voluntary"
)
_WAIVER_BASIS = (
    "29 U.S.C. 626(f)(1): an ADEA waiver is not knowing and voluntary unless it meets each "
    "condition"
)
_OLDER = "aged 40 or over"


def _finding(
    code: str, severity: Severity, fact: OfferState, message: str, basis: str, **evidence: object
) -> Finding:
    return Finding(
        code=code,
        severity=severity,
        date=fact.made_on,
        message=message,
        evidence={
            "offer_tier": fact.offer.tier,
            "offer_date": fact.made_on,
            "source": fact.source,
            **evidence,
        },
        basis=basis,
    )


def _owbpa_offers(ctx: ReviewContext) -> Iterator[tuple[OfferState, int]]:
    """Release offers made to an employee OWBPA protects on the offer's date, with the age."""
    for fact in ctx.offers:
        if fact.offer.is_release and ctx.older_worker_on(fact.made_on):
            yield fact, ctx.age_on(fact.made_on)


def _tier(fact: OfferState) -> str:
    return f"The tier-{fact.offer.tier} release offer of {fact.made_on.isoformat()}"


@rule("owbpa.consideration_period", scope="us", rests_on=["age"])
def owbpa_consideration_period(ctx: ReviewContext) -> Iterator[Finding]:
    """A release from a worker aged 40+ needs 21 days to consider (45 in a group program)."""
    t = ctx.thresholds
    for fact, age in _owbpa_offers(ctx):
        group = fact.offer.group_program
        needed = t.owbpa_group_consideration_days if group else t.owbpa_consideration_days
        if fact.consider_days >= needed:
            continue
        yield _finding(
            "owbpa.consideration_period",
            "high",
            fact,
            f"{_tier(fact)} gave the employee, {_OLDER}, {fact.consider_days} days to "
            f"consider it, fewer than the {needed} the ADEA requires, {_NO_ADEA_WAIVER}.",
            f"{_WAIVER_BASIS}; {_OWBPA}(F)(i)-(ii); 29 C.F.R. 1625.22(e)",
            age=age,
            days_given=fact.consider_days,
            days_required=needed,
            group_program=group,
        )


@rule("owbpa.revocation_period", scope="us", rests_on=["age"])
def owbpa_revocation_period(ctx: ReviewContext) -> Iterator[Finding]:
    """A release from a worker aged 40+ must leave 7 days to revoke after signing."""
    needed = ctx.thresholds.owbpa_revocation_days
    for fact, age in _owbpa_offers(ctx):
        given = fact.offer.revocation_days
        if given >= needed:
            continue
        yield _finding(
            "owbpa.revocation_period",
            "high",
            fact,
            f"{_tier(fact)} gave the employee, {_OLDER}, {given} days to revoke after "
            f"signing, fewer than the {needed} the ADEA requires for a waiver, "
            f"{_NO_ADEA_WAIVER}.",
            f"{_WAIVER_BASIS}; {_OWBPA}(G); 29 C.F.R. 1625.22(e)(5)",
            age=age,
            days_given=given,
            days_required=needed,
        )


def _missing_term(
    code: str, has_it: Callable[[OfferState], bool], what: str, basis: str
) -> Callable[[ReviewContext], Iterator[Finding]]:
    def check(ctx: ReviewContext) -> Iterator[Finding]:
        for fact, age in _owbpa_offers(ctx):
            if not has_it(fact):
                yield _finding(
                    code,
                    "high",
                    fact,
                    f"{_tier(fact)} to the employee, {_OLDER}, {what}, {_NO_ADEA_WAIVER}.",
                    f"{_WAIVER_BASIS}; {basis}",
                    age=age,
                )

    check.__doc__ = f"A release from a worker aged 40+ that {what} waives no ADEA claim ({basis})."
    return check


rule("owbpa.adea_not_named", scope="us", rests_on=["age"])(
    _missing_term(
        "owbpa.adea_not_named",
        lambda f: f.offer.names_adea,
        "does not refer to the Age Discrimination in Employment Act by name",
        f"{_OWBPA}(B); 29 C.F.R. 1625.22(b)",
    )
)
rule("owbpa.attorney_advice", scope="us", rests_on=["age"])(
    _missing_term(
        "owbpa.attorney_advice",
        lambda f: f.offer.advises_attorney,
        "does not advise in writing to consult an attorney",
        f"{_OWBPA}(E); 29 C.F.R. 1625.22(e)",
    )
)
rule("owbpa.group_disclosures", scope="us", rests_on=["age"])(
    _missing_term(
        "owbpa.group_disclosures",
        lambda f: not f.offer.group_program or f.offer.group_disclosures,
        "is part of a group exit program without the written decisional-unit disclosures "
        "of ages and job titles",
        f"{_OWBPA}(H); 29 C.F.R. 1625.22(f)",
    )
)


@rule("release.bars_agency_charge", scope="us")
def release_bars_agency_charge(ctx: ReviewContext) -> Iterator[Finding]:
    """No release may bar filing a charge with the EEOC or a state agency."""
    for fact in ctx.offers:
        if fact.offer.has("bars_agency_charge"):
            yield _finding(
                "release.bars_agency_charge",
                "high",
                fact,
                f"The tier-{fact.offer.tier} offer of {fact.made_on.isoformat()} bars the "
                "employee from filing an agency charge, a term no release may hold.",
                "29 U.S.C. 626(f)(4); 29 C.F.R. 1625.22(i); EEOC v. Cosmair, Inc., "
                "821 F.2d 1085 (5th Cir. 1987)",
            )


@rule("release.tender_back", scope="us", rests_on=["age"])
def release_tender_back(ctx: ReviewContext) -> Iterator[Finding]:
    """An ADEA claimant need not hand the severance back before suing."""
    for fact in ctx.offers:
        if fact.offer.has("tender_back") and ctx.older_worker_on(fact.made_on):
            yield _finding(
                "release.tender_back",
                "medium",
                fact,
                f"The tier-{fact.offer.tier} offer of {fact.made_on.isoformat()} requires the "
                f"employee, {_OLDER}, to repay the severance before challenging the release; "
                "an ADEA challenge needs no repayment first, and the term may deter a "
                "challenge the law allows.",
                "Oubre v. Entergy Operations, Inc., 522 U.S. 422 (1998); 29 C.F.R. 1625.23",
                age=ctx.age_on(fact.made_on),
            )


def _gag_clauses(fact: OfferState) -> list[str]:
    return [c for c in fact.offer.clauses if c in GAG_CLAUSES]


@rule("wa.silenced_no_more", scope="us")
def wa_silenced_no_more(ctx: ReviewContext) -> Iterator[Finding]:
    """Washington bars silencing terms that reach illegal discrimination or harassment."""
    if ctx.employee.work_state != "WA":
        return
    for fact in ctx.offers:
        gags = _gag_clauses(fact)
        if gags and not fact.offer.has("carve_out_illegal_conduct"):
            yield _finding(
                "wa.silenced_no_more",
                "high",
                fact,
                f"The tier-{fact.offer.tier} offer of {fact.made_on.isoformat()} has "
                f"{' and '.join(gags).replace('_', '-')} terms with no carve-out for illegal "
                "conduct; in Washington such a term is void and unenforceable as far as it "
                "reaches illegal discrimination, harassment, retaliation, wage and hour "
                "violations or sexual assault, and offering it may make the employer liable "
                "for damages.",
                "RCW 49.44.211 (Silenced No More Act): such provisions are void and "
                "unenforceable; an employer that seeks one is liable for actual damages or "
                "a statutory $10,000, whichever is greater",
                clauses=gags,
            )


@rule("nlra.broad_confidentiality", scope="us")
def nlra_broad_confidentiality(ctx: ReviewContext) -> Iterator[Finding]:
    """Broad confidentiality or non-disparagement may restrict a non-supervisor's NLRA rights."""
    if ctx.employee.supervisor:
        return
    for fact in ctx.offers:
        gags = _gag_clauses(fact)
        if gags and not fact.offer.has("preserves_section7_rights"):
            yield _finding(
                "nlra.broad_confidentiality",
                "medium",
                fact,
                f"The tier-{fact.offer.tier} offer of {fact.made_on.isoformat()} asks a "
                f"non-supervisory employee to accept {' and '.join(gags).replace('_', '-')} "
                "terms without saying they stay free to discuss pay and working conditions "
                "or to deal with the NLRB; such terms may restrict rights under section 7 "
                "of the NLRA.",
                "29 U.S.C. 157, 158(a)(1); McLaren Macomb, 372 NLRB No. 58 (2023), Board law "
                "that later Board decisions may change",
                clauses=gags,
            )


@rule("ca.no_rehire", scope="us", rests_on=["protected_activity"])
def ca_no_rehire(ctx: ReviewContext) -> Iterator[Finding]:
    """A California no-rehire term against an employee who had complained may be void."""
    if ctx.employee.work_state != "CA":
        return
    complaints = [a for a in ctx.file.protected_activities if a.kind in COMPLAINT_KINDS]
    for fact in ctx.offers:
        if not fact.offer.has("no_rehire"):
            continue
        prior = [a for a in complaints if a.date <= fact.made_on]
        if prior:
            yield _finding(
                "ca.no_rehire",
                "high",
                fact,
                f"The tier-{fact.offer.tier} offer of {fact.made_on.isoformat()} bars rehire "
                f"of an employee who had made {ACTIVITY_NAMES[prior[-1].kind]} on "
                f"{prior[-1].date.isoformat()}; in California such a term may be void.",
                "Cal. Code Civ. Proc. 1002.5: in an agreement settling an employment dispute "
                "with an employee who filed a claim in good faith, a term barring rehire is "
                "void, unless the employer made a good-faith determination that the "
                "employee engaged in sexual harassment, sexual assault or criminal conduct; "
                "the case file records none of these, so the term may be void",
                complaint=prior[-1].kind,
                complaint_date=prior[-1].date,
            )


_CA_MIN_BUSINESS_DAYS = 5


@rule("ca.separation_terms", scope="us")
def ca_separation_terms(ctx: ReviewContext) -> Iterator[Finding]:
    """California separation agreements: 5 business days, attorney advice, a carve-out.

    Basis: Cal. Gov. Code 12964.5(b). One finding per release offer, naming every term it
    misses (readings 56-57).
    """
    if ctx.employee.work_state != "CA":
        return
    for fact in ctx.offers:
        if not fact.offer.is_release:
            continue
        days = fact.consider_days
        business = us_business_days_within(fact.made_on, days, _CA_MIN_BUSINESS_DAYS)
        reasons = []
        if business < _CA_MIN_BUSINESS_DAYS:
            reasons.append("short_period")
        if not fact.offer.advises_attorney:
            reasons.append("no_attorney_advice")
        gags = _gag_clauses(fact)
        if gags and not fact.offer.has("carve_out_illegal_conduct"):
            reasons.append("no_carve_out")
        if not reasons:
            continue
        said = {
            "short_period": f"gives {business} business day{'s' if business != 1 else ''} to "
            f"consider it, fewer than {_CA_MIN_BUSINESS_DAYS}",
            "no_attorney_advice": "does not advise the employee of the right to consult an "
            "attorney",
            "no_carve_out": f"has {' and '.join(gags).replace('_', '-')} terms without saying "
            "the employee may still disclose information about unlawful acts in the workplace",
        }
        yield _finding(
            "ca.separation_terms",
            "high",
            fact,
            f"The tier-{fact.offer.tier} release offer of {fact.made_on.isoformat()} "
            + "; ".join(said[r] for r in reasons)
            + ", which California requires of an agreement related to separation.",
            "Cal. Gov. Code 12964.5(b): a separation agreement must allow at least 5 business "
            "days to consider it and say the employee may consult an attorney, and may not "
            "restrict disclosing information about unlawful acts without the statute's "
            "carve-out",
            reasons=reasons,
            days_given=days,
            business_days=business,
            period_ends=days_later(fact.made_on, days),
            min_business_days=_CA_MIN_BUSINESS_DAYS,
        )
