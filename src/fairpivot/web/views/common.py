"""What every page view shares: the viewer, the not-found and not-for-you pages, safe returns."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from fairpivot.web.access import Viewer, request_viewer


def viewer(request: HttpRequest) -> Viewer:
    """The signed-in person as the access rules see them (made once per request)."""
    return request_viewer(request)


def not_found(request: HttpRequest) -> HttpResponse:
    """The 404 page: the same whether the case does not exist or is not the viewer's."""
    return render(request, "fairpivot/404.html", status=404)


def not_for_you(request: HttpRequest, who: str) -> HttpResponse:
    """The 403 page of a page meant for other roles (nothing about any case in it)."""
    return render(request, "fairpivot/403.html", {"who": who}, status=403)


def safe_next(request: HttpRequest, target: str, default: str) -> str:
    """``target`` when it is a path on this site, else ``default``."""
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default
