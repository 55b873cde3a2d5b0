"""How dates and money read to a person, the same on the command line and the web."""

from __future__ import annotations

from datetime import date


def days_left(when: date, today: date) -> str:
    """``in 12 days``, ``today`` or ``3 days ago``, counted from ``today``."""
    days = (when - today).days
    if days == 0:
        return "today"
    unit = "day" if abs(days) == 1 else "days"
    return f"in {days} {unit}" if days > 0 else f"{-days} {unit} ago"


def money(amount: float | None, currency: str) -> str:
    """``30,000.00 USD``; a dash for no amount."""
    return "—" if amount is None else f"{amount:,.2f} {currency}"
