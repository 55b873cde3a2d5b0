"""``fairpivot demo`` as a person runs it: it seeds, prints a login per role, and serves.

Each test uses its own data folder (SQLite), or with ``--db=postgres`` its own database on
the throwaway server.
"""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.server import (
    ROLES,
    STARTUP_SECONDS,
    fairpivot,
    free_port,
    logins,
    output_until,
    read_lines,
    status_of,
    stop,
)


@pytest.fixture
def demo_env(tmp_path: Path, database_vendor: str, postgres_server: Any) -> dict[str, str]:
    """The environment of a ``fairpivot`` process with its own, empty database."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(NO_COLOR="1", FAIRPIVOT_DATA_DIR=str(tmp_path / "data"))
    if database_vendor == "postgres":
        env["DATABASE_URL"] = postgres_server.create_database(f"fp_{uuid.uuid4().hex}")
    return env


def test_it_serves_the_demo_with_a_login_per_role(demo_env: dict[str, str], tmp_path: Path) -> None:
    port = free_port()
    with (tmp_path / "server.log").open("w") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "fairpivot", "demo", "--port", str(port)],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            env=demo_env,
            start_new_session=True,
        )
        try:
            assert process.stdout is not None
            lines: queue.Queue[str | None] = queue.Queue()
            threading.Thread(target=read_lines, args=(process.stdout, lines), daemon=True).start()
            deadline = time.monotonic() + STARTUP_SECONDS
            printed = output_until(lines, "Serving", deadline)
            assert set(logins(printed)) == ROLES
            assert status_of(f"http://127.0.0.1:{port}/admin/login/", deadline) == 200
        finally:
            stop(process)
    verified = fairpivot(demo_env, "ledger", "verify")
    assert verified.returncode == 0, verified.stderr
    assert "ledger verified" in verified.stdout


def test_it_sets_up_without_serving_and_gives_new_passwords_each_run(
    demo_env: dict[str, str],
) -> None:
    first = fairpivot(demo_env, "demo", "--no-serve")
    second = fairpivot(demo_env, "demo", "--no-serve")
    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    before, after = logins(first.stdout), logins(second.stdout)
    assert set(before) == set(after) == ROLES
    assert all(before[role][0] == after[role][0] for role in ROLES)
    assert all(before[role][1] != after[role][1] for role in ROLES)
    assert "Serving" not in second.stdout
