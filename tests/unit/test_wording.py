"""Dates and money read the same to a person on the command line and on the web."""

from __future__ import annotations

from datetime import date

import pytest

from fairpivot.domain.wording import days_left, money

TODAY = date(2025, 6, 10)


@pytest.mark.parametrize(
    ("when", "words"),
    [
        (date(2025, 6, 8), "2 days ago"),
        (date(2025, 6, 9), "1 day ago"),
        (date(2025, 6, 10), "today"),
        (date(2025, 6, 11), "in 1 day"),
        (date(2025, 6, 22), "in 12 days"),
    ],
)
def test_it_counts_days_left_from_today(when: date, words: str) -> None:
    assert days_left(when, TODAY) == words


def test_it_writes_money_with_its_currency_and_a_dash_for_none() -> None:
    assert money(30000, "USD") == "30,000.00 USD"
    assert money(0.5, "EUR") == "0.50 EUR"
    assert money(None, "USD") == "—"
