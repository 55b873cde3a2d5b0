"""Every API error in the one JSON shape: ``{"error": {"code", "message", "problems"}}``.

Errors are translated here, once: fairpivot's own through ``fairpivot.web.errors``, the
framework's (bad parameters, no credentials, unknown routes) beside them, and anything
else as a bare 500 that names no internals; the traceback goes to the log only.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from fairpivot.web.errors import NOT_FOUND, THROTTLED, UNAUTHENTICATED, WebError, translate

log = logging.getLogger("fairpivot.api")

INVALID = WebError(422, "invalid", "Some of the input is not valid.")
INTERNAL = WebError(500, "internal", "Something went wrong on our side; it has been logged.")
# Codes of the framework's other refusals: a body that is not JSON is a 400, a CSRF
# failure a 403.
HTTP_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    429: "throttled",
}


def install(api: NinjaAPI) -> None:
    """Register the handlers on ``api``."""

    def respond(request: HttpRequest, error: WebError) -> HttpResponse:
        return api.create_response(request, error.to_json(), status=error.status)

    @api.exception_handler(ValidationError)
    def on_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        problems = tuple(_problem(error) for error in exc.errors)
        return respond(request, WebError(INVALID.status, INVALID.code, INVALID.message, problems))

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return respond(request, UNAUTHENTICATED)

    @api.exception_handler(Throttled)
    def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        wait = max(1, int(exc.wait or 1))
        message = f"Too many failed sign-ins from this address; try again in {wait} seconds."
        response = respond(request, WebError(THROTTLED.status, THROTTLED.code, message))
        response["Retry-After"] = str(wait)
        return response

    @api.exception_handler(HttpError)
    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = HTTP_CODES.get(exc.status_code, "http_error")
        return respond(request, WebError(exc.status_code, code, str(exc)))

    @api.exception_handler(Http404)
    def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return respond(request, NOT_FOUND)

    @api.exception_handler(Exception)
    def on_any(request: HttpRequest, exc: Exception) -> HttpResponse:
        error = translate(exc)
        if error is None:
            log.exception("API error on %s %s", request.method, request.path)
            error = INTERNAL
        return respond(request, error)


# Where a parameter came from, as the framework names it; ``body`` keeps its own name.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def _problem(error: dict[str, Any]) -> str:
    """``body.version: Input should be a valid integer`` from one pydantic error."""
    where = _where(error.get("loc", ()))
    return f"{where}: {error.get('msg', 'not valid')}" if where else str(error.get("msg"))


def _where(loc: Iterable[Any]) -> str:
    parts = [str(part) for part in loc]
    # ninja puts the view's parameter name after the source ("body", "step", "version"):
    # callers know the field, not our parameter names.
    if len(parts) > 2 and parts[0] in _SOURCES:
        parts = [parts[0], *parts[2:]]
    return ".".join(parts)
