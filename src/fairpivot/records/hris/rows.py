"""The HRIS export's files, their columns and the checks on each row (docs/hris.md).

Pure: no Django, no database. The checks are built to be cheap, because an export can
hold millions of rows: a precompiled pattern or a set lookup per cell, and the slow path
that names every problem in a row runs only for rows that have one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

Row = tuple[Any, ...]  # (line, value, value, ...): one good row, its cells checked
Check = Callable[[str], object]

# The policy's lowest rating; OrgHeadcount.low_rated counts people whose latest it is.
LOWEST_RATING = "LE"
RATINGS = frozenset({"TT", "HV1", "HV2", "HV3", LOWEST_RATING})
SEXES = frozenset({"female", "male", "nonbinary", "undisclosed"})
RACES = frozenset(
    {
        "hispanic_latino",
        "white",
        "black",
        "asian",
        "native_hawaiian_pacific_islander",
        "american_indian_alaska_native",
        "two_or_more",
        "undisclosed",
    }
)
# USPS codes of the states, DC, and the inhabited territories (and the minor islands).
_STATE_CODES = (
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH "
    "NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC AS GU MP PR VI UM"
)
WORK_STATES = frozenset(_STATE_CODES.split())
MAX_SHARES = 2_147_483_647  # the vests.shares column is a 32-bit integer on PostgreSQL

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WHOLE = re.compile(r"\d{1,10}")
_YEAR = re.compile(r"\d{4}")


class Bad(Exception):
    """A cell that fails its column's check; ``what`` says why."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def shown(value: str) -> str:
    """A cell as a problem line quotes it: repr (so a newline stays on one line), cut short."""
    return repr(value if len(value) <= 60 else value[:60] + "…")


def problem(name: str, line: int, column: str, what: str, value: str) -> str:
    """One problem line: ``FILE:LINE: COLUMN: what is wrong (got 'VALUE')``."""
    return f"{name}:{line}: {column}: {what} (got {shown(value)})"


def text(limit: int, *, required: bool) -> Check:
    """Text up to ``limit`` characters; blank is allowed unless required."""

    def check(value: str) -> str:
        if len(value) > limit:
            raise Bad(f"longer than {limit} characters")
        if required and not value:
            raise Bad("blank, but required")
        return value

    return check


def optional_id(value: str) -> str | None:
    """Another person's employee id, or None when blank."""
    if len(value) > 64:
        raise Bad("longer than 64 characters")
    return value or None


def org_path(value: str) -> str:
    """An org path: ``/``-separated names, none of them blank."""
    if not value:
        raise Bad("blank, but required")
    if len(value) > 300:
        raise Bad("longer than 300 characters")
    if value[0] == "/" or value[-1] == "/" or "//" in value:
        raise Bad("not an org path like Retail/Ops/Planning")
    return value


# Dates already found good. An export repeats a few thousand dates millions of times, and
# a set lookup is several times cheaper than parsing; the cap bounds a pathological file.
_GOOD_DATES: set[str] = set()


def iso_date(value: str) -> str:
    """A ``YYYY-MM-DD`` calendar date, kept as its text (which sorts as the date does)."""
    if value in _GOOD_DATES:
        return value
    if not _DATE.fullmatch(value):
        raise Bad("not a date YYYY-MM-DD")
    try:
        date.fromisoformat(value)
    except ValueError:
        raise Bad("not a date YYYY-MM-DD") from None
    if len(_GOOD_DATES) < 200_000:
        _GOOD_DATES.add(value)
    return value


def optional_date(value: str) -> str | None:
    """A date, or None when blank."""
    return iso_date(value) if value else None


def one_of(choices: frozenset[str], what: str) -> Check:
    """One of a fixed set of codes."""

    def check(value: str) -> str:
        if value not in choices:
            raise Bad(what)
        return value

    return check


def shares(value: str) -> int:
    """A whole number of shares above 0."""
    if not _WHOLE.fullmatch(value) or not 0 < int(value) <= MAX_SHARES:
        raise Bad("not a whole number above 0")
    return int(value)


