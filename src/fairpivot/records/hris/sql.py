"""The HRIS import's SQL: staging tables, the merge into the record, and the aggregates.

The rows are staged in TEMP tables (COPY on PostgreSQL, batched executemany on SQLite)
and merged with the same set-based statements on both backends, so the SQLite tests run
the very statements PostgreSQL runs. Table names come from the models; every name put
into these statements is ours, never the file's (the file's values are only ever rows).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from itertools import islice
from typing import Any

from django.db import connection

from fairpivot.records.hris import rows
from fairpivot.records.models import (
    Case,
    Demographics,
    Employee,
    ManagerHeadcount,
    OrgHeadcount,
    OrgTarget,
    Promotion,
    Rating,
    Vest,
)

BATCH = 50_000  # rows per executemany on SQLite
LEFT_OUT = "hris_left_out"
ACTIVE = "hris_active"
T = {
    "employee": Employee._meta.db_table,
    "rating": Rating._meta.db_table,
    "promotion": Promotion._meta.db_table,
    "vest": Vest._meta.db_table,
    "demographics": Demographics._meta.db_table,
    "target": OrgTarget._meta.db_table,
    "case": Case._meta.db_table,
    "org_headcount": OrgHeadcount._meta.db_table,
    "manager_headcount": ManagerHeadcount._meta.db_table,
}
_TYPES: dict[rows.Check, str] = {
    rows.iso_date: "date",
    rows.optional_date: "date",
    rows.shares: "integer",
    rows.year: "integer",
    rows.fraction: "double precision",
}


@contextmanager
def roomy() -> Iterator[None]:
    """Give the import memory: for PostgreSQL's sorts, for SQLite's page cache.

    SQLite's default cache is 2 MB; the indexes a million-row import updates are not.
    """
    if connection.vendor == "postgresql":
        execute("SET LOCAL work_mem = '256MB'")  # until the transaction ends
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
    execute("PRAGMA cache_size = -262144")  # in KiB: 256 MB
    try:
        yield
    finally:
        execute(f"PRAGMA cache_size = {int(before)}")


def staging(spec: rows.FileSpec) -> str:
    """The TEMP table one file's good rows are staged in."""
    return "hris_" + spec.name.removesuffix(".csv")


def create_staging() -> None:
    """(Re)create the empty TEMP tables of an import on this connection."""
    # On SQLite the line is the rowid: the merges' ORDER BY line is then a plain scan.
    line = "line integer PRIMARY KEY" if connection.vendor == "sqlite" else "line integer"
    with connection.cursor() as cursor:
        for spec in rows.FILES:
            columns = ", ".join(f"{c.name} {_TYPES.get(c.check, 'text')}" for c in spec.columns)
            if spec is rows.EMPLOYEES:
                columns += ", pk bigint"  # the id the person will have in the record
            cursor.execute(f"DROP TABLE IF EXISTS {staging(spec)}")
            cursor.execute(f"CREATE TEMP TABLE {staging(spec)} ({line}, {columns})")
        cursor.execute(f"DROP TABLE IF EXISTS {LEFT_OUT}")
        cursor.execute(f"CREATE TEMP TABLE {LEFT_OUT} (employee_id text PRIMARY KEY)")
        cursor.execute(f"DROP TABLE IF EXISTS {ACTIVE}")
        cursor.execute(
            f"CREATE TEMP TABLE {ACTIVE} (org text, sex text, race_ethnicity text,"
            " age_band text, low integer)"
        )


def drop_staging() -> None:
    """Drop the import's TEMP tables."""
    with connection.cursor() as cursor:
        for table in [*(staging(spec) for spec in rows.FILES), LEFT_OUT, ACTIVE]:
            cursor.execute(f"DROP TABLE {table}")


def stage(table: str, columns: Sequence[str], values: Iterable[Sequence[Any]]) -> None:
    """Stream rows into a TEMP table: COPY on PostgreSQL, executemany batches on SQLite."""
    raw: Any = connection.connection
    names = ", ".join(columns)
    if connection.vendor == "postgresql":
        with raw.cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
        with connection.cursor() as cursor:
            # Autovacuum never analyzes TEMP tables; without statistics the planner would
            # join a million staged rows as if they were a handful.
            cursor.execute(f"ANALYZE {table}")
        return
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"  # noqa: S608
    iterator = iter(values)
    while batch := list(islice(iterator, BATCH)):
        raw.executemany(sql, batch)


