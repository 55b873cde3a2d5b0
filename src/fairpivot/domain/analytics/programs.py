"""Hidden group programs: release offers in one decisional unit close enough to be a program.

OWBPA treats releases offered to two or more employees in an exit program as a group
program, which needs 45 days to consider and written disclosures about the decisional unit.
An employer that handles each offer as an individual one gives neither.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import groupby

from fairpivot.domain.analytics.settings import DEFAULT_SETTINGS, OrgScreenSettings
from fairpivot.domain.review.model import Finding

_BASIS = (
    "29 U.S.C. 626(f)(1)(F)(ii) and (H); 29 C.F.R. 1625.22(f): a release offered in "
    "connection with an exit program to a group of employees needs at least 45 days to "
    "consider and written disclosure of the decisional unit, the eligibility factors and "
    "the ages and job titles of those selected and not selected; without them a waiver of "
    "ADEA claims by a worker aged 40 or over is not knowing and voluntary"
)


@dataclass(frozen=True, slots=True)
class ReleaseOffer:
    """A release offer in one case: where, when, the days given to consider, and 40+ or not.

    ``consideration_days`` is None when the days given are not known; ``age_40_plus`` is
    None when the recipient's age is not known (see ``older_worker``).
    """

    case: str
    org: str
    date: date
    consideration_days: int | None
    age_40_plus: bool | None


def older_worker(age: int | None, settings: OrgScreenSettings = DEFAULT_SETTINGS) -> bool | None:
    """Whether a recipient of this age is protected (``release_age`` or over); None if unknown."""
    return None if age is None else age >= settings.release_age


def hidden_group_programs(
    offers: Iterable[ReleaseOffer],
    as_of: date,
    settings: OrgScreenSettings = DEFAULT_SETTINGS,
) -> list[Finding]:
    """``owbpa.hidden_group_program``: clustered release offers handled as individual ones.

    Within one org (the decisional unit), offers are taken in date order; an offer within
    ``group_program_window_days`` of a cluster's first offer joins it, otherwise it starts
    a new cluster. A cluster of two or more is a group program, and fires when a recipient
    aged 40+ got fewer than ``group_consideration_days`` to consider (or an unknown number).
    Offers after ``as_of`` are not yet made and are ignored. A recipient of unknown age is
    not counted as 40+: the finding rests on a protected recipient the data shows.

    Basis: 29 U.S.C. 626(f)(1)(F)(ii) and (H); 29 C.F.R. 1625.22(f).
    """
    made = sorted((o for o in offers if o.date <= as_of), key=lambda o: (o.org, o.date, o.case))
    findings = []
    for org, in_org in groupby(made, key=lambda o: o.org):
        for cluster in _clusters(list(in_org), settings.group_program_window_days):
            finding = _finding(org, cluster, settings)
            if finding is not None:
                findings.append(finding)
    return findings


def _clusters(offers: list[ReleaseOffer], window_days: int) -> list[list[ReleaseOffer]]:
    # Measured from the cluster's first offer, not chained offer to offer, so that a steady
    # trickle of offers is not read as one endless program.
    clusters: list[list[ReleaseOffer]] = []
    for offer in offers:
        if clusters and (offer.date - clusters[-1][0].date).days <= window_days:
            clusters[-1].append(offer)
        else:
            clusters.append([offer])
    return [cluster for cluster in clusters if len(cluster) >= 2]


def _finding(org: str, cluster: list[ReleaseOffer], settings: OrgScreenSettings) -> Finding | None:
    protected = [o for o in cluster if o.age_40_plus]
    needed = settings.group_consideration_days
    short = [o for o in protected if o.consideration_days is None or o.consideration_days < needed]
    if not short:
        return None
    known = [o.consideration_days for o in protected if o.consideration_days is not None]
    # An unknown period is the worst case: it cannot be shown to have been 45 days.
    shortest = None if len(known) < len(protected) else min(known)
    first, last = cluster[0].date, cluster[-1].date
    given = "an unknown number of" if shortest is None else f"as few as {shortest}"
    return Finding(
        code="owbpa.hidden_group_program",
        severity="high",
        date=last,
        message=f"In {org}, {len(cluster)} release offers were made between "
        f"{first.isoformat()} and {last.isoformat()}, within {settings.group_program_window_days}"
        f" days, which makes them a group program; {len(short)} of the "
        f"{len(protected)} recipients aged {settings.release_age} or over got {given} days "
        f"to consider instead of {needed}, so the offers were handled as individual ones.",
        evidence={
            "org": org,
            "offers": len(cluster),
            "first": first,
            "last": last,
            "cases": [o.case for o in cluster],
            "shortest_consideration_days": shortest,
            "recipients_40_plus": len(protected),
        },
        basis=_BASIS,
    )
