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
    problems = tuple(exc.problems) if isinstance(exc, InvalidInput) else ()
    for kind, status, code, message in _KINDS:  # most specific first
        if isinstance(exc, kind):
            return WebError(status, code, message or str(exc), problems)
    return None


_KINDS: tuple[tuple[type[Exception], int, str, str], ...] = (
    (CaseNotFound, 404, "not_found", "No such case."),
    (Conflict, 409, "conflict", ""),
    (TransitionRefused, 422, "not_allowed", "That step is not allowed now."),
    (InvalidInput, 422, "invalid", "Some of the input is not valid."),
    (AppendOnlyError, 409, "append_only", ""),
    (FairpivotError, 400, "bad_request", ""),
)


UNAUTHENTICATED = WebError(401, "unauthenticated", "Sign in, or send a valid API token.")
NOT_FOUND = WebError(404, "not_found", "Not found.")
THROTTLED = WebError(429, "throttled", "Too many failed sign-ins; try again later.")
