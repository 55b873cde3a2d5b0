"""A manager's team: everyone in their reporting line, with or without a case, and opening
a case for one of them.

A manager's first step on someone opens their case. Who may open it is decided here, once:
a manager above the person, HR covering the person's org, or an administrator.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet

from fairpivot.domain.vocabulary import CLOSED_STAGES
from fairpivot.records.cases import usecases
from fairpivot.records.models import Case, Demographics, Employee
from fairpivot.records.reviewing import review_document
from fairpivot.web import access, privacy
from fairpivot.web.access import Viewer, reporting_line
from fairpivot.web.case.acting import actor_for
from fairpivot.web.org import overview


class CannotOpen(Exception):
    """A case that cannot be opened for this person, and why, in words for the page."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True, slots=True)
class CaseCell:
    """One case of a report, as the team page shows it."""

    case: Case
    open: bool
    next_deadline: date | None
    held: bool


@dataclass(frozen=True, slots=True)
class Member:
    """One person in the reporting line, with their cases (newest first)."""

    employee: Employee
    cases: tuple[CaseCell, ...]
    birth_date_known: bool  # so the form need not ask for an age

    @property
    def has_open_case(self) -> bool:
        """Whether one of their cases has not ended."""
        return any(cell.open for cell in self.cases)

    @property
    def may_open(self) -> bool:
        """Whether the page offers to open a case: no open one, and still employed."""
        return not self.has_open_case and self.employee.exit_date is None


def members(who: Viewer) -> QuerySet[Employee]:
    """Everyone below the manager, at any depth: those with an open case first, then by name."""
    if who.employee is None:
        return Employee.objects.none()
    open_case = Q(cases__projection__stage__isnull=False) & ~Q(
        cases__projection__stage__in=CLOSED_STAGES
    )
    return (
        Employee.objects.filter(pk__in=reporting_line(who.employee))
        .annotate(open_cases=Count("cases", filter=open_case))
        .select_related("demographics", "manager")
        .order_by("-open_cases", "name", "employee_id")
    )


def rows(who: Viewer, people: list[Employee]) -> list[Member]:
    """The people on one page of the team, each with their cases: three queries in all."""
    cases = (
        access.visible_cases(who)
        .filter(employee_id__in=[p.pk for p in people])
        .select_related("projection")
        .order_by("-opened_at", "-id")
    )
    held = {h.case.pk for h in overview.pending_holds(cases)}
    by_person: dict[int, list[CaseCell]] = defaultdict(list)
    for case in cases:
        by_person[case.employee_id or 0].append(
            CaseCell(
                case,
                case.projection.stage not in CLOSED_STAGES,
                _next_deadline(who, case),
                case.pk in held,
            )
        )
    return [
        Member(person, tuple(by_person.get(person.pk, ())), _birth_date(person) is not None)
        for person in people
    ]


def _next_deadline(who: Viewer, case: Case) -> date | None:
    # The projection's counts every deadline; a claim deadline that follows a leave would
    # name the leave, so those who may not see it get the next of the ones they may.
    if access.sight_for(who, case).everything:
        return case.projection.next_deadline
    return privacy.next_deadline(
        access.review_for(who, case, review_document(case.projection.review))
    )


def _birth_date(person: Employee) -> date | None:
    try:
        return person.demographics.birth_date
    except Demographics.DoesNotExist:
        return None


def may_open_for(who: Viewer, person: Employee) -> str | None:
    """The relation under which the viewer may open a case for ``person``, or None."""
    if who.has("admin"):
        return "admin"
    if (
        who.has("manager")
        and who.employee is not None
        and person.pk in reporting_line(who.employee)
    ):
        return "manager"
    if who.has("hr") and access.hr_covers_org(who, person.org):
        return "hr"
    return None


def employee_file(person: Employee, base_salary: float, age: int | None) -> dict[str, Any]:
    """The case file's ``employee`` object, from the HRIS row and what the form gave.

    The HRIS holds no pay, and often no birth date; the case file needs both (the release
    rules turn on age 40), so whoever opens the case gives them. The HRIS birth date wins.
    """
    if person.hire_date is None:
        raise CannotOpen(f"The HRIS has no hire date for {person.name}: HR must add it first.")
    found: dict[str, Any] = {
        "id": person.employee_id,
        "name": person.name,
        "hire_date": person.hire_date.isoformat(),
        "work_state": person.work_state,
        "supervisor": person.reports.exists(),
        "base_salary": base_salary,
    }
    born = _birth_date(person)
    if born is not None:
        found["birth_date"] = born.isoformat()
    elif age is not None:
        found["age"] = age
    else:
        raise CannotOpen(f"The HRIS has no birth date for {person.name}: give their age.")
    for key in ("title", "level", "org"):
        if getattr(person, key):
            found[key] = getattr(person, key)
    if person.manager is not None:
        found["manager"] = person.manager.employee_id
    return found


def open_case_for(
    who: Viewer, person: Employee, *, base_salary: float, age: int | None = None
) -> Case:
    """Open a live case for ``person``, as the viewer; refused if they have an open one."""
    relation = may_open_for(who, person)
    if relation is None:
        raise PermissionError(person.employee_id)
    if person.exit_date is not None:
        raise CannotOpen(f"{person.name} has left (the HRIS says {person.exit_date}).", 409)
    already = (
        Case.objects.filter(employee=person)
        .exclude(projection__stage__in=CLOSED_STAGES)
        .order_by("-id")
        .first()
    )
    if already is not None:
        raise CannotOpen(
            f"{person.name} already has an open case ({already.ref}): "
            "take the next step there; a second open case is not opened.",
            409,
        )
    employee = employee_file(person, base_salary, age)
    people = []
    if person.manager is not None:
        people.append(
            {"id": person.manager.employee_id, "name": person.manager.name, "role": "manager"}
        )
    return usecases.open_case(employee=employee, actor=actor_for(who, relation), people=people)


def open_case_once(
    who: Viewer, person: Employee, *, base_salary: float, age: int | None = None
) -> Case:
    """``open_case_for`` with the person's row locked, so two clicks open one case."""
    with transaction.atomic():
        locked = (
            Employee.objects.select_for_update(of=("self",))
            .select_related("manager")
            .get(pk=person.pk)
        )
        return open_case_for(who, locked, base_salary=base_salary, age=age)
