"""The review: fold a case under its policy and run every rule, deadline and option."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import msgspec

from fairpivot.domain.casefile.model import CaseFile
from fairpivot.domain.policy import Policy
from fairpivot.domain.review import rules
from fairpivot.domain.review.context import ReviewContext
from fairpivot.domain.review.deadlines import deadlines
from fairpivot.domain.review.expiry import expires_on
from fairpivot.domain.review.model import Finding, Review, severity_rank
from fairpivot.domain.review.options import options


def as_it_stood(file: CaseFile, as_of: date) -> CaseFile:
    """The case file as it stood on ``as_of``: later events and facts left out.

    Vest and bonus schedules stay, as they are known ahead.
    """
    return msgspec.structs.replace(
        file,
        as_of=as_of,
        events=[e for e in file.events if e.date <= as_of],
        ratings=[r for r in file.ratings if r.date <= as_of],
        promotions=[p for p in file.promotions if p.date <= as_of],
        protected_activities=[a for a in file.protected_activities if a.date <= as_of],
    )


def review(
    file: CaseFile, policy: Policy, *, as_of: date | None = None, case_id: str | None = None
) -> Review:
    """Review one case: its stage, every finding, every deadline and the options open."""
    return examine(file, policy, as_of=as_of, case_id=case_id)[0]


def examine(
    file: CaseFile, policy: Policy, *, as_of: date | None = None, case_id: str | None = None
) -> tuple[Review, ReviewContext]:
    """The review and the context it was made in (the fold, ages), for callers that need both."""
    anchor, whole = file.as_of, file
    if as_of is not None:
        file = as_it_stood(file, as_of)
    ctx = ReviewContext(file, policy, file.as_of, age_anchor=anchor)
    raised = [finding for rule in rules.rules_for(ctx.in_us) for finding in rule.check(ctx)]
    ordered = sorted(
        enumerate(raised),
        key=lambda item: (severity_rank(item[1].severity), item[1].date, item[1].code, item[0]),
    )
    found, dated, open_ = tuple(f for _, f in ordered), tuple(deadlines(ctx)), tuple(options(ctx))

    def made(expiry: date | None) -> Review:
        return Review(
            case=case_id or file.employee.id,
            as_of=file.as_of,
            policy=policy.name,
            stage=ctx.state.stage,
            currency=file.employee.currency,
            findings=found,
            deadlines=dated,
            options=open_,
            expires_on=expiry,
        )

    # Made again with its expiry, which reads the review: cheaper than dataclasses.replace.
    return made(expires_on(ctx, made(None), _dated_after(whole, file.as_of))), ctx


def _dated_after(file: CaseFile, day: date) -> list[date]:
    """The dates of the file's events and facts after ``day`` (each enters on its date)."""
    dated = (*file.events, *file.ratings, *file.promotions, *file.protected_activities)
    return [item.date for item in dated if item.date > day]


def with_case_id(result: Review, case_id: str) -> Review:
    """The same review under a database case id."""
    return replace(result, case=case_id)


__all__ = ["Finding", "Review", "as_it_stood", "examine", "review", "with_case_id"]
