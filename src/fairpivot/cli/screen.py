"""``fairpivot screen``: review the cases that need it as of today, then the org codes.

Meant to run daily: a case that changes is reviewed again at once by the change itself,
and the screen reviews the cases whose review has expired with the calendar (or whose
facts moved some other way); ``--all`` reviews every case.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from fairpivot.cli.arguments import date_argument, workers_argument

EXIT_OK = 0


def add_commands(commands: Any) -> None:
    """Register ``screen`` on the main parser."""
    screen = commands.add_parser(
        "screen",
        help="review the cases whose review expired or whose facts moved, as of a day, "
        "and the org-level codes",
    )
    screen.add_argument(
        "--as-of", type=date_argument, metavar="DATE", help="screen as of DATE (default: today)"
    )
    screen.add_argument(
        "--all",
        action="store_true",
        dest="every_case",
        help="review every case (after an upgrade of the rules or a policy)",
    )
    screen.add_argument(
        "--workers",
        type=workers_argument,
        default=os.cpu_count() or 1,
        metavar="N",
        help="review in N processes when there are many cases (default: one per CPU)",
    )


def run(args: argparse.Namespace) -> int:
    """Screen the record and print what was found."""
    from fairpivot.config.bootstrap import setup_django  # noqa: PLC0415

    setup_django()
    from fairpivot.records.clock import SYSTEM_CLOCK  # noqa: PLC0415
    from fairpivot.records.schema import ensure_schema  # noqa: PLC0415
    from fairpivot.records.screen.screening import screen  # noqa: PLC0415

    ensure_schema()
    as_of: date | None = args.as_of
    with _progress() as progress:
        report = screen(
            SYSTEM_CLOCK,
            as_of=as_of,
            every_case=args.every_case,
            workers=args.workers,
            progress=progress,
        )
    cases = report.cases
    rate = cases.cases / cases.seconds if cases.seconds else 0.0
    print(
        f"screened {cases.cases} case(s) as of {report.as_of.isoformat()}: "
        f"{cases.findings} finding(s), {report.org_findings} org-level finding(s); "
        f"{report.seconds:.1f} s ({rate:,.0f} cases/s)"
    )
    return EXIT_OK


@contextmanager
def _progress() -> Iterator[Callable[[int, int], None] | None]:
    """A rich progress bar on stderr when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console  # noqa: PLC0415
    from rich.progress import Progress  # noqa: PLC0415

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("screening cases", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)
