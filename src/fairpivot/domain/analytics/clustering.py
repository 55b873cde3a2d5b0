"""Quota clustering: placements bunched at the end of an attrition-target period.

An org measured against an unregretted-attrition target each period has a reason to place
people on Focus or Pivot just before the period closes. Placements driven by performance
have no reason to know when the period ends. But a review calendar, a reorganisation or
chance can bunch them too, so the code is a question to ask, never more than ``medium``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction

from fairpivot.domain.analytics.settings import DEFAULT_SETTINGS, OrgScreenSettings
from fairpivot.domain.analytics.stats import binomial_tail
from fairpivot.domain.errors import InvalidInput
from fairpivot.domain.review.model import Finding

PLACEMENT_KINDS = ("focus_started", "pivot_offered")

_BASIS = (
    "An unregretted-attrition (URA) target per org and period is what critics say turns a "
    "performance process into a quota; timing unrelated to performance, such as placements "
    "bunched before the end of a target period, can be evidence that the reason given is a "
    "pretext (Reeves v. Sanderson Plumbing Products, 530 U.S. 133 (2000)); "
    "29 C.F.R. 1607.4(D) where the quota falls unevenly on a group"
)


@dataclass(frozen=True, slots=True)
class Placement:
    """A case placed on Focus (``focus_started``) or on Pivot (``pivot_offered``) on a date."""

    case: str
    org: str
    date: date
    kind: str


def target_period(day: date, months: int) -> tuple[date, date]:
    """The first and last day of the attrition-target period holding a day.

    Periods are ``months`` calendar months long, counted from January of year 1, so 3
    gives calendar quarters and 12 calendar years.
    """
    index = (day.year * 12 + day.month - 1) // months * months
    start = date(index // 12, index % 12 + 1, 1)
    after = index + months
    end = date(after // 12, after % 12 + 1, 1) - timedelta(days=1)
    return start, end


def quota_clustering(
    placements: Iterable[Placement],
    as_of: date,
    settings: OrgScreenSettings = DEFAULT_SETTINGS,
) -> list[Finding]:
    """``quota.clustering``: an org's placements in a target period bunched in its last days.

    For each org and each period that has ended by ``as_of`` or holds it, n placements fall
    in the period and k in its last ``clustering_window_days``. Spread evenly, the window
    would hold its share of the period's days. The rule fires when n is at least
    ``clustering_min_placements`` and k/n is at least ``clustering_ratio`` times that share.
    Always ``medium``: bunching is a pattern worth asking about, not proof (review-v4.md
    §7); the binomial chance of k or more in the window is in the evidence.
    Placements after ``as_of`` are ignored. Both kinds count, so a case placed on Focus and
    on Pivot in the same period counts twice: each placement is a decision.

    Basis: the URA target (DOMAIN.md) and pretext shown by timing unrelated to performance
    (Reeves v. Sanderson Plumbing Products, 530 U.S. 133 (2000)).
    """
    periods: dict[tuple[str, date, date], list[date]] = defaultdict(list)
    for placement in placements:
        if placement.kind not in PLACEMENT_KINDS:
            raise InvalidInput(
                [
                    f"{placement.case}: placement kind '{placement.kind}' is not one of "
                    f"{', '.join(PLACEMENT_KINDS)}"
                ]
            )
        if placement.date <= as_of:
            start, end = target_period(placement.date, settings.clustering_period_months)
            periods[placement.org, start, end].append(placement.date)
    findings = []
    for (org, start, end), dates in sorted(periods.items()):
        finding = _finding(org, start, end, dates, as_of=as_of, settings=settings)
        if finding is not None:
            findings.append(finding)
    return findings


def _finding(
    org: str,
    start: date,
    end: date,
    dates: list[date],
    *,
    as_of: date,
    settings: OrgScreenSettings,
) -> Finding | None:
    n = len(dates)
    if n < settings.clustering_min_placements:
        return None
    period_days = (end - start).days + 1
    window_days = min(settings.clustering_window_days, period_days)
    k = sum(1 for d in dates if (end - d).days < window_days)
    expected = Fraction(window_days, period_days)
    share = Fraction(k, n)
    # Exact, then rounded once, so that exactly twice the even share counts as twice.
    if float(share / expected) < settings.clustering_ratio:
        return None
    p = binomial_tail(k, n, float(expected))
    return Finding(
        code="quota.clustering",
        severity="medium",
        date=min(end, as_of),
        message=f"In {org}, {k} of the {n} placements between {start.isoformat()} and "
        f"{end.isoformat()} ({float(share):.0%}) fell in the period's last {window_days} days, "
        f"which hold {float(expected):.0%} of its days: {float(share / expected):.1f} times "
        f"an even spread (binomial p = {float(f'{p:.3g}')}). Placements bunched before an "
        "attrition-target period closes are a pattern worth asking about, not proof: a quota "
        "would bunch them, and so could a review calendar or chance.",
        evidence={
            "org": org,
            "period_start": start,
            "period_end": end,
            "placements": n,
            "in_window": k,
            "share": round(float(share), 4),
            "expected_share": round(float(expected), 4),
            "p_value": float(f"{p:.3g}"),
        },
        basis=_BASIS,
    )
