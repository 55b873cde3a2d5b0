"""The domain's errors: a small hierarchy that each boundary translates once."""

from __future__ import annotations

from collections.abc import Sequence


class FairpivotError(Exception):
    """Base of every error fairpivot raises on purpose."""


class InvalidInput(FairpivotError):
    """Input that does not match its format: one message per problem, each naming where."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


class MalformedCaseFile(InvalidInput):
    """A case file that is not well-formed (see spec/casefile.md)."""


class InvalidPolicy(InvalidInput):
    """A process policy file with a missing, unknown or out-of-range key."""