def year(value: str) -> int:
    """A four-digit year."""
    if not _YEAR.fullmatch(value):
        raise Bad("not a four-digit year")
    return int(value)


def fraction(value: str) -> float:
    """A fraction from 0 to 1 (NaN and infinities fail the range check)."""
    try:
        number = float(value)
    except ValueError:
        raise Bad("not a number from 0 to 1") from None
    if not 0 <= number <= 1:
        raise Bad("not a fraction from 0 to 1")
    return number


@dataclass(frozen=True)
class Column:
    """One column of a file: its name, whether the header must have it, its check."""

    name: str
    required: bool
    check: Check


# A check across a row's cells: (column, what, value) for each problem, given the values
# (None for a cell that failed its own check).
RowCheck = Callable[[Sequence[object]], list[tuple[str, str, str]]]


@dataclass(frozen=True)
class FileSpec:
    """One file of the export and its columns, in the order its rows are staged."""

    name: str
    columns: tuple[Column, ...]
    row_check: RowCheck | None = None

    @property
    def column_names(self) -> tuple[str, ...]:
        """The columns' names, in staging order."""
        return tuple(c.name for c in self.columns)


def _employee_row(values: Sequence[object]) -> list[tuple[str, str, str]]:
    employee_id, manager, hire, exit_ = values[0], values[5], values[7], values[8]
    found = []
    if manager is not None and manager == employee_id:
        found.append(("manager_id", "the person themself", str(manager)))
    if exit_ is not None and hire is not None and str(exit_) < str(hire):
        found.append(("exit_date", f"before hire_date {hire}", str(exit_)))
    return found


def _required_id() -> Column:
    return Column("employee_id", True, text(64, required=True))


EMPLOYEES = FileSpec(
    "employees.csv",
    (
        _required_id(),
        Column("name", True, text(200, required=True)),
        Column("title", False, text(200, required=False)),
        Column("level", False, text(32, required=False)),
        Column("org", True, org_path),
        Column("manager_id", False, optional_id),
        Column("work_state", True, one_of(WORK_STATES, "not a US state or territory code")),
        Column("hire_date", True, iso_date),
        Column("exit_date", False, optional_date),
    ),
    _employee_row,
)
RATINGS_FILE = FileSpec(
    "ratings.csv",
    (
        _required_id(),
        Column("date", True, iso_date),
        Column("value", True, one_of(RATINGS, "not one of TT, HV1, HV2, HV3, LE")),
    ),
)
PROMOTIONS = FileSpec(
    "promotions.csv",
    (
        _required_id(),
        Column("date", True, iso_date),
        Column("level", True, text(32, required=True)),
    ),
)
VESTS = FileSpec(
    "vests.csv",
    (
        _required_id(),
        Column("grant_id", True, text(64, required=True)),
        Column("date", True, iso_date),
        Column("shares", True, shares),
    ),
)
DEMOGRAPHICS = FileSpec(
    "demographics.csv",
    (
        _required_id(),
        Column("birth_date", False, optional_date),
        Column("sex", True, one_of(SEXES, "not one of " + ", ".join(sorted(SEXES)))),
        Column("race_ethnicity", True, one_of(RACES, "not an EEO-1 category in docs/hris.md")),
    ),
)
TARGETS = FileSpec(
    "targets.csv",
    (
        Column("org", True, org_path),
        Column("year", True, year),
        Column("ura_target", True, fraction),
    ),
)
FILES = (EMPLOYEES, RATINGS_FILE, PROMOTIONS, VESTS, DEMOGRAPHICS, TARGETS)
FILE_ORDER = {spec.name: index for index, spec in enumerate(FILES)}


def forty_years_before(day: date) -> date:
    """The latest birth date of someone aged 40 or more on ``day`` (29 February: the 28th)."""
    try:
        return day.replace(year=day.year - 40)
    except ValueError:
        return day.replace(year=day.year - 40, day=28)
