"""The files of a synthetic org: the HRIS CSVs of docs/hris.md, case files, patterns.json.

Rows go out as they are made, through large buffers, so memory stays flat however many
people are written.
"""

from __future__ import annotations

import csv
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import msgspec

from fairpivot.synth.people import ISO, Person, employee_id

BUFFER = 1 << 20
HEADERS: dict[str, tuple[str, ...]] = {
    "employees.csv": (
        "employee_id",
        "name",
        "title",
        "level",
        "org",
        "manager_id",
        "work_state",
        "hire_date",
        "exit_date",
    ),
    "ratings.csv": ("employee_id", "date", "value"),
    "promotions.csv": ("employee_id", "date", "level"),
    "vests.csv": ("employee_id", "grant_id", "date", "shares"),
    "demographics.csv": ("employee_id", "birth_date", "sex", "race_ethnicity"),
    "targets.csv": ("org", "year", "ura_target"),
}
CASES = "cases"
PATTERNS = "patterns.json"


class OrgFiles:
    """The open output files; use as a context manager."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self.handles: list[IO[str]] = []
        self.cases = out / CASES
        self.encoder = msgspec.json.Encoder()

    def __enter__(self) -> OrgFiles:
        self.cases.mkdir(parents=True, exist_ok=True)
        writers = []
        for name, header in HEADERS.items():
            handle = (self.out / name).open("w", newline="", encoding="utf-8", buffering=BUFFER)
            self.handles.append(handle)
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writers.append(writer)
        self.employees, self.ratings, self.promotions, self.vests = writers[:4]
        self.demographics, self.targets = writers[4:]
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        for handle in self.handles:
            handle.close()

    def person(self, person: Person, vests: list[tuple[int, int]]) -> None:
        """Every HRIS row of one person."""
        me = person.employee_id
        self.employees.writerow(
            (
                me,
                person.name,
                person.title,
                f"L{person.level}",
                person.org,
                employee_id(person.manager) if person.manager else "",
                person.state,
                ISO[person.hire],
                ISO[person.exit] if person.exit else "",
            )
        )
        self.demographics.writerow((me, ISO[person.birth], person.sex, person.race))
        if person.ratings:
            self.ratings.writerows([(me, ISO[day], value) for day, value in person.ratings])
        if person.promotion:
            self.promotions.writerow((me, ISO[person.promotion], f"L{person.level}"))
        if vests and person.grant is not None:
            grant = person.grant.grant_id
            self.vests.writerows([(me, grant, ISO[day], shares) for day, shares in vests])

    def case(self, me: str, document: dict[str, Any]) -> None:
        """One case file, ``cases/<employee id>.json``, indented like the examples."""
        text = msgspec.json.format(self.encoder.encode(document), indent=2)
        (self.cases / f"{me}.json").write_bytes(text + b"\n")

    def target(self, org: str, year: int, ura_target: float) -> None:
        """One row of ``targets.csv``."""
        self.targets.writerow((org, year, ura_target))

    def patterns(self, records: list[dict[str, Any]]) -> None:
        """``patterns.json``: the injected patterns, as a list."""
        text = msgspec.json.format(self.encoder.encode(records), indent=2)
        (self.out / PATTERNS).write_bytes(text + b"\n")
