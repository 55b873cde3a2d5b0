"""Screen 100,000 cases and time every org analytics query on a 1.5M-employee database.

Run with ``make bench-screen`` (or ``.venv/bin/python bench/screen_analytics.py``). For each
database, in a fresh process on a fresh database: the generated org's HRIS export and
``--cases`` case files are loaded (timed, reported) — the org's own (about 80,000 for 1.5
million people) topped up from a second, smaller generated org (its cases then belong to
people of the first with the same ids) — then, ``--rounds`` times each:

- baseline: the same ledgers loaded a batch at a time and folded, with no rules;
- screen: ``screen_cases`` as ``fairpivot screen`` runs it: loaded, folded, every rule,
  deadline and option, and the projections written back;

then, on each of the ``--days`` days after, the daily screen: 1% of the cases marked
changed since their review (their projection's ledger version set one behind), then
``screen_cases`` as ``fairpivot screen`` runs it (with the workers), reviewing only the
cases changed or whose review expired that day — timed against the same bare
load-and-fold of every case; then ``screen_org`` (the org-level codes) and each analytics
query (median of 5 runs)
against a full count of the employee table measured in the same run. ``ura_by_manager``
and adverse impact are also timed as they were computed before their fast paths
(tests/integration/analytics_before.py), on the same database, and their answers compared.
With ``--rounds 0`` the screen is run once, untimed, to bring the projections to the day,
and only the org-level codes and the queries are measured.
"""

from __future__ import annotations

import argparse
import functools
import os
import statistics
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from time import perf_counter
from typing import Any

from orgdata import (
    AS_OF,
    MEMORY_BUDGET_MB,
    child,
    databases,
    dataset,
    emit,
    median_seconds,
    peak_mb,
    setup_django,
    timed,
)

SCRIPT = Path(__file__).resolve()
TARGET_RATE, TARGET_RATIO, QUERY_BUDGET, DAILY_BUDGET = 10_000, 0.5, 1.0, 10.0
TOP_UP_EMPLOYEES = 400_000
CHUNK = 10_000  # case files checked and imported at a time


