"""Errors of the system of record, each translated once at every entry point."""

from __future__ import annotations

from fairpivot.domain.errors import FairpivotError, InvalidInput


class CaseNotFound(FairpivotError):
    """No case (or no case the caller may see) has that id."""

    def __init__(self, ref: str) -> None:
        self.ref = ref
        super().__init__(f"no case {ref!r}")


class Conflict(FairpivotError):
    """Someone else changed the case since the caller last read it."""

    def __init__(self, ref: str, expected: int, actual: int) -> None:
        self.ref, self.expected, self.actual = ref, expected, actual
        super().__init__(
            f"{ref} changed while you were working on it (you had version {expected}, "
            f"it is now at {actual}); reload the case and try again"
        )


class TransitionRefused(InvalidInput):
    """A live step the policy does not allow at the case's stage."""
