"""Bring the database schema up to date: migrations are the only schema authority."""

from __future__ import annotations

from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from fairpivot.domain.errors import FairpivotError


class SchemaOutOfDate(FairpivotError):
    """The database has data and migrations it has not applied yet."""


def pending_migrations() -> list[str]:
    """The migrations the database has not applied, in order."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def ensure_schema() -> bool:
    """Migrate an empty database; refuse to touch a populated one behind its owner's back.

    Returns whether migrations were applied.
    """
    pending = pending_migrations()
    if not pending:
        return False
    executor = MigrationExecutor(connection)
    if executor.loader.applied_migrations:
        raise SchemaOutOfDate(
            f"the database needs {len(pending)} migration(s): run `fairpivot migrate` first"
        )
    migrate()
    return True


def migrate() -> None:
    """Apply every pending migration."""
    call_command("migrate", interactive=False, verbosity=0)
