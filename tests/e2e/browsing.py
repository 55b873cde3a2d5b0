"""What the browser tests share: the production server started on a demo, and Debian's
Chromium driven by Playwright (a failure, not a skip, under CI when it is missing)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.e2e.server import ROOT, STARTUP_SECONDS, free_port, status_of, stop

CHROMIUM = Path("/usr/bin/chromium")
# The machine has no network: without these, Chromium's background connections misbehave.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


@contextmanager
def serving(env: dict[str, str], folder: Path) -> Iterator[str]:
    """``fairpivot serve`` on a free port with ``env`` (its log in ``folder``), once it
    answers; its address. Stopped with its workers afterwards."""
    port = free_port()
    with (folder / "server.log").open("w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "fairpivot", "serve", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            cwd=ROOT,
            start_new_session=True,  # the server's workers share its group: stop them all
        )
        try:
            url = f"http://127.0.0.1:{port}"
            assert status_of(f"{url}/login/", time.monotonic() + STARTUP_SECONDS) == 200
            yield url
        finally:
            stop(process)


@contextmanager
def chromium() -> Iterator[Browser]:
    """Debian's headless Chromium, closed when Playwright stops."""
    if not CHROMIUM.exists():
        reason = f"the browser tests need Chromium at {CHROMIUM} (Debian's chromium package)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    with sync_playwright() as playwright:
        yield playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
