"""When a review expires: the first day after its ``as_of`` on which, with no new event, it
could read differently.

A review reads the calendar in a handful of places, and each is named here with the day
its answer next moves:

- a deadline is ``passed`` from the day after its date;
- an event or fact dated after ``as_of`` enters the review on its own date;
- an open Focus counts its days to ``as_of`` (``focus.overdue`` from the day it passes the
  policy's target, and every day after; ``focus.undisclosed`` names ``as_of`` while hidden);
- a plan still running counts the check-ins due to ``as_of`` (a new one every
  ``checkin_every_days``), and ``plan.missed_checkins`` is dated at ``as_of`` while raised;
- the employee's projected exit is ``as_of`` once its own date has passed, so the 90 days
  of equity and bonuses it forfeits slide with the calendar: a vest enters that window
  ``vesting_window_days`` before its date and leaves it on its date;
- the appeal option closes the day after the last day to elect;
- a severance option at the policy's formula counts whole years of tenure to ``as_of``;
- ``quota.pressure`` is dated ``as_of`` when the case has no adverse step yet;
- an age given as a number (no birth date) is counted back from the file's own date.

Where a rule's answer would move every day, the review expires the next day. Anything
that reads the calendar must add its day here; tests/unit/test_expiry.py reviews cases
day by day and checks no review reads differently before the day this gives.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from fairpivot.domain.fold import PlanState
from fairpivot.domain.review.context import ReviewContext, days_between
from fairpivot.domain.review.exits import appeal_elect_by, projected_exit
from fairpivot.domain.review.model import Review
from fairpivot.domain.review.rules.process import checkin_window_close

DAY = timedelta(days=1)


def expires_on(ctx: ReviewContext, result: Review, later: Iterable[date]) -> date | None:
    """The first day after ``ctx.as_of`` the review could read differently; None if never.

    ``later``: the dates of the file's events and facts after ``as_of`` (left out of it).
    """
    as_of = ctx.as_of
    exit_ = projected_exit(ctx)
    if _moves_daily(ctx, result, exit_):
        return _after(as_of, 1)
    days: list[date | None] = list(later)
    days += [_after(d.date, 1) for d in result.deadlines if d.date >= as_of]
    days += _focus_days(ctx)
    days += _plan_days(ctx)
    days += _exit_days(ctx, exit_)
    if result.options:  # a severance at the policy's formula counts tenure to as_of
        days.append(_next_anniversary(ctx.employee.hire_date, as_of))
    return min((d for d in days if d is not None and d > as_of), default=None)


def _moves_daily(ctx: ReviewContext, result: Review, exit_: tuple[date, str] | None) -> bool:
    """Whether the review states ``as_of`` itself, or counts to it, in what it says."""
    employee = ctx.employee
    if employee.birth_date is None and employee.age is not None:
        return True
    target = ctx.thresholds.focus_target_days
    for spell in ctx.state.focus:
        if spell.ended is None and (
            spell.hidden or days_between(spell.started, ctx.as_of) > target
        ):
            return True
    raised = {f.code for f in result.findings}
    if "quota.pressure" in raised and not ctx.adverse_steps:
        return True
    if "plan.missed_checkins" in raised and any(_plan_runs(ctx, p) for p in ctx.state.plans):
        return True
    # The forfeiture finding names the projected exit, which is as_of once passed.
    return "vesting.forfeiture" in raised and exit_ is not None and exit_[0] == ctx.as_of


def _focus_days(ctx: ReviewContext) -> list[date | None]:
    """An open Focus turns overdue the day its length passes the policy's target."""
    target = ctx.thresholds.focus_target_days
    return [_after(s.started, target + 1) for s in ctx.state.focus if s.ended is None]


def _plan_runs(ctx: ReviewContext, plan: PlanState) -> bool:
    """Whether a plan's check-in window still ends at ``as_of`` (and so moves with it)."""
    return plan.taken_up and checkin_window_close(ctx, plan) > ctx.as_of


def _plan_days(ctx: ReviewContext) -> list[date | None]:
    """The day the next check-in falls due, in each plan still running."""
    days: list[date | None] = []
    for plan in ctx.state.plans:
        every = plan.plan.checkin_every_days
        if not every or not _plan_runs(ctx, plan):
            continue
        due = max(days_between(plan.plan.start, ctx.as_of), 0) // every
        days.append(_after(plan.plan.start, (due + 1) * every))
    return days


def _exit_days(ctx: ReviewContext, exit_: tuple[date, str] | None) -> list[date | None]:
    """When the projected exit starts to slide, and when a vest or bonus enters or leaves
    the window after it; when the appeal option closes."""
    days: list[date | None] = []
    if exit_ is not None and exit_[0] > ctx.as_of:
        days.append(_after(exit_[0], 1))
    window = ctx.thresholds.vesting_window_days
    paid = [v.date for grant in ctx.file.equity for v in grant.vests]
    paid += [b.date for b in ctx.file.bonuses]
    for when in paid:
        days += [_after(when, -window), when]
    plan = ctx.state.current_plan
    if plan is not None and (elect_by := appeal_elect_by(ctx, plan)) is not None:
        days.append(_after(elect_by, 1))
    return days


def _next_anniversary(start: date, after: date) -> date | None:
    """The first day after ``after`` on which whole years since ``start`` grow by one."""
    for year in (after.year, after.year + 1):
        if year > date.max.year:
            return None
        try:
            day = start.replace(year=year)
        except ValueError:  # 29 February in a common year: counted from 1 March
            day = date(year, 3, 1)
        if day > after:
            return day
    return None


def _after(day: date, days: int) -> date | None:
    try:
        return day + days * DAY
    except OverflowError:
        return None
