"""Timing rules: adverse steps close to protected activity, leave, or strong performance."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from fairpivot.domain.casefile.model import ProtectedActivity
from fairpivot.domain.review.context import (
    ACTIVITY_NAMES,
    ReviewContext,
    Step,
    days_between,
    days_phrase,
)
from fairpivot.domain.review.model import Finding, Severity, one_level_lower, severity_rank
from fairpivot.domain.review.rules.registry import rule

_TIMING_CASES = (
    "Clark County School Dist. v. Breeden, 532 U.S. 268, 273 (2001) (temporal proximity "
    "must be very close, counted from the decision maker's knowledge); Burlington Northern "
    "& Santa Fe Ry. v. White, 548 U.S. 53, 68 (2006) (an action is materially adverse if it "
    "might well dissuade a reasonable worker from making or supporting a charge)"
)
_ACTIVITY_LAW = {
    "fmla_leave": "29 U.S.C. 2615(a); 29 C.F.R. 825.220(c)",
    "medical_leave": "42 U.S.C. 12203, 12112(b)(5)(A) (ADA)",
    "ada_accommodation_request": "42 U.S.C. 12203(a)-(b) (ADA)",
    "discrimination_complaint": "42 U.S.C. 2000e-3(a) (Title VII); 29 U.S.C. 623(d) (ADEA)",
    "harassment_complaint": "42 U.S.C. 2000e-3(a) (Title VII)",
    "retaliation_complaint": "42 U.S.C. 2000e-3(a) (Title VII); 29 U.S.C. 623(d) (ADEA)",
    "wage_complaint": "29 U.S.C. 215(a)(3) (FLSA)",
    "safety_complaint": "29 U.S.C. 660(c) (OSH Act section 11(c))",
    "whistleblower_report": "18 U.S.C. 1514A; state whistleblower statutes",
    "agency_charge": "42 U.S.C. 2000e-3(a) (participation clause); 29 U.S.C. 623(d)",
    "concerted_activity": "29 U.S.C. 157, 158(a)(1) (NLRA section 7)",
    "other": "the anti-retaliation provision of the law that protects the activity",
}


@dataclass(frozen=True, slots=True)
class TimingMatch:
    """An adverse step and the nearest protected activity at most 180 days before it."""

    step: Step
    activity: ProtectedActivity
    days: int
    seen_from: date
    known_to_manager: bool | None
    severity: Severity
    severity_by_days: Severity
    lowered_for: tuple[str, ...]


def seen_date(activity: ProtectedActivity, step_date: date) -> date:
    """The date a step's timing counts from: the activity, or the manager's knowledge of it.

    A leave counts from its return once it has ended (a step during it is 0 days from
    it); ``known_on`` moves the count to the day the manager learned, for a leave to the
    later of that day and the return (reading 49).
    """
    known = activity.known_on
    if activity.is_leave:
        if activity.end_date is not None and activity.end_date <= step_date:
            return activity.end_date if known is None else max(activity.end_date, known)
        return step_date  # the step falls during the leave: 0 days from it
    return activity.date if known is None else known


def counts_for(activity: ProtectedActivity, step_date: date) -> bool:
    """Whether the activity can explain a step: dated, and known (if said), by then."""
    return activity.date <= step_date and (
        activity.known_on is None or activity.known_on <= step_date
    )


def _date_seen_from(activity: ProtectedActivity, step_date: date) -> date:
    """The spec's "activity's date, seen from a step": a leave's end_date once it has ended.

    Unlike ``seen_date``, a step during a leave is dated by the leave's start, not by the
    step itself (it is still 0 days from the leave).
    """
    end = activity.end_date
    if activity.is_leave and end is not None and end <= step_date:
        return end
    return activity.date


def timing_matches(ctx: ReviewContext) -> list[TimingMatch]:
    """For each adverse step, the nearest protected activity within the low window.

    Only activities a law protects at this employer's size count (reading 45).
    """
    t = ctx.thresholds
    matches = []
    for step in ctx.adverse_steps:
        best: TimingMatch | None = None
        for activity in ctx.activities:
            if not counts_for(activity, step.date):
                continue
            seen = seen_date(activity, step.date)
            days = days_between(seen, step.date)
            if days > t.retaliation_low_days:
                continue
            by_days: Severity = (
                "high"
                if days <= t.retaliation_high_days
                else "medium"
                if days <= t.retaliation_medium_days
                else "low"
            )
            severity, lowered = by_days, []
            known = None
            if activity.known_to is not None:
                known = not ctx.managers_of(step).isdisjoint(activity.known_to)
                if not known:
                    severity = one_level_lower(severity)
                    lowered.append("not_known_to_manager")
            if prior_concern(ctx, activity):
                # Action "along lines previously contemplated" is weak evidence of
                # causation (Breeden, 532 U.S. at 272): review-v4.md item 10.
                severity = one_level_lower(severity)
                lowered.append("prior_documented_concern")
            match = TimingMatch(
                step, activity, days, seen, known, severity, by_days, tuple(lowered)
            )
            if best is None or (days, severity_rank(severity)) < (
                best.days,
                severity_rank(best.severity),
            ):
                best = match
        if best is not None:
            matches.append(best)
    return matches


def prior_concern(ctx: ReviewContext, activity: ProtectedActivity) -> bool:
    """Whether a documented concern is dated before the activity's own date (reading 52)."""
    return any(day < activity.date for day in ctx.concern_dates)


