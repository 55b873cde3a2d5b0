"""Tokens issued before tokens expired (migration web/0002) get an expiry, and so stop."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from fairpivot.web.models import ApiToken
from fairpivot.web.tokens import user_for_token

BEFORE = [("web", "0001_initial")]


@pytest.fixture
def committed(transactional_db: None) -> Iterator[None]:
    """Let pytest-django empty the tables after a test that commits.

    On PostgreSQL it flushes with TRUNCATE, which the append-only triggers of other tables
    refuse even when they are empty; replica mode skips triggers for this one connection,
    which pytest-django closes afterwards.
    """
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")


@pytest.mark.usefixtures("committed")
def test_it_gives_old_tokens_ninety_days_from_when_they_were_made() -> None:
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes("web")
    executor.migrate(BEFORE)
    try:
        old = executor.loader.project_state(BEFORE).apps
        user = old.get_model("auth", "User").objects.create(username="harper")
        token_model = old.get_model("web", "ApiToken")
        now = timezone.now()
        made = {"stale": now - timedelta(days=91), "fresh": now - timedelta(days=89)}
        for name, at in made.items():
            digest = ApiToken.digest_of(name)
            token_model.objects.create(user=user, name=name, digest=digest, created_at=at)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)

    rows = {row.name: row for row in ApiToken.objects.all()}
    assert {name: row.expires_at - made[name] for name, row in rows.items()} == {
        "stale": timedelta(days=90),
        "fresh": timedelta(days=90),
    }
    assert user_for_token("stale") is None
    assert user_for_token("fresh") is not None
