"""Reading an HRIS export's files: good rows out, every problem logged (docs/hris.md).

Pure: no Django, no database. Rows are streamed, never all held: the import stages them
as they come, and only the ids of the people in employees.csv are kept, to check that
every other row refers to someone.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from fairpivot.records.hris.rows import (
    DEMOGRAPHICS,
    EMPLOYEES,
    FILE_ORDER,
    TARGETS,
    Bad,
    Check,
    FileSpec,
    Row,
    problem,
)


@dataclass
class ProblemLog:
    """Every problem found, in file and line order, and which lines of each file have one.

    Keeps the text of the first ``keep`` problems and counts the rest, so an export that
    is wrong on every one of its millions of rows does not fill the memory with messages.
    """

    keep: int = 10_000
    count: int = 0
    fatal: bool = False  # a problem --skip-bad cannot skip: a missing file, a bad header
    bad_lines: dict[str, set[int]] = field(default_factory=dict)
    _found: list[tuple[int, int, str]] = field(default_factory=list)

    def add(self, name: str, line: int, message: str, *, fatal: bool = False) -> None:
        """Record one problem on a line of a file (line 0: the file as a whole)."""
        self.count += 1
        self.fatal = self.fatal or fatal
        self.bad_lines.setdefault(name, set()).add(line)
        if len(self._found) < self.keep:
            self._found.append((FILE_ORDER.get(name, -1), line, message))

    def lines(self) -> list[str]:
        """The problems kept, in file and line order (and a row's own in column order)."""
        return [message for _, _, message in sorted(self._found, key=lambda f: f[:2])]

    def bad_rows(self, name: str) -> int:
        """How many rows of a file have at least one problem."""
        return len(self.bad_lines.get(name, ()))


@dataclass
class Tally:
    """How many rows of one file were read (blank lines aside)."""

    rows: int = 0


# For each column of a file, the index of its cell and its check; and the row's width.
Plan = tuple[list[tuple[int, Check]], int]


def _blank(check: Check) -> Check:
    """A column the header leaves out: every row's cell for it is blank."""
    return lambda _cell: check("")


def _header_plan(spec: FileSpec, header: list[str] | None, log: ProblemLog) -> Plan | None:
    """For each column of the spec, the header's index of it; None when the header is bad."""
    if header is None:
        log.add(spec.name, 1, f"{spec.name}:1: empty file: no header row", fatal=True)
        return None
    width = len(header)
    where: dict[str, int] = {}
    known = spec.column_names
    for index, name in enumerate(header):
        if name in where:
            log.add(spec.name, 1, f"{spec.name}:1: {name}: column appears twice", fatal=True)
        elif name not in known:
            message = f"{spec.name}:1: {name}: unknown column; the columns are {', '.join(known)}"
            log.add(spec.name, 1, message, fatal=True)
        where[name] = index
    for column in spec.columns:
        if column.required and column.name not in where:
            message = f"{spec.name}:1: {column.name}: required column missing"
            log.add(spec.name, 1, message, fatal=True)
    if spec.name in log.bad_lines and 1 in log.bad_lines[spec.name]:
        return None
    checks = [
        (where[c.name], c.check) if c.name in where else (0, _blank(c.check)) for c in spec.columns
    ]
    return checks, width


Opener = Callable[[Path], TextIO]


def _converter(checks: list[tuple[int, Check]]) -> Callable[[int, list[str]], Row]:
    """One function that checks a row's cells and returns (line, value, ...).

    Written out for the plan (``(line, k0(c[3]), k1(c[0]), ...)``) because it runs once per
    row of files of millions of rows, and one flat expression costs a fraction of a loop.
    The source holds only indexes and our names, never a cell of the file.
    """
    names = {f"k{i}": check for i, (_, check) in enumerate(checks)}
    cells = ", ".join(f"k{i}(c[{index}])" for i, (index, _) in enumerate(checks))
    source = f"lambda line, c: (line, {cells})"
    return eval(compile(source, "<hris row>", "eval"), names)  # type: ignore[no-any-return]  # noqa: S307


def open_text(path: Path) -> TextIO:
    """Open a CSV file as the csv module wants it (a UTF-8 byte order mark is skipped)."""
    return path.open(encoding="utf-8-sig", newline="")


def read_rows(
    path: Path,
    spec: FileSpec,
    log: ProblemLog,
    tally: Tally,
    *,
    opener: Opener = open_text,
    on_bad: Callable[[str], object] | None = None,
) -> Iterator[Row]:
    """The good rows of one file, checked cell by cell; each problem goes to ``log``.

    ``on_bad`` hears the first cell (the employee_id) of every row with a problem.
    """
    name, rows = spec.name, 0
    with opener(path) as handle:
        reader = csv.reader(handle, strict=True)
        try:
            planned = _header_plan(spec, next(reader, None), log)
            if planned is None:
                return
            plan, width = planned
            first = plan[0][0]
            convert = _converter(plan)
            row_check = spec.row_check
            last = reader.line_num
            for cells in reader:
                line, last = last + 1, reader.line_num
                if not cells:
                    continue  # a blank line
                rows += 1
                if len(cells) == width:
                    try:
                        row = convert(line, cells)
                        if row_check is None or not row_check(row[1:]):
                            yield row
                            continue
                    except Bad:
                        pass
                _report_row(spec, planned, cells, line, log)
                if on_bad is not None and first < len(cells):
                    on_bad(cells[first])
        except UnicodeDecodeError:
            line = undecodable_line(path)
            log.add(name, line, f"{name}:{line}: not UTF-8 text", fatal=True)
        except csv.Error as exc:
            log.add(name, reader.line_num, f"{name}:{reader.line_num}: not CSV ({exc})", fatal=True)
        finally:
            tally.rows += rows


def undecodable_line(path: Path) -> int:
    """The line of a file's first byte that is not UTF-8 (the decoder reads ahead by blocks)."""
    data = path.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return data.count(b"\n", 0, exc.start) + 1
    return 1


def _report_row(spec: FileSpec, plan: Plan, cells: list[str], line: int, log: ProblemLog) -> None:
    """The slow path, for a row known to be bad: name every problem in it."""
    name, (checks, width) = spec.name, plan
    if len(cells) != width:
        log.add(name, line, f"{name}:{line}: {len(cells)} cells, but the header has {width}")
        return
    values: list[object] = []  # None for a bad cell: the row check passes over it
    for column, (index, check) in zip(spec.columns, checks, strict=True):
        try:
            values.append(check(cells[index]))
        except Bad as bad:
            values.append(None)
            log.add(name, line, problem(name, line, column.name, bad.what, cells[index]))
    if spec.row_check is not None:
        for column_name, what, value in spec.row_check(values):
            log.add(name, line, problem(name, line, column_name, what, value))


@dataclass
class People:
    """Who employees.csv defines, who is left out, and the references still to resolve.

    Only ids are kept, never rows: a person's first good line, the ids of rows with a
    problem, and each reference to an id employees.csv does not define (the record may).
    """

    lines: dict[str, int] = field(default_factory=dict)
    left_out: set[str] = field(default_factory=set)
    # (line, employee_id, manager_id) where the manager is not (yet) in the file
    forward: list[tuple[int, str, str]] = field(default_factory=list)
    # id -> (file, line, column, the employee_id of the row, for a manager_id reference)
    pending: dict[str, list[tuple[str, int, str, str]]] = field(default_factory=dict)

    def refer(self, name: str, line: int, column: str, ident: str, owner: str) -> None:
        """Note a reference; one to an id the file does not define waits for the record."""
        if ident not in self.lines and ident not in self.left_out:
            self.pending.setdefault(ident, []).append((name, line, column, owner))

    def resolve(self, in_record: Callable[[Iterable[str]], set[str]], log: ProblemLog) -> None:
        """Check the pending references against the record: each id it lacks is a problem."""
        for line, owner, manager in self.forward:
            self.refer(EMPLOYEES.name, line, "manager_id", manager, owner)
        self.forward.clear()
        known = in_record(self.pending)
        for ident, references in self.pending.items():
            if ident in known:
                continue
            for name, line, column, owner in references:
                what = "no such person in employees.csv or the record"
                log.add(name, line, problem(name, line, column, what, ident))
                if name == EMPLOYEES.name:
                    self.left_out.add(owner)
        self.pending.clear()


def read_employees(
    path: Path, log: ProblemLog, tally: Tally, people: People, *, opener: Opener = open_text
) -> Iterator[Row]:
    """The good rows of employees.csv; records who they define in ``people``."""
    lines, forward, name = people.lines, people.forward, EMPLOYEES.name
    rows = read_rows(path, EMPLOYEES, log, tally, opener=opener, on_bad=people.left_out.add)
    for row in rows:
        line, employee_id, manager = row[0], row[1], row[6]
        first = lines.setdefault(employee_id, line)
        if first != line:
            what = f"appears again (first on line {first})"
            log.add(name, line, problem(name, line, "employee_id", what, employee_id))
            continue
        if manager is not None and manager not in lines:
            forward.append((line, employee_id, manager))  # perhaps defined further down
        yield row


def read_referring(
    path: Path,
    spec: FileSpec,
    log: ProblemLog,
    tally: Tally,
    people: People,
    *,
    opener: Opener = open_text,
) -> Iterator[Row]:
    """The good rows of a file whose rows each name a person (ratings.csv and the like)."""
    seen: dict[object, int] = {}
    unique = spec is DEMOGRAPHICS or spec is TARGETS
    defined, refer = people.lines, spec is not TARGETS
    for row in read_rows(path, spec, log, tally, opener=opener):
        line = row[0]
        if unique:
            key = row[1] if spec is DEMOGRAPHICS else (row[1], row[2])
            first = seen.setdefault(key, line)
            if first != line:
                if spec is DEMOGRAPHICS:
                    column, what, value = "employee_id", "a second row for this person", row[1]
                else:
                    column, what, value = "year", f"a second target for {row[1]}", str(row[2])
                what += f" (first on line {first})"
                log.add(spec.name, line, problem(spec.name, line, column, what, value))
                continue
        if refer and row[1] not in defined:  # most rows name a person the file defines
            people.refer(spec.name, line, "employee_id", row[1], "")
        yield row
