"""The letters fairpivot issues: which the record supports now, and what each one says.

A letter is offered only when the record holds what it tells (no Pivot letter before a
Pivot offer, no plan letter before a plan, no agreement without an offer open to sign);
each builder reads the fold and the review (``facts``) and hands its template a context.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from fairpivot.documents.letters import release, templates
from fairpivot.documents.letters.facts import (
    Source,
    goals,
    heading,
    offer_terms,
    plan_terms,
    say_date,
)
from fairpivot.domain.casefile import model as m
from fairpivot.domain.dates import days_later
from fairpivot.domain.errors import InvalidInput
from fairpivot.domain.fold import CaseState
from fairpivot.domain.offers import open_offers
from fairpivot.domain.policy import Policy
from fairpivot.domain.review.exits import appeal_elect_by


class LetterRefused(InvalidInput):
    """A letter the record does not support now, or an agreement the review flags."""


Context = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Letter:
    """One kind of letter: its name (the ledger's ``document``), title and builder."""

    name: str
    title: str
    build: Callable[[Source], Context | None]  # None: the record does not support it now
    # Whether HR may give the manager a copy: only letters holding nothing the manager's
    # view withholds (pay, the release's terms, the age its OWBPA terms imply).
    manager_copy: bool = False


def _focus(src: Source) -> Context | None:
    spell = src.ctx.state.focus[-1] if src.ctx.state.focus else None
    if spell is None:
        return None
    event = src.file.events[spell.index]
    review_by = None
    if spell.ended is None:
        target = src.policy.thresholds.focus_target_days
        review_by = src.deadline("focus_review_by", days_later(spell.started, target))
    return {
        "started": say_date(spell.started),
        "goals": goals(getattr(event, "goals", None) or []),
        "note": event.note or "",
        "review_by": review_by,
        "ended": say_date(spell.ended) if spell.ended else "",
    }


def _pivot(src: Source) -> Context | None:
    offer = src.ctx.state.pivot_offer
    if offer is None:
        return None
    plan = next((p for p in src.ctx.state.plans if p.index == offer.index), None)
    assert plan is not None  # a Pivot letter always holds its plan
    options = {o.option: o for o in src.review.options}
    severance = options.get("severance")
    return {
        "offer": offer_terms(src, offer),
        "plan": plan_terms(src, plan),
        "decision_days": (offer.decide_by - offer.made_on).days if offer.decide_by else None,
        "appeal_open": src.policy.appeals_placement and "appeal" in options,
        "equity_forfeited": (
            src.money(severance.equity_forfeited)
            if severance is not None and severance.equity_forfeited
            else ""
        ),
        # As the review's severance option has it (the policy and the offer's terms), and
        # said only while that option is open.
        "rehire": None if severance is None else severance.rehire_eligible,
    }


def _plan(src: Source) -> Context | None:
    plan = src.ctx.state.current_plan
    if plan is None:
        return None
    return {"plan": plan_terms(src, plan)}


def _outcome(src: Source) -> Context | None:
    plan = src.ctx.state.current_plan
    if plan is None or plan.outcome is None or plan.outcome_on is None:
        return None
    failed = plan.outcome == "plan_failed"
    elect_by = appeal_elect_by(src.ctx, plan) if failed else None
    return {
        "plan": plan_terms(src, plan),
        "passed": not failed,
        "on": say_date(plan.outcome_on),
        "appeal_days": plan.appeal_days,
        "elect_by": src.deadline("appeal_elect_by", elect_by),
        "note": _note(src, plan.outcome_index),
    }


def _note(src: Source, index: int | None) -> str:
    return (src.file.events[index].note or "") if index is not None else ""


def _appeal(src: Source) -> Context | None:
    decided = [a for a in src.ctx.state.appeals if a.decided_on is not None]
    if not decided:
        return None
    appeal = decided[-1]
    assert appeal.decided_on is not None
    event = next(
        e
        for e in reversed(src.file.events)
        if e.type == "appeal_decided" and e.date == appeal.decided_on
    )
    return {
        "elected": say_date(appeal.elected_on) if appeal.elected_on else "",
        "on": say_date(appeal.decided_on),
        "upheld": appeal.outcome == "upheld",
        "panel_size": len(getattr(event, "panel", None) or []),
        "note": event.note or "",
    }


def _further(src: Source) -> Context | None:
    made = [o for o in src.ctx.state.offers if o.source == "offer_made"]
    if not made:
        return None
    return {"offer": offer_terms(src, made[-1])}


def _agreement(src: Source) -> Context | None:
    offer = release.agreement_offer(src)
    if offer is None:
        return None
    found = release.flags(src.review.findings, offer)
    if found:
        codes = ", ".join(sorted({f.code for f in found}))
        raise LetterRefused(
            [
                f"letter: no separation agreement is issued for the tier-{offer.offer.tier} "
                f"offer of {offer.made_on.isoformat()}: the review flags it ({codes}); "
                "make a new offer without those terms first"
            ]
        )
    return {"offer": release.release_terms(src, offer)}


_ALL = (
    Letter("focus_notice", "Focus notice", _focus, manager_copy=True),
    Letter("pivot_letter", "Pivot letter", _pivot),
    Letter("plan", "Improvement plan", _plan, manager_copy=True),
    Letter("plan_outcome", "Plan outcome", _outcome, manager_copy=True),
    Letter("appeal_decision", "Appeal decision", _appeal, manager_copy=True),
    Letter("further_offer", "Further severance offer", _further),
    Letter("separation_agreement", "Separation agreement and release", _agreement),
)
LETTERS: dict[str, Letter] = {letter.name: letter for letter in _ALL}


def available(
    state: CaseState, events: Sequence[m.Event], policy: Policy, today: date
) -> list[Letter]:
    """The letters the record supports on ``today``, from the fold alone (no review: the
    case page asks on every view). An agreement the review flags is listed: asking for it
    says why it is refused."""
    plan = state.current_plan
    holds = {
        "focus_notice": bool(state.focus),
        "pivot_letter": state.pivot_offer is not None,
        "plan": plan is not None,
        "plan_outcome": plan is not None and plan.outcome is not None,
        "appeal_decision": any(a.decided_on is not None for a in state.appeals),
        "further_offer": any(o.source == "offer_made" for o in state.offers),
        "separation_agreement": bool(open_offers(events, state, policy, today)),
    }
    return [letter for letter in _ALL if holds[letter.name]]


@dataclass(frozen=True, slots=True)
class Composed:
    """A letter rendered as HTML, with what its ledger entry records."""

    letter: Letter
    html: str
    filename: str


def compose(src: Source, name: str, *, templates_root: Path | None = None) -> Composed:
    """The letter ``name`` as HTML; LetterRefused naming why when it cannot be issued.

    ``templates_root``: the folder of a company's own policy file, whose ``<policy>/letters``
    folder holds its templates (the shipped policies' folder by default).
    """
    letter = LETTERS.get(name)
    if letter is None:
        known = ", ".join(LETTERS)
        raise LetterRefused([f"letter: no letter called {name!r} (letters: {known})"])
    built = letter.build(src)
    if built is None:
        raise LetterRefused(
            [f"letter: the record of {src.ref} holds nothing a {letter.title.lower()} tells"]
        )
    context = {"head": heading(src), "letter_title": letter.title, **built}
    html = templates.render(src.policy.name, name, context, root=templates_root)
    filename = f"{src.ref}-{name.replace('_', '-')}-{src.issued_on.isoformat()}.pdf"
    return Composed(letter, html, filename)
