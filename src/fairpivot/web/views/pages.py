"""The pages each role starts from: home, my case, my team, my panels, the access log."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from fairpivot.domain.review.model import NOTICE
from fairpivot.records.clock import SYSTEM_CLOCK, today
from fairpivot.records.reviewing import review_document
from fairpivot.web import access, casepage, journey, overview, panels, privacy
from fairpivot.web.access import Viewer, reporting_line
from fairpivot.web.forms import Failure
from fairpivot.web.nav import home_of, oversees
from fairpivot.web.views.common import not_for_you, viewer
from fairpivot.web.wording import STAGE_FOR_EMPLOYEE


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to the page their role starts from."""
    return redirect(home_of(viewer(request)))


def render_my_case(
    request: HttpRequest, who: Viewer, failure: Failure | None = None, status: int = 200
) -> HttpResponse:
    """The employee's own case, worded for them; a refused form shown again if there is one."""
    case = (
        access.visible_cases(who).filter(employee_ref=who.person_id).order_by("-id").first()
        if who.person_id
        else None
    )
    if case is None:
        return render(request, "fairpivot/my_case.html", {"case": None}, status=status)
    here = reverse("my_case")
    context = casepage.build(
        who,
        case,
        casepage.Where("me", here),
        failure=failure,
        reply_to=str(request.GET.get("reply_to", "")),
    )
    context["explained"] = STAGE_FOR_EMPLOYEE.get(context["result"].stage, "")
    context["progress"] = journey.progress(context["events"], context["result"].stage, case.policy)
    return render(request, "fairpivot/my_case.html", {**context, "failure": failure}, status=status)


@login_required
@require_GET
def my_case(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own case, at whatever stage, Focus included."""
    return render_my_case(request, viewer(request))


@login_required
@require_GET
def my_team(request: HttpRequest) -> HttpResponse:
    """A manager's view: the cases of the people in their reporting line."""
    who = viewer(request)
    if not who.has("manager") or who.employee is None:
        return not_for_you(request, "managers")
    cases = (
        access.visible_cases(who)
        .filter(employee_id__in=reporting_line(who.employee))
        .select_related("projection", "employee")
        .order_by("projection__next_deadline", "id")
    )
    holds = {h.case.pk: h for h in overview.pending_holds(cases)}
    # Each case's next deadline among those the manager may see: the projection's counts
    # them all, and a claim deadline that follows a leave would name the leave.
    rows = [
        (
            case,
            case.projection.next_deadline
            if access.sight_for(who, case).everything
            else privacy.next_deadline(
                access.review_for(who, case, review_document(case.projection.review))
            ),
        )
        for case in cases
    ]
    context = {
        "cases": cases,
        "rows": rows,
        "holds": holds,
        "today": today(SYSTEM_CLOCK),
        "notice": NOTICE,
    }
    return render(request, "fairpivot/my_team.html", context)


def render_panels(
    request: HttpRequest, who: Viewer, failure: Failure | None = None, status: int = 200
) -> HttpResponse:
    """The panelist's open appeals, a refused vote shown again if there is one."""
    rows = panels.seats(who, failure=failure, next_url=reverse("my_panels"))
    return render(request, "fairpivot/my_panels.html", {"seats": rows}, status=status)


@login_required
@require_GET
def my_panels(request: HttpRequest) -> HttpResponse:
    """A panelist's view: the open appeals they sit on, both statements, and their vote."""
    who = viewer(request)
    if not who.has("panelist"):
        return not_for_you(request, "appeal panelists")
    return render_panels(request, who)


@login_required
@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    """Who saw which sensitive part of which case, and when (HR: their cases; counsel: all)."""
    who = viewer(request)
    if not oversees(who):
        return not_for_you(request, "HR, counsel and administrators")
    entries = access.access_log_for(who).select_related("user", "case", "case__employee")
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    return render(request, "fairpivot/access_log.html", {"page": page})
