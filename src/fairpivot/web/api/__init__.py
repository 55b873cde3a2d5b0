"""The JSON API under /api/v1/ (django-ninja), with its OpenAPI document.

Integrations sign in with ``Authorization: Bearer <token>`` (``fairpivot token USER``);
the pages' own scripts with the browser session, CSRF-checked. Every answer that is not
a success has one shape, ``{"error": {"code", "message", "problems"}}`` (see ``handlers``).
The docs (``/docs``) and the document (``/openapi.json``) are for people signed in (``docs``).
"""

from __future__ import annotations

from typing import NoReturn

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Router

from fairpivot.web.api import analytics, cases, docs, handlers, oversight, programs, roles, steps
from fairpivot.web.api.auth import AUTH

api = NinjaAPI(
    title="fairpivot",
    version="1",
    description=(
        "Run and review performance-improvement cases. Case files and reviews are the "
        "fairpivot.casefile/1 and fairpivot.review/1 documents of the specs."
    ),
    urls_namespace="api",
    auth=AUTH,
    docs_decorator=docs.signed_in,  # the docs and openapi.json for people signed in only
)
handlers.install(api)
api.add_router("/", cases.router)
api.add_router("/", steps.router)
api.add_router("/", oversight.router)
api.add_router("/", analytics.router)
api.add_router("/", roles.router)
api.add_router("/", programs.router)

# Last, so it only gets the paths nothing else matched: they too answer in the one shape.
fallback = Router()


@fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False
)
def no_such_endpoint(request: HttpRequest, rest: str) -> NoReturn:
    """Not an endpoint of this API."""
    raise Http404(rest)


api.add_router("/", fallback)

__all__ = ["api"]
