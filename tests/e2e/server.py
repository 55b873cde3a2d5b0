"""Running ``fairpivot`` in real processes for the end-to-end tests: the command, its printed
logins, a free port, waiting for the server and stopping it with its workers."""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import pytest

ROOT = Path(__file__).resolve().parents[2]  # the checkout: ``python -m tests...`` runs here
ROLES = {"employee", "manager", "hr", "panelist", "counsel", "admin"}
STARTUP_SECONDS = 60
LOGIN_LINE = re.compile(r"^\s+(\w+)\s+(demo-\w+)\s+(\S+)$", re.MULTILINE)


def fairpivot(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run ``fairpivot`` to completion in a fresh process."""
    return python(env, "-m", "fairpivot", *args)


def python(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run this Python to completion in a fresh process, in the checkout."""
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
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


@dataclass(frozen=True)
class Demo:
    """A demo made once by ``fairpivot demo --no-serve``, handed out as fresh copies.

    Each browser test module starts from a demo of its own. Making one (migrating an empty
    database, then seeding the org and acting out its cases) takes seconds, the same for
    every module; a copy of the first (its data folder, and on PostgreSQL a database made
    from it as a template) is the same demo with the same logins.
    """

    folder: Path  # the data folder it was made in
    database: str  # its PostgreSQL database's name; "" on SQLite
    output: str  # what ``fairpivot demo`` printed: the logins
    postgres: Any

    def copy(self, folder: Path) -> tuple[dict[str, str], str]:
        """A copy in ``folder``: the environment of a ``fairpivot`` process that uses it,
        and the logins the demo printed."""
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(NO_COLOR="1", FAIRPIVOT_DATA_DIR=str(folder / "data"))
        shutil.copytree(self.folder, folder / "data")
        if self.database:
            name = f"fp_{uuid.uuid4().hex}"
            env["DATABASE_URL"] = self.postgres.create_database(name, template=self.database)
        return env, self.output


def made_demo(folder: Path, postgres: Any) -> Demo:
    """``fairpivot demo --no-serve`` in ``folder`` (on PostgreSQL when given a server)."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(NO_COLOR="1", FAIRPIVOT_DATA_DIR=str(folder))
    database = ""
    if postgres is not None:
        database = f"fp_demo_{uuid.uuid4().hex}"
        env["DATABASE_URL"] = postgres.create_database(database)
    made = fairpivot(env, "demo", "--no-serve")
    assert made.returncode == 0, made.stderr
    return Demo(folder, database, made.stdout, postgres)
