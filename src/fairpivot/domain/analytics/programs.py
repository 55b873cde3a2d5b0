"""Hidden group programs: standardized release offers in one decisional unit.

OWBPA treats releases offered to two or more employees under an exit or termination
program as a group program, which needs 45 days to consider and written disclosures about
the decisional unit. A program is typically a standardized formula or package, not open to
negotiation (29 C.F.R. 1625.22(f)(1)(iii)). An employer that hands the same formula to
several older workers one at a time, as individual offers, gives neither.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from fairpivot.domain.analytics.settings import DEFAULT_SETTINGS, OrgScreenSettings
from fairpivot.domain.review.model import Finding

CODE = "owbpa.hidden_group_program"
COMPANY = "(company)"  # the decisional unit at level 0, and how findings name it

_BASIS = (
    "29 U.S.C. 626(f)(1)(F)(ii) and (H); 29 C.F.R. 1625.22(f): an exit incentive or other "
    "employment termination program offered to a group of employees, typically a "
    "standardized formula or package not subject to negotiation (1625.22(f)(1)(iii)), needs "
    "at least 45 days to consider and written disclosure of the decisional unit, the "
    "eligibility factors and the ages and job titles of those selected and not selected; "
    "without them a release does not waive ADEA claims of a worker aged 40 or over"
)


@dataclass(frozen=True, slots=True)
class ReleaseOffer:
    """A release offer in one case, not run as a group program, as the org rule sees it.

    ``org`` is the employee's full org path. ``consideration_days`` is None when the days
    given are not known; ``age_40_plus`` None when the recipient's age is not known (see
    ``older_worker``); ``formula_amount`` None when the policy has no formula for the tier.
    """

    case: str
    org: str
    date: date
    consideration_days: int | None
    age_40_plus: bool | None
    amount: float | None = None
    formula_amount: float | None = None
    negotiated: bool = False
    group_disclosures: bool = False


def older_worker(age: int | None, settings: OrgScreenSettings = DEFAULT_SETTINGS) -> bool | None:
    """Whether a recipient of this age is protected (``release_age`` or over); None if unknown."""
    return None if age is None else age >= settings.release_age


def decisional_unit(org: str, level: int) -> str:
    """The org at ``level`` of an org path (``COMPANY`` at level 0, the path if shorter)."""
    if level == 0 or not org:
        return COMPANY
    return "/".join(org.split("/")[:level])


def standardized(offer: ReleaseOffer, settings: OrgScreenSettings = DEFAULT_SETTINGS) -> bool:
    """Whether an offer is on the policy's standard terms: not negotiated, on the formula."""
    formula, amount = offer.formula_amount, offer.amount
    if offer.negotiated or formula is None or amount is None or formula <= 0:
        return False
    return abs(amount - formula) <= settings.standard_terms_tolerance * formula


def hidden_group_programs(
    offers: Iterable[ReleaseOffer],
    as_of: date,
    settings: OrgScreenSettings = DEFAULT_SETTINGS,
) -> list[Finding]:
    """``owbpa.hidden_group_program``: a unit's standardized offers to older workers.

    The offers counted: made by ``as_of`` to a recipient aged ``release_age`` or over (an
    unknown age does not count), on the standardized terms (``standardized``), not run as a
    group program. Per decisional unit (``decisional_unit_level`` of the org path), in date
    order, a program period runs ``program_days`` from the unit's first such offer; the
    next offer after it starts the next period. A period with two or more offers, one of
    which gave fewer than ``group_consideration_days`` days (or an unknown number) or no
    decisional-unit disclosures, raises one finding: the offers may form a group program.

    Basis: 29 U.S.C. 626(f)(1)(F)(ii) and (H); 29 C.F.R. 1625.22(f)(1)(iii).
    """
    units: dict[str, list[ReleaseOffer]] = defaultdict(list)
    for offer in offers:
        if offer.date <= as_of and offer.age_40_plus and standardized(offer, settings):
            units[decisional_unit(offer.org, settings.decisional_unit_level)].append(offer)
    findings = []
    for unit in sorted(units):
        ordered = sorted(units[unit], key=lambda o: (o.date, o.case))
        for period in _periods(ordered, settings.program_days):
            finding = _finding(unit, period, settings)
            if finding is not None:
                findings.append(finding)
    return findings


def _periods(offers: list[ReleaseOffer], days: int) -> list[list[ReleaseOffer]]:
    # Counted from the period's first offer, not chained offer to offer, so that a steady
    # trickle of offers is not read as one endless program.
    periods: list[list[ReleaseOffer]] = []
    for offer in offers:
        if periods and (offer.date - periods[-1][0].date).days < days:
            periods[-1].append(offer)
        else:
            periods.append([offer])
    return periods


def _short(offer: ReleaseOffer, settings: OrgScreenSettings) -> bool:
    days = offer.consideration_days
    return days is None or days < settings.group_consideration_days or not offer.group_disclosures


def _finding(unit: str, period: list[ReleaseOffer], settings: OrgScreenSettings) -> Finding | None:
    short = [o for o in period if _short(o, settings)]
    if len(period) < 2 or not short:
        return None
    known = [o.consideration_days for o in period if o.consideration_days is not None]
    # An unknown period is the worst case: it cannot be shown to have been 45 days.
    shortest = None if len(known) < len(period) else min(known)
    first, last = period[0].date, period[-1].date
    ends = first + timedelta(days=settings.program_days - 1)
    undisclosed = sum(not o.group_disclosures for o in period)
    needed = settings.group_consideration_days
    given = (
        "not known for every offer"
        if shortest is None
        else f"as few as {shortest} of the {needed} needed"
    )
    return Finding(
        code=CODE,
        severity="high",
        date=last,
        message=f"In {unit}, {len(period)} release offers on the same standardized terms "
        f"(the policy's formula amount, not negotiated) went to employees aged "
        f"{settings.release_age} or over between {first.isoformat()} and {last.isoformat()}, "
        f"within one {settings.program_days}-day program period, each handled as an "
        "individual offer: they may form a group termination program "
        f"(29 C.F.R. 1625.22(f)(1)(iii)), which needs {needed} days to consider and the "
        f"decisional-unit disclosures. Days to consider: {given}; {undisclosed} of the "
        f"{len(period)} came without the disclosures. Where either is missing, the release "
        "may not waive ADEA claims.",
        evidence={
            "org": unit,
            "decisional_unit_level": settings.decisional_unit_level,
            "offers": len(period),
            "first": first,
            "last": last,
            "period_end": ends,
            "cases": [o.case for o in period],
            "shortest_consideration_days": shortest,
            "without_disclosures": undisclosed,
            "short": len(short),
        },
        basis=_BASIS,
    )
