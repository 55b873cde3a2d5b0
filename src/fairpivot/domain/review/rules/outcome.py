"""Outcome rules: exits timed before pay vests, quits that were not, attrition quotas."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from fairpivot.domain.casefile.model import AppealDecided, Separated
from fairpivot.domain.review.context import ReviewContext, plus_days
from fairpivot.domain.review.exits import projected_exit
from fairpivot.domain.review.model import Finding, Severity
from fairpivot.domain.review.rules.registry import rule

_EMPLOYER_EXITS = ("pivot_offered", "plan_failed")


@rule("vesting.forfeiture", scope="general", rests_on=["pay"])
def vesting_forfeiture(ctx: ReviewContext) -> Iterator[Finding]:
    """An exit just before equity vests or a bonus is due may be evidence of pretext.

    Basis (review-v4.md item 7): timing as evidence of pretext (Reeves); ERISA section 510
    where the value is under a benefit plan; the implied covenant of good faith only where
    the work state recognises it in at-will employment.
    """
    exit_ = projected_exit(ctx)
    if exit_ is None:
        return
    when, why = exit_
    window = ctx.thresholds.vesting_window_days
    # A window running past 9999-12-31 holds every later vest and bonus (reading 68).
    lost = ctx.value_between(when, plus_days(when, window) or date.max)
    if lost <= 0:
        return
    largest = max((fact.offer.amount for fact in ctx.offers), default=0.0)
    severity: Severity = "high" if lost >= largest else "medium"
    currency = ctx.employee.currency
    verb = "ended" if why == "separated" else "could end"
    yield Finding(
        code="vesting.forfeiture",
        severity=severity,
        date=when,
        message=f"Employment {verb} on {when.isoformat()}, forfeiting {lost:,.2f} {currency} "
        f"in equity and bonuses due within the next {window} days"
        + (
            f", against at most {largest:,.2f} {currency} in severance offered." if largest else "."
        ),
        evidence={
            "exit_date": when,
            "exit_by": why,
            "value_lost": lost,
            "largest_offer": largest,
            "window_days": window,
        },
        basis=_vesting_basis(ctx.employee.work_state),
    )


_VESTING_BASIS = (
    "Reeves v. Sanderson Plumbing Products, 530 U.S. 133 (2000): an exit timed just before "
    "a vest or bonus may be evidence that the stated reason is a pretext; ERISA section 510 "
    "(29 U.S.C. 1140), where the value lost is under a benefit plan"
)
# States whose courts recognise the implied covenant of good faith in at-will employment
# (review-v4.md item 7); Washington (Thompson v. St. Regis Paper, 102 Wn.2d 219 (1984)) and
# California (Guz v. Bechtel, 24 Cal.4th 317 (2000)) do not read it so.
_IMPLIED_COVENANT = {
    "MA": "the implied covenant of good faith and fair dealing (Fortune v. National Cash "
    "Register Co., 373 Mass. 96 (1977))",
}


def _vesting_basis(work_state: str) -> str:
    covenant = _IMPLIED_COVENANT.get(work_state)
    return _VESTING_BASIS if covenant is None else f"{_VESTING_BASIS}; {covenant}"


@rule("unemployment.resignation_label", scope="us")
def unemployment_resignation_label(ctx: ReviewContext) -> Iterator[Finding]:
    """An employer-driven exit recorded as a quit can cost the employee benefits."""
    seen_employer_step = False
    for event in ctx.file.events:
        if event.type in _EMPLOYER_EXITS or (
            isinstance(event, AppealDecided) and event.outcome == "upheld"
        ):
            seen_employer_step = True
        if (
            isinstance(event, Separated)
            and seen_employer_step
            and event.reason in ("resignation", "resignation_with_severance")
        ):
            yield Finding(
                code="unemployment.resignation_label",
                severity="medium",
                date=event.date,
                message=f"The exit on {event.date.isoformat()} followed an employer-initiated "
                f"process but was recorded as '{event.reason.replace('_', ' ')}'; the state "
                "agency may treat it as a discharge, but the label may cost the employee "
                "time or benefits while that is decided.",
                evidence={"reason": event.reason},
                basis=_unemployment_basis(ctx.employee.work_state),
            )


def _unemployment_basis(work_state: str) -> str:
    general = (
        "State unemployment law: an exit the employer drove may be treated as a discharge "
        "rather than a voluntary quit, and failing to meet performance standards is "
        "generally not misconduct; each state decides on its facts"
    )
    if work_state == "WA":
        return f"{general}; RCW 50.04.294 (misconduct), RCW 50.20.050 (voluntary quit)"
    return general


@rule("quota.pressure", scope="general")
def quota_pressure(ctx: ReviewContext) -> Iterator[Finding]:
    """An attrition target behind the case suggests the reason is a quota, not performance."""
    org = ctx.file.org_context
    if org is None:
        return
    behind = (
        org.ura_actual is not None
        and org.ura_target is not None
        and org.ura_actual < org.ura_target
    )
    language = list(org.quota_language or ())
    if not behind and not language:
        return
    first = ctx.adverse_steps[0].date if ctx.adverse_steps else ctx.as_of
    parts = []
    if behind:
        parts.append(
            f"the org's unregretted attrition stood at {org.ura_actual:.1%} against a "
            f"{org.ura_target:.1%} target"
        )
    if language:
        parts.append(f'exits were tied to the target in writing ("{language[0]}")')
    yield Finding(
        code="quota.pressure",
        severity="high" if language else "medium",
        date=first,
        message="When the case began, " + " and ".join(parts) + ".",
        evidence={
            "ura_target": org.ura_target,
            "ura_actual": org.ura_actual,
            "period_end": org.period_end,
            "quota_language": language,
        },
        basis="Reeves v. Sanderson Plumbing Products, 530 U.S. 133 (2000): a reason other "
        "than the one given (an attrition quota) is evidence of pretext; "
        "29 C.F.R. 1607.4(D) where the quota falls unevenly on a group",
    )