def main() -> int:
    """Measure on each database and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase", choices=["measure"])
    parser.add_argument("--employees", type=int, default=1_500_000)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--days", type=int, default=3)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--dir", type=Path)
    parser.add_argument("--top-up", type=Path)
    parser.add_argument(
        "--queries-on",
        type=Path,
        metavar="DIR",
        help="only time the queries again, on the SQLite database a run left in DIR",
    )
    args = parser.parse_args()
    if args.phase:
        emit(_measure(args.dir, args.top_up, args.cases, args.rounds, args.days))
        return 0
    if args.queries_on is not None:
        os.environ["FAIRPIVOT_DATA_DIR"] = str(args.queries_on)
        setup_django()
        _report_queries(_queries())
        return 0
    folder = dataset(args.employees, args.seed)
    top_up = dataset(TOP_UP_EMPLOYEES, args.seed + 1)
    names = args.databases.split(",")
    print(f"org of {args.employees:,} employees (seed {args.seed}), {args.cases:,} cases")
    with databases(names) as env:
        for database in names:
            extra = (
                "--dir",
                str(folder),
                "--top-up",
                str(top_up),
                "--cases",
                str(args.cases),
                "--rounds",
                str(args.rounds),
                "--days",
                str(args.days),
            )
            _report(database, child(SCRIPT, "measure", env(database, "screen"), *extra))
    return 0


def _report(database: str, r: dict[str, Any]) -> None:
    print(
        f"\n[{database}] setup: HRIS import {r['hris_seconds']:.1f} s; "
        f"{r['cases']:,} case files checked in {r['check_seconds']:.1f} s, "
        f"imported in {r['import_seconds']:.1f} s"
    )
    if r["rounds"]:
        _report_screen(r)
    else:
        print("  screen run once to bring the projections to the day, not timed (--rounds 0)")
    if r["daily"]:
        _report_daily(r)
    print(
        f"  org-level codes (screen_org):  {r['org_seconds']:.2f} s, {r['org_findings']} findings"
    )
    _report_queries(r)
    print(f"  peak memory {r['peak_mb']:,.0f} MB (budget {MEMORY_BUDGET_MB:,} MB)")


def _report_queries(r: dict[str, Any]) -> None:
    count_ms = r["count_seconds"] * 1000
    print(f"  baseline: a count of every employee row: {count_ms:.0f} ms")
    for name, seconds in r["queries"].items():
        flag = "ok" if seconds < QUERY_BUDGET else "OVER 1 s"
        print(
            f"  {name:34} {seconds * 1000:>7.0f} ms  {seconds / r['count_seconds']:>6.2f} x count"
            f"  {flag}"
        )
    for name, (seconds, same) in r["before"].items():
        answer = "same answer" if same else "DIFFERENT ANSWER"
        print(f"  before: {name:26} {seconds * 1000:>7.0f} ms  {answer} as now")


def _report_screen(r: dict[str, Any]) -> None:
    fold = r["cases"] / r["fold_seconds"]
    print(f"  baseline load+fold, no rules (1 process): {fold:>7,.0f} cases/s")
    for label, key in (("1 process", "screen_seconds"), ("workers", "parallel_seconds")):
        rate = r["cases"] / r[key]
        name = f"screen ({r['workers']} processes)" if label == "workers" else "screen (1 process)"
        print(f"  {name:40} {rate:>7,.0f} cases/s  ratio {rate / fold:.2f}")
    print(
        f"  (medians of {r['rounds']} rounds; targets {TARGET_RATE:,} cases/s and "
        f"{TARGET_RATIO} x the baseline)"
    )


def _report_daily(r: dict[str, Any]) -> None:
    fold = r["fold_seconds"]
    for day, seconds, reviewed, changed in r["daily"]:
        flag = "ok" if seconds < DAILY_BUDGET else f"OVER {DAILY_BUDGET} s"
        print(
            f"  daily screen {day}: {changed:,} changed, {reviewed:,} reviewed in "
            f"{seconds:.2f} s"
            + (f" ({seconds / fold:.2f} x a bare load-and-fold of every case)" if fold else "")
            + f"  {flag}"
        )
    seconds = statistics.median(d[1] for d in r["daily"])
    print(f"  daily screen, median of {len(r['daily'])} days: {seconds:.2f} s")


def _daily(clock_at: Callable[[date], Any], offset: int, workers: int) -> list[Any]:
    """One day's screen, ``offset`` days on, after 1% of the cases changed."""
    from django.db import connection  # noqa: PLC0415

    from fairpivot.records.screen.screening import screen_cases  # noqa: PLC0415

    day = AS_OF + timedelta(days=offset)
    with connection.cursor() as cursor:  # 1 case in 100, a different one each day
        cursor.execute(
            "UPDATE records_caseprojection SET case_version = case_version - 1 "
            "WHERE case_version > 0 AND case_id %% 100 = %s",
            [offset % 100],
        )
        changed = cursor.rowcount
    seconds, report = timed(lambda: screen_cases(clock_at(day), as_of=day, workers=workers))
    return [day.isoformat(), seconds, report.cases, changed]


def _measure(folder: Path, top_up: Path, count: int, rounds: int, days: int) -> dict[str, Any]:
    setup_django()
    from fairpivot.records.cases.transfer import check_files, import_many  # noqa: PLC0415
    from fairpivot.records.clock import FixedClock  # noqa: PLC0415
    from fairpivot.records.hris.importing import import_hris  # noqa: PLC0415
    from fairpivot.records.screen.screening import screen_cases, screen_org  # noqa: PLC0415

    clock = FixedClock(datetime.combine(AS_OF, time(12), tzinfo=UTC))
    hris_seconds, _ = timed(lambda: import_hris(folder, today=AS_OF))
    files = sorted((folder / "cases").glob("*.json"))
    files = (files + sorted((top_up / "cases").glob("*.json")))[:count]
    check_seconds = import_seconds = 0.0
    for start in range(0, len(files), CHUNK):  # a chunk at a time: checked files are big
        began = perf_counter()
        checked = check_files(files[start : start + CHUNK])
        checked_at = perf_counter()
        list(import_many(checked, clock))
        check_seconds += checked_at - began
        import_seconds += perf_counter() - checked_at
    folds, screens, parallel = [], [], []
    workers = os.cpu_count() or 1
    for _ in range(rounds):
        folds.append(timed(lambda: _bare_fold(clock))[0])
        screens.append(timed(lambda: screen_cases(clock, as_of=AS_OF, every_case=True))[0])
        parallel.append(
            timed(lambda: screen_cases(clock, as_of=AS_OF, every_case=True, workers=workers))[0]
        )
    if not rounds:
        screen_cases(clock, as_of=AS_OF, every_case=True, workers=workers)

    def clock_at(day: date) -> FixedClock:
        return FixedClock(datetime.combine(day, time(12), tzinfo=UTC))

    daily = [_daily(clock_at, offset, workers) for offset in range(1, days + 1)]
    org_seconds, org_findings = timed(lambda: screen_org(clock, AS_OF))
    return {
        "hris_seconds": hris_seconds,
        "cases": len(files),
        "check_seconds": check_seconds,
        "import_seconds": import_seconds,
        "rounds": rounds,
        "fold_seconds": statistics.median(folds) if rounds else None,
        "screen_seconds": statistics.median(screens) if rounds else None,
        "parallel_seconds": statistics.median(parallel) if rounds else None,
        "workers": workers,
        "daily": daily,
        "org_seconds": org_seconds,
        "org_findings": org_findings,
        **_queries(),
        "peak_mb": peak_mb(),
    }


