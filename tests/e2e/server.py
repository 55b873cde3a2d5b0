"""Running ``fairpivot`` in real processes for the end-to-end tests: the command, its printed
logins, a free port, waiting for the server and stopping it with its workers."""

from __future__ import annotations

import os
import queue
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import IO

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
