"""Import generated case files into SQLite and PostgreSQL, against a bare insert of their rows.

Run with ``make bench-import-cases`` (or ``.venv/bin/python bench/import_cases.py``). The
case files are the first ``--cases`` of a generated org's (by file name). For each
database, ``--rounds`` times, each way in a fresh process on a fresh database:

- baseline: exactly the ledger rows the files become — each case's head row and entries,
  each person's history head and entries — worked out before the clock starts (read,
  split, hashed, the person entries deduplicated as the import does) and inserted by the
  driver alone: one ``executemany`` per table per batch of ``--batch`` cases, a
  transaction per batch, no checks, no reviews;
- fairpivot: ``fairpivot import FILE...`` run in the process: every file read and checked
  first, then a transaction per batch of cases (the cases, their chains, the person
  histories), then the reviews of the new cases and their projections (in ``--workers``
  processes once there are 5,000 cases). The command prints how long the reviews took;
  the import's time is the whole command's less that, and both are printed.

Both leave the same number of rows in the ledger tables, which the run checks, and the
import a projection for every case. Prints cases/s for each round, their medians and the
ratio of the medians (fairpivot / baseline): of the import alone, and of the whole command
with its reviews.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import re
import statistics
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from orgdata import MEMORY_BUDGET_MB, child, databases, dataset, emit, peak_mb, setup_django, timed

SCRIPT = Path(__file__).resolve()
TARGET_RATIO = 0.5
TARGET_RATE = 223  # cases/s: issue 11's 20,000 files in 90 s
MOMENT = datetime(2026, 11, 1, 12, tzinfo=UTC)
LEDGER_TABLES = (
    "records_case",
    "records_ledgerentry",
    "records_personhistory",
    "records_historyentry",
)
REVIEWED = "records_caseprojection"


def main() -> int:
    """Measure both ways on each database, ``--rounds`` times, and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phase", choices=["fairpivot", "baseline"])
    parser.add_argument("--cases", type=int, default=20_000)
    parser.add_argument("--employees", type=int, default=400_000)
    parser.add_argument("--seed", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--dir", type=Path)
    args = parser.parse_args()
    if args.phase:
        files = sorted((args.dir / "cases").glob("*.json"))[: args.cases]
        emit(_phase(args.phase, files, args.batch, args.workers))
        return 0
    folder = dataset(args.employees, args.seed)
    count = len(sorted((folder / "cases").glob("*.json"))[: args.cases])
    names = args.databases.split(",")
    print(
        f"case-file import of {count:,} files from {folder} "
        f"({args.employees:,} employees, seed {args.seed}), {args.batch} cases a transaction, "
        f"reviews in {args.workers} process(es); the load average was {_load()} at the start"
    )
    print(
        f"{'database':10} {'round':>5} {'way':10} {'seconds':>8} {'cases/s':>8} "
        f"{'+review s':>9} {'total s':>8} {'peak MB':>8}"
    )
    extra = (
        *("--dir", str(folder), "--cases", str(args.cases)),
        *("--batch", str(args.batch), "--workers", str(args.workers)),
    )
    with databases(names) as env:
        for database in names:
            rates: dict[str, list[float]] = {"baseline": [], "fairpivot": [], "total": []}
            reviews: list[float] = []
            for round_ in range(1, args.rounds + 1):
                for way in ("baseline", "fairpivot"):
                    result = child(SCRIPT, way, env(database, f"{way[:4]}{round_}"), *extra)
                    review = result.get("review_seconds", 0.0)
                    seconds = result["seconds"] - review
                    rates[way].append(result["cases"] / seconds)
                    _check_rows(result["rows"], way)
                    more = f"{review:>9.1f} {result['seconds']:>8.1f}" if way == "fairpivot" else ""
                    if way == "fairpivot":
                        reviews.append(review)
                        rates["total"].append(result["cases"] / result["seconds"])
                    print(
                        f"{database:10} {round_:>5} {way:10} {seconds:>8.1f} "
                        f"{rates[way][-1]:>8,.0f} {more or ' ' * 18} {result['peak_mb']:>8,.0f}"
                    )
            base, ours, whole = (statistics.median(rates[w]) for w in rates)
            print(
                f"{database:10} median baseline {base:,.0f} cases/s, fairpivot import "
                f"{ours:,.0f} cases/s, ratio {ours / base:.2f} (target >= {TARGET_RATIO}); "
                f"then its reviews {statistics.median(reviews):.1f} s: with them "
                f"{whole:,.0f} cases/s, ratio {whole / base:.2f}"
            )
    print(
        f"targets: fairpivot >= {TARGET_RATIO} x the baseline's cases/s, >= {TARGET_RATE} "
        f"cases/s; peak memory < {MEMORY_BUDGET_MB:,} MB"
    )
    return 0


_ROWS: dict[str, Any] = {}


def _check_rows(rows: dict[str, int], way: str) -> None:
    """Stop the run if the two ways did not write the same number of ledger rows."""
    if way == "baseline":
        _ROWS["baseline"] = rows
    elif rows != _ROWS["baseline"]:
        raise SystemExit(f"the import wrote {rows}, the baseline {_ROWS['baseline']}")


def _phase(phase: str, files: list[Path], batch: int, workers: int) -> dict[str, Any]:
    setup_django()
    out: dict[str, Any] = {"cases": len(files)}
    if phase == "fairpivot":
        out["seconds"], out["review_seconds"] = timed(lambda: _fairpivot_import(files, workers))
        reviewed = _counts((REVIEWED,))[REVIEWED]
        if reviewed != len(files):
            raise SystemExit(f"the import stored {reviewed} projections for {len(files)} cases")
    else:
        batches = _bare_rows(files, batch)  # before the clock starts: the rows are given
        out["seconds"], _ = timed(lambda: _bare_insert(batches))
    return {**out, "rows": _counts(), "peak_mb": peak_mb()}


def _fairpivot_import(files: list[Path], workers: int) -> float:
    """Run the command; return the seconds its reviews took, as it printed them."""
    from fairpivot.cli.main import main as fairpivot  # noqa: PLC0415

    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        status = fairpivot(["import", "--workers", str(workers), *map(str, files)])
    if status != 0:
        raise SystemExit(f"fairpivot import exited {status}")
    said = output.getvalue().splitlines()[-1]
    found = re.fullmatch(r"reviewed (\d+) case\(s\) in (\d+\.\d+) s", said)
    if found is None or int(found[1]) != len(files):
        raise SystemExit(f"the import did not review every case: {said!r}")
    return float(found[2])


Batch = dict[str, list[tuple[Any, ...]]]


def _bare_rows(files: list[Path], size: int) -> list[Batch]:
    """The rows of each table, a batch of cases at a time, as the import would write them."""
    import hashlib  # noqa: PLC0415

    import msgspec  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415

    from fairpivot.domain.casefile.entries import PERSON_KINDS, same_fact, split  # noqa: PLC0415
    from fairpivot.domain.ledger import GENESIS  # noqa: PLC0415
    from fairpivot.records.ledger.chains import links  # noqa: PLC0415
    from fairpivot.records.models import history_chain  # noqa: PLC0415

    moment = connection.ops.adapt_datetimefield_value(MOMENT)
    people: dict[str, tuple[int, list[tuple[str, Any]], Counter[str]]] = {}
    where: dict[str, int] = {}  # the batch each person's history is first written in
    batches: list[Batch] = []
    for number, path in enumerate(files, start=1):
        if (number - 1) % size == 0:
            batches.append({"cases": [], "entries": [], "people": [], "history": []})
        data = path.read_bytes()
        raw = msgspec.json.decode(data)
        entries = split(raw)
        ref = raw["employee"]["id"]
        chained = links(f"C-{number}", entries, "import", MOMENT, after=0, head=GENESIS)
        batches[-1]["cases"].append(
            (
                number,
                ref,
                raw["policy"],
                len(chained),
                chained[-1]["hash"],
                moment,
                hashlib.sha256(data).hexdigest(),
            )
        )
        batches[-1]["entries"] += [
            (
                number,
                r["seq"],
                r["kind"],
                r["payload"],
                r["recorded_by"],
                moment,
                r["prev_hash"],
                r["hash"],
            )
            for r in chained
        ]
        known = people.setdefault(ref, (len(people) + 1, [], Counter()))
        where.setdefault(ref, len(batches) - 1)
        # As the import: a person entry the history holds is not added again, but a file
        # holding two equal entries needs two (transfer.History).
        recorded = Counter(known[2])
        for kind, payload in entries:
            if kind in PERSON_KINDS:
                fact = same_fact(kind, payload)
                if recorded[fact] > 0:
                    recorded[fact] -= 1
                else:
                    known[1].append((kind, payload))
                    known[2][fact] += 1
    for ref, (pk, facts, _) in people.items():
        if not facts:
            continue
        rows = links(history_chain(ref), facts, "import", MOMENT, after=0, head=GENESIS)
        target = batches[where[ref]]
        target["people"].append((pk, ref, len(rows), rows[-1]["hash"]))
        target["history"] += [
            (
                pk,
                r["seq"],
                r["kind"],
                r["payload"],
                r["recorded_by"],
                moment,
                r["prev_hash"],
                r["hash"],
            )
            for r in rows
        ]
    return batches


_INSERTS = {
    "cases": "INSERT INTO records_case (id, employee_ref, policy, version, head_hash, opened_at, "
    "source_digest) VALUES ({})",
    "people": "INSERT INTO records_personhistory (id, employee_ref, version, head_hash) "
    "VALUES ({})",
    "entries": "INSERT INTO records_ledgerentry (case_id, seq, kind, payload, recorded_by, "
    "recorded_at, prev_hash, hash) VALUES ({})",
    "history": "INSERT INTO records_historyentry (history_id, seq, kind, payload, recorded_by, "
    "recorded_at, prev_hash, hash) VALUES ({})",
}


def _bare_insert(batches: list[Batch]) -> None:
    from django.db import connection, transaction  # noqa: PLC0415

    mark = "?" if connection.vendor == "sqlite" else "%s"
    connection.ensure_connection()
    for batch in batches:
        with transaction.atomic():
            cursor = connection.connection.cursor()
            for table, sql in _INSERTS.items():
                rows = batch[table]
                if rows:
                    cursor.executemany(sql.format(", ".join([mark] * len(rows[0]))), rows)


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def _counts(tables: tuple[str, ...] = LEDGER_TABLES) -> dict[str, int]:
    from django.db import connection  # noqa: PLC0415

    with connection.cursor() as cursor:
        out = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608
            out[table] = int(cursor.fetchone()[0])
        return out


if __name__ == "__main__":
    raise SystemExit(main())
