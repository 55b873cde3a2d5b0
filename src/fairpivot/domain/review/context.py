"""What every rule reads: the case as of the review date, its fold, and shared facts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from fairpivot.domain.casefile import model as m
from fairpivot.domain.dates import days_later, whole_years_between
from fairpivot.domain.fold import CaseState, OfferState, fold
from fairpivot.domain.policy import Policy
from fairpivot.domain.policy.model import Thresholds
from fairpivot.domain.review.coverage import activity_min_headcount

ADVERSE_EVENTS = frozenset(
    {"focus_started", "pivot_offered", "plan_started", "plan_failed", "separated"}
)
CONCERN_EVENTS = frozenset({"concern_documented", "focus_started", "pivot_offered", "plan_started"})
OUTSIDE_US = "XX"
ACTIVITY_NAMES = {
    "fmla_leave": "FMLA leave",
    "medical_leave": "medical leave",
    "ada_accommodation_request": "an accommodation request",
    "discrimination_complaint": "a discrimination complaint",
    "harassment_complaint": "a harassment complaint",
    "retaliation_complaint": "a retaliation complaint",
    "wage_complaint": "a wage complaint",
    "safety_complaint": "a safety complaint",
    "whistleblower_report": "a whistleblower report",
    "agency_charge": "an agency charge",
    "concerted_activity": "concerted activity",
    "other": "protected activity",
}


@dataclass(frozen=True, slots=True)
class Step:
    """An adverse step: an adverse event, or a rating at the bottom of the scale."""

    date: date
    kind: str
    by: str | None
    index: int | None
    event: m.Event | None

    @property
    def noun(self) -> str:
        """The step named as a thing, for messages: ``the Pivot offer``."""
        return _STEP_NOUNS[self.kind]

    @property
    def happened(self) -> str:
        """The step told as a clause, for messages: ``Focus started``."""
        return _STEP_CLAUSES[self.kind]


_STEP_NOUNS = {
    "focus_started": "Focus",
    "pivot_offered": "the Pivot offer",
    "plan_started": "the plan",
    "plan_failed": "the plan failure",
    "appeal_decided": "the appeal decision",
    "separated": "the separation",
    "lowest_rating": "the lowest rating",
}
_STEP_CLAUSES = {
    "focus_started": "Focus started",
    "pivot_offered": "The Pivot offer came",
    "plan_started": "The plan started",
    "plan_failed": "The plan was failed",
    "appeal_decided": "The appeal was decided against the employee",
    "separated": "Employment ended",
    "lowest_rating": "The lowest rating was given",
}


class ReviewContext:
    """The case as it stood on ``as_of``, folded under its policy, with shared facts."""

    def __init__(self, file: m.CaseFile, policy: Policy, as_of: date, age_anchor: date) -> None:
        self.file = file
        self.policy = policy
        self.as_of = as_of
        self._age_anchor = age_anchor
        # Read by every rule, many times a case: attributes, not properties, for the screen.
        self.thresholds: Thresholds = policy.thresholds  # the policy's review thresholds
        self.employee: m.Employee = file.employee  # the employee the case is about
        # Whether US rules apply (``work_state`` other than ``XX``).
        self.in_us: bool = file.employee.work_state != OUTSIDE_US

    @cached_property
    def state(self) -> CaseState:
        """The fold of the case's events under its policy."""
        return fold(self.file.events, self.policy)

    def covered(self, min_headcount: int) -> bool:
        """Whether a law covering employers of ``min_headcount`` or more covers this one."""
        employer = self.file.employer
        headcount = employer.headcount if employer else None
        return headcount is None or headcount >= min_headcount

    def activity_covered(self, activity: m.ProtectedActivity) -> bool:
        """Whether a law that protects ``activity`` covers this employer (reading 44)."""
        minimum = activity_min_headcount(activity.kind, self.employee.work_state, self.thresholds)
        return minimum is None or self.covered(minimum)

    @cached_property
    def activities(self) -> tuple[m.ProtectedActivity, ...]:
        """The protected activities a covering law protects, dated on or before as_of.

        An activity no law protects at this employer's size is no protected activity for
        it (reading 45).
        """
        return tuple(
            a
            for a in self.file.protected_activities
            if a.date <= self.as_of and self.activity_covered(a)
        )

    @property
    def adea_covered(self) -> bool:
        """Whether the ADEA (and so OWBPA) covers this employer, in the US."""
        return self.in_us and self.covered(self.thresholds.adea_min_headcount)

    def age_on(self, day: date) -> int:
        """The employee's age on ``day``, from the birth date or the age given at as_of."""
        employee = self.employee
        if employee.birth_date is not None:
            return whole_years_between(employee.birth_date, day)
        assert employee.age is not None
        return employee.age - whole_years_between(day, self._age_anchor)

    def older_worker_on(self, day: date) -> bool:
        """Whether OWBPA protects the employee on ``day``: covered employer, age 40+."""
        return self.adea_covered and self.age_on(day) >= self.thresholds.owbpa_min_age

    def managers_of(self, step: Step) -> set[str]:
        """The manager for a step: the employee's manager and the step's ``by``."""
        return {who for who in (self.employee.manager, step.by) if who is not None}

    @cached_property
    def adverse_steps(self) -> tuple[Step, ...]:
        """Every adverse step, by date (events before ratings on the same day)."""
        steps = [
            Step(event.date, event.type, event.by, i, event)
            for i, event in enumerate(self.file.events)
            if event.type in ADVERSE_EVENTS
            or (isinstance(event, m.AppealDecided) and event.outcome == "upheld")
        ]
        lowest = self.policy.lowest_rating
        steps += [
            Step(r.date, "lowest_rating", None, None, None)
            for r in self.file.ratings
            if r.value == lowest
        ]
        return tuple(sorted(steps, key=lambda s: (s.date, s.index is None, s.index or 0)))

    @cached_property
    def concern_dates(self) -> tuple[date, ...]:
        """Dates of documented concerns: notes, lowest ratings and the case's own steps."""
        dates = [e.date for e in self.file.events if e.type in CONCERN_EVENTS]
        dates += [r.date for r in self.file.ratings if r.value == self.policy.lowest_rating]
        return tuple(sorted(dates))

    @property
    def offers(self) -> list[OfferState]:
        """Every offer in the case, Pivot offers included, in file order."""
        return self.state.offers

    def value_between(self, after: date, through: date) -> float:
        """Equity (at ``share_price``) and bonuses dated after ``after`` through ``through``."""
        price = self.file.share_price or 0.0
        total = sum(
            (
                vest.shares * price
                for grant in self.file.equity
                for vest in grant.vests
                if after < vest.date <= through
            ),
            start=0.0,
        )
        total += sum(b.amount for b in self.file.bonuses if after < b.date <= through)
        return round(total, 2)

    def value_after(self, after: date) -> float:
        """Equity and bonuses dated after ``after``: what leaving then forfeits."""
        return self.value_between(after, date.max)

    def notice_dates(self) -> Iterator[date]:
        """When the employee learned of each adverse step (for charge-filing clocks)."""
        return (notice for _, notice in self.step_notices())

    def step_notices(self) -> Iterator[tuple[Step, date]]:
        """Each adverse step with the day the employee learned of it, where known.

        A separation's notice is its ``notified_on`` when given (Ricks; item 11); an
        undisclosed Focus is noticed when disclosed, else at the next adverse step (at
        that step's own date).
        """
        steps = self.adverse_steps
        for i, step in enumerate(steps):
            event = step.event
            if isinstance(event, m.FocusStarted) and not event.disclosed:
                notice = self._focus_notice(step, steps[i + 1 :])
                if notice is not None:
                    yield step, notice
            elif isinstance(event, m.Separated) and event.notified_on is not None:
                yield step, event.notified_on
            else:
                yield step, step.date

    def _focus_notice(self, step: Step, later: tuple[Step, ...]) -> date | None:
        spell = next((s for s in self.state.focus if s.index == step.index), None)
        if spell is not None and spell.disclosed_on is not None:
            return spell.disclosed_on
        return later[0].date if later else None


def days_phrase(days: int) -> str:
    """``1 day`` or ``12 days``."""
    return "1 day" if days == 1 else f"{days} days"


def days_between(earlier: date, later: date) -> int:
    """Whole days from ``earlier`` to ``later``."""
    return (later - earlier).days


def plus_days(day: date, days: int) -> date | None:
    """``day`` moved by ``days`` calendar days; None past 9999-12-31 (item 14)."""
    return days_later(day, days)
