"""The rule registry: one small pure function per finding code, in the order they run."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Literal

from fairpivot.domain.review.context import ReviewContext
from fairpivot.domain.review.model import Finding

Check = Callable[[ReviewContext], Iterable[Finding]]
Scope = Literal["general", "us"]
# The protected facts a finding can rest on, and so reveal by being raised at all: a
# protected activity (a complaint, a leave: ADA confidentiality, 29 C.F.R. 1630.14), the
# employee's age (raised only at 40 or over) or their pay. Who may be told of such a
# finding is the web's to decide (``privacy``), from this.
Protected = Literal["protected_activity", "age", "pay"]


@dataclass(frozen=True, slots=True)
class Rule:
    """A finding code, where it applies, and the function that raises it."""

    code: str
    scope: Scope
    check: Check
    rests_on: frozenset[Protected] = frozenset()

    def applies(self, in_us: bool) -> bool:
        """Whether its law reaches a case in the US (``in_us``) or outside it."""
        return in_us or self.scope == "general"

    def run(self, ctx: ReviewContext) -> Iterable[Finding]:
        """Raise this rule's findings, or none where its law does not reach the case."""
        if not self.applies(ctx.in_us):
            return ()
        return self.check(ctx)


RULES: list[Rule] = []


def rule(code: str, scope: Scope, rests_on: Iterable[Protected] = ()) -> Callable[[Check], Check]:
    """Register ``check`` as the rule for ``code``; ``general`` rules apply outside the US.

    ``rests_on``: the protected facts its findings reveal by being raised.
    """

    def register(check: Check) -> Check:
        RULES.append(Rule(code, scope, check, frozenset(rests_on)))
        return check

    return register


@cache
def rules_for(in_us: bool) -> tuple[Rule, ...]:
    """The rules whose law reaches a case in the US (``in_us``) or outside it, in order.

    What ``Rule.run`` asks of each rule, asked once for all of them: the screen reviews a
    hundred thousand cases. Read after every rule module is imported (``rules``'s package).
    """
    return tuple(r for r in RULES if r.applies(in_us))


def codes_resting_on(fact: Protected) -> frozenset[str]:
    """The finding codes whose rules rest on ``fact``."""
    return frozenset(r.code for r in RULES if fact in r.rests_on)
