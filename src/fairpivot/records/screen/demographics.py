"""Each case projection's copy of its employee's demographics, kept for adverse impact.

Adverse impact groups a year's cases by the sex, race/ethnicity and age of each case's
employee. Joining every case to the people and their demographics on each query cost a
second and more at 1.5 million people, so the projection keeps a copy: written with every
projection (records/screen/projection.py) and brought up to date by every HRIS import, the only
writer of demographics and of a case's link to its employee after the case is opened
(records/hris/importing.py). Both run in the transaction that changes what they copy.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from fairpivot.records.models import Case, CaseProjection, Demographics

_PROJECTION = CaseProjection._meta.db_table
_COLUMNS = ("sex", "race_ethnicity", "birth_date")
# A case without an employee, or an employee without a demographics row, gets nulls, which
# the queries read as "unknown", as the join they replace did.
_COPY = f"""
    UPDATE {_PROJECTION} SET {", ".join(f"{c} = g.{c}" for c in _COLUMNS)}
    FROM (
        SELECT c.id AS case_id, {", ".join(f"d.{c}" for c in _COLUMNS)}
        FROM {Case._meta.db_table} c
        LEFT JOIN {Demographics._meta.db_table} d ON d.employee_id = c.employee_id
        {{where}}
    ) g
    WHERE g.case_id = {_PROJECTION}.case_id
        AND ({" OR ".join(f"{_PROJECTION}.{c} IS DISTINCT FROM g.{c}" for c in _COLUMNS)})
"""  # noqa: S608  (every name is a model's; the ids are parameters)


def copy_demographics(case_ids: Sequence[int] | None = None) -> int:
    """Copy each case's employee's demographics onto its projection; return rows changed.

    ``case_ids`` limits it to those cases (a batch just written); None means every case.
    Rows already up to date are left alone, so a re-import rewrites only what changed.
    """
    if case_ids is None:
        sql, params = _COPY.format(where=""), []
    elif not case_ids:
        return 0
    else:
        marks = ", ".join(["%s"] * len(case_ids))
        sql, params = _COPY.format(where=f"WHERE c.id IN ({marks})"), list(case_ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.rowcount)
