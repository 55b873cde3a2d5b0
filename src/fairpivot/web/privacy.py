"""What each audience may see of a case: one list of facts per audience, and the filters
that build its view of the case file, the review and the ledger from that list.

Privacy by construction: a page or an API answer for a manager or a panelist is made from
what these filters give back, so a fact the audience may not see is never sent, not sent
and hidden by a template. ``access.audience_of`` decides who is which audience.

- ``full``: the employee (their own case), HR covering the case, counsel, admins.
- ``manager``: someone in the employee's reporting line. They propose and document the
  steps, so they see the events, the offers' tiers and amounts, ratings and their own held
  steps; never the employee's birth date or age, pay (base salary, equity, bonuses),
  demographics, protected activities (ADA confidentiality, 29 C.F.R. 1630.14), nor any
  finding, deadline or ledger entry that rests on one of those.
- ``panelist``: a peer deciding an appeal. What a manager may not see, and besides no
  money at all (offer amounts, the employee's options) and no held steps, whose
  justifications are for HR and the employee (review-v4.md section 8 item 7).
- ``own``: not a page's audience but the papers the employee takes away (their own record,
  web/case/ownrecord.py): their whole case but what is HR's alone (``OWN_RECORD``).

What is withheld is withheld whole: no count, placeholder, number or date says that a
withheld fact exists (a ledger entry's number would: see ``Sight.entry_numbers``). The one
exception is the spec's own: the employee's redacted ledger lists a withheld entry by its
number and hash (review-v4.md section 8 item 5), so that the chain can still be checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal

from fairpivot.domain.review import Review
from fairpivot.domain.review.rules import codes_resting_on

# ``own`` is not an audience of the pages: it is what the employee takes away (``OWN_RECORD``).
Audience = Literal["full", "manager", "panelist", "own"]
AUDIENCES: tuple[Audience, ...] = ("full", "manager", "panelist")

# Findings whose existence reveals a protected fact, from the rules that raise them
# (``rests_on``): a protected activity (its timing, a leave, a complaint on file), an age
# of 40 or over, or pay (the equity and bonuses an exit would forfeit).
PROTECTED_FINDINGS = codes_resting_on("protected_activity")
AGE_FINDINGS = codes_resting_on("age")
AGE_PREFIXES = ("owbpa.",)  # any owbpa.* code added later is an age finding too
PAY_FINDINGS = codes_resting_on("pay")
# Claim deadlines listed only after a protected activity (FMLA leave, a safety complaint,
# concerted activity): their presence would name it.
PROTECTED_DEADLINES = frozenset({"fmla_suit", "osha_11c", "nlrb_charge"})
# Ledger entry kinds and what they hold.
PAY_KINDS = frozenset({"equity", "bonus", "share_price"})
# Between the employee (or their representative) and HR: not the manager's.
NEGOTIATION_KINDS = frozenset({"terms_requested", "terms_refused"})
ALL_KINDS = frozenset(
    {
        "opened",
        "event",
        "person",
        "rating",
        "promotion",
        "equity",
        "bonus",
        "protected_activity",
        "share_price",
        "retraction",
        "hold",
        "signoff",
        "panel_vote",
        "document",
        "statement",
        "reply",
        "panel_seated",
        "panel_recused",
        *NEGOTIATION_KINDS,
    }
)


@dataclass(frozen=True, slots=True)
class Sight:
    """The facts of a case one audience may see (everything not withheld here)."""

    audience: Audience
    file_keys: frozenset[str]  # top-level case-file keys withheld
    employee_keys: frozenset[str]  # keys of the case file's employee withheld
    findings: frozenset[str]  # finding codes withheld
    finding_prefixes: tuple[str, ...]  # and codes starting with these
    evidence_keys: frozenset[str]  # keys dropped from the evidence of findings shown
    deadlines: frozenset[str]  # deadline codes withheld
    ledger_kinds: frozenset[str]  # ledger entry kinds shown
    offer_amounts: bool  # an offer's cash amount
    options: bool  # the employee's options side by side
    equity_value: bool  # the equity and bonuses an option forfeits
    hold_reasons: bool  # the findings a held step would raise
    retraction_reasons: bool  # why an entry was retracted
    # Entry numbers, the count of entries and the case's version count every entry, the
    # withheld ones too. Pages leave them out for a restricted audience; the API keeps an
    # event's entry number and the case's version, which replies and optimistic
    # concurrency need (docs/security.md, "Privacy", says so).
    entry_numbers: bool
    # Keys of each protected activity withheld (the activities themselves may be shown).
    activity_keys: frozenset[str] = frozenset()

    @property
    def everything(self) -> bool:
        """Whether this audience sees the whole case."""
        return self.audience == "full"

    @property
    def shows_activities(self) -> bool:
        """Whether this audience sees the protected activities (in part, for some)."""
        return "protected_activities" not in self.file_keys

    def shows_finding(self, code: str) -> bool:
        """Whether a finding of ``code`` may be shown to this audience."""
        return code not in self.findings and not code.startswith(self.finding_prefixes)


FULL = Sight(
    audience="full",
    file_keys=frozenset(),
    employee_keys=frozenset(),
    findings=frozenset(),
    finding_prefixes=(),
    evidence_keys=frozenset(),
    deadlines=frozenset(),
    ledger_kinds=ALL_KINDS,
    offer_amounts=True,
    options=True,
    equity_value=True,
    hold_reasons=True,
    retraction_reasons=True,
    entry_numbers=True,
)
MANAGER = Sight(
    audience="manager",
    file_keys=frozenset({"protected_activities", "equity", "share_price", "bonuses"}),
    employee_keys=frozenset({"birth_date", "age", "base_salary", "demographics"}),
    findings=PROTECTED_FINDINGS | AGE_FINDINGS | PAY_FINDINGS,
    finding_prefixes=("retaliation.", *AGE_PREFIXES),
    evidence_keys=frozenset({"age", "birth_date", "base_salary", "value_lost"}),
    deadlines=PROTECTED_DEADLINES,
    ledger_kinds=ALL_KINDS - {"protected_activity"} - PAY_KINDS - NEGOTIATION_KINDS,
    offer_amounts=True,
    options=True,
    equity_value=False,
    hold_reasons=False,
    retraction_reasons=False,
    entry_numbers=False,
)
PANELIST = replace(
    MANAGER,
    audience="panelist",
    evidence_keys=MANAGER.evidence_keys | {"largest_offer"},
    ledger_kinds=MANAGER.ledger_kinds - {"hold", "signoff"},
    offer_amounts=False,
    options=False,
)
# The employee's own record (the zip they take to their lawyer, and their packet in it).
# Papers they keep outside the system carry nothing that is HR's alone: their demographics
# (kept for org analytics only), what the review found of who knew of a protected activity
# and when (HR's inquiry, not facts the employee gave), HR's notes on those activities and
# who knew of them, each panelist's vote, and the hold and sign-off workflow between the
# manager and HR. An entry of a kind shown that holds one of these (an opening with the
# demographics, an activity with HR's note) is withheld whole: see ``packet.withheld_seqs``.
OWN_RECORD = replace(
    FULL,
    audience="own",
    employee_keys=frozenset({"demographics"}),
    evidence_keys=frozenset({"known_on", "seen_from", "known_to_manager", "known_to"}),
    ledger_kinds=ALL_KINDS - {"hold", "signoff", "panel_vote"},
    hold_reasons=False,
    entry_numbers=True,  # their ledger lists every entry's number, withheld ones too (8.5)
    # Who knew and when, and HR's note: HR's inquiry, not the employee's account.
    activity_keys=frozenset({"known_to", "known_on", "note"}),
)
SIGHTS: dict[Audience, Sight] = {
    "full": FULL,
    "manager": MANAGER,
    "panelist": PANELIST,
    "own": OWN_RECORD,
}


def sight_of(audience: Audience) -> Sight:
    """The facts ``audience`` may see."""
    return SIGHTS[audience]


# The case file (its JSON value).


def case_file(sight: Sight, document: dict[str, Any]) -> dict[str, Any]:
    """The case file with what ``sight`` withholds left out (not a valid case file then)."""
    if sight.everything:
        return document
    out = {k: v for k, v in document.items() if k not in sight.file_keys}
    if sight.activity_keys and isinstance(out.get("protected_activities"), list):
        out["protected_activities"] = [
            {k: v for k, v in a.items() if k not in sight.activity_keys}
            if isinstance(a, dict)
            else a
            for a in document["protected_activities"]
        ]
    employee = document.get("employee")
    if isinstance(employee, dict):
        out["employee"] = {k: v for k, v in employee.items() if k not in sight.employee_keys}
    if not sight.offer_amounts and isinstance(document.get("events"), list):
        out["events"] = [event_of(sight, e) for e in document["events"]]
    return out


def event_of(sight: Sight, event: Any) -> Any:
    """One event as ``sight`` may see it: an offer's amount only where amounts are shown."""
    if sight.offer_amounts or not isinstance(event, dict):
        return event
    offer = event.get("offer")
    if not isinstance(offer, dict) or "amount" not in offer:
        return event
    return {**event, "offer": {k: v for k, v in offer.items() if k != "amount"}}


