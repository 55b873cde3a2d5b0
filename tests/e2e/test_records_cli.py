"""The record commands in real processes, each test on its own database.

On the default run each test gets an SQLite file in its own folder; with ``--db=postgres``
each gets its own database on the throwaway server (so the PostgreSQL run must include this
file, not only tests/integration).
"""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
import sys
import threading
from contextlib import closing
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, LiteralString

import psycopg
import pytest

from tests.builders import EXAMPLES, MANAGER, case, event

EXAMPLE_FILES = sorted(p for p in EXAMPLES.glob("*.json") if not p.name.endswith(".expect.json"))
TIMEOUT = 120


def fairpivot(env: dict[str, str], *args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run ``fairpivot`` in a fresh process; no outcome may show a traceback."""
    result = subprocess.run(
        [sys.executable, "-m", "fairpivot", *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=TIMEOUT,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def query(
    env: dict[str, str], sql: LiteralString, *params: Any, tamper: bool = False
) -> list[tuple[Any, ...]]:
    """Run SQL (``?`` placeholders) on the test's database directly, as its owner could.

    ``tamper`` first lifts the database's own guard against changing ledger rows.
    """
    url = env.get("DATABASE_URL")
    if url is None:
        path = Path(env["FAIRPIVOT_DATA_DIR"]) / "fairpivot.sqlite3"
        with closing(sqlite3.connect(path)) as lite, lite:
            if tamper:
                lite.execute("DROP TRIGGER ledger_no_update")
            return lite.execute(sql, params).fetchall()
    with psycopg.connect(url) as pg:
        if tamper:
            pg.execute("ALTER TABLE records_ledgerentry DISABLE TRIGGER USER")
        cursor = pg.execute(sql.replace("?", "%s"), params)
        return cursor.fetchall() if cursor.description else []


def import_examples(env: dict[str, str]) -> dict[str, Path]:
    """Import the three examples; return each case id's source file."""
    result = fairpivot(env, "import", *EXAMPLE_FILES)
    assert result.returncode == 0, result.stderr
    found = re.findall(r"^imported (.+) as (C-\d+)$", result.stdout, re.MULTILINE)
    assert [path for path, _ in found] == [str(p) for p in EXAMPLE_FILES]
    *_, recorded, reviewed = result.stdout.splitlines()
    assert re.fullmatch(r"recorded 3 new case\(s\) from 3 file\(s\) in \d+\.\d s .*", recorded)
    assert re.fullmatch(r"reviewed 3 case\(s\) in \d+\.\d s", reviewed)
    return {ref: Path(path) for path, ref in found}


def same_key_order(one: str, other: str) -> bool:
    """Whether two JSON texts hold their values with every object's keys in the same order."""
    return json.dumps(json.loads(one)) == json.dumps(json.loads(other))


def employee_of(path: Path) -> str:
    return str(json.loads(path.read_text())["employee"]["id"])


def test_it_migrates_an_empty_database(record_env: dict[str, str]) -> None:
    migrated = fairpivot(record_env, "migrate")
    assert migrated.returncode == 0, migrated.stderr
    assert "database is up to date" in migrated.stdout
    verified = fairpivot(record_env, "ledger", "verify")
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("ledger verified: 0 case(s)")


def test_it_imports_into_an_empty_database_and_exports_each_file_back(
    record_env: dict[str, str],
) -> None:
    sources = import_examples(record_env)  # no `migrate` first: an empty database is set up
    assert list(sources) == ["C-1", "C-2", "C-3"]
    for ref, path in sources.items():
        for ident in (ref, employee_of(path)):
            exported = fairpivot(record_env, "export", ident)
            assert exported.returncode == 0, exported.stderr
            assert json.loads(exported.stdout) == json.loads(path.read_text())
            assert same_key_order(exported.stdout, path.read_text())


def test_it_writes_the_export_to_a_file_when_asked(
    record_env: dict[str, str], tmp_path: Path
) -> None:
    sources = import_examples(record_env)
    output = tmp_path / "out.json"
    exported = fairpivot(record_env, "export", "C-2", "--output", output)
    assert exported.returncode == 0, exported.stderr
    assert exported.stdout == ""
    assert json.loads(output.read_text()) == json.loads(sources["C-2"].read_text())
    assert same_key_order(output.read_text(), sources["C-2"].read_text())


def test_it_says_when_a_file_was_already_imported(record_env: dict[str, str]) -> None:
    import_examples(record_env)
    again = fairpivot(record_env, "import", EXAMPLE_FILES[0])
    assert again.returncode == 0, again.stderr
    said, recorded, reviewed = again.stdout.splitlines()
    assert said == f"already imported {EXAMPLE_FILES[0]} as C-1"
    assert recorded.startswith("recorded 0 new case(s) from 1 file(s) in ")
    assert reviewed.startswith("reviewed 0 case(s) in ")


def test_it_exports_a_ledger_file_that_verifies_until_an_entry_is_edited(
    record_env: dict[str, str], tmp_path: Path
) -> None:
    import_examples(record_env)
    ledger_file = tmp_path / "ledger.json"
    exported = fairpivot(record_env, "export", "C-1", "--ledger", ledger_file)
    assert exported.returncode == 0, exported.stderr
    verified = fairpivot(record_env, "ledger", "verify", "--file", ledger_file)
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("ledger verified: C-1, ")

    document = json.loads(ledger_file.read_text())
    entry = next(e for e in document["entries"] if e["kind"] == "event")
    payload = json.loads(entry["payload"])
    payload["note"] = "rewritten afterwards"
    entry["payload"] = json.dumps(payload, separators=(",", ":"))
    ledger_file.write_text(json.dumps(document, indent=2))
    broken = fairpivot(record_env, "ledger", "verify", "--file", ledger_file)
    assert broken.returncode == 1
    assert f"entry {entry['seq']} (" in broken.stderr
    assert "was changed after it was recorded" in broken.stderr


def test_it_verifies_every_case_in_the_database(record_env: dict[str, str]) -> None:
    import_examples(record_env)
    verified = fairpivot(record_env, "ledger", "verify")
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith("ledger verified: 3 case(s), ")


def test_it_proves_nothing_changed_since_a_checkpoint(record_env: dict[str, str]) -> None:
    import_examples(record_env)
    checkpoint = fairpivot(record_env, "ledger", "checkpoint")
    assert checkpoint.returncode == 0, checkpoint.stderr
    root = checkpoint.stdout.strip()
    assert re.fullmatch(r"[0-9a-f]{64}", root)
    verified = fairpivot(record_env, "ledger", "verify", "--checkpoint", root)
    assert verified.returncode == 0, verified.stderr
    assert f"nothing before checkpoint {root} has changed" in verified.stdout


def test_it_rebuilds_every_projection_from_the_ledgers(record_env: dict[str, str]) -> None:
    import_examples(record_env)
    rebuilt = fairpivot(record_env, "ledger", "rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert rebuilt.stdout == "rebuilt the projections of 3 case(s) from their ledgers\n"


def screened(result: subprocess.CompletedProcess[str]) -> int:
    """How many cases a ``fairpivot screen`` says it reviewed."""
    assert result.returncode == 0, result.stderr
    found = re.match(r"screened (\d+) case\(s\) as of ", result.stdout)
    assert found, result.stdout
    return int(found[1])


def test_the_daily_screen_reviews_only_what_needs_it_and_all_reviews_every_case(
    record_env: dict[str, str],
) -> None:
    import_examples(record_env)  # each reviewed as of its file's day, long past
    stored = query(record_env, "SELECT expires_on FROM records_caseprojection")
    today = datetime.now(UTC).date().isoformat()  # the day the screen takes by default
    expired = sum(1 for (e,) in stored if e is not None and str(e) <= today)
    assert screened(fairpivot(record_env, "screen")) == expired >= 1
    assert screened(fairpivot(record_env, "screen")) == 0  # the same day: nothing is due
    assert screened(fairpivot(record_env, "screen", "--all")) == 3
    expiries = [
        row[0] for row in query(record_env, "SELECT expires_on FROM records_caseprojection")
    ]
    first = min(date.fromisoformat(str(e)) for e in expiries if e is not None)
    day_before = (first - timedelta(days=1)).isoformat()
    assert screened(fairpivot(record_env, "screen", "--as-of", day_before)) == 0
    due = screened(fairpivot(record_env, "screen", "--as-of", first.isoformat()))
    assert due == sum(1 for e in expiries if e is not None and str(e) <= first.isoformat())
    assert due >= 1


def test_the_screen_refuses_a_day_that_is_no_date(record_env: dict[str, str]) -> None:
    result = fairpivot(record_env, "screen", "--as-of", "2026-13-01")
    assert result.returncode == 2
    assert "--as-of: not a date (got '2026-13-01'; use YYYY-MM-DD)" in result.stderr
    assert result.stdout == ""


def test_it_refuses_a_malformed_file_and_records_nothing(
    record_env: dict[str, str], tmp_path: Path
) -> None:
    good = tmp_path / "good.json"
    good.write_text(json.dumps(case(employee={"id": "E-GOOD"})))
    bad = tmp_path / "bad.json"
    events = [event("concern_documented", "2025-13-01")]
    bad.write_text(json.dumps(case(employee={"id": "E-BAD"}, events=events)))
    assert fairpivot(record_env, "migrate").returncode == 0
    refused = fairpivot(record_env, "import", good, bad)
    assert refused.returncode == 2
    assert refused.stdout == ""
    assert refused.stderr == f'fairpivot: {bad}: events[0].date: not a date (got "2025-13-01")\n'
    assert str(good) not in refused.stderr
    for employee in ("E-GOOD", "E-BAD"):
        missing = fairpivot(record_env, "export", employee)
        assert missing.returncode == 2
        assert f"no case '{employee}'" in missing.stderr
    assert query(record_env, "SELECT count(*) FROM records_case") == [(0,)]


def test_it_says_there_is_no_such_case(record_env: dict[str, str]) -> None:
    import_examples(record_env)
    missing = fairpivot(record_env, "export", "C-99")
    assert missing.returncode == 2
    assert missing.stdout == ""
    assert missing.stderr == "fairpivot: no case 'C-99'\n"


@pytest.mark.parametrize("option", ["--output", "--ledger"])
def test_it_says_when_it_cannot_write_an_export(
    record_env: dict[str, str], tmp_path: Path, option: str
) -> None:
    import_examples(record_env)
    target = tmp_path / "no-such-folder" / "out.json"
    refused = fairpivot(record_env, "export", "C-1", option, target)
    assert refused.returncode == 2
    assert refused.stderr == f"fairpivot: {target}: cannot write (no such file or directory)\n"


def test_it_fails_to_verify_against_a_checkpoint_it_never_took(
    record_env: dict[str, str],
) -> None:
    import_examples(record_env)
    unknown = "ab" * 32
    verified = fairpivot(record_env, "ledger", "verify", "--checkpoint", unknown)
    assert verified.returncode == 1
    assert f"no checkpoint {unknown} in this database" in verified.stderr


def test_it_names_the_case_and_event_of_a_ledger_row_changed_in_the_database(
    record_env: dict[str, str],
) -> None:
    sources = import_examples(record_env)
    ref = next(r for r, path in sources.items() if path.stem == "clean-plan-passed")
    number = int(ref.removeprefix("C-"))
    ((seq, text),) = query(
        record_env,
        "SELECT seq, payload FROM records_ledgerentry "
        "WHERE case_id = ? AND kind = 'event' ORDER BY seq LIMIT 1",
        number,
    )
    payload = json.loads(text)
    payload["note"] = "a note nobody wrote"
    query(
        record_env,
        "UPDATE records_ledgerentry SET payload = ? WHERE case_id = ? AND seq = ?",
        json.dumps(payload, separators=(",", ":")),
        number,
        seq,
        tamper=True,
    )
    verified = fairpivot(record_env, "ledger", "verify")
    assert verified.returncode == 1
    assert verified.stderr == (
        f"fairpivot: ledger broken: {ref}: entry {seq} (event {payload['type']} of "
        f"{payload['date']}) was changed after it was recorded\n"
    )


# Every case exported by ``fairpivot export``'s own function, in one process: a process per
# case cost over a second each (Django's start), most of this file's time.
_EXPORT_EVERY_CASE = """
import json, sys
from fairpivot.config.bootstrap import setup_django
setup_django()
from fairpivot.records.models import Case
from fairpivot.records.cases.transfer import export_case
json.dump({case.ref: export_case(case) for case in Case.objects.order_by("id")}, sys.stdout)
"""


def export_every_case(env: dict[str, str]) -> dict[str, Any]:
    """Each case's file as ``fairpivot export`` writes it, by case id."""
    result = subprocess.run(
        [sys.executable, "-c", _EXPORT_EVERY_CASE],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=TIMEOUT,
    )
    assert result.returncode == 0, result.stderr
    found: dict[str, Any] = json.loads(result.stdout)
    return found


def _long_case(number: int) -> dict[str, Any]:
    """A valid case with 200 events, so that importing it takes a moment."""
    events = []
    for k in range(200):
        on = (date(2025, 1, 1) + timedelta(days=k)).isoformat()
        if k % 2:
            events.append(event("checkin", on, by=MANAGER, held=k % 3 != 0))
        else:
            events.append(event("concern_documented", on, by=MANAGER, note=f"Note {k}"))
    return case(employee={"id": f"E-{number:04d}"}, events=events)


def test_it_leaves_no_partial_case_when_killed_in_the_middle_of_an_import(
    record_env: dict[str, str], tmp_path: Path
) -> None:
    files = []
    for number in range(150):
        path = tmp_path / f"case-{number:03d}.json"
        path.write_text(json.dumps(_long_case(number), indent=2))
        files.append(path)
    importer = subprocess.Popen(
        [sys.executable, "-m", "fairpivot", "import", *map(str, files)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=record_env,
    )
    watchdog = threading.Timer(TIMEOUT, importer.kill)  # never wait forever on a stuck run
    watchdog.start()
    try:
        assert importer.stdout is not None
        first = importer.stdout.readline()
        importer.send_signal(signal.SIGKILL)
        assert first.startswith("imported "), first
        assert importer.wait(timeout=TIMEOUT) == -signal.SIGKILL
    finally:
        watchdog.cancel()
        importer.kill()
        importer.wait()
        if importer.stdout is not None:
            importer.stdout.close()

    ids = [row[0] for row in query(record_env, "SELECT id FROM records_case ORDER BY id")]
    assert 1 <= len(ids) <= 149
    assert ids == list(range(1, len(ids) + 1))
    by_employee = {employee_of(path): path for path in files}
    every = export_every_case(record_env)
    assert list(every) == [f"C-{number}" for number in ids]
    for ref, document in every.items():
        assert document == json.loads(by_employee[document["employee"]["id"]].read_text()), ref
    for number in (ids[0], ids[-1]):  # and the command itself gives the same files
        exported = fairpivot(record_env, "export", f"C-{number}")
        assert exported.returncode == 0, exported.stderr
        assert json.loads(exported.stdout) == every[f"C-{number}"]
    verified = fairpivot(record_env, "ledger", "verify")
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith(f"ledger verified: {len(ids)} case(s), ")


@pytest.mark.parametrize("ident", ["C-²", "C-99999999999999999999999"])
def test_it_answers_no_case_for_an_id_that_cannot_be_one(
    record_env: dict[str, str], ident: str
) -> None:
    fairpivot(record_env, "migrate")
    result = fairpivot(record_env, "export", ident)
    assert result.returncode == 2
    assert "no case" in result.stderr
    assert "Traceback" not in result.stderr
