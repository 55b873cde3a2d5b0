"""The employee's representatives (invited from My case) and the representative's own page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from fairpivot.domain.errors import InvalidInput
from fairpivot.records.models import Case
from fairpivot.web import access
from fairpivot.web.case import representation
from fairpivot.web.views.common import not_for_you, viewer


@login_required
@require_POST
def invite(request: HttpRequest) -> HttpResponse:
    """The employee names the login of their representative."""
    who = viewer(request)
    if who.person_id is None:
        return not_for_you(request, "employees, for their own cases")
    try:
        made = representation.invite(who.person_id, str(request.POST.get("username", "")))
    except InvalidInput as exc:
        messages.error(request, "Not invited: " + "; ".join(exc.problems))
    else:
        messages.success(
            request,
            f"{made.user.get_username()} now reads your cases and may ask for other terms "
            "for you, until you withdraw the invitation.",
        )
    return redirect("my_case")


@login_required
@require_POST
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """The employee withdraws an invitation."""
    who = viewer(request)
    if who.person_id is None:
        return not_for_you(request, "employees, for their own cases")
    try:
        representation.withdraw(who.person_id, pk)
    except InvalidInput as exc:
        messages.error(request, "; ".join(exc.problems))
    else:
        messages.success(request, "Withdrawn: they no longer read your cases.")
    return redirect("my_case")


@login_required
@require_GET
def represented(request: HttpRequest) -> HttpResponse:
    """The cases of the employees who invited the viewer, newest first."""
    who = viewer(request)
    if not who.has("representative"):
        return not_for_you(request, "representatives invited by an employee")
    cases = (
        Case.objects.filter(employee_ref__in=access.represented(who))
        .select_related("employee", "projection")
        .order_by("-opened_at", "-id")
    )
    return render(request, "fairpivot/represented.html", {"cases": cases})