# The review, as a document (fairpivot.review/1) and as the domain's value.


def review_document(sight: Sight, review: dict[str, Any]) -> dict[str, Any]:
    """A review document with the findings, deadlines and options ``sight`` withholds out."""
    if sight.everything:
        return review
    out = dict(review)
    out["findings"] = [
        {**f, "evidence": _evidence(sight, f.get("evidence"))}
        for f in review.get("findings", [])
        if sight.shows_finding(str(f.get("code")))
    ]
    out["deadlines"] = deadline_documents(sight, review.get("deadlines", []))
    out["options"] = option_documents(sight, review.get("options", []))
    return out


def deadline_documents(sight: Sight, deadlines: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The deadlines ``sight`` may see."""
    return [d for d in deadlines if d.get("code") not in sight.deadlines]


def next_deadline(review: dict[str, Any]) -> date | None:
    """The soonest deadline still to be met in a review document, as the projection's
    ``next_deadline`` is computed, but of the deadlines in this (filtered) document."""
    upcoming = [
        date.fromisoformat(str(d["date"]))
        for d in review.get("deadlines", [])
        if not d.get("settled") and not d.get("passed")
    ]
    return min(upcoming, default=None)


def option_documents(sight: Sight, options: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The options ``sight`` may see, the value of the equity they forfeit only if allowed."""
    if not sight.options:
        return []
    if sight.equity_value:
        return list(options)
    return [{k: v for k, v in o.items() if k != "equity_forfeited"} for o in options]


def review(sight: Sight, result: Review) -> Review:
    """The domain's review with what ``sight`` withholds left out."""
    if sight.everything:
        return result
    findings = tuple(
        replace(f, evidence=_evidence(sight, f.evidence))
        for f in result.findings
        if sight.shows_finding(f.code)
    )
    deadlines = tuple(d for d in result.deadlines if d.code not in sight.deadlines)
    options = tuple(
        o if sight.equity_value else replace(o, equity_forfeited=None) for o in result.options
    )
    if not sight.options:
        options = ()
    return replace(result, findings=findings, deadlines=deadlines, options=options)


def finding_codes(sight: Sight, codes: Iterable[str]) -> tuple[str, ...]:
    """The codes behind a held step, for those told why (review-v4.md section 8 item 6)."""
    return tuple(codes) if sight.hold_reasons else ()


def _evidence(sight: Sight, evidence: Any) -> Any:
    if not isinstance(evidence, dict):
        return evidence
    return {k: v for k, v in evidence.items() if k not in sight.evidence_keys}
