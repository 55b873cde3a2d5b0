"""Import an HRIS export (docs/hris.md): check every row, then load it all in one transaction.

The use case: read each file once, checking each row as it streams past and staging the
good ones in TEMP tables; check the references no single row can; then, if nothing is
wrong (or ``skip_bad`` says to leave the bad rows out), merge the staged rows into the
record, link the cases, and recount the headcounts, all in the same transaction.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from django.db import transaction

from fairpivot.domain.errors import InvalidInput
from fairpivot.records.hris import sql
from fairpivot.records.hris.reading import (
    Opener,
    People,
    ProblemLog,
    Tally,
    open_text,
    read_employees,
    read_referring,
)
from fairpivot.records.hris.rows import EMPLOYEES, FILES, TARGETS, Row, problem
from fairpivot.records.models import Employee
from fairpivot.records.screen.demographics import copy_demographics

if TYPE_CHECKING:
    from rich.progress import Progress

PRINTED = 50  # problem lines shown; the rest are counted
FILE_NAMES = tuple(spec.name for spec in FILES)


def printable(problems: Sequence[str], count: int) -> list[str]:
    """The first problem lines and, when there are more, how many more."""
    shown = list(problems[:PRINTED])
    if count > len(shown):
        shown.append(f"and {count - len(shown)} more problems")
    return shown


class BadHrisExport(InvalidInput):
    """An export with bad rows: ``problems`` to print (capped), ``all_problems`` as kept."""

    def __init__(self, problems: Sequence[str], count: int) -> None:
        super().__init__(printable(problems, count))
        self.all_problems = tuple(problems)
        self.count = count


@dataclass(frozen=True)
class FileReport:
    """What became of one file's rows."""

    name: str
    loaded: int
    skipped: int


@dataclass(frozen=True)
class HrisImportReport:
    """What an import loaded and left out, and how long it took."""

    files: tuple[FileReport, ...]
    problems: tuple[str, ...]  # why each skipped row was left out (the first 10,000)
    problem_count: int
    linked_cases: int
    seconds: float

    @property
    def skipped(self) -> int:
        """Rows left out, across the files."""
        return sum(f.skipped for f in self.files)

    def loaded(self, name: str) -> int:
        """Rows loaded from one file (0 when the export had no such file)."""
        return next((f.loaded for f in self.files if f.name == name), 0)

    def summary(self) -> str:
        """One line: rows loaded per file, rows skipped, cases linked, seconds."""
        loaded = ", ".join(f"{f.name} {f.loaded}" for f in self.files)
        return (
            f"loaded {loaded}; skipped {self.skipped} row(s); "
            f"linked {self.linked_cases} case(s); {self.seconds:.1f} s"
        )


def check_directory(directory: Path) -> list[str]:
    """The export's files present in ``directory``, in load order; refuse a folder that is off.

    A CSV file the spec does not name is refused, as an unknown column is: a misspelt
    ``rating.csv`` would otherwise be skipped without a word.
    """
    if not directory.is_dir():
        raise InvalidInput([f"{directory}: not a directory"])
    names = {p.name for p in directory.iterdir() if p.suffix.lower() == ".csv"}
    problems = []
    if EMPLOYEES.name not in names:
        problems.append(f"{EMPLOYEES.name}: missing; an HRIS export always has one")
    problems += [
        f"{name}: not a file of an HRIS export; they are {', '.join(FILE_NAMES)}"
        for name in sorted(names - set(FILE_NAMES))
    ]
    if problems:
        raise InvalidInput(problems)
    return [name for name in FILE_NAMES if name in names]


def import_hris(
    directory: Path, *, skip_bad: bool = False, today: date, progress: bool = False
) -> HrisImportReport:
    """Load an HRIS export; raise BadHrisExport (an InvalidInput) if a row is bad.

    With ``skip_bad`` the bad rows, and the rows that refer to a person left out, are
    left out and reported, and the rest is loaded. A missing file or a bad header is
    never skipped. ``today`` dates the ages in the headcounts.
    """
    started = time.perf_counter()
    present = check_directory(directory)
    log, people = ProblemLog(), People()
    with _progress(progress) as bar, transaction.atomic(), sql.roomy():
        sql.create_staging()
        last = sql.last_employee_id()
        tallies = _read(directory, present, log, people, bar, last=last, skip_bad=skip_bad)
        if not log.fatal:
            people.resolve(_in_record, log)
        if log.fatal or (log.count and not skip_bad):
            raise BadHrisExport(log.lines(), log.count)
        _leave_out(people.left_out, present, log)
        linked = _load(present, today, bar, in_record=last > 0)
        sql.drop_staging()
    files = tuple(
        FileReport(name, tallies[name].rows - log.bad_rows(name), log.bad_rows(name))
        for name in present
    )
    seconds = time.perf_counter() - started
    return HrisImportReport(files, tuple(log.lines()), log.count, linked, seconds)