def last_employee_id() -> int:
    """The highest id in the record's people (0 for none): new people are numbered after it."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {T['employee']}")  # noqa: S608
        return int(cursor.fetchone()[0])


def keep_record_ids() -> None:
    """People the record has keep their ids: overwrite the ids staged for them."""
    execute(f"""
        UPDATE hris_employees SET pk = e.id FROM {T["employee"]} e
        WHERE e.employee_id = hris_employees.employee_id""")  # noqa: S608


def after_people() -> None:
    """On PostgreSQL, once the people are in: advance the id sequence, and tell the planner.

    The sequence moves past the ids the import gave (SQLite's AUTOINCREMENT does so itself).
    Autovacuum cannot see the people of this uncommitted transaction: without statistics the
    planner would join every rating to them as if they were a handful.
    """
    if connection.vendor != "postgresql":
        return
    table = T["employee"]
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        (sequence,) = cursor.fetchone()
        last = f"(SELECT last_value FROM {sequence})"  # noqa: S608  (a name from the catalogue)
        advance = f"SELECT setval(%s, GREATEST(MAX(e.id), {last}), true) FROM {table} e"  # noqa: S608
        cursor.execute(advance + " HAVING MAX(e.id) > 0", [sequence])


def index_staged_people() -> None:
    """Index the staged people: the manager update and the cascade look them up by id."""
    with connection.cursor() as cursor:
        cursor.execute("CREATE INDEX hris_employees_id ON hris_employees (employee_id)")
        cursor.execute("CREATE INDEX hris_employees_manager ON hris_employees (manager_id)")


def cascade_left_out() -> set[str]:
    """Everyone under a person left out, through manager_id in employees.csv."""
    sql = f"""
        WITH RECURSIVE gone(employee_id) AS (
            SELECT employee_id FROM {LEFT_OUT}
            UNION
            SELECT s.employee_id FROM hris_employees s JOIN gone g ON s.manager_id = g.employee_id
        )
        SELECT employee_id FROM gone"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {ident for (ident,) in cursor.fetchall()}


def left_out_rows(spec: rows.FileSpec) -> Iterator[tuple[int, str, str | None]]:
    """The staged rows of a file that name a person left out: line, employee_id, manager."""
    manager = "s.manager_id" if spec is rows.EMPLOYEES else "NULL"
    sql = f"""
        SELECT s.line, s.employee_id, {manager} FROM {staging(spec)} s
        JOIN {LEFT_OUT} x ON x.employee_id = s.employee_id ORDER BY s.line"""  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        yield from cursor.fetchall()


_KEPT = f"NOT EXISTS (SELECT 1 FROM {LEFT_OUT} x WHERE x.employee_id = s.employee_id)"  # noqa: S608
_PERSON = f"JOIN {T['employee']} e ON e.employee_id = s.employee_id"
# Ratings, promotions and vests are added; the row already there (or the first in the file)
# wins a clash on the same day. Demographics and targets are replaced.
MERGE = {
    # The manager is found in the same statement: in the file (its staged id) or the record.
    "employees.csv": f"""
        INSERT INTO {T["employee"]} (id, employee_id, name, title, level, org, manager_id,
            work_state, hire_date, exit_date)
        SELECT s.pk, s.employee_id, s.name, s.title, s.level, s.org, COALESCE(m.pk, r.id),
            s.work_state, s.hire_date, s.exit_date
        FROM hris_employees s
        LEFT JOIN hris_employees m ON m.employee_id = s.manager_id
        LEFT JOIN {T["employee"]} r ON r.employee_id = s.manager_id
        WHERE {_KEPT}
        ON CONFLICT (employee_id) DO UPDATE SET name = excluded.name, title = excluded.title,
            level = excluded.level, org = excluded.org, manager_id = excluded.manager_id,
            work_state = excluded.work_state, hire_date = excluded.hire_date,
            exit_date = excluded.exit_date""",  # noqa: S608
    "ratings.csv": f"""
        INSERT INTO {T["rating"]} (employee_id, date, value)
        SELECT e.id, s.date, s.value FROM hris_ratings s {_PERSON}
        WHERE {_KEPT} ORDER BY s.line ON CONFLICT DO NOTHING""",  # noqa: S608
    "promotions.csv": f"""
        INSERT INTO {T["promotion"]} (employee_id, date, level)
        SELECT e.id, s.date, s.level FROM hris_promotions s {_PERSON}
        WHERE {_KEPT} ORDER BY s.line ON CONFLICT DO NOTHING""",  # noqa: S608
    "vests.csv": f"""
        INSERT INTO {T["vest"]} (employee_id, grant_id, date, shares)
        SELECT e.id, s.grant_id, s.date, s.shares FROM hris_vests s {_PERSON}
        WHERE {_KEPT} ORDER BY s.line ON CONFLICT DO NOTHING""",  # noqa: S608
    "demographics.csv": f"""
        INSERT INTO {T["demographics"]} (employee_id, birth_date, sex, race_ethnicity)
        SELECT e.id, s.birth_date, s.sex, s.race_ethnicity FROM hris_demographics s {_PERSON}
        WHERE {_KEPT}
        ON CONFLICT (employee_id) DO UPDATE SET birth_date = excluded.birth_date,
            sex = excluded.sex, race_ethnicity = excluded.race_ethnicity""",  # noqa: S608
    "targets.csv": f"""
        INSERT INTO {T["target"]} (org, year, ura_target)
        SELECT s.org, s.year, s.ura_target FROM hris_targets s WHERE true
        ON CONFLICT (org, year) DO UPDATE SET ura_target = excluded.ura_target""",  # noqa: S608
}

# Staged uniquely by key: into a record without people, these need no ON CONFLICT.
_UNIQUE_STAGED = ("employees.csv", "demographics.csv")


def merge(name: str, *, first_load: bool) -> None:
    """Merge one file's staged rows (the manager links with the people)."""
    statement = MERGE[name]
    if first_load and name in _UNIQUE_STAGED:  # nothing to clash with: a plain insert
        statement = statement[: statement.index("ON CONFLICT")]
    execute(statement)


LINK_CASES = f"""
    UPDATE {T["case"]} SET employee_id =
        (SELECT e.id FROM {T["employee"]} e WHERE e.employee_id = {T["case"]}.employee_ref)
    WHERE employee_id IS NULL AND EXISTS
        (SELECT 1 FROM {T["employee"]} e WHERE e.employee_id = {T["case"]}.employee_ref)
"""  # noqa: S608

# One row per active person (no exit_date): org, groups, and whether their latest rating
# is the lowest. (employee, date) is unique in ratings, so "latest" is one row.
_ACTIVE_ROWS = f"""
    INSERT INTO {ACTIVE} (org, sex, race_ethnicity, age_band, low)
    SELECT e.org, COALESCE(d.sex, 'unknown'), COALESCE(d.race_ethnicity, 'unknown'),
        CASE WHEN d.birth_date IS NULL THEN 'unknown'
             WHEN d.birth_date <= %s THEN '40_plus' ELSE 'under_40' END,
        CASE WHEN l.value = %s THEN 1 ELSE 0 END
    FROM {T["employee"]} e
    LEFT JOIN {T["demographics"]} d ON d.employee_id = e.id
    LEFT JOIN (
        SELECT r.employee_id, r.value FROM {T["rating"]} r
        JOIN (SELECT employee_id, MAX(date) AS latest FROM {T["rating"]} GROUP BY employee_id) m
        ON m.employee_id = r.employee_id AND m.latest = r.date
    ) l ON l.employee_id = e.id
    WHERE e.exit_date IS NULL
"""  # noqa: S608
_ORG_HEADCOUNT = f"""
    INSERT INTO {T["org_headcount"]} (org, dimension, value, headcount, low_rated)
    SELECT org, 'all', 'all', COUNT(*), SUM(low) FROM {ACTIVE} GROUP BY org
    UNION ALL
    SELECT org, 'sex', sex, COUNT(*), SUM(low) FROM {ACTIVE} GROUP BY org, sex
    UNION ALL
    SELECT org, 'race_ethnicity', race_ethnicity, COUNT(*), SUM(low) FROM {ACTIVE}
    GROUP BY org, race_ethnicity
    UNION ALL
    SELECT org, 'age_band', age_band, COUNT(*), SUM(low) FROM {ACTIVE} GROUP BY org, age_band
"""  # noqa: S608
_MANAGER_HEADCOUNT = f"""
    INSERT INTO {T["manager_headcount"]} (manager_ref, org, headcount)
    SELECT m.employee_id, m.org, reports.headcount FROM (
        SELECT manager_id, COUNT(*) AS headcount FROM {T["employee"]}
        WHERE exit_date IS NULL AND manager_id IS NOT NULL GROUP BY manager_id
    ) reports JOIN {T["employee"]} m ON m.id = reports.manager_id
"""  # noqa: S608


def execute(sql: str, params: Sequence[Any] = ()) -> int:
    """Run one statement; return the rows it changed."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)


def rebuild_headcounts(today: date) -> None:
    """Recount OrgHeadcount and ManagerHeadcount from the active people, ages as of today."""
    execute(f"DELETE FROM {T['org_headcount']}")  # noqa: S608
    execute(f"DELETE FROM {T['manager_headcount']}")  # noqa: S608
    execute(_ACTIVE_ROWS, [rows.forty_years_before(today), rows.LOWEST_RATING])
    execute(_ORG_HEADCOUNT)
    execute(_MANAGER_HEADCOUNT)