def _describe_activity(match: TimingMatch) -> str:
    activity = match.activity
    name = ACTIVITY_NAMES[activity.kind]
    if activity.is_leave and match.seen_from != activity.date:
        if (
            match.days == 0
            and match.seen_from == match.step.date
            and (activity.end_date is None or activity.end_date > match.step.date)
        ):
            return f"during the employee's {name}"
        return f"{days_phrase(match.days)} after the employee returned from {name}"
    return f"{days_phrase(match.days)} after {name}"


def _knowledge(match: TimingMatch) -> str:
    known_on = match.activity.known_on
    if match.known_to_manager is None:
        said = ""
    elif match.known_to_manager:
        said = ", which the manager knew of"
    else:
        said = ", which the file does not show the manager knew of"
    if known_on is not None:
        said += f" (the manager learned of it on {known_on.isoformat()})"
    if "prior_documented_concern" in match.lowered_for:
        said += "; a performance concern was documented before it"
    return said


@rule("retaliation.timing", scope="general", rests_on=["protected_activity"])
def retaliation_timing(ctx: ReviewContext) -> Iterator[Finding]:
    """An adverse step soon after protected activity is evidence of retaliation.

    Basis: Clark County School Dist. v. Breeden (timing alone must be very close, counted
    from the decision maker's knowledge); Burlington Northern v. White (an action is
    materially adverse if it might well dissuade a reasonable worker from complaining);
    the statute that protects the activity (Title VII, ADA, ADEA, FMLA, NLRA, FLSA, OSH Act).
    """
    t = ctx.thresholds
    for match in timing_matches(ctx):
        step = match.step
        yield Finding(
            code="retaliation.timing",
            severity=match.severity,
            date=step.date,
            message=f"{step.happened} {_describe_activity(match)}{_knowledge(match)}.",
            evidence={
                "activity": match.activity.kind,
                "activity_date": (
                    _date_seen_from(match.activity, step.date)
                    if match.activity.known_on is None
                    else match.seen_from
                ),
                "known_on": match.activity.known_on,
                "seen_from": match.seen_from,
                "step": step.kind,
                "days": match.days,
                "known_to_manager": match.known_to_manager,
                "severity_by_days": match.severity_by_days,
                "lowered_for": list(match.lowered_for),
                "high_days": t.retaliation_high_days,
                "medium_days": t.retaliation_medium_days,
                "low_days": t.retaliation_low_days,
            },
            basis=f"{_TIMING_CASES}; {_ACTIVITY_LAW[match.activity.kind]}",
        )


@rule("retaliation.no_prior_concern", scope="general", rests_on=["protected_activity"])
def retaliation_no_prior_concern(ctx: ReviewContext) -> Iterator[Finding]:
    """No documented concern predates the protected activity, the employer's best defence.

    Basis: Clark County School Dist. v. Breeden: proceeding along lines contemplated
    before the protected activity is no evidence of causality; without such a record the
    timing stands unanswered.
    """
    for match in timing_matches(ctx):
        if prior_concern(ctx, match.activity):
            continue
        yield Finding(
            code="retaliation.no_prior_concern",
            severity=match.severity,
            date=match.step.date,
            message=f"No performance concern was documented before the "
            f"{ACTIVITY_NAMES[match.activity.kind].removeprefix('a ').removeprefix('an ')}"
            f" of {match.activity.date.isoformat()} that {match.step.noun} followed.",
            evidence={
                "activity": match.activity.kind,
                "activity_date": match.activity.date,
                "step": match.step.kind,
                "step_date": match.step.date,
                "concerns_before": 0,
            },
            basis="Clark County School Dist. v. Breeden, 532 U.S. 268, 272 (2001): "
            "a course of action contemplated before the protected activity is no evidence "
            "of causality, so its absence leaves the timing unanswered",
        )


