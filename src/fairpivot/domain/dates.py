"""Calendar arithmetic the rules share: ages, calendar months and US business days."""

from __future__ import annotations

import calendar
import json
import re
from datetime import MAXYEAR, MINYEAR, date, timedelta
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
    """Add calendar months, landing on the month's last day when it is shorter.

    Raise OverflowError past 9999-12-31 (``months_later`` answers None instead).
    """
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    if not MINYEAR <= year <= MAXYEAR:
        raise OverflowError(f"{year} is out of the calendar")
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(start.day, last_day))


def days_later(day: date, days: int) -> date | None:
    """``day`` moved by ``days`` calendar days, or None past the calendar (9999-12-31).

    review-v4.md item 14: a date the review would compute past 9999-12-31 is not listed,
    and no day count, however large, makes the review fail.
    """
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return None


def months_later(day: date, months: int) -> date | None:
    """``add_months``, or None past the calendar."""
    try:
        return add_months(day, months)
    except OverflowError:
        return None


def years_later(day: date, years: int) -> date | None:
    """``day`` moved by whole years, 29 February landing on 28 February; None past 9999."""
    return months_later(day, 12 * years)


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


# The holidays library computes the US calendar through 2100. Every federal holiday is a
# fixed date or a weekday rule, observed by the weekday it falls on (New Year's Day of the
# next year included), so a year has the holidays of any year that starts on the same
# weekday and has the same length: later years borrow them from one in this range.
_LIBRARY_LAST_YEAR = 2099
_BORROW_FROM = range(2022, _LIBRARY_LAST_YEAR + 1)


def _same_calendar_year(year: int) -> int:
    """A year the library knows with the same weekdays and length as ``year``."""
    weekday, leap = date(year, 1, 1).weekday(), calendar.isleap(year)
    return next(
        y for y in _BORROW_FROM if date(y, 1, 1).weekday() == weekday and calendar.isleap(y) == leap
    )


@cache
def _us_federal_holidays(year: int) -> frozenset[date]:
    table = _holiday_table()
    if year in table:
        return table[year]
    if year <= _LIBRARY_LAST_YEAR:
        return observed_us_federal_holidays(year)
    like = _same_calendar_year(year)
    return frozenset(day.replace(year=year) for day in _us_federal_holidays(like))


def is_us_business_day(day: date) -> bool:
    """Tell whether ``day`` is a weekday that is not an observed US federal holiday."""
    return day.weekday() < 5 and day not in _us_federal_holidays(day.year)


def add_us_business_days(start: date, days: int) -> date | None:
    """Count ``days`` US business days from the day after ``start``; None past 9999-12-31."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    counted = 0
    while counted < days:
        if current == date.max:
            return None
        current += timedelta(days=1)
        if is_us_business_day(current):
            counted += 1
    return current


# 400 Gregorian years are exactly 146,097 days (20,871 weeks): the same weekdays, and the
# same federal holidays, fall on the same dates of the calendar 400 years earlier.
_CYCLE_YEARS = 400


def us_business_days_within(start: date, days: int, enough: int) -> int:
    """The US business days from the day after ``start`` through ``start`` + ``days``.

    Counting stops at ``enough``. A period running past 9999-12-31 is counted on the
    calendar 400 years earlier (review-v4-readings.md 68).
    """
    if days_later(start, days) is None:
        start = start.replace(year=start.year - _CYCLE_YEARS)
    counted = 0
    current = start
    for _ in range(min(days, _MAX_SCAN)):
        if counted >= enough:
            break
        current += timedelta(days=1)
        counted += is_us_business_day(current)
    return counted


# Five business days never take more than 14 calendar days, so a scan this long is enough
# for any count the rules ask for.
_MAX_SCAN = 366
