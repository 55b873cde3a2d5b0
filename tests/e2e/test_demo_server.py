"""``fairpivot demo`` as a person runs it: it seeds, prints a login per role, and serves.

Each test uses its own data folder (SQLite), or with ``--db=postgres`` its own database on
the throwaway server.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import IO, Any

import pytest

ROLES = {"employee", "manager", "hr", "panelist", "counsel", "admin"}
STARTUP_SECONDS = 60
LOGIN_LINE = re.compile(r"^\s+(\w+)\s+(demo-\w+)\s+(\S+)$", re.MULTILINE)


@pytest.fixture
def demo_env(tmp_path: Path, database_vendor: str, postgres_server: Any) -> dict[str, str]:
    """The environment of a ``fairpivot`` process with its own, empty database."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(NO_COLOR="1", FAIRPIVOT_DATA_DIR=str(tmp_path / "data"))
    if database_vendor == "postgres":
        env["DATABASE_URL"] = postgres_server.create_database(f"fp_{uuid.uuid4().hex}")
    return env


def fairpivot(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``fairpivot`` to completion in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "fairpivot", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )


def logins(output: str) -> dict[str, tuple[str, str]]:
    """The printed logins: role to (username, password)."""
    return {role: (user, password) for role, user, password in LOGIN_LINE.findall(output)}


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def read_lines(stream: IO[str], lines: queue.Queue[str | None]) -> None:
    """Pass a process's output on line by line, then None when it closes."""
    for line in stream:
        lines.put(line)
    lines.put(None)


def output_until(lines: queue.Queue[str | None], marker: str, deadline: float) -> str:
    """The output up to and including the first line holding ``marker``."""
    seen: list[str] = []
    while True:
        try:
            line = lines.get(timeout=max(deadline - time.monotonic(), 0.01))
        except queue.Empty:
            pytest.fail(f"no {marker!r} line in time; output so far:\n{''.join(seen)}")
        if line is None:
            pytest.fail(f"the process ended before {marker!r}; output:\n{''.join(seen)}")
        seen.append(line)
        if marker in line:
            return "".join(seen)


def status_of(url: str, deadline: float) -> int:
    """The HTTP status of GET ``url``, retrying until the server listens or time is up."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (our URL)
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return exc.code
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def stop(process: subprocess.Popen[str]) -> None:
    """Stop the server and its workers: the whole process group it leads."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=20)


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
