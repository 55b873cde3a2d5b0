"""Import an HRIS export of 1.5 million employees into SQLite and PostgreSQL, against a bare loop.

Run with ``make bench-import`` (or ``.venv/bin/python bench/import_hris.py``). For each
database, in fresh processes on fresh databases:

- ``fairpivot``: ``import_hris`` as ``fairpivot hris-import`` runs it: every row read and
  checked, then loaded in bulk (COPY on PostgreSQL, batched upserts on SQLite), manager
  links, case links and the headcount aggregates rebuilt, in one transaction;
- baseline: the same rows, read with the csv module and inserted by the driver alone
  (``executemany``, one transaction, no checks, managers left unlinked) into the same tables.

Prints rows, seconds, rows/s, the ratio to the baseline and each process's peak memory.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path
from typing import Any

from orgdata import (
    AS_OF,
    MEMORY_BUDGET_MB,
    child,
    databases,
    dataset,
    emit,
    peak_mb,
    setup_django,
    timed,
)

SCRIPT = Path(__file__).resolve()
TARGET_RATIO = 0.5
STRETCH_SQLITE = 200_000  # rows/s
# The bare loop's column lists: the CSV columns in the table's own names.
TABLES = {
    "employees.csv": (
        "records_employee",
        [
            "id",
            "employee_id",
            "name",
            "title",
            "level",
            "org",
            "work_state",
            "hire_date",
            "exit_date",
        ],
    ),
    "ratings.csv": ("records_rating", ["employee_id", "date", "value"]),
    "promotions.csv": ("records_promotion", ["employee_id", "date", "level"]),
    "vests.csv": ("records_vest", ["employee_id", "grant_id", "date", "shares"]),
    "demographics.csv": (
        "records_demographics",
        ["employee_id", "birth_date", "sex", "race_ethnicity"],
    ),
    "targets.csv": ("records_orgtarget", ["org", "year", "ura_target"]),
}


def main() -> int:
    """Measure both ways on each database and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase", choices=["fairpivot", "baseline"])
    parser.add_argument("--employees", type=int, default=1_500_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--dir", type=Path)
    args = parser.parse_args()
    if args.phase:
        emit(_phase(args.phase, args.dir))
        return 0
    folder = dataset(args.employees, args.seed)
    names = args.databases.split(",")
    print(f"HRIS import of {args.employees:,} employees (seed {args.seed}) from {folder}")
    print(
        f"{'database':10} {'way':10} {'rows':>11} {'seconds':>8} {'rows/s':>9} "
        f"{'ratio':>6} {'peak MB':>8}"
    )
    with databases(names) as env:
        for database in names:
            base = child(SCRIPT, "baseline", env(database, "base"), "--dir", str(folder))
            ours = child(SCRIPT, "fairpivot", env(database, "ours"), "--dir", str(folder))
            for way, result in (("baseline", base), ("fairpivot", ours)):
                rate = result["rows"] / result["seconds"]
                ratio = rate / (base["rows"] / base["seconds"])
                print(
                    f"{database:10} {way:10} {result['rows']:>11,} {result['seconds']:>8.1f} "
                    f"{rate:>9,.0f} {ratio:>6.2f} {result['peak_mb']:>8,.0f}"
                )
    print(
        f"target: fairpivot >= {TARGET_RATIO} x baseline rows/s; stretch "
        f"{STRETCH_SQLITE:,} rows/s on SQLite; peak memory < {MEMORY_BUDGET_MB:,} MB"
    )
    return 0


def _phase(phase: str, folder: Path) -> dict[str, Any]:
    setup_django()
    if phase == "fairpivot":
        from fairpivot.records.hris.importing import import_hris  # noqa: PLC0415

        seconds, report = timed(lambda: import_hris(folder, today=AS_OF))
        rows = sum(f.loaded for f in report.files)
    else:
        seconds, rows = timed(lambda: _bare_loop(folder))
    return {"rows": rows, "seconds": seconds, "peak_mb": peak_mb()}


def _bare_loop(folder: Path) -> int:
    from django.db import connection, transaction  # noqa: PLC0415

    mark = "?" if connection.vendor == "sqlite" else "%s"
    ids: dict[str, int] = {}
    rows = 0
    with transaction.atomic():
        connection.ensure_connection()
        cursor = connection.connection.cursor()
        for name, (table, columns) in TABLES.items():
            path = folder / name
            if not path.exists():
                continue
            with path.open(newline="", encoding="utf-8") as handle:
                reader = csv.DictReader(handle)
                values = (_values(name, row, ids) for row in reader)
                marks = ", ".join([mark] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",  # noqa: S608
                    _counted(values),
                )
            rows = _COUNT[0]
    return rows


_COUNT = [0]


def _counted(values: Any) -> Any:
    for value in values:
        _COUNT[0] += 1
        yield value


def _values(name: str, row: dict[str, str], ids: dict[str, int]) -> tuple[Any, ...]:
    if name == "employees.csv":
        ids[row["employee_id"]] = number = len(ids) + 1
        return (
            number,
            row["employee_id"],
            row["name"],
            row["title"],
            row["level"],
            row["org"],
            row["work_state"],
            row["hire_date"],
            row["exit_date"] or None,
        )
    if name == "targets.csv":
        return (row["org"], int(row["year"]), float(row["ura_target"]))
    person = ids[row["employee_id"]]
    if name == "ratings.csv":
        return (person, row["date"], row["value"])
    if name == "promotions.csv":
        return (person, row["date"], row["level"])
    if name == "vests.csv":
        return (person, row["grant_id"], row["date"], int(row["shares"]))
    return (person, row["birth_date"] or None, row["sex"], row["race_ethnicity"])


if __name__ == "__main__":
    raise SystemExit(main())
