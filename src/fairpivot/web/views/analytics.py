"""The org analytics page: attrition against target, the funnel, adverse impact, findings."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fairpivot.records import analytics
from fairpivot.records.clock import SYSTEM_CLOCK, today
from fairpivot.web import access
from fairpivot.web.org import page, query
from fairpivot.web.views.common import not_for_you, not_found, viewer


@login_required
@require_GET
def org_analytics(request: HttpRequest) -> HttpResponse:
    """One org's analytics as of a day, for HR (their orgs), counsel and admins."""
    who = viewer(request)
    if not any(who.has(role) for role in access.ANALYTICS_ROLES):
        return not_for_you(request, "HR, counsel and administrators")
    asked = query.read({k: str(v) for k, v in request.GET.items()}, today(SYSTEM_CLOCK))
    org = asked.org if asked.org is not None else access.analytics_home(who)
    # Out of scope answers as elsewhere: not found, before anything else is said about it.
    reach = access.analytics_reach(who)
    if org is None or not reach(org):
        return not_found(request)
    context = {
        "org": org,
        "org_name": org or "the whole company",
        "dimension": asked.dimension,
        "as_of": asked.as_of,
        "dimensions": [(d, page.DIMENSION_NAMES[d]) for d in analytics.DIMENSIONS],
        "problems": asked.problems,
        "choices": query.org_choices(reach),
        "company_allowed": reach(analytics.COMPANY),
    }
    if asked.problems:
        return render(request, "fairpivot/analytics.html", context, status=400)
    context |= page.build(org, asked.dimension, asked.as_of)
    return render(request, "fairpivot/analytics.html", context)
