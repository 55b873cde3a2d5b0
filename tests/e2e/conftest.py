"""Fixtures shared by the end-to-end tests: the record commands' database, and the demo
the browser tests start from."""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.server import Demo, made_demo


@pytest.fixture
def record_env(tmp_path: Path, database_vendor: str, postgres_server: Any) -> dict[str, str]:
    """The environment of a ``fairpivot`` process that uses this test's own, empty database."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(NO_COLOR="1", COLUMNS="100", FAIRPIVOT_DATA_DIR=str(tmp_path / "data"))
    if database_vendor == "postgres":
        env["DATABASE_URL"] = postgres_server.create_database(f"fp_{uuid.uuid4().hex}")
    return env


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory, postgres_server: Any) -> Demo:
    """The demo on the run's database, made once per test process (per pytest-xdist
    worker); a module using it runs in the PostgreSQL pass too."""
    return made_demo(tmp_path_factory.mktemp("demo") / "data", postgres_server)


@pytest.fixture(scope="session")
def sqlite_demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The demo on SQLite, made once per test process, for the browser tests that run in
    the SQLite pass alone."""
    return made_demo(tmp_path_factory.mktemp("sqlite-demo") / "data", None)
