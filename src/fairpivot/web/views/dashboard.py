"""The HR dashboard: cases by stage, deadlines soon, high findings, holds, and a case search."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fairpivot.domain.review.model import NOTICE, SEVERITIES
from fairpivot.records.clock import SYSTEM_CLOCK, today
from fairpivot.web import access
from fairpivot.web.nav import oversees
from fairpivot.web.org import overview
from fairpivot.web.views.common import not_for_you, viewer

SOON_DAYS = 14
PAGE_SIZE = 50


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Where HR, counsel and admins start: what needs attention across their cases."""
    who = viewer(request)
    if not oversees(who):
        return not_for_you(request, "HR, counsel and administrators")
    cases = access.visible_cases(who)
    now = today(SYSTEM_CLOCK)
    filters = overview.Filters.parse({k: str(v) for k, v in request.GET.items()})
    page = Paginator(overview.filtered(cases, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "today": now,
        "soon_days": SOON_DAYS,
        "stages": overview.stage_counts(cases),
        "due": overview.upcoming_deadlines(cases, now, SOON_DAYS),
        "high": overview.with_high_findings(cases)[:20],
        "holds": overview.pending_holds(cases),
        "filters": filters,
        "severities": SEVERITIES,
        "orgs": overview.org_choices(cases),
        "page": page,
        "notice": NOTICE,  # the page shows deadlines and findings (review-v4.md section 6)
    }
    return render(request, "fairpivot/dashboard.html", context)