_FMLA_LEAVE = (
    "29 U.S.C. 2615(a); 29 C.F.R. 825.220(c): FMLA leave may not be used as a negative "
    "factor in employment actions"
)
_ADA_LEAVE = (
    "42 U.S.C. 12112(b)(5)(A), 12203 (ADA): leave as a reasonable accommodation, and taking "
    "it, may not be held against the employee"
)
_LEAVE_LAW = {
    ("fmla_leave", ""): _FMLA_LEAVE,
    ("fmla_leave", "CA"): f"{_FMLA_LEAVE}; Cal. Gov. Code 12945.2 (CFRA)",
    ("medical_leave", ""): _ADA_LEAVE,
    ("medical_leave", "CA"): f"{_ADA_LEAVE}; Cal. Gov. Code 12940(m) (FEHA)",
    ("medical_leave", "WA"): f"{_ADA_LEAVE}; RCW 49.60.180 (WLAD)",
}


@rule("leave.adjacent", scope="us", rests_on=["protected_activity"])
def leave_adjacent(ctx: ReviewContext) -> Iterator[Finding]:
    """An adverse step during a leave or soon after the return uses leave against the employee.

    Basis: 29 U.S.C. 2615(a); 29 C.F.R. 825.220(c) (leave may not be a negative factor).
    """
    t = ctx.thresholds
    leaves = [a for a in ctx.activities if a.is_leave]
    for step in ctx.adverse_steps:
        for leave in leaves:
            if step.date < leave.date:
                continue
            if leave.end_date is None or step.date <= leave.end_date:
                during, when = True, "during the employee's leave"
            else:
                after = days_between(leave.end_date, step.date)
                if after > t.leave_adjacent_days:
                    continue
                during, when = False, f"{days_phrase(after)} after the employee returned from leave"
            yield Finding(
                code="leave.adjacent",
                severity="high",
                date=step.date,
                message=f"{step.happened} {when}.",
                evidence={
                    "activity": leave.kind,
                    "leave_start": leave.date,
                    "leave_end": leave.end_date,
                    "step": step.kind,
                    "during_leave": during,
                    "window_days": t.leave_adjacent_days,
                },
                basis=_LEAVE_LAW[(leave.kind, ctx.employee.work_state)]
                if (leave.kind, ctx.employee.work_state) in _LEAVE_LAW
                else _LEAVE_LAW[(leave.kind, "")],
            )
            break


@rule("history.strong_performer", scope="general")
def history_strong_performer(ctx: ReviewContext) -> Iterator[Finding]:
    """A first adverse step soon after a top rating or a promotion suggests pretext.

    Basis: Reeves v. Sanderson Plumbing Products, 530 U.S. 133 (2000): evidence that the
    stated reason is false supports an inference of discrimination.
    """
    if not ctx.adverse_steps:
        return
    t = ctx.thresholds
    first = ctx.adverse_steps[0]
    candidates: list[tuple[date, str, str, int]] = [
        (r.date, "rating", r.value, t.strong_rating_days)
        for r in ctx.file.ratings
        if ctx.policy.is_top_rating(r.value)
    ]
    candidates += [
        (p.date, "promotion", p.to_level or "", t.promotion_days) for p in ctx.file.promotions
    ]
    recent = [c for c in candidates if 0 <= days_between(c[0], first.date) <= c[3]]
    if not recent:
        return
    when, kind, value, window = max(recent, key=lambda c: c[0])
    what = f"a {value} rating" if kind == "rating" else "a promotion"
    days = days_between(when, first.date)
    yield Finding(
        code="history.strong_performer",
        severity="medium",
        date=first.date,
        message=f"The first adverse step, {first.noun}, came {days_phrase(days)} after "
        f"{what} on {when.isoformat()}.",
        evidence={
            "step": first.kind,
            "after": kind,
            "after_date": when,
            "value": value or None,
            "days": days,
            "window_days": window,
        },
        basis="Reeves v. Sanderson Plumbing Products, 530 U.S. 133 (2000): a record that "
        "contradicts the stated reason is evidence of pretext",
    )
