"""Signing in and out, with sign-in throttling; the admin signs in through this door too."""

from __future__ import annotations

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from fairpivot.web import throttle

WRONG = "That username and password do not match."


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """The sign-in page, at /login/ and /admin/login/: one throttle, one set of messages."""
    error, username, status = "", "", 200
    lock: throttle.Lock | None = None
    if request.method == "POST":
        username = str(request.POST.get("username", "")).strip()
        password = str(request.POST.get("password", ""))
        lock = throttle.begin_sign_in(username, throttle.address_of(request))
        if lock is not None:
            wait = "1 minute" if lock.minutes == 1 else f"{lock.minutes} minutes"
            error = f"Too many failed sign-ins. Try again in {wait}."
            status = 429
        else:
            user = _check(request, username, password)
            if user is None:
                error, status = WRONG, 401
            else:
                throttle.sign_in_succeeded(username)
                login(request, user)
                return redirect(_next(request))
    context = {"error": error, "username": username, "signed_in_as": _signed_in_as(request)}
    response = render(request, "fairpivot/login.html", context, status=status)
    if lock is not None:
        response["Retry-After"] = str(lock.retry_after)
    return response


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    """Sign out and go back to the sign-in page."""
    logout(request)
    return redirect("login")


def _check(request: HttpRequest, username: str, password: str) -> User | None:
    """The user these credentials name, or None; NUL is no character of a real login."""
    if not username or "\x00" in username or "\x00" in password:
        return None
    user = authenticate(request, username=username, password=password)
    return user if isinstance(user, User) else None


def _signed_in_as(request: HttpRequest) -> str:
    """Who is signed in already: the admin sends someone here who may not use it."""
    user = request.user
    return user.get_username() if user.is_authenticated else ""


def _next(request: HttpRequest) -> str:
    """Where to go after signing in: ``next`` if it stays on this site, else home."""
    target = str(request.GET.get("next", ""))
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe and target.startswith("/") else "home"
