"""A manager's team page, and opening a case for someone in the reporting line."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from fairpivot.domain.errors import FairpivotError
from fairpivot.domain.review.model import NOTICE
from fairpivot.records.clock import SYSTEM_CLOCK, today
from fairpivot.records.models import Employee
from fairpivot.web.access import Viewer
from fairpivot.web.errors import translate
from fairpivot.web.org import team
from fairpivot.web.views.common import not_for_you, not_found, viewer

# People per page: a manager may have thousands below them.
PAGE_SIZE = 50
OPENERS = ("manager", "hr", "admin")


def render_team(
    request: HttpRequest, who: Viewer, problem: str = "", status: int = 200
) -> HttpResponse:
    """The team page, one page of people, a refused opening shown again if there is one."""
    page = Paginator(team.members(who), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "members": team.rows(who, list(page.object_list)),
        "problem": problem,
        "today": today(SYSTEM_CLOCK),
        "notice": NOTICE,
    }
    return render(request, "fairpivot/my_team.html", context, status=status)


@login_required
@require_GET
def my_team(request: HttpRequest) -> HttpResponse:
    """A manager's view: everyone in their reporting line, direct and indirect, and their cases."""
    who = viewer(request)
    if not who.has("manager") or who.employee is None:
        return not_for_you(request, "managers")
    return render_team(request, who)


@login_required
@require_POST
def open_case(request: HttpRequest, employee_id: str) -> HttpResponse:
    """Open a case for someone below the manager (or in HR's orgs), then go to it."""
    who = viewer(request)
    if not any(who.has(role) for role in OPENERS):
        return not_for_you(request, "managers and HR")
    person = Employee.objects.select_related("manager").filter(employee_id=employee_id).first()
    # Someone the viewer may not open a case for is not found, exactly as no one.
    if person is None or team.may_open_for(who, person) is None:
        return not_found(request)
    try:
        # The HRIS holds no pay and often no birth date, and the case file needs both:
        # whoever opens the case types them. Asked, never shown back: a manager's pages
        # show no pay and no age (privacy.py).
        salary = _number(request.POST.get("annual_pay", ""), "Annual base pay")
        years = str(request.POST.get("age_years", "")).strip()
        age = int(_number(years, "Age in years")) if years else None
        if age is not None and not (who.has("hr") or who.has("admin")):
            # An age the HRIS lacks is HR's to give: the manager who decides the steps
            # is never asked for it (an age known to the decision-maker is evidence).
            raise team.CannotOpen(
                "Age in years: HR opens a case for someone whose birth date the HRIS lacks."
            )
        case = team.open_case_once(who, person, base_salary=salary, age=age)
    except team.CannotOpen as refused:
        return _refused(request, who, refused.message, refused.status)
    except FairpivotError as exc:
        error = translate(exc)
        if error is None:
            raise
        problems = " ".join(error.problems)
        return _refused(request, who, f"{error.message} {problems}".strip(), error.status)
    messages.success(request, f"Opened {case.ref} for {person.name}. Take the first step here.")
    return redirect("case", case.ref)


def _refused(request: HttpRequest, who: Viewer, message: str, status: int) -> HttpResponse:
    if who.has("manager") and who.employee is not None:
        return render_team(request, who, problem=message, status=status)
    return render(request, "fairpivot/open_refused.html", {"problem": message}, status=status)


def _number(text: str, label: str) -> float:
    """A non-negative number typed in a form; CannotOpen naming the field otherwise."""
    try:
        value = float(str(text).replace(",", "").strip())
    except ValueError:
        raise team.CannotOpen(f"{label}: give a number.") from None
    if not value >= 0 or value == float("inf"):
        raise team.CannotOpen(f"{label}: give a number of 0 or more.")
    return value
