"""Import and export on this run's database: the same JSON value back, all or nothing."""

from __future__ import annotations

import hashlib
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from fairpivot.domain.errors import MalformedCaseFile
from fairpivot.domain.ledger import first_break, ledger_document, parse_ledger_document
from fairpivot.records.cases import transfer
from fairpivot.records.errors import CaseNotFound
from fairpivot.records.models import Case, LedgerEntry
from tests.builders import EXAMPLES, MANAGER, case, event, offer, plan
from tests.strategies import case_files

pytestmark = pytest.mark.django_db

EXAMPLE_FILES = sorted(p for p in EXAMPLES.glob("*.json") if not p.name.endswith(".expect.json"))


def write(folder: Path, doc: dict[str, Any] | str, name: str = "case.json") -> Path:
    path = folder / name
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc, indent=2))
    return path


def import_file(path: Path) -> transfer.ImportResult:
    (item,) = transfer.check_files([path])
    return transfer.import_one(item)


def assert_exports_as(case_row: Case, path: Path) -> None:
    """The export is the file's JSON value, with every object's keys in the file's order."""
    original = json.loads(path.read_text())
    exported = transfer.export_case(case_row)
    assert exported == original
    assert json.dumps(exported) == json.dumps(original)  # key order, at every level


def counts() -> tuple[int, int]:
    return Case.objects.count(), LedgerEntry.objects.count()


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda p: p.stem)
def test_it_exports_each_example_exactly_as_it_was_imported(path: Path) -> None:
    result = import_file(path)
    assert result.created
    assert_exports_as(result.case, path)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case_files())
def test_it_exports_any_well_formed_case_file_exactly_as_it_was_imported(
    doc: dict[str, Any],
) -> None:
    # Every example runs in the test's one transaction; a file seen before is found again
    # by its digest (created=False) and must still export as itself. Each file is about a
    # person of its own: a case's export includes its employee's whole history, which the
    # other examples' files would add to (test_person_ledger.py).
    doc["employee"]["id"] = "E-" + hashlib.sha256(json.dumps(doc).encode()).hexdigest()[:16]
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder), doc)
        result = import_file(path)
        assert_exports_as(result.case, path)


def test_it_keeps_the_files_key_order_and_adds_no_keys_it_left_out(tmp_path: Path) -> None:
    doc = {
        "events": [
            {
                "type": "pivot_offered",
                "date": "2025-03-03",
                "decision_days": 14,
                "plan": {"goals": [{"text": "Ship"}], "end": "2025-05-01", "start": "2025-03-10"},
                "offer": {"revocation_days": 7, "tier": 1, "consideration_days": 21, "amount": 1},
            }
        ],
        "employee": {
            "work_state": "XX",
            "base_salary": 90000,
            "hire_date": "2021-02-01",
            "age": 40,
            "name": "Zoë Ångström-Sparse",
            "id": "E-SPARSE",
        },
        "as_of": "2025-06-30",
        "format": "fairpivot.casefile/1",
    }
    path = write(tmp_path, doc)
    exported = transfer.export_case(import_file(path).case)
    assert list(exported) == ["events", "employee", "as_of", "format"]
    assert list(exported["employee"]) == list(doc["employee"])
    assert list(exported["events"][0]["offer"]) == [
        "revocation_days",
        "tier",
        "consideration_days",
        "amount",
    ]
    for left_out in ("policy", "people", "ratings", "protected_activities", "equity"):
        assert left_out not in exported
    assert "clauses" not in exported["events"][0]["offer"]
    assert "supervisor" not in exported["employee"]
    assert_exports_as(Case.objects.get(), path)


def test_it_keeps_an_empty_array_the_file_had(tmp_path: Path) -> None:
    path = write(tmp_path, case(ratings=[], protected_activities=[], events=[]))
    exported = transfer.export_case(import_file(path).case)
    assert exported["ratings"] == []
    assert exported["protected_activities"] == []
    assert_exports_as(Case.objects.get(), path)


def test_it_writes_nothing_for_a_malformed_file(tmp_path: Path) -> None:
    bad = write(tmp_path, case(events=[event("concern_documented", "2025-13-01")]), "bad.json")
    before = counts()
    with pytest.raises(MalformedCaseFile) as raised:
        transfer.check_files([bad])
    assert raised.value.problems == (f'{bad}: events[0].date: not a date (got "2025-13-01")',)
    assert counts() == before


