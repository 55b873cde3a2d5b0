"""Argument types shared by the sub-commands (their parsers live with each command)."""

from __future__ import annotations

import argparse
from datetime import date

from fairpivot.domain.dates import parse_iso_date


def date_argument(text: str) -> date:
    """A ``YYYY-MM-DD`` argument, or argparse's usage error naming what was typed."""
    try:
        return parse_iso_date(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (got {text!r}; use YYYY-MM-DD)") from None


def workers_argument(text: str) -> int:
    """A ``--workers`` count, 1 to 64, or argparse's usage error naming what was typed."""
    if not text.isascii() or not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"a whole number of processes, 1 to 64 (got {text!r})")
    return int(text)
