"""A response as a download: the one place the pages and the API name a file."""

from __future__ import annotations

from django.http import HttpResponse


def as_attachment(response: HttpResponse, filename: str) -> HttpResponse:
    """``response`` saved as ``filename`` rather than shown (a name fairpivot made)."""
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def attachment(content: bytes, media_type: str, filename: str) -> HttpResponse:
    """``content`` of ``media_type`` as a download named ``filename``."""
    return as_attachment(HttpResponse(content, content_type=media_type), filename)
