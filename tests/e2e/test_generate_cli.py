"""``fairpivot generate`` as a person runs it: one line per bad flag, files for good ones."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run ``fairpivot generate`` in a fresh process."""
    return subprocess.run(
        [sys.executable, "-m", "fairpivot", "generate", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
        timeout=120,
    )


def test_it_writes_an_org_and_reports_it_on_one_line(tmp_path: Path) -> None:
    out = tmp_path / "org"
    result = run("--employees", "1200", "--seed", "5", "--out", str(out), "--as-of", "2025-06-30")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert "1200 employees" in line
    assert "cases" in line
    assert " s " in line
    assert (out / "employees.csv").read_text().count("\n") == 1201
    assert json.loads((out / "patterns.json").read_text())
    assert any((out / "cases").glob("*.json"))


@pytest.mark.parametrize(
    ("args", "flag"),
    [
        (["--employees", "9", "--seed", "1"], "--employees"),
        (["--employees", "5000001", "--seed", "1"], "--employees"),
        (["--employees", "many", "--seed", "1"], "--employees"),
        (["--employees", "100", "--seed", "x"], "--seed"),
        (["--employees", "100", "--seed", "1", "--as-of", "2025-02-30"], "--as-of"),
        (["--employees", "100", "--seed", "1", "--plant", "maybe"], "--plant"),
    ],
)
def test_it_exits_two_with_one_line_naming_the_bad_flag(
    tmp_path: Path, args: list[str], flag: str
) -> None:
    result = run(*args, "--out", str(tmp_path / "org"))
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"fairpivot: {flag}: ")
    assert not (tmp_path / "org").exists()


def test_it_writes_the_org_with_nothing_planted_on_request(tmp_path: Path) -> None:
    out = tmp_path / "org"
    result = run("--employees", "2500", "--seed", "5", "--out", str(out), "--plant", "none")
    assert result.returncode == 0, result.stderr
    [line] = result.stderr.splitlines()
    assert "0 patterns (--plant none)" in line
    assert json.loads((out / "patterns.json").read_text()) == []


def test_it_refuses_an_output_folder_with_files_in_it(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("keep me")
    result = run("--employees", "100", "--seed", "1", "--out", str(tmp_path))
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("fairpivot: --out: ")
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]
