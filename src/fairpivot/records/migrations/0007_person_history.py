"""Each person's history: a ledger of its own, chained and append-only like a case's.

Protected activities, ratings, promotions, equity and bonuses belong to the person, not
to one case (review-v4.md section 8 item 4). The history's entries are refused UPDATE and
DELETE by the database as the case ledger's are (migration 0002; TRUNCATE too on
PostgreSQL), through the same trigger function there.
"""

from __future__ import annotations

from importlib import import_module

import django.db.models.deletion
from django.db import migrations, models

from fairpivot.domain.ledger import GENESIS

TABLE = "records_historyentry"

POSTGRES_UP = f"""
CREATE TRIGGER history_append_only_rows BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION fairpivot_ledger_is_append_only();
CREATE TRIGGER history_append_only_table BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION fairpivot_ledger_is_append_only();
"""
POSTGRES_DOWN = f"""
DROP TRIGGER history_append_only_table ON {TABLE};
DROP TRIGGER history_append_only_rows ON {TABLE};
"""
SQLITE_UP = [
    f"""CREATE TRIGGER history_no_update BEFORE UPDATE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'fairpivot: ledger entries are append-only'); END""",
    f"""CREATE TRIGGER history_no_delete BEFORE DELETE ON {TABLE}
        BEGIN SELECT RAISE(ABORT, 'fairpivot: ledger entries are append-only'); END""",
]
SQLITE_DOWN = ["DROP TRIGGER history_no_update", "DROP TRIGGER history_no_delete"]

# Migration 0002's runner (one SQL text or a list of statements per database vendor); its
# module name starts with a digit, so it is imported by name.
_run = import_module("fairpivot.records.migrations.0002_ledger_append_only")._run


class Migration(migrations.Migration):
    dependencies = [("records", "0006_projection_demographics")]

    operations = [
        migrations.CreateModel(
            name="PersonHistory",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("employee_ref", models.CharField(max_length=64, unique=True)),
                ("version", models.PositiveIntegerField(default=0)),
                ("head_hash", models.CharField(default=GENESIS, max_length=64)),
            ],
            options={"verbose_name_plural": "person histories", "ordering": ["id"]},
        ),
        migrations.CreateModel(
            name="HistoryEntry",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("seq", models.PositiveIntegerField()),
                ("kind", models.CharField(max_length=32)),
                ("payload", models.TextField()),
                ("recorded_by", models.CharField(max_length=150)),
                ("recorded_at", models.DateTimeField()),
                ("prev_hash", models.CharField(max_length=64)),
                ("hash", models.CharField(max_length=64)),
                (
                    "history",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="entries",
                        to="records.personhistory",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "history entries",
                "ordering": ["history_id", "seq"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("history", "seq"), name="history_one_entry_per_position"
                    )
                ],
            },
        ),
        migrations.RunPython(
            _run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        ),
    ]
