"""Process rules: Focus kept hidden or left open, plans set up to fail, skipped procedure."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from fairpivot.domain.casefile.model import PlanFailed, Separated
from fairpivot.domain.dates import add_us_business_days
from fairpivot.domain.fold import CaseState, PlanState, fold
from fairpivot.domain.review.context import ReviewContext, days_between, days_phrase
from fairpivot.domain.review.model import Finding
from fairpivot.domain.review.rules.registry import rule

_OWN_PROCEDURE = (
    "departing from the employer's own procedure is evidence of pretext "
    "(Reeves v. Sanderson Plumbing Products, 530 U.S. 133 (2000))"
)


@rule("focus.undisclosed", scope="general")
def focus_undisclosed(ctx: ReviewContext) -> Iterator[Finding]:
    """A Focus the employee was never told of denies them notice and a chance to improve.

    Basis: the policy's duty to tell the employee; notice starts charge-filing clocks
    (Delaware State College v. Ricks, 449 U.S. 250 (1980)).
    """
    for spell in ctx.state.focus:
        if not spell.hidden:
            continue
        until = spell.ended or ctx.as_of
        yield Finding(
            code="focus.undisclosed",
            severity="medium",
            date=spell.started,
            message=f"Focus started on {spell.started.isoformat()} without telling the "
            f"employee, and they were not told before it "
            + ("ended." if spell.ended else f"stood open at {ctx.as_of.isoformat()}."),
            evidence={
                "focus_started": spell.started,
                "until": until,
                "ended_by": spell.ended_by,
                "days_hidden": days_between(spell.started, until),
            },
            basis="Policy: the employee sees their own case at every stage; an undisclosed "
            "plan denies notice and a chance to improve, and delays the notice that starts "
            "charge-filing clocks (Delaware State College v. Ricks, 449 U.S. 250 (1980))",
        )


@rule("focus.overdue", scope="general")
def focus_overdue(ctx: ReviewContext) -> Iterator[Finding]:
    """Focus held open past its target leaves the employee in limbo, barred from moves."""
    target = ctx.thresholds.focus_target_days
    for spell in ctx.state.focus:
        until = spell.ended or ctx.as_of
        days = days_between(spell.started, until)
        if days <= target:
            continue
        yield Finding(
            code="focus.overdue",
            severity="low",
            date=spell.started,
            message=f"Focus lasted {days} days"
            + (" and is still open" if spell.ended is None else "")
            + f", past the policy's {target}-day target.",
            evidence={
                "focus_started": spell.started,
                "until": until,
                "days": days,
                "target_days": target,
            },
            basis=f"Policy {ctx.policy.name}: thresholds.focus_target_days = {target}",
        )


@rule("plan.short", scope="general")
def plan_short(ctx: ReviewContext) -> Iterator[Finding]:
    """A plan too short to meet its goals is read as a plan set up to fail."""
    minimum = ctx.thresholds.plan_min_days
    for plan in ctx.state.plans:
        # To the end as it finally stands, after the last extension the fold applied: an
        # extension cannot shorten a plan out of this finding (reading 66). A Pivot plan
        # gets an extension only while the choice is open, so one the employee turned down
        # keeps its own end.
        end = plan.end
        length = days_between(plan.plan.start, end)
        if length >= minimum:
            continue
        evidence: dict[str, object] = {
            "start": plan.plan.start,
            "end": end,
            "days": length,
            "min_days": minimum,
        }
        if end != plan.plan.end:
            evidence["written_end"] = plan.plan.end
        yield Finding(
            code="plan.short",
            severity="medium",
            date=plan.offered_on,
            message=f"The plan runs {length} days ({plan.plan.start.isoformat()} to "
            f"{end.isoformat()}), less than the policy's {minimum}.",
            evidence=evidence,
            basis=f"Policy {ctx.policy.name}: thresholds.plan_min_days = {minimum}; "
            f"{_OWN_PROCEDURE}",
        )


@rule("plan.ended_early", scope="general")
def plan_ended_early(ctx: ReviewContext) -> Iterator[Finding]:
    """Failing a plan before its end denies the employee the time they were promised."""
    for plan in ctx.state.plans:
        if plan.outcome != "plan_failed" or plan.outcome_on is None:
            continue
        # Against the latest end the plan ever had: an extension that moves the end
        # earlier cannot take a failure out of this finding (review-v4.md item 13).
        latest = plan.latest_end
        if plan.outcome_on >= latest:
            continue
        early = days_between(plan.outcome_on, latest)
        evidence: dict[str, object] = {
            "failed_on": plan.outcome_on,
            "plan_end": latest,
            "days_early": early,
        }
        if plan.end != latest:
            evidence["end_as_it_stands"] = plan.end
        yield Finding(
            code="plan.ended_early",
            severity="high",
            date=plan.outcome_on,
            message=f"The plan was failed on {plan.outcome_on.isoformat()}, "
            f"{days_phrase(early)} before its end on {latest.isoformat()}.",
            evidence=evidence,
            basis=f"Policy {ctx.policy.name}: a plan is decided at its end; {_OWN_PROCEDURE}",
        )


def checkin_window_close(ctx: ReviewContext, plan: PlanState) -> date:
    """The day a plan's check-ins stop counting, whatever the review's date: its end (as
    extended), its outcome or the separation, whichever is first."""
    ends = [plan.end]
    if plan.outcome_on is not None:
        ends.append(plan.outcome_on)
    if ctx.state.separation is not None:
        ends.append(ctx.state.separation.date)
    return min(ends)


def _window_end(ctx: ReviewContext, plan: PlanState) -> date:
    return min(checkin_window_close(ctx, plan), ctx.as_of)


@rule("plan.missed_checkins", scope="general")
def plan_missed_checkins(ctx: ReviewContext) -> Iterator[Finding]:
    """Check-ins missed or too few: the employee got no feedback to improve with."""
    ratio = ctx.thresholds.checkins_held_ratio
    for plan in ctx.state.plans:
        if not plan.taken_up:
            continue
        end = _window_end(ctx, plan)
        missed = sum(1 for _, held in plan.checkins if not held)
        held = sum(1 for day, ok in plan.checkins if ok and day <= end)
        every = plan.plan.checkin_every_days
        due = max(days_between(plan.plan.start, end), 0) // every if every else 0
        too_few = bool(every) and held < ratio * due
        if not missed and not too_few:
            continue
        parts = []
        if missed:
            parts.append(f"{missed} check-in{'s' if missed != 1 else ''} recorded as missed")
        if too_few:
            parts.append(f"{held} of {due} due check-ins held (under {ratio:.0%})")
        yield Finding(
            code="plan.missed_checkins",
            severity="medium",
            date=end,
            message=f"The plan that started {plan.plan.start.isoformat()} had "
            + " and ".join(parts)
            + ".",
            evidence={
                "held": held,
                "missed": missed,
                "due": due,
                "every_days": every,
                "held_ratio": ratio,
                "counted_until": end,
            },
            basis=f"Policy {ctx.policy.name}: check-ins every {every or 'scheduled'} days and "
            f"thresholds.checkins_held_ratio = {ratio}; {_OWN_PROCEDURE}",
        )


@rule("procedure.out_of_order", scope="general")
def procedure_out_of_order(ctx: ReviewContext) -> Iterator[Finding]:
    """An event the policy does not allow where it came: a skipped or reversed step."""
    for departure in ctx.state.departures:
        allowed = ", ".join(departure.allowed) or "nothing"
        yield Finding(
            code="procedure.out_of_order",
            severity="medium",
            date=departure.event.date,
            message=f"{departure.reason} (events[{departure.index}]); at stage "
            f"{departure.stage} the {ctx.policy.name} policy allows: {allowed}.",
            evidence={
                "event": departure.key,
                "index": departure.index,
                "stage": departure.stage,
                "allowed": list(departure.allowed),
            },
            basis=f"Policy {ctx.policy.name}: the stage table; {_OWN_PROCEDURE}",
        )


@rule("appeal.short_window", scope="general")
def appeal_short_window(ctx: ReviewContext) -> Iterator[Finding]:
    """Too few business days to elect an appeal makes the appeal right hollow."""
    if not ctx.policy.appeals_failed_plans:
        return
    minimum = ctx.thresholds.appeal_min_business_days
    for event in ctx.file.events:
        if not isinstance(event, PlanFailed) or event.appeal_days is None:
            continue
        days = event.appeal_days
        if days >= minimum:
            continue
        until = add_us_business_days(event.date, days)
        when = f" (until {until.isoformat()})" if until is not None else ""
        yield Finding(
            code="appeal.short_window",
            severity="low",
            date=event.date,
            message=f"The failed plan gave {days_phrase(days).replace('day', 'business day')} to "
            f"elect an appeal{when}, fewer than {minimum}.",
            evidence={"appeal_days": days, "min_business_days": minimum},
            basis=f"Policy {ctx.policy.name}: thresholds.appeal_min_business_days = {minimum}",
        )


_CUTTING_REASONS = ("termination_performance", "layoff")


@rule("procedure.window_cut_short", scope="general")
def procedure_window_cut_short(ctx: ReviewContext) -> Iterator[Finding]:
    """A termination inside a window the employee was given to decide (review-v4.md 4).

    The windows are the Pivot decision and the appeal election; a separation while an
    appeal is pending stays ``procedure.out_of_order`` (readings 70-72).
    """
    events = ctx.file.events
    for index, event in enumerate(events):
        if not isinstance(event, Separated) or event.reason not in _CUTTING_REASONS:
            continue
        before = fold(events[:index], ctx.policy)
        if before.stage == "appeal":
            continue
        windows = list(_windows_cut(ctx, before, index, event.date))
        if not windows:
            continue
        said = "; ".join(
            f"the {_WINDOW_NAMES[w.deadline]} opened {w.opened_on.isoformat()}, open "
            + (f"until {w.closes_on.isoformat()}" if w.closes_on else "with no end date")
            for w in windows
        )
        yield Finding(
            code="procedure.window_cut_short",
            severity="high",
            date=event.date,
            message=f"Employment was ended on {event.date.isoformat()} "
            f"({event.reason.replace('_', ' ')}) while a window the employee was given to "
            f"decide was still open: {said}.",
            evidence={
                "reason": event.reason,
                "index": index,
                "windows": [
                    {"deadline": w.deadline, "opened_on": w.opened_on, "closes_on": w.closes_on}
                    for w in windows
                ],
            },
            basis=f"Policy {ctx.policy.name}: the windows the employee was given; {_OWN_PROCEDURE}",
        )


_WINDOW_NAMES = {
    "pivot_decide_by": "decision on the Pivot offer",
    "appeal_elect_by": "election of an appeal",
}


@dataclass(frozen=True, slots=True)
class CutWindow:
    """A window the employee was given to decide, open when employment was ended."""

    deadline: str  # the deadline code that times it
    opened_on: date
    closes_on: date | None  # None: past 9999-12-31


def _windows_cut(ctx: ReviewContext, before: CaseState, at: int, on: date) -> Iterator[CutWindow]:
    events = ctx.file.events
    separations = [i for i, e in enumerate(events[:at]) if isinstance(e, Separated)]
    signings = [s.index for o in before.offers for s in o.signings if s.revoked_on is None]

    def still_open(opened: int, closes: date | None, settled_by: list[int]) -> bool:
        if closes is not None and on >= closes:
            return False
        later = [i for i in (*settled_by, *separations, *signings) if i > opened]
        return not later

    for offer in before.offers:
        if offer.source != "pivot_offered" or offer.chosen is not None:
            continue
        if still_open(offer.index, offer.decide_by, []):
            yield CutWindow("pivot_decide_by", offer.made_on, offer.decide_by)
    if not ctx.policy.appeals_failed_plans:
        return
    elections = [i for i, e in enumerate(events[:at]) if e.type == "appeal_elected"]
    for plan in before.plans:
        if plan.outcome != "plan_failed" or plan.appeal_days is None:
            continue
        assert plan.outcome_on is not None
        assert plan.outcome_index is not None
        closes = add_us_business_days(plan.outcome_on, plan.appeal_days)
        if still_open(plan.outcome_index, closes, elections):
            yield CutWindow("appeal_elect_by", plan.outcome_on, closes)
