"""What every answer carries, and what is refused before any view reads the request.

- ``SecurityHeaders``: a strict Content-Security-Policy (no inline script, nothing from
  another site, no framing) and ``Cache-Control: no-store`` on everything but static files:
  nearly every page and API answer carries personal data, and a rule with no exceptions
  cannot miss one.
- ``BodyLimit``: a body larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is a 413 (the API's
  JSON error shape under /api/, a plain page elsewhere), before CSRF or the API read it.
- ``ApiMethodNotAllowed``: the API's 405 in its JSON error shape, its ``Allow`` header kept.
- ``StaticFiles``: WhiteNoise, serving the apps' static files from their folders, with the
  index of those files made once per process.
"""

from __future__ import annotations

from collections.abc import Callable
from threading import Lock
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from whitenoise.middleware import WhiteNoiseMiddleware  # type: ignore[import-untyped]

from fairpivot.records.cases import limits
from fairpivot.web.errors import WebError

Handler = Callable[[HttpRequest], HttpResponse]

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",  # the API docs' stylesheet draws its icons as data: SVG
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    )
)
API_PREFIX = "/api/"


def content_security_policy(style_hashes: tuple[str, ...] = ()) -> str:
    """The policy, letting in only the inline styles a view names by their hashes (a
    letter's preview carries the letter's own style sheet, as its PDF is laid out)."""
    if not style_hashes:
        return CONTENT_SECURITY_POLICY
    allowed = " ".join(f"'sha256-{h}'" for h in style_hashes)
    return CONTENT_SECURITY_POLICY.replace("style-src 'self'", f"style-src 'self' {allowed}")


def is_api(request: HttpRequest) -> bool:
    """Whether the request is for the JSON API, which answers errors in its JSON shape."""
    return request.path.startswith(API_PREFIX)


class SecurityHeaders:
    """The policy headers on every answer; ``no-store`` on every one that may be personal."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response
        self.static = "/" + settings.STATIC_URL.lstrip("/")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """The answer, with the headers."""
        response = self.get_response(request)
        response["Content-Security-Policy"] = content_security_policy(
            getattr(response, "style_hashes", ())
        )
        response.setdefault("Referrer-Policy", "same-origin")
        response.setdefault("X-Content-Type-Options", "nosniff")
        response.setdefault("X-Frame-Options", "DENY")  # for browsers older than the policy
        if not request.path.startswith(self.static):
            response["Cache-Control"] = "no-store"
            del response["Expires"]
        return response


class BodyLimit:
    """413 for a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``, never a 500 or a half-read form."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """Refuse by the declared length at once; the rest of the way, Django's own check."""
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            return too_large(request)
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        """A body found too big while a view read it (no length declared up front)."""
        return too_large(request) if isinstance(exc, RequestDataTooBig) else None


def too_large(request: HttpRequest) -> HttpResponse:
    """The 413 answer: the JSON error under /api/, a plain page elsewhere."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE or 0
    error = WebError(
        413,
        "too_large",
        f"The request is larger than this server takes ({limit:,} bytes); nothing was recorded.",
    )
    if is_api(request):
        return JsonResponse(error.to_json(), status=413)
    context = {"error": error, "text_max": f"{limits.TEXT_MAX:,}"}
    return render(request, "fairpivot/too_large.html", context, status=413)


class ApiMethodNotAllowed:
    """The API's 405 in the one JSON error shape (the framework answers it in plain text)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        """The answer, a 405 from the API rewritten with its ``Allow`` header kept."""
        response = self.get_response(request)
        if response.status_code != 405 or not is_api(request):
            return response
        allowed = response.get("Allow", "")
        error = WebError(
            405,
            "method_not_allowed",
            f"{request.method} is not allowed here; use {allowed or 'another method'}.",
        )
        answer = JsonResponse(error.to_json(), status=405)
        answer["Allow"] = allowed
        return answer


class StaticFiles(WhiteNoiseMiddleware):  # type: ignore[misc]  # WhiteNoise is untyped
    """WhiteNoise, with the index of the apps' static files made once per process.

    WhiteNoise lists every file the finders know and reads its size and time each time
    its middleware is made: once per server process, but once per ``Client`` in the
    tests, where it was most of a request's time. The files do not change while a process
    runs (a deploy starts new ones), so the first index made is the process's.
    """

    _index: ClassVar[dict[str, Any]] = {}
    _indexed: ClassVar[bool] = False
    _lock: ClassVar[Lock] = Lock()

    def add_files_from_finders(self) -> None:
        """Index the finders' files, or take the index this process made already."""
        cls = type(self)
        with cls._lock:
            if not cls._indexed:
                before = set(self.files)
                super().add_files_from_finders()
                cls._index = {url: f for url, f in self.files.items() if url not in before}
                cls._indexed = True
            else:
                self.files.update(cls._index)
