"""What the org-scale benchmarks share: the generated org, fresh databases, child processes.

Each measured phase runs in a fresh child process on a fresh database (Django reads its
settings once per process), prints one JSON line, and reports its own peak memory.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CACHE = ROOT / "var" / "bench"
AS_OF = date(2026, 11, 1)  # fixed, so every run generates the same org
MEMORY_BUDGET_MB = 4096


def dataset(employees: int, seed: int) -> Path:
    """The generated org of this size and seed, written once and kept under var/bench."""
    folder = CACHE / f"org-{employees}-seed{seed}"
    if not (folder / "patterns.json").exists():
        if folder.exists():
            subprocess.run(["rm", "-rf", str(folder)], check=True)
        folder.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "fairpivot",
                "generate",
                "--employees",
                str(employees),
                "--seed",
                str(seed),
                "--as-of",
                AS_OF.isoformat(),
                "--out",
                str(folder),
            ],
            check=True,
        )
    return folder


@contextmanager
def databases(names: list[str]) -> Iterator[Callable[[str, str], dict[str, str]]]:
    """Yield a maker of fresh-database environments: ``env(database, label)``."""
    server = None
    if "postgres" in names:
        from tests.pgserver import start  # noqa: PLC0415

        server = start()
    made = 0

    def env(database: str, label: str) -> dict[str, str]:
        nonlocal made
        made += 1
        out = dict(os.environ)
        out["FAIRPIVOT_DATA_DIR"] = tempfile.mkdtemp(prefix=f"fairpivot-bench-{label}-")
        out.pop("DATABASE_URL", None)
        if database == "postgres":
            assert server is not None
            out["DATABASE_URL"] = server.create_database(f"bench_{label}_{made}")
        return out

    try:
        yield env
    finally:
        if server is not None:
            server.stop()


def child(script: Path, phase: str, env: dict[str, str], *args: str) -> dict[str, Any]:
    """Run one phase of a benchmark in a fresh process; return the JSON it printed last."""
    done = subprocess.run(
        [sys.executable, str(script), "--phase", phase, *args],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def setup_django() -> None:
    """Start Django in this (child) process on the database its environment names."""
    from fairpivot.config.bootstrap import setup_django as setup  # noqa: PLC0415

    setup()
    from fairpivot.records.schema import migrate  # noqa: PLC0415

    migrate()


def peak_mb() -> float:
    """This process's peak resident memory, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed(run: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds ``run`` took, and what it returned."""
    started = time.perf_counter()
    value = run()
    return time.perf_counter() - started, value


def median_seconds(run: Callable[[], Any], times: int) -> float:
    """The median of ``times`` timings of ``run``."""
    return statistics.median(timed(run)[0] for _ in range(times))


def emit(result: dict[str, Any]) -> None:
    """Print a phase's result as the one JSON line the parent reads."""
    print(json.dumps(result), flush=True)
