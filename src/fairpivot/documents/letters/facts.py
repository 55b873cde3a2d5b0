"""What a letter says, read from the record: the case's fold and its review, worded.

Every figure here comes from the case file's events, the policy or the review of the same
file: the amount an offer records, the dates the review lists, the goals a plan holds.
Nothing is assumed that the record does not say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from fairpivot.domain.casefile import model as m
from fairpivot.domain.dates import days_later, whole_years_between
from fairpivot.domain.fold import OfferState, PlanState
from fairpivot.domain.policy import Policy
from fairpivot.domain.review import Review
from fairpivot.domain.review.context import ReviewContext
from fairpivot.domain.review.engine import examine
from fairpivot.domain.wording import money

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def say_date(day: date) -> str:
    """``June 2, 2025``: how a letter writes a date."""
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def days_from(day: date, issued_on: date) -> str:
    """How many days from the letter's date to ``day``, in words a reader counts by."""
    days = (day - issued_on).days
    if days == 0:
        return "the date of this letter"
    unit = "day" if abs(days) == 1 else "days"
    if days > 0:
        return f"{days} {unit} from the date of this letter"
    return f"{-days} {unit} before the date of this letter"


@dataclass(frozen=True, slots=True)
class Source:
    """What letters are built from: the case's review and the context it was made in."""

    ref: str
    ctx: ReviewContext
    review: Review
    issued_on: date

    @property
    def file(self) -> m.CaseFile:
        """The case file the ledger describes."""
        return self.ctx.file

    @property
    def policy(self) -> Policy:
        """The policy the case runs under."""
        return self.ctx.policy

    @property
    def currency(self) -> str:
        """The currency of the employee's pay, and of every amount."""
        return self.file.employee.currency

    def money(self, amount: float | Decimal) -> str:
        """An amount with its currency."""
        return money(float(amount), self.currency)

    def deadline(self, code: str, day: date | None) -> dict[str, str] | None:
        """The review's deadline ``code`` on ``day``, worded, or None if it lists none."""
        if day is None:
            return None
        found = next((d for d in self.review.deadlines if d.code == code and d.date == day), None)
        if found is None:
            return None
        return {
            "code": code,
            "iso": day.isoformat(),
            "date": say_date(day),
            "left": days_from(day, self.issued_on),
        }

    def name(self, ident: str | None) -> str:
        """The name the case file gives a person id (the id itself when it gives none)."""
        if not ident:
            return ""
        if ident == self.file.employee.id:
            return self.file.employee.name
        return next((p.name for p in self.file.people if p.id == ident), ident)


def source_of(file: m.CaseFile, policy: Policy, *, ref: str, issued_on: date) -> Source:
    """The review of ``file`` as of the letter's date, and the context it was made in."""
    result, ctx = examine(file, policy, as_of=issued_on, case_id=ref)
    return Source(ref, ctx, result, issued_on)


def heading(src: Source) -> dict[str, Any]:
    """What every letter's head says: who writes to whom, on which date, in which case."""
    employee = src.file.employee
    employer = src.file.employer.name if src.file.employer and src.file.employer.name else ""
    return {
        "employer": employer or "Your employer",
        "employee": employee.name,
        "employee_id": employee.id,
        "title": employee.title or "",
        "org": employee.org or "",
        "manager": src.name(employee.manager),
        "case": src.ref,
        "date": say_date(src.issued_on),
        "iso_date": src.issued_on.isoformat(),
        "policy": src.policy.title,
    }


def goals(items: list[m.Goal]) -> list[dict[str, str]]:
    """Goals as a letter lists them: what, how it is measured, by when."""
    return [
        {
            "text": g.text,
            "measure": g.measure or "",
            "due": say_date(g.due) if g.due is not None else "",
        }
        for g in items
    ]


def plan_terms(src: Source, plan: PlanState) -> dict[str, Any]:
    """A plan's dates, goals and check-in schedule, as recorded (its end as extended)."""
    every = plan.plan.checkin_every_days
    schedule: list[str] = []
    if every is not None:
        day = days_later(plan.start, every)
        while day is not None and day <= plan.end:
            schedule.append(say_date(day))
            day = days_later(day, every)
    return {
        "start": say_date(plan.start),
        "end": say_date(plan.end),
        "days": (plan.end - plan.start).days,
        "goals": goals(plan.plan.goals),
        "checkin_every_days": every,
        "checkins": schedule,
        "ends": src.deadline("plan_ends", plan.end) if plan.taken_up else None,
    }


CLAUSE_WORDS = {
    "release_of_claims": "a release of legal claims against the employer",
    "covenant_not_to_sue": "a promise not to sue over the released claims",
    "confidentiality": "keeping the agreement's terms confidential",
    "non_disparagement": "not disparaging the employer",
    "no_rehire": "no rehire by the employer",
    "bars_agency_charge": "not filing a charge with a government agency",
    "tender_back": "returning the payment before challenging the release",
    "carve_out_illegal_conduct": "freedom to speak about conduct you reasonably believe illegal",
    "preserves_section7_rights": "freedom to discuss pay and working conditions and to deal "
    "with the National Labor Relations Board",
}


def formula(src: Source, offer: OfferState) -> dict[str, Any] | None:
    """How the policy computes the offer's tier, with the employee's figures on its date.

    None for a policy without a tier formula. The recorded amount is what is offered; the
    formula's is shown beside it, and a difference is said, never reconciled.
    """
    severance = src.policy.severance
    weeks = severance.tier1_weeks_of_base
    if weeks is None:
        return None
    employee = src.file.employee
    years = max(whole_years_between(employee.hire_date, offer.made_on), 0)
    tier1 = src.policy.tier1_amount(employee.base_salary, years)
    assert tier1 is not None
    tier = offer.offer.tier
    amount = tier1 if tier == 1 else src.policy.tier_amount(tier, tier1)
    fraction = severance.tier_fractions.get(str(tier)) if tier != 1 else None
    if amount is None:
        return None
    recorded = Decimal(repr(offer.offer.amount))
    return {
        "weeks": f"{weeks:g}",
        "percent": f"{severance.tier1_percent_of_base_per_year:g}",
        "base_salary": src.money(employee.base_salary),
        "years": years,
        "hire_date": say_date(employee.hire_date),
        "tier1": src.money(tier1),
        "fraction": fraction,
        "amount": src.money(amount),
        "matches": recorded == amount,
    }


def offer_terms(src: Source, offer: OfferState) -> dict[str, Any]:
    """An offer's recorded terms and its dates as the review lists them."""
    o = offer.offer
    decide = "pivot_decide_by" if offer.source == "pivot_offered" else "offer_expires"
    return {
        "tier": o.tier,
        "amount": src.money(o.amount),
        "made_on": say_date(offer.made_on),
        "consider_days": offer.consider_days,
        "consideration_days": o.consideration_days,
        "revocation_days": o.revocation_days,
        "decide_by": src.deadline(decide, offer.decide_by),
        "expires": src.deadline("offer_expires", offer.expires),
        "clauses": [CLAUSE_WORDS[c] for c in o.clauses],
        "negotiated": o.negotiated,
        "formula": formula(src, offer),
        "group_program": o.group_program,
    }
