"""The API's docs and OpenAPI document, for people signed in only.

Neither carries personal data, but both map every endpoint, field and accepted value of a
system of personnel records; nobody outside the organisation needs that map, and everyone
inside has a session or a token. So both take the browser's session or an API token, as
the API does; anyone else is sent to sign in from the Swagger UI page (``/api/v1/docs``)
and gets a 401 in the API's error shape from ``/api/v1/openapi.json``. Swagger UI itself
is served from django-ninja's own static files, at the version the lock file pins: no CDN,
no floating version.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja.errors import HttpError

from fairpivot.web.api.auth import ApiToken
from fairpivot.web.api.handlers import HTTP_CODES
from fairpivot.web.errors import UNAUTHENTICATED, WebError

View = Callable[..., HttpResponse]
_TOKEN = ApiToken()


def signed_in(view: View) -> View:
    """``view`` for a signed-in caller; the sign-in page or a 401 for anyone else."""

    @wraps(view)
    def guarded(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        try:
            user = _TOKEN(request)
        except HttpError as exc:  # a throttled address
            code = HTTP_CODES.get(exc.status_code, "http_error")
            error = WebError(exc.status_code, code, str(exc))
            return JsonResponse(error.to_json(), status=error.status)
        if user is not None:
            return view(request, *args, **kwargs)
        if request.path.endswith(".json"):
            return JsonResponse(UNAUTHENTICATED.to_json(), status=UNAUTHENTICATED.status)
        return redirect_to_login(request.get_full_path())

    return guarded
