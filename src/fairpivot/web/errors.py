"""Errors translated once for the web: each kind gets an HTTP status and a stable code."""

from __future__ import annotations

from dataclasses import dataclass

from fairpivot.domain.errors import FairpivotError, InvalidInput
from fairpivot.records.errors import CaseNotFound, Conflict, TransitionRefused
from fairpivot.records.models import AppendOnlyError


@dataclass(frozen=True, slots=True)
class WebError:
    """How an error is shown: status, stable code, a message and the problems behind it."""

    status: int
    code: str
    message: str
    problems: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        """The API's one error shape."""
        return {
            "error": {"code": self.code, "message": self.message, "problems": list(self.problems)}
        }


def translate(exc: Exception) -> WebError | None:
    """The web form of a fairpivot error; None for anything else (a real bug)."""
    if isinstance(exc, CaseNotFound):
        return WebError(404, "not_found", "No such case.")
    if isinstance(exc, Conflict):
        return WebError(409, "conflict", str(exc))
    if isinstance(exc, TransitionRefused):
        return WebError(422, "not_allowed", "That step is not allowed now.", exc.problems)
    if isinstance(exc, InvalidInput):
        return WebError(422, "invalid", "Some of the input is not valid.", exc.problems)
    if isinstance(exc, AppendOnlyError):
        return WebError(409, "append_only", str(exc))
    if isinstance(exc, FairpivotError):
        return WebError(400, "bad_request", str(exc))
    return None


UNAUTHENTICATED = WebError(401, "unauthenticated", "Sign in, or send a valid API token.")
NOT_FOUND = WebError(404, "not_found", "Not found.")
THROTTLED = WebError(429, "throttled", "Too many failed sign-ins; try again later.")
