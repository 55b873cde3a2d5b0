"""The rule registry: one small pure function per finding code, in the order they run."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal

from fairpivot.domain.review.context import ReviewContext
from fairpivot.domain.review.model import Finding

Check = Callable[[ReviewContext], Iterable[Finding]]
Scope = Literal["general", "us"]


@dataclass(frozen=True, slots=True)
class Rule:
    """A finding code, where it applies, and the function that raises it."""

    code: str
    scope: Scope
    check: Check

    def run(self, ctx: ReviewContext) -> Iterable[Finding]:
        """Raise this rule's findings, or none where its law does not reach the case."""
        if self.scope == "us" and not ctx.in_us:
            return ()
        return self.check(ctx)


RULES: list[Rule] = []


def rule(code: str, scope: Scope) -> Callable[[Check], Check]:
    """Register ``check`` as the rule for ``code``; ``general`` rules apply outside the US."""

    def register(check: Check) -> Check:
        RULES.append(Rule(code, scope, check))
        return check

    return register
