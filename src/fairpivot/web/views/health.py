"""``GET /healthz``: the server is up and Django answers, for load balancers and monitors."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """200 ``ok`` as plain text: no database, no session, nothing about anyone."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
