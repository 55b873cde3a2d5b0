"""What the org analytics are asked for, checked once for the page and the API alike.

A request names an org (a path such as ``Sales/Southeast``; empty for the whole company),
a demographic dimension and the day to count back from. Each bad value is one problem
naming its field; who may see which org is ``access.may_view_analytics``'s to say.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Max

from fairpivot.domain.errors import FairpivotError
from fairpivot.records import analytics
from fairpivot.records.models import OrgFinding, OrgHeadcount, OrgTarget

# Far enough either way for any record, near enough that a year back and eight quarters
# back are still dates.
EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)
MAX_ORG = 300  # the org columns' length
QUARTERS = 8
MANAGERS = 20
MAX_CHOICES = 2000  # orgs offered in the form's list; any other can still be typed
SEVERITY_ORDER = {"high": 0, "medium": 1, "low": 2, "info": 3}


class BadQuery(FairpivotError):
    """Parameters the analytics cannot be asked with: one problem per field."""

    def __init__(self, problems: tuple[str, ...]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True, slots=True)
class Asked:
    """The parameters as read: ``org`` None when not given, defaults where a value was bad."""

    org: str | None
    dimension: str
    as_of: date
    problems: tuple[str, ...]


def read(params: Mapping[str, str | None], today: date) -> Asked:
    """Read ``org``, ``dimension`` and ``as_of`` from query parameters, naming each problem."""
    problems: list[str] = []
    org = params.get("org")
    if org is not None:
        org = org.strip().strip("/")
        if len(org) > MAX_ORG or any(not ch.isprintable() for ch in org):
            problems.append(f"org: an org path of printable characters, at most {MAX_ORG} long")
            org = None
    dimension = params.get("dimension") or "sex"
    if dimension not in analytics.DIMENSIONS:
        problems.append(f"dimension: one of {', '.join(analytics.DIMENSIONS)}")
        dimension = "sex"
    as_of = today
    raw = (params.get("as_of") or "").strip()
    if raw:
        try:
            as_of = date.fromisoformat(raw)
        except ValueError:
            problems.append("as_of: a date as YYYY-MM-DD")
        if not EARLIEST <= as_of <= LATEST:
            problems.append(f"as_of: a date from {EARLIEST} to {LATEST}")
            as_of = today
    return Asked(org, dimension, as_of, tuple(problems))


def org_choices(allowed: Callable[[str], bool]) -> list[str]:
    """The orgs and their parents, from the headcount table, that ``allowed`` lets through."""
    paths = OrgHeadcount.objects.filter(dimension="all").values_list("org", flat=True)
    found: set[str] = set()
    for path in paths.distinct()[:MAX_CHOICES]:
        parts = path.split("/")
        found |= {"/".join(parts[:depth]) for depth in range(1, len(parts) + 1)}
    return sorted(org for org in found if org and allowed(org))


def target_of(org: str, year: int) -> float | None:
    """The org's URA target for ``year``: its own, else its nearest parent's."""
    targets = dict(OrgTarget.objects.filter(year=year).values_list("org", "ura_target"))
    parts = org.split("/")
    for depth in range(len(parts), 0, -1):
        found = targets.get("/".join(parts[:depth]))
        if found is not None:
            return found
    return None


def findings_within(org: str) -> list[OrgFinding]:
    """The stored org-level findings in ``org`` or below it, most severe and newest first."""
    rows = list(OrgFinding.objects.filter(analytics.within("org", org)))
    rows.sort(key=lambda f: (f.date.toordinal() * -1, f.code, f.pk))
    rows.sort(key=lambda f: SEVERITY_ORDER.get(f.severity, len(SEVERITY_ORDER)))
    return rows


@dataclass(frozen=True, slots=True)
class CodeCount:
    """How many findings of one code, and how many of them at each severity."""

    code: str
    total: int
    high: int
    medium: int


def finding_counts(findings: list[OrgFinding]) -> list[CodeCount]:
    """A count per code, the codes with the most high findings first."""
    codes: dict[str, list[str]] = {}
    for finding in findings:
        codes.setdefault(finding.code, []).append(finding.severity)
    counts = [
        CodeCount(code, len(levels), levels.count("high"), levels.count("medium"))
        for code, levels in codes.items()
    ]
    return sorted(counts, key=lambda c: (-c.high, -c.total, c.code))


def last_screened() -> datetime | None:
    """When the last screen stored org-level findings (None when none are stored)."""
    moment: datetime | None = OrgFinding.objects.aggregate(at=Max("screened_at"))["at"]
    return moment


def quarter_name(start: date) -> str:
    """``2025 Q3``."""
    return f"{start.year} Q{(start.month - 1) // 3 + 1}"


def percent(value: float | None) -> str:
    """``12.5%``, one decimal; a dash for no value."""
    return "—" if value is None else f"{value * 100:.1f}%"


def ratio(value: float | None) -> str:
    """``0.67``; ``n/a`` for no value (a ratio with nothing to divide by)."""
    return "n/a" if value is None else f"{value:.2f}"


def p_value(value: float | None) -> str:
    """Three significant figures, so that a tiny p does not read as 0."""
    if value is None:
        return "—"
    # Past a float's range the exact tail underflows: it is smaller than any figure shown.
    return "< 1e-300" if value == 0 else f"{value:.3g}"
