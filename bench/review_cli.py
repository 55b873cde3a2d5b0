"""Wall time of ``fairpivot review FILE``, process start included, against a bare interpreter.

Run with ``make bench`` (or ``.venv/bin/python bench/review_cli.py --runs 30``). Prints the
median and 90th percentile of each command over ``--runs`` fresh processes, and the ratio
of each median to the bare ``python -c pass`` baseline measured in the same run. The budget
for one review is 0.3 s of wall time.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "tests" / "fixtures" / "examples"
BUDGET_SECONDS = 0.3

# A failed plan with an appeal window: the one path that loads the holidays calendar.
APPEAL_CASE = {
    "format": "fairpivot.casefile/1",
    "as_of": "2025-12-01",
    "employee": {
        "id": "E-9",
        "name": "Bench Case",
        "birth_date": "1975-05-05",
        "hire_date": "2018-02-01",
        "manager": "M-9",
        "work_state": "WA",
        "base_salary": 150000,
    },
    "people": [{"id": "M-9", "name": "Manager", "role": "manager"}],
    "protected_activities": [
        {"date": "2025-06-01", "kind": "fmla_leave", "end_date": "2025-07-01", "known_to": ["M-9"]}
    ],
    "events": [
        {"date": "2025-07-10", "type": "focus_started", "disclosed": False},
        {
            "date": "2025-09-01",
            "type": "pivot_offered",
            "decision_days": 5,
            "offer": {"tier": 1, "amount": 30000, "consideration_days": 5, "revocation_days": 0},
            "plan": {
                "start": "2025-09-08",
                "end": "2025-10-20",
                "goals": [{"text": "Goal"}],
                "checkin_every_days": 7,
            },
        },
        {"date": "2025-09-05", "type": "option_chosen", "option": "plan"},
        {"date": "2025-10-20", "type": "plan_failed", "appeal_days": 3},
    ],
}


def measure(command: list[str], runs: int) -> list[float]:
    """Wall seconds of ``runs`` fresh processes of ``command`` (one warm-up run first)."""
    subprocess.run(command, capture_output=True, check=True)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - start)
    return times


def main() -> int:
    """Measure, print a table, and exit 1 if a median is over the budget."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    fairpivot = shutil.which("fairpivot", path=str(Path(sys.executable).parent))
    if fairpivot is None:
        print("fairpivot is not installed beside this interpreter; run `make bench`")
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        appeal = Path(scratch) / "failed-plan-appeal.json"
        appeal.write_text(json.dumps(APPEAL_CASE))
        cases = [*sorted(p for p in EXAMPLES.glob("*.json") if ".expect." not in p.name), appeal]
        commands = {"baseline: python -c pass": [sys.executable, "-c", "pass"]}
        for case in cases:
            commands[f"review {case.stem} --json"] = [fairpivot, "review", str(case), "--json"]
            commands[f"review {case.stem}"] = [fairpivot, "review", str(case)]
        results = {name: measure(command, args.runs) for name, command in commands.items()}
    baseline = statistics.median(results["baseline: python -c pass"])
    print(f"{args.runs} runs each; wall time per process, seconds\n")
    print(f"{'command':<46} {'median':>8} {'p90':>8} {'x baseline':>11}")
    over = False
    for name, times in results.items():
        median = statistics.median(times)
        p90 = statistics.quantiles(times, n=10)[-1]
        flag = ""
        if name.startswith("review") and median > BUDGET_SECONDS:
            flag, over = "  OVER BUDGET", True
        print(f"{name:<46} {median:>8.3f} {p90:>8.3f} {median / baseline:>10.1f}x{flag}")
    print(f"\nbudget: {BUDGET_SECONDS} s per review, process start included")
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
