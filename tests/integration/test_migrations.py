"""The schema comes from the migrations alone, and they match the models."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from fairpivot.records import schema

pytestmark = pytest.mark.django_db

VENDORS = {"sqlite": "sqlite", "postgres": "postgresql"}


def ledger_triggers() -> set[str]:
    """The triggers on the ledger table, as the database's own catalogue lists them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger "
                "WHERE tgrelid = 'records_ledgerentry'::regclass AND NOT tgisinternal"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master "
                "WHERE type = 'trigger' AND tbl_name = 'records_ledgerentry'"
            )
        return {name for (name,) in cursor.fetchall()}


def test_it_runs_on_the_database_this_run_asked_for(database_vendor: str) -> None:
    assert connection.vendor == VENDORS[database_vendor]


def test_it_built_the_test_database_from_empty_by_migrating() -> None:
    applied = MigrationRecorder(connection).applied_migrations()
    assert {("records", "0001_initial"), ("records", "0002_ledger_append_only")} <= set(applied)
    tables = set(connection.introspection.table_names())
    assert {
        "records_case",
        "records_ledgerentry",
        "records_caseprojection",
        "records_deadlineprojection",
        "records_findingprojection",
        "records_checkpoint",
        "records_employee",
    } <= tables
    expected = {
        "postgresql": {"ledger_append_only_rows", "ledger_append_only_table"},
        "sqlite": {"ledger_no_update", "ledger_no_delete"},
    }
    assert ledger_triggers() == expected[connection.vendor]


def test_it_has_no_model_change_without_a_migration() -> None:
    out = StringIO()
    # --check exits with status 1 (SystemExit) when a migration is missing.
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    assert out.getvalue().strip() == "No changes detected"


def test_it_finds_no_pending_migration_and_so_leaves_the_schema_alone() -> None:
    assert schema.pending_migrations() == []
    assert schema.ensure_schema() is False