def _read(
    directory: Path,
    present: list[str],
    log: ProblemLog,
    people: People,
    bar: Progress | None,
    *,
    last: int,
    skip_bad: bool,
) -> dict[str, Tally]:
    """Check every file, employees.csv first, staging the good rows as they come."""
    tallies: dict[str, Tally] = {}
    for spec in FILES:
        if spec.name not in present:
            continue
        tally = tallies[spec.name] = Tally()
        path, opener = directory / spec.name, _opener(bar, spec.name)
        if spec is EMPLOYEES:
            good = read_employees(path, log, tally, people, opener=opener)
        else:
            good = read_referring(path, spec, log, tally, people, opener=opener)
        columns = ["line", *spec.column_names]
        if spec is EMPLOYEES:  # numbered in file order, after the record's people
            columns.append("pk")
            good = _numbered(good, last)
        sql.stage(sql.staging(spec), columns, good if skip_bad else _while_good(good, log))
        if spec is EMPLOYEES:
            if log.fatal:
                break  # without its people, every other row would look like a stranger's
            sql.index_staged_people()
    return tallies


def _numbered(rows: Iterable[Row], last: int) -> Iterator[Row]:
    """Each row with an id for its person, counting on from ``last``."""
    for number, row in enumerate(rows, last + 1):
        yield (*row, number)


def _while_good(rows: Iterable[Row], log: ProblemLog) -> Iterator[Row]:
    """Rows until the first problem; after it, only read on, to report every problem."""
    for row in rows:
        if not log.count:
            yield row


def _in_record(idents: Iterable[str]) -> set[str]:
    """Which of these employee ids the record has."""
    wanted, found = list(idents), set[str]()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        found.update(
            Employee.objects.filter(employee_id__in=chunk).values_list("employee_id", flat=True)
        )
    return found


def _leave_out(left_out: set[str], present: list[str], log: ProblemLog) -> None:
    """Stage who is left out, with everyone under them, and report each row that goes too."""
    if not left_out:
        return
    sql.stage(sql.LEFT_OUT, ["employee_id"], ((ident,) for ident in left_out))
    gone = sql.cascade_left_out()
    sql.stage(sql.LEFT_OUT, ["employee_id"], ((ident,) for ident in gone - left_out))
    for spec in FILES:
        if spec.name not in present or spec is TARGETS:
            continue
        bad = set(log.bad_lines.get(spec.name, ()))
        for line, ident, manager in sql.left_out_rows(spec):
            if line in bad:
                continue  # reported already
            if manager is not None and manager in gone:
                column, what, value = "manager_id", "left out with the manager", manager
            elif spec is EMPLOYEES:
                column, what, value = "employee_id", "left out with this person's bad row", ident
            else:
                column, what, value = "employee_id", "left out with the person", ident
            log.add(spec.name, line, problem(spec.name, line, column, what, value))


def _load(present: list[str], today: date, bar: Progress | None, *, in_record: bool) -> int:
    """Merge the staged rows into the record, link cases, recount; return cases linked."""
    steps = [name for name in FILE_NAMES if name in present]
    task = bar.add_task("loading", total=len(steps) + 2) if bar is not None else None
    if in_record:
        sql.keep_record_ids()
    for step in steps:
        sql.merge(step, first_load=not in_record)
        if step == EMPLOYEES.name:
            sql.after_people()
        if bar is not None and task is not None:
            bar.advance(task)
    linked = sql.execute(sql.LINK_CASES)
    sql.rebuild_headcounts(today)
    copy_demographics()  # new demographics, and the people of cases linked just now
    if bar is not None and task is not None:
        bar.advance(task, 2)
    return linked


def _opener(bar: Progress | None, name: str) -> Opener:
    """How to open a file: plainly, or through the progress bar, which counts its bytes."""
    if bar is None:
        return open_text

    def opener(path: Path) -> TextIO:
        return bar.open(path, "r", encoding="utf-8-sig", newline="", description=f"checking {name}")

    return opener


@contextmanager
def _progress(enabled: bool) -> Iterator[Progress | None]:
    """A progress bar on standard error, or None."""
    if not enabled:
        yield None
        return
    from rich.console import Console  # noqa: PLC0415
    from rich.progress import (  # noqa: PLC0415
        BarColumn,
        Progress,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn())
    with Progress(*columns, TimeElapsedColumn(), console=Console(stderr=True)) as bar:
        yield bar
