"""Calendar arithmetic the rules share: ages, calendar months and US business days."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from functools import cache
from importlib import resources

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_iso_date(text: str) -> date:
    """Parse a strict ``YYYY-MM-DD`` calendar date; raise ValueError otherwise."""
    if not _ISO_DATE.fullmatch(text):
        raise ValueError(text)
    return date.fromisoformat(text)


def whole_years_between(start: date, end: date) -> int:
    """Count the whole years from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    if end < start:
        return -whole_years_between(end, start)
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def add_months(start: date, months: int) -> date:
    """Add calendar months, landing on the month's last day when it is shorter."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    first_of_next = date(year + month // 12, month % 12 + 1, 1)
    last_day = (first_of_next - timedelta(days=1)).day
    return date(year, month, min(start.day, last_day))


HOLIDAY_TABLE = "us-federal-holidays.json"


def observed_us_federal_holidays(year: int) -> frozenset[date]:
    """Observed US federal holidays of ``year``, as the holidays library computes them."""
    # Imported here: the holidays package loads every country it knows (~100 ms).
    from holidays.countries.united_states import UnitedStates  # noqa: PLC0415

    # Observed dates, as 5 U.S.C. 6103(b) moves a Saturday holiday to the Friday before
    # and a Sunday holiday to the Monday after; no state holidays.
    calendar = UnitedStates(years=year, observed=True)  # type: ignore[no-untyped-call]
    return frozenset(calendar.keys())


@cache
def _holiday_table() -> dict[int, frozenset[date]]:
    # The holidays library's own answers for the years most cases fall in, written out
    # by ``make holidays`` so the command line need not import it; a test keeps the two
    # equal, and years outside the table still ask the library.
    text = resources.files("fairpivot.domain").joinpath(HOLIDAY_TABLE).read_text()
    table: dict[int, set[date]] = {}
    data = json.loads(text)
    for year in range(data["first_year"], data["last_year"] + 1):
        table[year] = set()
    for day in map(date.fromisoformat, data["dates"]):
        table[day.year].add(day)
    return {year: frozenset(days) for year, days in table.items()}


@cache
def _us_federal_holidays(year: int) -> frozenset[date]:
    table = _holiday_table()
    return table[year] if year in table else observed_us_federal_holidays(year)


def is_us_business_day(day: date) -> bool:
    """Tell whether ``day`` is a weekday that is not an observed US federal holiday."""
    return day.weekday() < 5 and day not in _us_federal_holidays(day.year)


def add_us_business_days(start: date, days: int) -> date:
    """Count ``days`` US business days from the day after ``start``."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    counted = 0
    while counted < days:
        current += timedelta(days=1)
        if is_us_business_day(current):
            counted += 1
    return current
