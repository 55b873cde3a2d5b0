"""``fairpivot``: review case files, print the case-file schema, check policies.

This path is kept light (no Django, rich only for a person's output) so that
``fairpivot review`` answers in well under a second, process start included.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from fairpivot import __version__
from fairpivot.cli.arguments import date_argument
from fairpivot.domain.errors import FairpivotError, InvalidInput
from fairpivot.domain.review.model import SEVERITIES, severity_rank

# 1: a finding at or above --fail-on, a failed check, or a database that could not be used.
EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    """The command line's parser, one sub-command per job."""
    parser = argparse.ArgumentParser(
        prog="fairpivot", description="Run and review performance-improvement cases."
    )
    parser.add_argument("--version", action="version", version=f"fairpivot {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    review = commands.add_parser("review", help="review a case file: findings, deadlines, options")
    review.add_argument("file", type=Path, help="the case file (- for standard input)")
    review.add_argument("--json", action="store_true", help="print fairpivot.review/1 JSON")
    review.add_argument(
        "--fail-on",
        choices=SEVERITIES,
        metavar="SEVERITY",
        help="exit 1 when a finding of this severity or higher is present "
        f"({', '.join(SEVERITIES)})",
    )
    review.add_argument(
        "--as-of",
        type=date_argument,
        metavar="DATE",
        help="review the case as it stood on this date (YYYY-MM-DD)",
    )
    review.add_argument(
        "--policy-file",
        type=Path,
        metavar="TOML",
        help="review under this policy file instead of the one the case names",
    )

    commands.add_parser("schema", help="print the case file's JSON Schema")

    policy = commands.add_parser("policy", help="show or check a process policy")
    policy.add_argument("name", help="a shipped policy's name, or a path to a .toml file")

    from fairpivot.cli import (  # noqa: PLC0415  (argument parsers only)
        generate,
        hris,
        records,
        screen,
        server,
        tokens,
    )

    records.add_commands(commands)
    hris.add_commands(commands)
    screen.add_commands(commands)
    generate.add_commands(commands)
    server.add_commands(commands)
    tokens.add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = build_parser().parse_args(argv)
    handlers = {"review": _review, "schema": _schema, "policy": _policy, "generate": _generate}
    try:
        return handlers.get(args.command, _record_command)(args)
    except InvalidInput as exc:
        for problem in exc.problems:
            print(f"fairpivot: {one_line(problem)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except FairpivotError as exc:
        print(f"fairpivot: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return EXIT_OK


def one_line(problem: str) -> str:
    """A problem as one printable line: a key or value it quotes from the file may hold a
    line break, a control character or a lone surrogate; each is shown escaped (``\\n``)."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in problem)


def _generate(args: argparse.Namespace) -> int:
    """``fairpivot generate`` writes files only: no Django, no database."""
    from fairpivot.cli import generate  # noqa: PLC0415

    return generate.run(args)


def _record_command(args: argparse.Namespace) -> int:
    """The commands that need the database (and so Django)."""
    from django.db import Error as DatabaseError  # noqa: PLC0415

    from fairpivot.cli import hris, records, screen, server, tokens  # noqa: PLC0415

    runners = {
        "hris-import": hris.run,
        "screen": screen.run,
        "demo": server.run,
        "serve": server.run,
        "token": tokens.run,
    }
    try:
        return runners.get(args.command, records.run)(args)
    except DatabaseError as exc:
        print(f"fairpivot: database error: {exc}".rstrip(), file=sys.stderr)
        return EXIT_FAILED


def _review(args: argparse.Namespace) -> int:
    from fairpivot.cli.text import not_text  # noqa: PLC0415
    from fairpivot.domain.casefile import parse_case_file, read_case_file  # noqa: PLC0415
    from fairpivot.domain.policy import load_policy_file  # noqa: PLC0415
    from fairpivot.domain.review import review  # noqa: PLC0415

    policy = load_policy_file(args.policy_file) if args.policy_file else None
    if str(args.file) == "-":
        data = sys.stdin.buffer.read()
        problems = not_text(data)
        loaded = parse_case_file(data, policy) if not problems else None
    else:
        try:
            problems = not_text(args.file.read_bytes())
        except OSError:
            problems = []  # the reader below names it
        loaded = read_case_file(args.file, policy) if not problems else None
    if loaded is None:
        raise InvalidInput(problems)
    result = review(loaded.file, loaded.policy, as_of=args.as_of)
    if args.json:
        json.dump(result.to_json(), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        from fairpivot.cli.render import render_review  # noqa: PLC0415

        render_review(result, loaded.file)
    worst = result.worst()
    if args.fail_on and worst and severity_rank(worst) <= severity_rank(args.fail_on):
        return EXIT_FAILED
    return EXIT_OK


def _schema(args: argparse.Namespace) -> int:
    from fairpivot.domain.casefile.schema import case_file_schema  # noqa: PLC0415

    json.dump(case_file_schema(), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return EXIT_OK


def _policy(args: argparse.Namespace) -> int:
    import msgspec  # noqa: PLC0415

    from fairpivot.domain.policy import load_policy, load_policy_file  # noqa: PLC0415

    name: str = args.name
    policy = load_policy_file(Path(name)) if name.endswith(".toml") else load_policy(name)
    json.dump(msgspec.to_builtins(policy), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return EXIT_OK
