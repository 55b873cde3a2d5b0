"""``fairpivot hris-import DIR [--skip-bad]``: load an HRIS export (docs/hris.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

EXIT_OK = 0


def add_commands(commands: Any) -> None:
    """Register ``hris-import`` on the main parser."""
    parser = commands.add_parser(
        "hris-import", help="load an HRIS export: a folder of CSV files (docs/hris.md)"
    )
    parser.add_argument("directory", type=Path, metavar="DIR", help="the export's folder")
    parser.add_argument(
        "--skip-bad",
        action="store_true",
        help="leave out the bad rows and the rows that refer to them; load the rest",
    )


def run(args: argparse.Namespace) -> int:
    """Run ``hris-import``: bad input raises InvalidInput, which main prints (exit 2)."""
    from fairpivot.config.bootstrap import setup_django  # noqa: PLC0415

    setup_django()
    from fairpivot.records import schema  # noqa: PLC0415
    from fairpivot.records.clock import SYSTEM_CLOCK, today  # noqa: PLC0415
    from fairpivot.records.hris import importing  # noqa: PLC0415

    importing.check_directory(args.directory)  # before a database is set up for nothing
    schema.ensure_schema()
    report = importing.import_hris(
        args.directory,
        skip_bad=args.skip_bad,
        today=today(SYSTEM_CLOCK),
        progress=sys.stderr.isatty(),
    )
    for line in importing.printable(report.problems, report.problem_count):
        print(f"fairpivot: warning: {line}", file=sys.stderr)
    print(f"fairpivot: hris-import {report.summary()}", flush=True)
    return EXIT_OK
