"""The calendar helpers: strict ISO dates, whole years, calendar months, US business days."""

from __future__ import annotations

import json
from datetime import date, timedelta
from importlib import resources

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from tools.holiday_table import table

from fairpivot.domain.dates import (
    HOLIDAY_TABLE,
    add_months,
    add_us_business_days,
    is_us_business_day,
    parse_iso_date,
    whole_years_between,
)

# The holiday table is read on the first business-day call; no per-example deadline.
_PROPERTY = settings(deadline=None, max_examples=200)
_DAYS = st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 12, 31))


def test_it_parses_a_strict_iso_date() -> None:
    assert parse_iso_date("2025-02-28") == date(2025, 2, 28)


@pytest.mark.parametrize(
    "text",
    [
        "2025-1-01",  # month not zero-padded
        "2025-01-1",  # day not zero-padded
        "2025-13-01",  # no 13th month
        "2025-02-29",  # not a leap year
        "2025-04-31",  # April has 30 days
        "20250101",  # basic format, which date.fromisoformat accepts on 3.11+
        "2025-W01-1",  # ISO week date, also accepted by date.fromisoformat
        "2025-01-01T00:00",
        " 2025-01-01",
        "2025-01-01\n",
        "\uff12\uff10\uff12\uff15-01-01",  # full-width digits match \d but are not ISO
        "",
    ],
)
def test_it_rejects_anything_but_yyyy_mm_dd(text: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - ValueError is the documented contract
        parse_iso_date(text)


@pytest.mark.parametrize(
    ("start", "end", "years"),
    [
        ("1985-06-15", "2025-06-14", 39),  # the day before the birthday
        ("1985-06-15", "2025-06-15", 40),  # on the birthday
        ("1985-06-15", "2025-06-16", 40),
        ("1985-12-31", "2025-01-01", 39),
        ("2025-03-03", "2025-03-03", 0),
        ("2020-01-06", "2025-12-31", 5),  # the builders' tenure on their as_of
        ("2020-01-06", "2026-01-06", 6),
        # A 29 February birthday: a year is complete on 1 March in a common year and on
        # 29 February in a leap year (the calendar's reading; no statute is applied here).
        ("1984-02-29", "2024-02-28", 39),
        ("1984-02-29", "2024-02-29", 40),
        ("1985-02-28", "2024-02-29", 39),
        ("1984-02-29", "2025-02-28", 40),
        ("1984-02-29", "2025-03-01", 41),
        ("1984-02-29", "1985-02-28", 0),
        ("1984-02-29", "1985-03-01", 1),
    ],
)
def test_it_counts_whole_years_around_birthdays(start: str, end: str, years: int) -> None:
    assert whole_years_between(date.fromisoformat(start), date.fromisoformat(end)) == years


@pytest.mark.parametrize(
    ("start", "end", "years"),
    [
        ("2025-06-15", "1985-06-15", -40),
        ("2025-06-14", "1985-06-15", -39),
    ],
)
def test_it_counts_negative_whole_years_when_the_end_is_earlier(
    start: str, end: str, years: int
) -> None:
    assert whole_years_between(date.fromisoformat(start), date.fromisoformat(end)) == years


@given(_DAYS, _DAYS)
@_PROPERTY
def test_it_counts_the_anniversaries_passed(start: date, end: date) -> None:
    assume(end >= start and (start.month, start.day) != (2, 29))
    years = whole_years_between(start, end)
    assert start.replace(year=start.year + years) <= end
    assert end < start.replace(year=start.year + years + 1)


@given(_DAYS, _DAYS)
@_PROPERTY
def test_it_counts_backwards_as_the_negative_of_forwards(start: date, end: date) -> None:
    assert whole_years_between(end, start) == -whole_years_between(start, end)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2025-08-31", 6, "2026-02-28"),
        ("2023-08-31", 6, "2024-02-29"),
        ("2025-03-20", 6, "2025-09-20"),
        ("2025-01-31", 1, "2025-02-28"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2025-05-31", 1, "2025-06-30"),
        ("2025-07-15", 6, "2026-01-15"),
        ("2025-12-31", 2, "2026-02-28"),
        ("2025-03-31", -1, "2025-02-28"),
        ("2025-01-31", -2, "2024-11-30"),
        ("2025-06-30", 0, "2025-06-30"),
        ("2025-05-31", 7, "2025-12-31"),  # lands in December
        ("2025-06-30", 6, "2025-12-30"),
        ("2025-12-31", -1, "2025-11-30"),
        ("2025-01-31", 25, "2027-02-28"),
    ],
)
def test_it_adds_calendar_months_clamping_to_the_last_day(
    start: str, months: int, expected: str
) -> None:
    assert add_months(date.fromisoformat(start), months) == date.fromisoformat(expected)


