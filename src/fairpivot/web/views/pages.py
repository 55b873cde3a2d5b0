"""The pages each role starts from: home, my case, my panels, the access log (my team: team.py)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_GET

from fairpivot.domain.review.model import NOTICE
from fairpivot.domain.vocabulary import CLOSED_STAGES
from fairpivot.records.models import Case
from fairpivot.web import access
from fairpivot.web.access import Viewer
from fairpivot.web.case import casepage, journey, panels, representation
from fairpivot.web.case.forms import Failure
from fairpivot.web.nav import home_of, oversees
from fairpivot.web.views.common import not_for_you, viewer
from fairpivot.web.wording import STAGE_FOR_EMPLOYEE


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Send each person to the page their role starts from."""
    return redirect(home_of(viewer(request)))


def my_cases(who: Viewer) -> list[Case]:
    """Every case of the viewer's: open ones first, then newest first."""
    if not who.person_id:
        return []
    cases = (
        access.visible_cases(who)
        .filter(employee_ref=who.person_id)
        .select_related("projection")
        .order_by("-opened_at", "-id")
    )
    return sorted(cases, key=lambda case: case.projection.stage in CLOSED_STAGES)


def render_my_case(
    request: HttpRequest, who: Viewer, failure: Failure | None = None, status: int = 200
) -> HttpResponse:
    """The employee's own cases, worded for them; a refused form shown again if there is one."""
    cases = my_cases(who)
    if not cases:
        return render(request, "fairpivot/my_case.html", {"cases": []}, status=status)
    # Who the employee has let read their cases and act for them (review-v4.md 8.8).
    representatives = representation.current(who.person_id or "")
    here = reverse("my_case")
    # A reply link names its case; one without (an older link) replies in the first.
    reply_case = str(request.GET.get("case", cases[0].ref))
    reply_to = str(request.GET.get("reply_to", ""))
    shown = []
    for case in cases:
        context = casepage.build(
            who,
            case,
            casepage.Where("me", here),
            failure=failure,
            reply_to=reply_to if case.ref == reply_case else "",
        )
        context["explained"] = STAGE_FOR_EMPLOYEE.get(context["result"].stage, "")
        context["progress"] = journey.progress(
            context["events"], context["result"].stage, case.policy
        )
        context["is_open"] = case.projection.stage not in CLOSED_STAGES
        context["several"] = len(cases) > 1
        # Each case's sections need ids of their own when there are several on the page.
        context["anchor"] = f"c{case.pk}-" if len(cases) > 1 else ""
        context["failure"] = failure if failure and failure.case_pk == case.pk else None
        shown.append((case, context, render_to_string(_ONE_CASE, context, request)))
    page = {
        "cases": shown,
        "failure": failure,
        "notice": NOTICE,
        "representatives": representatives,
    }
    return render(request, "fairpivot/my_case.html", page, status=status)


_ONE_CASE = "fairpivot/_my_case_one.html"


@login_required
@require_GET
def my_case(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own cases, at whatever stage, Focus included."""
    return render_my_case(request, viewer(request))


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