def test_it_writes_none_of_several_files_when_one_is_malformed(tmp_path: Path) -> None:
    first = write(tmp_path, case(employee={"id": "E-A"}), "a.json")
    bad = write(tmp_path, case(employee={"id": "E-B", "work_state": 7}), "b.json")
    last = write(tmp_path, case(employee={"id": "E-C"}), "c.json")
    before = counts()
    with pytest.raises(MalformedCaseFile) as raised:
        transfer.check_files([first, bad, last])
    assert raised.value.problems
    assert all(problem.startswith(f"{bad}: ") for problem in raised.value.problems)
    assert any("employee.work_state" in problem for problem in raised.value.problems)
    assert counts() == before


def test_it_names_a_file_it_cannot_read(tmp_path: Path) -> None:
    missing = tmp_path / "missing.json"
    with pytest.raises(MalformedCaseFile) as raised:
        transfer.check_files([missing])
    assert [p.startswith(f"{missing}: cannot read") for p in raised.value.problems] == [True]


def test_it_imports_the_same_file_once(tmp_path: Path) -> None:
    path = write(tmp_path, case(events=[event("concern_documented", "2025-02-03", by=MANAGER)]))
    first, second = import_file(path), import_file(path)
    assert first.created
    assert not second.created
    assert second.case.pk == first.case.pk
    assert Case.objects.count() == 1
    assert LedgerEntry.objects.filter(case=first.case).count() == first.case.version


def test_it_finds_a_case_by_its_id_and_an_employees_latest_case_by_employee_id(
    tmp_path: Path,
) -> None:
    earlier = import_file(write(tmp_path, case(as_of="2025-06-30"), "earlier.json")).case
    later = import_file(write(tmp_path, case(as_of="2025-12-31"), "later.json")).case
    other = import_file(write(tmp_path, case(employee={"id": "E-2"}), "other.json")).case
    assert transfer.find_case(earlier.ref) == earlier
    assert transfer.find_case(other.ref) == other
    assert transfer.find_case("E-1") == later
    assert transfer.find_case("E-2") == other


@pytest.mark.parametrize("ident", ["C-999", "E-nobody", "C-"])
def test_it_says_there_is_no_such_case(ident: str) -> None:
    with pytest.raises(CaseNotFound, match="no case"):
        transfer.find_case(ident)


def _ledger_of(tmp_path: Path) -> tuple[Case, dict[str, Any]]:
    doc = case(
        events=[
            event("concern_documented", "2025-02-03", by=MANAGER, note="Late twice"),
            event(
                "pivot_offered",
                "2025-03-03",
                by=MANAGER,
                decision_days=21,
                offer=offer(),
                plan=plan("2025-03-10", "2025-05-09"),
            ),
        ]
    )
    case_row = import_file(write(tmp_path, doc)).case
    document = ledger_document(case_row.ref, transfer.export_ledger(case_row))
    # Through JSON text and back, as ``fairpivot export --ledger`` writes it.
    return case_row, json.loads(json.dumps(document, ensure_ascii=False))


def test_it_exports_a_ledger_that_verifies_on_its_own(tmp_path: Path) -> None:
    case_row, document = _ledger_of(tmp_path)
    ref, entries = parse_ledger_document(json.dumps(document).encode())
    assert ref == case_row.ref
    assert len(entries) == case_row.version
    assert entries[-1].hash == case_row.head_hash
    assert first_break(entries) is None


def test_it_names_the_entry_whose_payload_was_edited_in_an_exported_ledger(
    tmp_path: Path,
) -> None:
    case_row, document = _ledger_of(tmp_path)
    row = next(e for e in document["entries"] if '"pivot_offered"' in e["payload"])
    payload = json.loads(row["payload"])
    payload["offer"]["amount"] = 1
    row["payload"] = json.dumps(payload, separators=(",", ":"))
    _, entries = parse_ledger_document(json.dumps(document).encode())
    broken = first_break(entries)
    assert broken is not None
    assert broken.seq == row["seq"]
    assert str(broken) == (
        f"{case_row.ref}: entry {row['seq']} (event pivot_offered of 2025-03-03) "
        "was changed after it was recorded"
    )