@given(_DAYS, st.integers(min_value=-120, max_value=120))
@_PROPERTY
def test_it_lands_in_the_month_asked_for(start: date, months: int) -> None:
    landed = add_months(start, months)
    assert (landed.year * 12 + landed.month) - (start.year * 12 + start.month) == months
    assert landed.day == start.day or (landed.day < start.day and (landed + timedelta(1)).day == 1)


@pytest.mark.parametrize(
    "start",
    ["2025-07-15", "2025-07-19", "2025-11-27", "2026-07-03"],  # a weekday, a Saturday, holidays
)
def test_it_adds_zero_business_days_as_the_same_day(start: str) -> None:
    assert add_us_business_days(date.fromisoformat(start), 0) == date.fromisoformat(start)


def test_it_refuses_a_negative_count_of_business_days() -> None:
    with pytest.raises(ValueError, match="must not be negative"):
        add_us_business_days(date(2025, 7, 15), -1)


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        ("2025-07-15", 3, "2025-07-18"),  # Tuesday to Friday
        ("2025-07-17", 3, "2025-07-22"),  # over a weekend
        ("2025-07-19", 1, "2025-07-21"),  # counted from the day after a Saturday
        ("2025-11-25", 3, "2025-12-01"),  # Thanksgiving (Thu 27th); the Friday after counts
        ("2025-12-23", 3, "2025-12-29"),  # Christmas (Thu 25th)
        ("2026-07-01", 3, "2026-07-07"),  # 4 July 2026 is a Saturday, observed Fri 3 July
        ("2025-06-17", 3, "2025-06-23"),  # Juneteenth (Thu 19th)
        ("2021-06-16", 2, "2021-06-21"),  # Juneteenth 2021 (a Saturday) observed Fri 18th
        ("2021-12-29", 2, "2022-01-03"),  # 1 Jan 2022 (a Saturday) observed Fri 31 Dec 2021
        ("2022-12-22", 2, "2022-12-27"),  # Christmas 2022 (a Sunday) observed Mon 26th
        ("2025-01-17", 1, "2025-01-21"),  # Martin Luther King Jr. Day (Mon 20th)
    ],
)
def test_it_adds_us_business_days_skipping_weekends_and_observed_holidays(
    start: str, days: int, expected: str
) -> None:
    assert add_us_business_days(date.fromisoformat(start), days) == date.fromisoformat(expected)


@pytest.mark.parametrize(
    ("day", "business"),
    [
        ("2025-07-15", True),
        ("2025-07-19", False),  # Saturday
        ("2025-07-20", False),  # Sunday
        ("2025-07-04", False),  # Independence Day
        ("2026-07-03", False),  # Independence Day 2026, observed on the Friday
        ("2025-11-28", True),  # the day after Thanksgiving is not a federal holiday
        ("2025-12-24", True),  # nor is Christmas Eve under 5 U.S.C. 6103
        ("2020-06-19", True),  # Juneteenth became a federal holiday in 2021
    ],
)
def test_it_tells_us_business_days(day: str, business: bool) -> None:
    assert is_us_business_day(date.fromisoformat(day)) is business


@given(_DAYS, st.integers(min_value=1, max_value=40))
@_PROPERTY
def test_it_ends_on_the_nth_business_day_after_the_start(start: date, days: int) -> None:
    end = add_us_business_days(start, days)
    assert end is not None
    assert is_us_business_day(end)
    between = [start + timedelta(n) for n in range(1, (end - start).days + 1)]
    assert sum(is_us_business_day(day) for day in between) == days


def test_it_reads_the_same_holidays_from_its_table_as_the_library_gives() -> None:
    shipped = json.loads(resources.files("fairpivot.domain").joinpath(HOLIDAY_TABLE).read_text())
    assert shipped == table(shipped["first_year"], shipped["last_year"]), (
        "the holidays library changed its answers: run `make holidays`"
    )


def test_it_asks_the_library_for_years_beyond_the_table() -> None:
    # 2050-06-20 is the Monday after Juneteenth falls on a Sunday.
    assert not is_us_business_day(date(2050, 6, 20))
    assert is_us_business_day(date(2050, 6, 21))
