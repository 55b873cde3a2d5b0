"""``bench/load.py`` against a real server, with tiny limits: every row, no errors.

The benchmark seeds its own demo in a temporary folder and serves it with ``fairpivot serve``
(gunicorn) on a free port; here it runs 40 requests per target at 2 and then 4 clients.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.e2e.server import ROOT

TARGETS = ("bare view", "case page", "review API")
ROW = re.compile(
    r"^(bare view|case page|review API)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)"
    r"\s+(\d+)\s+([\d.]+)$",
    re.MULTILINE,
)


def test_the_load_benchmark_measures_every_target_at_each_concurrency(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "bench/load.py", "--quick", "--requests", "40", "--clients", "2,4"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(tmp_path)},
        check=False,
        timeout=120,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    rows = {(target, int(clients)): rest for target, clients, *rest in ROW.findall(done.stdout)}
    assert set(rows) == {(target, clients) for target in TARGETS for clients in (2, 4)}, done.stdout
    for (target, clients), (requests, rps, _, _, errors, x_bare) in rows.items():
        assert int(requests) == 40, (target, clients)
        assert int(errors) == 0, (target, clients)
        assert float(rps) > 0, (target, clients)
        assert float(x_bare) > 0, (target, clients)
    assert float(rows["bare view", 2][5]) == 1.0
    assert "shares" in done.stdout or "same" in done.stdout  # the note on the client's CPU
    assert re.search(r"server peak memory < 4096 MB\s+\d+ MB\s+met", done.stdout), done.stdout
