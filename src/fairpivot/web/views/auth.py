"""Signing in and out, with sign-in throttling."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from fairpivot.web import throttle


def _address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "unknown"))


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """The sign-in page; too many failures lock the username and the address out a while."""
    error, username = "", ""
    status = 200
    if request.method == "POST":
        username = str(request.POST.get("username", "")).strip()
        password = str(request.POST.get("password", ""))
        address = _address(request)
        if throttle.locked_out(username, address):
            error, status = "Too many failed sign-ins. Wait 15 minutes and try again.", 429
        else:
            user = authenticate(request, username=username, password=password)
            if user is None:
                throttle.record_failure(username, address)
                error, status = "That username and password do not match.", 401
            else:
                throttle.clear(username, address)
                login(request, user)
                target = str(request.GET.get("next", ""))
                return redirect(
                    target if target.startswith("/") and not target.startswith("//") else "home"
                )
    return render(
        request, "fairpivot/login.html", {"error": error, "username": username}, status=status
    )


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Sign out and go back to the sign-in page."""
    logout(request)
    return redirect("login")
