"""The admins' page for HR scopes and the panelist pool, and the log of every change."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from fairpivot.domain.errors import InvalidInput
from fairpivot.web import roles
from fairpivot.web.errors import WebError, translate
from fairpivot.web.views.common import not_for_you, viewer

LOG_SHOWN = 200
FIELDS = ("change", "user", "org", "whole", "scope")


@login_required
@require_http_methods(["GET", "POST"])
def roles_page(request: HttpRequest) -> HttpResponse:
    """List HR partners with their scopes and the panelist pool; admins change them here."""
    if not viewer(request).has("admin"):
        return not_for_you(request, "administrators")
    if request.method == "GET":
        return _render(request)
    posted = {name: str(request.POST.get(name, "")) for name in FIELDS}
    try:
        done = roles.change(request.user, posted["change"], posted)  # type: ignore[arg-type]
    except InvalidInput as exc:
        error = translate(exc) or WebError(422, "invalid", str(exc))
        return _render(request, error, posted, status=error.status)
    messages.success(request, done)
    return redirect("roles")


def _render(
    request: HttpRequest,
    error: WebError | None = None,
    posted: dict[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "partners": roles.hr_partners(),
        "panelists": roles.panelists(),
        "changes": roles.changes()[:LOG_SHOWN],
        "error": error,
        "posted": posted or {},
    }
    return render(request, "fairpivot/roles.html", context, status=status)
