"""``fairpivot generate``: write a synthetic org (HRIS CSVs, case files, patterns.json)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fairpivot.domain.dates import parse_iso_date
from fairpivot.domain.errors import InvalidInput


def add_commands(commands: Any) -> None:
    """Register ``generate`` on the main parser."""
    parser = commands.add_parser(
        "generate",
        help="write a synthetic org: HRIS CSVs, case files and the patterns injected",
        description="Write a synthetic org to DIR: the HRIS CSVs of docs/hris.md, "
        "case files under DIR/cases/, and DIR/patterns.json listing the injected patterns "
        "with the finding code each should raise. The same seed and date give the same files.",
    )
    # Numbers and dates are read here rather than by argparse, so a bad one is one line.
    parser.add_argument("--employees", required=True, metavar="N", help="people (10 to 5000000)")
    parser.add_argument("--seed", required=True, metavar="S", help="the random seed (an integer)")
    parser.add_argument(
        "--out", required=True, type=Path, metavar="DIR", help="a new or empty folder"
    )
    parser.add_argument(
        "--as-of", metavar="DATE", help="the day the org is seen on (YYYY-MM-DD; default today)"
    )
    parser.add_argument(
        "--plant",
        default="all",
        metavar="WHICH",
        help="all: plant every known pattern (default); none: the same org with none at all",
    )


def _integer(flag: str, text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise InvalidInput([f"{flag}: not a whole number (got {text!r})"]) from None


def _as_of(text: str | None) -> date:
    if text is None:
        # The clock at the edge: the generator itself takes the date as an argument.
        return datetime.now(UTC).date()
    try:
        return parse_iso_date(text)
    except ValueError:
        raise InvalidInput([f"--as-of: not a date (got {text!r}; use YYYY-MM-DD)"]) from None


def run(args: argparse.Namespace) -> int:
    """Run ``generate``: check the arguments, write the org, print a one-line summary."""
    from fairpivot.synth import check_arguments, generate_org  # noqa: PLC0415

    employees = _integer("--employees", args.employees)
    seed = _integer("--seed", args.seed)
    as_of = _as_of(args.as_of)
    check_arguments(args.out, employees, args.plant)
    summary = generate_org(args.out, employees, seed, as_of, args.plant)
    print(summary.line(), file=sys.stderr)
    return 0
