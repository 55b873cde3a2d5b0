"""Group programs' pages: HR sets one up, reads its OWBPA disclosure, downloads and issues it."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fairpivot.domain.errors import InvalidInput
from fairpivot.records.cases import programs as records
from fairpivot.records.models import GroupProgram
from fairpivot.web import access
from fairpivot.web.downloads import attachment
from fairpivot.web.errors import WebError, translate
from fairpivot.web.org import programs
from fairpivot.web.views.common import not_for_you, not_found, viewer

WHO = "HR, counsel and administrators"


@login_required
@require_http_methods(["GET", "POST"])
def programs_page(request: HttpRequest) -> HttpResponse:
    """The group programs the viewer may read, and the form HR sets one up with."""
    who = viewer(request)
    if not any(who.has(role) for role in access.ANALYTICS_ROLES):
        return not_for_you(request, WHO)
    if request.method == "GET":
        return _list(request)
    if not (who.has("hr") or who.has("admin")):
        return not_for_you(request, "HR and administrators")
    posted = {name: str(request.POST.get(name, "")) for name in programs.FIELDS}
    try:
        made = programs.set_up(who, posted)
    except InvalidInput as exc:
        error = translate(exc) or WebError(422, "invalid", str(exc))
        return _list(request, error, posted, status=error.status)
    messages.success(request, f"Group program “{made.name}” set up.")
    return redirect("group_program", pk=made.pk)


def _list(
    request: HttpRequest,
    error: WebError | None = None,
    posted: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    who = viewer(request)
    context = {
        "programs": programs.visible(who),
        "may_set_up": who.has("hr") or who.has("admin"),
        "error": error,
        "posted": posted or {"consideration_days": "45", "revocation_days": "7"},
    }
    return render(request, "fairpivot/group_programs.html", context, status=status)


def _program(request: HttpRequest, pk: int) -> GroupProgram | HttpResponse:
    """The program if the viewer may read it; the 403 or 404 page otherwise."""
    who = viewer(request)
    if not any(who.has(role) for role in access.ANALYTICS_ROLES):
        return not_for_you(request, WHO)
    return programs.program_for(who, pk) or not_found(request)


@login_required
@require_GET
def program_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One program: what HR gave, its disclosure as the HRIS reads now, and its copies."""
    program = _program(request, pk)
    if isinstance(program, HttpResponse):
        return program
    context: dict[str, object] = {
        "program": program,
        "runs": programs.runs(viewer(request), program),
        "cases": records.selected_cases(program),
        "copies": programs.issued_copies(program),
    }
    try:
        context["disclosure"] = records.disclosure_of(program)
    except InvalidInput as exc:  # the HRIS moved since: say so instead of a disclosure
        context["problems"] = exc.problems
    return render(request, "fairpivot/group_program.html", context)


@login_required
@require_GET
def program_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The disclosure's PDF (its reading logged in each selected case)."""
    program = _program(request, pk)
    if isinstance(program, HttpResponse):
        return program
    try:
        content = programs.download(viewer(request), program)
    except InvalidInput:
        return redirect("group_program", pk=pk)
    return attachment(content, records.PDF, records.filename_of(program))


@login_required
@require_POST
def program_issue(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue the disclosure in each selected employee's case."""
    who = viewer(request)
    program = _program(request, pk)
    if isinstance(program, HttpResponse):
        return program
    if not programs.runs(who, program):
        return not_for_you(request, "HR covering the unit and administrators")
    try:
        done = programs.issue(who, program)
    except InvalidInput as exc:
        messages.error(request, "Not issued: " + "; ".join(exc.problems))
        return redirect("group_program", pk=pk)
    refs = ", ".join(case.ref for case, _ in done.issued) or "no case"
    messages.success(request, f"Disclosure issued in {refs}.")
    if done.without_case:
        missing = ", ".join(done.without_case)
        messages.warning(request, f"No case for {missing}: give them the PDF yourself.")
    return redirect("group_program", pk=pk)
