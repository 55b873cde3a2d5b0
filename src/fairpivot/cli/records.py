"""Commands on the system of record: migrate, import, export, ledger verify/rebuild/checkpoint.

Each starts Django only when run, so ``fairpivot review`` never pays for it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fairpivot.cli.arguments import workers_argument

EXIT_OK, EXIT_FAILED = 0, 1


def add_commands(commands: Any) -> None:
    """Register the record-keeping sub-commands on the main parser."""
    commands.add_parser("migrate", help="apply database migrations")

    importer = commands.add_parser("import", help="load case files into the record")
    importer.add_argument("files", nargs="+", type=Path, metavar="FILE")
    importer.add_argument(
        "--workers",
        type=workers_argument,
        default=os.cpu_count() or 1,
        metavar="N",
        help="review the imported cases in N processes when there are many (default: one per CPU)",
    )

    exporter = commands.add_parser("export", help="write a case back out as a case file")
    exporter.add_argument("ident", metavar="ID", help="a case id (C-42) or an employee id")
    exporter.add_argument("--output", type=Path, metavar="FILE", help="write here, not stdout")
    exporter.add_argument(
        "--ledger",
        type=Path,
        metavar="FILE",
        help="also write the case's ledger, entries and hashes, to FILE",
    )

    ledger = commands.add_parser("ledger", help="verify, rebuild or checkpoint the ledger")
    actions = ledger.add_subparsers(dest="action", required=True, metavar="ACTION")
    verify = actions.add_parser("verify", help="check every case's hash chain")
    verify.add_argument(
        "--checkpoint", metavar="HASH", help="also prove nothing before this checkpoint has changed"
    )
    verify.add_argument(
        "--file",
        type=Path,
        metavar="FILE",
        help="check an exported ledger file instead of the database",
    )
    actions.add_parser("rebuild", help="recompute every case's projection from its ledger")
    actions.add_parser("checkpoint", help="store and print a root hash over every chain")


def run(args: argparse.Namespace) -> int:
    """Run one record-keeping command."""
    if args.command == "ledger" and args.action == "verify" and args.file:
        return _verify_file(args.file)
    from fairpivot.config.bootstrap import setup_django  # noqa: PLC0415

    setup_django()
    from fairpivot.records import schema  # noqa: PLC0415

    if args.command == "migrate":
        schema.migrate()
        print("fairpivot: database is up to date")
        return EXIT_OK
    if args.command == "import":
        return _import(args.files, schema.ensure_schema, args.workers)
    if args.command == "export":
        return _export(args.ident, args.output, args.ledger)
    return _ledger(args)


def _import(files: list[Path], ensure_schema: Callable[[], bool], workers: int) -> int:
    from fairpivot.cli.text import not_text  # noqa: PLC0415
    from fairpivot.domain.errors import InvalidInput  # noqa: PLC0415
    from fairpivot.records.cases.transfer import check_files, record_many  # noqa: PLC0415
    from fairpivot.records.clock import SYSTEM_CLOCK  # noqa: PLC0415
    from fairpivot.records.screen.imported import ToReview, review_moved  # noqa: PLC0415

    started = time.perf_counter()
    problems = []
    for path in files:
        try:
            problems += not_text(path.read_bytes(), f"{path}: ")
        except OSError:
            continue  # check_files names it
    if problems:
        raise InvalidInput(problems)
    checked = check_files(files)  # every file is checked before anything is written
    ensure_schema()
    created, todo = 0, ToReview()
    for batch in record_many(checked, SYSTEM_CLOCK):
        for result in batch.results:
            verb = "imported" if result.created else "already imported"
            print(f"{verb} {result.path} as {result.case.ref}", flush=True)
            created += result.created
        todo.add(batch.moved, batch.new)
    recorded = time.perf_counter()
    # Printed before the reviews: should they not finish, what was recorded stays recorded,
    # and each case is reviewed on opening or by the next ``fairpivot screen``.
    print(
        f"recorded {created} new case(s) from {len(files)} file(s) in "
        f"{recorded - started:.1f} s (checked, then written)",
        flush=True,
    )
    reviewed = review_moved(todo, SYSTEM_CLOCK, workers)
    print(f"reviewed {reviewed.cases} case(s) in {reviewed.seconds:.1f} s", flush=True)
    return EXIT_OK


def _export(ident: str, output: Path | None, ledger_file: Path | None) -> int:
    from fairpivot.domain.ledger import ledger_document  # noqa: PLC0415
    from fairpivot.records.cases.transfer import export_case, export_ledger, find_case  # noqa: PLC0415

    case = find_case(ident)
    document = json.dumps(export_case(case), indent=2, ensure_ascii=False) + "\n"
    if ledger_file is not None:
        text = json.dumps(
            ledger_document(case.ref, export_ledger(case)), indent=2, ensure_ascii=False
        )
        _write(ledger_file, text + "\n")
    if output is None:
        sys.stdout.write(document)
    else:
        _write(output, document)
    return EXIT_OK


def _write(path: Path, text: str) -> None:
    from fairpivot.domain.errors import InvalidInput  # noqa: PLC0415

    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(
            [f"{path}: cannot write ({(exc.strerror or 'error').lower()})"]
        ) from None


def _ledger(args: argparse.Namespace) -> int:
    from fairpivot.records.clock import SYSTEM_CLOCK  # noqa: PLC0415
    from fairpivot.records.ledger import chains  # noqa: PLC0415
    from fairpivot.records.screen import projection, screening  # noqa: PLC0415

    if args.action == "rebuild":
        count = screening.rebuild_all(SYSTEM_CLOCK)
        print(f"rebuilt the projections of {count} case(s) from their ledgers")
        return EXIT_OK
    if args.action == "checkpoint":
        checkpoint = chains.take_checkpoint("fairpivot ledger checkpoint", SYSTEM_CLOCK)
        print(checkpoint.root_hash)
        return EXIT_OK
    result = chains.verify_all()
    problems = [str(b) for b in result.breaks]
    if args.checkpoint:
        problems += chains.verify_checkpoint(args.checkpoint)
    for problem in problems:
        print(f"fairpivot: ledger broken: {problem}", file=sys.stderr)
    if problems:
        return EXIT_FAILED
    proof = f"; nothing before checkpoint {args.checkpoint} has changed" if args.checkpoint else ""
    print(
        f"ledger verified: {result.cases} case(s), {result.people} person ledger(s), "
        f"{result.entries} entries{proof}"
    )
    for ref, refused in projection.refused_by_v4(SYSTEM_CLOCK):
        for problem in refused:
            print(f"{ref}: stored before review v4, needs a correcting entry: {problem}")
    return EXIT_OK


def _verify_file(path: Path) -> int:
    from fairpivot.domain.errors import InvalidInput  # noqa: PLC0415
    from fairpivot.domain.ledger import first_break, parse_ledger_document  # noqa: PLC0415

    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput([f"{path}: cannot read ({(exc.strerror or 'error').lower()})"]) from None
    case, entries = parse_ledger_document(data)
    broken = first_break(entries)
    if broken is not None:
        print(f"fairpivot: ledger broken: {broken}", file=sys.stderr)
        return EXIT_FAILED
    head = entries[-1].hash if entries else "-"
    # A redacted ledger says how many entries it could not recompute (review-v4.md 8.5).
    withheld = sum(1 for e in entries if e.withheld)
    hidden = f" ({withheld} withheld: their links checked, not their contents)" if withheld else ""
    print(f"ledger verified: {case}, {len(entries)} entries{hidden}, head {head}")
    return EXIT_OK
