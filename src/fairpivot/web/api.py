"""The JSON API under /api/v1/ (django-ninja), with its OpenAPI document."""

from __future__ import annotations

from ninja import NinjaAPI

api = NinjaAPI(title="fairpivot", version="1", urls_namespace="api")
