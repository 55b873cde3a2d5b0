"""Who is calling: an integration with an API token, or a signed-in browser."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja.errors import Throttled
from ninja.security import HttpBearer, SessionAuth

from fairpivot.web import throttle
from fairpivot.web.access import Viewer, viewer_of
from fairpivot.web.tokens import user_for_token


class ApiToken(HttpBearer):
    """``Authorization: Bearer <token>``, a token from ``fairpivot token``.

    Unknown, expired and revoked tokens are counted per address; past the limit the
    address gets 429 with Retry-After for every token, a good one too, so the limit
    bounds how many tokens one address can try.
    """

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        """The token's user, if it is a live token we issued to an active user."""
        address = throttle.address_of(request)
        lock = throttle.token_lock(address)
        if lock is not None:
            raise Throttled(lock.retry_after)
        user = user_for_token(token)
        if user is None:
            throttle.token_failed(address)
        return user


class BrowserSession(SessionAuth):
    """The page's session, CSRF-checked for unsafe methods as ninja's ``django_auth`` is.

    With no signed-in session there is nothing to forge, so no CSRF check: the caller
    gets the one 401 answer, not a CSRF refusal that would hide the real problem.
    """

    def __call__(self, request: HttpRequest) -> Any:
        """The session's user, or None when nobody is signed in."""
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


AUTH = [ApiToken(), BrowserSession()]


def viewer(request: HttpRequest) -> Viewer:
    """The caller, as the access rules see them."""
    user: User = request.auth  # type: ignore[attr-defined]  # set by ninja's auth
    return viewer_of(user)
