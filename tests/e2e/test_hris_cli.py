"""``fairpivot hris-import`` in real processes, each test on its own, empty database.

As in test_records_cli.py: an SQLite file per test by default, a database of its own on the
throwaway server with ``--db=postgres``.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import psycopg

# The same traceback-checking runner as the record commands (record_env: conftest.py).
from tests.e2e.test_records_cli import fairpivot

EMPLOYEES = """\
employee_id,name,title,level,org,manager_id,work_state,hire_date,exit_date
E1,Ada,Director,L8,Retail,,WA,2015-01-05,
E2,Ben,Manager,L6,Retail/Ops,E1,WA,2018-03-01,
"""
RATINGS = "employee_id,date,value\nE2,2025-03-01,LE\n"


def people(env: dict[str, str]) -> int:
    """How many employees the test's database holds."""
    sql = "SELECT COUNT(*) FROM records_employee"
    url = env.get("DATABASE_URL")
    if url is None:
        path = Path(env["FAIRPIVOT_DATA_DIR"]) / "fairpivot.sqlite3"
        with closing(sqlite3.connect(path)) as lite:
            return int(lite.execute(sql).fetchone()[0])
    with psycopg.connect(url) as pg:
        row = pg.execute(sql).fetchone()
        assert row is not None
        return int(row[0])


def export(folder: Path, employees: str = EMPLOYEES, ratings: str = RATINGS) -> Path:
    folder.mkdir()
    (folder / "employees.csv").write_text(employees)
    (folder / "ratings.csv").write_text(ratings)
    return folder


def test_it_loads_a_good_export_and_says_what_it_loaded(
    record_env: dict[str, str], tmp_path: Path
) -> None:
    result = fairpivot(record_env, "hris-import", export(tmp_path / "hris"))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith(
        "fairpivot: hris-import loaded employees.csv 2, ratings.csv 1; skipped 0 row(s); "
        "linked 0 case(s); "
    )
    assert people(record_env) == 2


def test_it_refuses_a_bad_export_with_one_line_per_problem_and_exit_2(
    record_env: dict[str, str], tmp_path: Path
) -> None:
    bad = EMPLOYEES + "E3,Cy,,,Retail,E3,WA,2024-13-01,\n"
    result = fairpivot(record_env, "hris-import", export(tmp_path / "hris", bad))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == (
        "fairpivot: employees.csv:4: hire_date: not a date YYYY-MM-DD (got '2024-13-01')\n"
        "fairpivot: employees.csv:4: manager_id: the person themself (got 'E3')\n"
    )
    assert people(record_env) == 0


def test_it_loads_the_rest_and_warns_of_each_row_it_skips_with_skip_bad(
    record_env: dict[str, str], tmp_path: Path
) -> None:
    bad = EMPLOYEES.replace("2018-03-01", "2018-02-30")
    result = fairpivot(record_env, "hris-import", export(tmp_path / "hris", bad), "--skip-bad")
    assert result.returncode == 0, result.stderr
    assert result.stderr == (
        "fairpivot: warning: employees.csv:3: hire_date: not a date YYYY-MM-DD "
        "(got '2018-02-30')\n"
        "fairpivot: warning: ratings.csv:2: employee_id: left out with the person (got 'E2')\n"
    )
    assert "loaded employees.csv 1, ratings.csv 0; skipped 2 row(s)" in result.stdout
    assert people(record_env) == 1


def test_it_refuses_a_folder_that_is_not_there(record_env: dict[str, str], tmp_path: Path) -> None:
    result = fairpivot(record_env, "hris-import", tmp_path / "nowhere")
    assert result.returncode == 2
    assert result.stderr == f"fairpivot: {tmp_path / 'nowhere'}: not a directory\n"
