"""Fixtures shared by the end-to-end tests of the record commands."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def record_env(tmp_path: Path, database_vendor: str, postgres_server: Any) -> dict[str, str]:
    """The environment of a ``fairpivot`` process that uses this test's own, empty database."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(NO_COLOR="1", COLUMNS="100", FAIRPIVOT_DATA_DIR=str(tmp_path / "data"))
    if database_vendor == "postgres":
        env["DATABASE_URL"] = postgres_server.create_database(f"fp_{uuid.uuid4().hex}")
    return env
