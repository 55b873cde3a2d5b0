"""``.ci/run`` by hand is CI all the same: it sets ``CI=true`` unless told otherwise.

Without it, a run by hand on a machine without PostgreSQL or Chromium would skip those
tests and pass. The script runs for real here, in a copy whose ``make`` (and the
installers it might call) are stand-ins that only say what they were given.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).parents[2] / ".ci" / "run"
STAND_IN = '#!/bin/sh\necho "$(basename "$0") CI=${CI-unset} $*"\n'


def run_ci(tmp_path: Path, **env: str) -> str:
    """Run a copy of .ci/run with stand-ins for make, initdb and apt-get; its output."""
    (tmp_path / ".ci").mkdir()
    shutil.copy(SCRIPT, tmp_path / ".ci" / "run")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("make", "initdb", "apt-get"):
        (bin_dir / name).write_text(STAND_IN)
        (bin_dir / name).chmod(0o755)
    environment = {k: v for k, v in os.environ.items() if k != "CI"}
    environment.update(PATH=f"{bin_dir}:{os.environ['PATH']}", **env)
    done = subprocess.run(
        ["bash", str(tmp_path / ".ci" / "run")],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return done.stdout


def test_it_runs_the_tests_as_ci_when_run_by_hand(tmp_path: Path) -> None:
    assert "make CI=true test" in run_ci(tmp_path)


@pytest.mark.parametrize("value", ["true", "false"])
def test_it_keeps_a_ci_value_it_was_given(tmp_path: Path, value: str) -> None:
    assert f"make CI={value} test" in run_ci(tmp_path, CI=value)
