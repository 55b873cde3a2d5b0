"""The database itself refuses to change or remove ledger entries.

On PostgreSQL a trigger raises on UPDATE, DELETE and TRUNCATE of the ledger table; on
SQLite triggers raise on UPDATE and DELETE (SQLite has no TRUNCATE). The application has
no code path that tries either; these hold against everything else that can reach the
database.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

TABLE = "records_ledgerentry"

POSTGRES_UP = f"""
CREATE FUNCTION fairpivot_ledger_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'fairpivot: ledger entries are append-only (' || TG_OP || ' refused)',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ledger_append_only_rows BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION fairpivot_ledger_is_append_only();
CREATE TRIGGER ledger_append_only_table BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION fairpivot_ledger_is_append_only();
"""
POSTGRES_DOWN = f"""
DROP TRIGGER ledger_append_only_table ON {TABLE};
DROP TRIGGER ledger_append_only_rows ON {TABLE};
DROP FUNCTION fairpivot_ledger_is_append_only();
"""
SQLITE_UP = [
    f"""CREATE TRIGGER ledger_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'fairpivot: ledger entries are append-only'); END""",
    f"""CREATE TRIGGER ledger_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'fairpivot: ledger entries are append-only'); END""",
]
SQLITE_DOWN = ["DROP TRIGGER ledger_no_update", "DROP TRIGGER ledger_no_delete"]


def _run(statements: dict[str, str | list[str]]) -> Any:
    def apply(apps: Any, schema_editor: Any) -> None:
        sql = statements.get(schema_editor.connection.vendor)
        for statement in [sql] if isinstance(sql, str) else sql or []:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        ),
    ]
