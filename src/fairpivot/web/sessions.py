"""Sessions that end after ``SESSION_COOKIE_AGE`` (8 hours) without use."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class IdleSessions:
    """Push a signed-in session's expiry on whenever a request used it.

    Django's ``SESSION_SAVE_EVERY_REQUEST`` would do it for every request that carries the
    cookie, the health check and static files too: a database write (and a cookie) each
    time. Here only a request that read the session (every page and API call that asks who
    is signed in does) saves it, which sets its expiry, row and cookie, 8 hours from now.
    Listed after SessionMiddleware, so this runs before it saves.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Serve the request, then mark a used, non-empty session for saving."""
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.accessed and not session.is_empty():
            session.modified = True
        return response
