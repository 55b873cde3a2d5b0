"""The log of role changes (HR scopes, the panelist pool), append-only in the database too.

As for the ledger (records/0002): on PostgreSQL a trigger refuses UPDATE, DELETE and
TRUNCATE of the table, on SQLite triggers refuse UPDATE and DELETE.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations, models

TABLE = "web_rolechange"

POSTGRES_UP = f"""
CREATE FUNCTION fairpivot_role_changes_are_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'fairpivot: role changes are append-only (' || TG_OP || ' refused)',
        ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER role_change_append_only_rows BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION fairpivot_role_changes_are_append_only();
CREATE TRIGGER role_change_append_only_table BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION fairpivot_role_changes_are_append_only();
"""
POSTGRES_DOWN = f"""
DROP TRIGGER role_change_append_only_table ON {TABLE};
DROP TRIGGER role_change_append_only_rows ON {TABLE};
DROP FUNCTION fairpivot_role_changes_are_append_only();
"""
SQLITE_UP = [
    f"""CREATE TRIGGER role_change_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'fairpivot: role changes are append-only'); END""",
    f"""CREATE TRIGGER role_change_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'fairpivot: role changes are append-only'); END""",
]
SQLITE_DOWN = ["DROP TRIGGER role_change_no_update", "DROP TRIGGER role_change_no_delete"]


def _run(statements: dict[str, str | list[str]]) -> Any:
    def apply(apps: Any, schema_editor: Any) -> None:
        sql = statements.get(schema_editor.connection.vendor)
        for statement in [sql] if isinstance(sql, str) else sql or []:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("web", "0002_token_expiry_and_failure_kinds")]

    operations = [
        migrations.CreateModel(
            name="RoleChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("at", models.DateTimeField(db_index=True)),
                ("by", models.CharField(max_length=150)),
                ("action", models.CharField(max_length=16)),
                ("subject", models.CharField(max_length=150)),
                ("org", models.CharField(blank=True, max_length=300)),
            ],
            options={"ordering": ["-at", "-id"]},
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        ),
    ]
