"""Checks that span several keys of a case file: references, date order, the scale."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from fairpivot.domain.casefile.model import (
    WORK_STATES,
    AppealDecided,
    CaseFile,
    OfferMade,
    PivotOffered,
    PlanExtended,
    PlanStarted,
    Separated,
    Transferred,
)
from fairpivot.domain.policy import Policy
from fairpivot.domain.validation import render_value


def cross_checks(
    case: CaseFile, policy: Policy, raw: dict[str, Any], *, strict: bool = True
) -> list[str]:
    """Every problem that spans keys, one message each, in the order of the file.

    ``strict`` adds the checks v4 brought (review-v4.md items 12 and 13); a record stored
    before v4 is read without them (section 8 item 11) and ``v4_problems`` lists it.
    """
    return [
        *_money(case),
        *_employee(case, raw),
        *(_work_state(case) if strict else ()),
        *_people(case),
        *_references(case),
        *_ratings(case, policy),
        *_dates(case),
        *(_extensions(case) if strict else ()),
    ]


def v4_problems(case: CaseFile) -> list[str]:
    """What v4 refuses in a file an earlier version accepted: for stored records."""
    return [*_work_state(case), *_extensions(case)]


def _work_state(case: CaseFile) -> Iterator[str]:
    if case.employee.work_state not in WORK_STATES:
        yield (
            "employee.work_state: not a US state, DC, PR, GU, VI, AS, MP or XX (outside the "
            f"US) (got {render_value(case.employee.work_state)})"
        )


def _extensions(case: CaseFile) -> Iterator[str]:
    """An extension may not end on or before the start of the plan it extends (item 13)."""
    start = None
    for i, event in enumerate(case.events):
        if isinstance(event, PivotOffered | PlanStarted):
            start = event.plan.start
        elif isinstance(event, PlanExtended) and start is not None and event.end <= start:
            yield (
                f"events[{i}].end: on or before the start of the plan it extends"
                f" (plan start {start}, end given {event.end})"
            )


def _money(case: CaseFile) -> Iterator[str]:
    amounts: list[tuple[str, float]] = [("employee.base_salary", case.employee.base_salary)]
    amounts += [(f"bonuses[{i}].amount", b.amount) for i, b in enumerate(case.bonuses)]
    amounts += [
        (f"events[{i}].offer.amount", event.offer.amount)
        for i, event in enumerate(case.events)
        if isinstance(event, PivotOffered | OfferMade)
    ]
    for where, amount in amounts:
        if Decimal(repr(amount)).as_tuple().exponent < -2:  # type: ignore[operator]
            yield f"{where}: has more than 2 decimal places (got {render_value(amount)})"


def _employee(case: CaseFile, raw: dict[str, Any]) -> Iterator[str]:
    employee = case.employee
    if (employee.birth_date is None) == (employee.age is None):
        yield "employee: give exactly one of birth_date and age"
    if "equity" in raw and case.share_price is None:
        yield "share_price: required when equity is given"


def _people(case: CaseFile) -> Iterator[str]:
    seen: set[str] = set()
    for i, person in enumerate(case.people):
        if person.id == case.employee.id:
            yield f"people[{i}].id: same as the employee's id {render_value(person.id)}"
        elif person.id in seen:
            yield f"people[{i}].id: duplicate id {render_value(person.id)}"
        seen.add(person.id)


def _references(case: CaseFile) -> Iterator[str]:
    people = {person.id for person in case.people}
    anyone = people | {case.employee.id}

    def unknown(where: str, ident: str | None, allowed: set[str]) -> Iterator[str]:
        if ident is not None and ident not in allowed:
            yield f"{where}: unknown person {render_value(ident)} (not in people)"

    yield from unknown("employee.manager", case.employee.manager, people)
    for i, activity in enumerate(case.protected_activities):
        for j, ident in enumerate(activity.known_to or ()):
            yield from unknown(f"protected_activities[{i}].known_to[{j}]", ident, anyone)
    for i, event in enumerate(case.events):
        yield from unknown(f"events[{i}].by", event.by, anyone)
        if isinstance(event, AppealDecided):
            for j, ident in enumerate(event.panel or ()):
                yield from unknown(f"events[{i}].panel[{j}]", ident, anyone)
        if isinstance(event, Transferred):
            yield from unknown(f"events[{i}].to_manager", event.to_manager, anyone)


def _ratings(case: CaseFile, policy: Policy) -> Iterator[str]:
    scale = policy.scale.values
    for i, rating in enumerate(case.ratings):
        if rating.value not in scale:
            yield (
                f"ratings[{i}].value: not on the {policy.name} scale {', '.join(scale)}"
                f" (got {render_value(rating.value)})"
            )


def _dates(case: CaseFile) -> Iterator[str]:
    for i, activity in enumerate(case.protected_activities):
        if activity.end_date is not None and activity.end_date < activity.date:
            yield (
                f"protected_activities[{i}].end_date: before its date"
                f" ({activity.end_date} < {activity.date})"
            )
    previous = None
    for i, event in enumerate(case.events):
        if event.date > case.as_of:
            yield f"events[{i}].date: after as_of ({event.date} > {case.as_of})"
        if previous is not None and event.date < previous:
            yield f"events[{i}].date: before the event above it ({event.date} < {previous})"
        previous = event.date
        if (
            isinstance(event, Separated)
            and event.notified_on is not None
            and event.notified_on > event.date
        ):
            yield (
                f"events[{i}].notified_on: the day the employee was told ({event.notified_on})"
                f" is after the separation it tells of ({event.date})"
            )
        if isinstance(event, PivotOffered | PlanStarted) and event.plan.end <= event.plan.start:
            yield (
                f"events[{i}].plan.end: must be after plan.start"
                f" ({event.plan.end} <= {event.plan.start})"
            )