def _queries() -> dict[str, Any]:
    """Each analytics query's median time, and the old computations' where there is one."""
    from fairpivot.records import analytics  # noqa: PLC0415

    top = analytics.top_orgs()[0]
    queries = {
        "ura_by_org (company)": lambda: analytics.ura_by_org(AS_OF),
        f"ura_by_org ({top})": lambda: analytics.ura_by_org(AS_OF, top),
        "ura_over_time (8 quarters)": lambda: analytics.ura_over_time(AS_OF),
        "ura_by_manager (top 20)": lambda: analytics.ura_by_manager(AS_OF),
        "funnel (company)": lambda: analytics.funnel(AS_OF),
        f"funnel ({top})": lambda: analytics.funnel(AS_OF, top),
        "impact sex": lambda: analytics.impact(AS_OF, dimension="sex"),
        "impact race_ethnicity": lambda: analytics.impact(AS_OF, dimension="race_ethnicity"),
        "impact age_band": lambda: analytics.impact(AS_OF, dimension="age_band"),
    }
    return {
        "before": _before(queries),
        "count_seconds": median_seconds(_count_employees, 5),
        "queries": {name: median_seconds(run, 5) for name, run in queries.items()},
    }


def _before(queries: dict[str, Any]) -> dict[str, tuple[float, bool]]:
    """The old computations of the queries that have a fast path: time, and same answer?"""
    from tests.integration import analytics_before as before  # noqa: PLC0415

    from fairpivot.records import analytics  # noqa: PLC0415

    def joined(dimension: str) -> Any:
        with before.impact_by_join():
            return analytics.impact(AS_OF, dimension=dimension)

    old: dict[str, Callable[[], Any]] = {
        "ura_by_manager (top 20)": lambda: before.ura_by_manager(AS_OF)
    }
    old |= {f"impact {d}": functools.partial(joined, d) for d in analytics.DIMENSIONS}
    return {name: (median_seconds(run, 5), run() == queries[name]()) for name, run in old.items()}


def _bare_fold(clock: Any) -> int:
    from fairpivot.domain.fold import fold  # noqa: PLC0415
    from fairpivot.records.ledger.chains import facts_by_case  # noqa: PLC0415
    from fairpivot.records.models import Case  # noqa: PLC0415
    from fairpivot.records.screen.projection import load_facts  # noqa: PLC0415
    from fairpivot.records.screen.screening import BATCH  # noqa: PLC0415

    ids = list(Case.objects.order_by("id").values_list("id", flat=True))
    stages = 0
    for start in range(0, len(ids), BATCH):
        for facts in facts_by_case(ids[start : start + BATCH]).values():
            loaded = load_facts(facts, AS_OF)
            stages += fold(loaded.file.events, loaded.policy).stage != ""
    return stages


def _count_employees() -> int:
    from django.db import connection  # noqa: PLC0415

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM records_employee")
        return int(cursor.fetchone()[0])


if __name__ == "__main__":
    raise SystemExit(main())
