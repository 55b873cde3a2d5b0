"""The review for a person: stage, findings by severity, deadlines, options side by side."""

from __future__ import annotations

from datetime import date

from rich.console import Console
from rich.table import Table
from rich.text import Text

from fairpivot.domain.casefile import CaseFile
from fairpivot.domain.review.model import SEVERITIES, Deadline, Option, Review
from fairpivot.domain.wording import days_left, money

_STYLE = {"high": "bold red", "medium": "yellow", "low": "cyan", "info": "dim"}


def render_review(result: Review, file: CaseFile, console: Console | None = None) -> None:
    """Print the review for a person; colour only when writing to a terminal."""
    out = console or Console(highlight=False)
    employee = file.employee
    out.print(
        Text.assemble(
            (f"{employee.name} ({result.case})", "bold"),
            f" · policy {result.policy} · as of {result.as_of.isoformat()}",
        )
    )
    out.print(Text.assemble("Stage: ", (result.stage, "bold")))
    _findings(out, result)
    _deadlines(out, result)
    _options(out, result)
    _settled(out, result)
    out.print()
    out.print(Text(result.notice, style="italic"), soft_wrap=True)


def _findings(out: Console, result: Review) -> None:
    out.print()
    if not result.findings:
        out.print("Findings: none")
        return
    counts = [
        f"{sum(f.severity == s for f in result.findings)} {s}"
        for s in SEVERITIES
        if any(f.severity == s for f in result.findings)
    ]
    out.print(Text(f"Findings ({len(result.findings)}): {', '.join(counts)}", style="bold"))
    for severity in SEVERITIES:
        group = [f for f in result.findings if f.severity == severity]
        if not group:
            continue
        out.print()
        table = Table.grid(padding=(0, 2), pad_edge=True)
        table.title = Text(severity.upper(), style=_STYLE[severity])
        table.title_justify = "left"
        table.add_column(no_wrap=True)
        table.add_column()
        for finding in group:
            table.add_row(
                finding.date.isoformat(),
                Text.assemble(
                    (finding.code, "bold"),
                    "\n",
                    finding.message,
                    "\n",
                    (f"Basis: {finding.basis}", "dim"),
                ),
            )
        out.print(table)


def _deadlines(out: Console, result: Review) -> None:
    out.print()
    if not result.open_deadlines:
        out.print("Deadlines: none")
        return
    _deadline_table(out, "Deadlines", result.open_deadlines, result.as_of)


def _settled(out: Console, result: Review) -> None:
    """Deadlines whose decision was made: kept apart, for the timeline (reading 63)."""
    if not result.settled_deadlines:
        return
    out.print()
    _deadline_table(
        out, "Settled deadlines, for the timeline", result.settled_deadlines, result.as_of
    )


def _deadline_table(out: Console, title: str, deadlines: tuple[Deadline, ...], as_of: date) -> None:
    table = Table.grid(padding=(0, 2), pad_edge=True)
    table.title, table.title_justify = Text(title, style="bold"), "left"
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column()
    for deadline in deadlines:
        left = days_left(deadline.date, as_of)
        table.add_row(
            deadline.date.isoformat(),
            Text(
                f"passed {left}" if deadline.passed else left,
                style="dim" if deadline.passed else "bold",
            ),
            Text.assemble((deadline.code, "bold"), "\n", (deadline.basis, "dim")),
        )
    out.print(table)


def _options(out: Console, result: Review) -> None:
    if not result.options:
        return
    out.print()
    table = Table(title="Options", title_justify="left", show_edge=False)
    table.add_column("")
    for option in result.options:
        heading = option.option if option.tier is None else f"{option.option} (tier {option.tier})"
        table.add_column(heading, justify="right")
    rows: list[tuple[str, list[str]]] = [
        ("Cash", [money(o.cash, result.currency) for o in result.options]),
        (
            "Equity and bonuses lost",
            [money(o.equity_forfeited, result.currency) for o in result.options],
        ),
        ("Decide by", [_decide_by(o, result.as_of) for o in result.options]),
        ("Release of claims", [_yes_no(o.release_required) for o in result.options]),
        ("Can be rehired", [_yes_no(o.rehire_eligible) for o in result.options]),
    ]
    for label, cells in rows:
        table.add_row(label, *cells)
    out.print(table)


def _decide_by(option: Option, as_of: date) -> str:
    if option.decide_by is None:
        return "no date set"
    return f"{option.decide_by.isoformat()} ({days_left(option.decide_by, as_of)})"


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"
