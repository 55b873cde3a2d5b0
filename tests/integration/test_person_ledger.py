"""A person's history on this run's database: shared by their cases, chained, append-only.

Review-v4.md section 8 item 4: protected activities, leave, ratings, promotions, equity and
bonuses belong to the person, so every case of theirs sees them, its export carries them,
and an import adds only those not already recorded.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from fairpivot.records.cases import corrections, usecases
from fairpivot.records.cases.transfer import check_files, export_case, import_one
from fairpivot.records.clock import FixedClock
from fairpivot.records.errors import Conflict
from fairpivot.records.ledger import chains
from fairpivot.records.models import (
    AppendOnlyError,
    Case,
    CaseProjection,
    FindingProjection,
    HistoryEntry,
    LedgerEntry,
    PersonHistory,
)
from tests.builders import EMPLOYEE, MANAGER, case

pytestmark = pytest.mark.django_db

HR_ACTOR = usecases.Actor("harper")
MANAGER_ACTOR = usecases.Actor("morgan", MANAGER, "Morgan Manager", "manager")
PAT = {
    "id": EMPLOYEE,
    "name": "Pat Example",
    "birth_date": "1980-01-15",
    "hire_date": "2020-01-06",
    "work_state": "WA",
    "base_salary": 156000,
}
COMPLAINT = {
    "kind": "discrimination_complaint",
    "date": "2025-03-03",
    "known_to": [MANAGER],
}
TIMING = "retaliation.timing"


def on(day: str) -> FixedClock:
    """A clock stopped at noon UTC on ``day``: the same calendar date in any time zone."""
    return FixedClock(datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC))


def open_case(day: str = "2025-03-03") -> Case:
    """A live case of Pat's naming the manager: header (1), then the manager (2)."""
    return usecases.open_case(
        employee=PAT,
        actor=HR_ACTOR,
        people=[{"id": MANAGER, "name": "Morgan Manager", "role": "manager"}],
        clock=on(day),
    )


def version_of(case_row: Case) -> int:
    case_row.refresh_from_db()
    return case_row.version


def complain(case_row: Case, day: str = "2025-03-03") -> None:
    usecases.record_fact(
        case_row.ref,
        "protected_activity",
        COMPLAINT,
        actor=HR_ACTOR,
        expected_version=version_of(case_row),
        clock=on(day),
    )


def start_focus(case_row: Case, day: str) -> list[str]:
    result = usecases.record_event(
        case_row.ref,
        {"type": "focus_started", "disclosed": True},
        actor=MANAGER_ACTOR,
        expected_version=version_of(case_row),
        clock=on(day),
    )
    return [f.code for f in result.findings]


def stored_codes(case_row: Case) -> set[str]:
    return set(FindingProjection.objects.filter(case=case_row).values_list("code", flat=True))


def import_doc(folder: Path, doc: dict[str, Any], name: str = "case.json") -> Case:
    path = folder / name
    path.write_text(json.dumps(doc, indent=2))
    (item,) = check_files([path])
    return import_one(item, on("2025-12-31")).case


class Rollback(Exception):
    """Raised to undo a block's writes, leaving the test's database as it was before it."""


def record_two_cases_and_export(path: Path) -> None:
    """Two live cases of Pat's, a fact recorded on each; the second exported to ``path``."""
    first, second = open_case(), open_case()
    complain(first)
    usecases.record_fact(
        second.ref,
        "rating",
        {"date": "2025-03-05", "value": "HV2"},
        actor=HR_ACTOR,
        expected_version=2,
        clock=on("2025-03-05"),
    )
    path.write_text(json.dumps(export_case(second, on("2025-03-06")), indent=2))
    raise Rollback


# A second case of the same person


def test_it_shows_a_second_case_the_complaint_recorded_on_the_first() -> None:
    first = open_case()
    complain(first)
    second = open_case("2025-03-20")

    assert export_case(second)["protected_activities"] == [COMPLAINT]
    assert TIMING in start_focus(second, "2025-04-01")
    assert TIMING in stored_codes(second)


def test_it_refreshes_the_review_of_every_case_of_the_person() -> None:
    first, second = open_case(), open_case()
    start_focus(second, "2025-03-10")
    assert TIMING not in stored_codes(second)

    complain(first, "2025-03-12")  # a complaint made on 2025-03-03, recorded late

    assert TIMING in stored_codes(second)
    review = CaseProjection.objects.get(case=second).review
    assert TIMING in {f["code"] for f in review["findings"]}


def test_it_keeps_the_fact_once_in_the_case_it_was_recorded_from() -> None:
    first = open_case()
    complain(first)

    assert export_case(first)["protected_activities"] == [COMPLAINT]
    assert LedgerEntry.objects.filter(case=first, kind="protected_activity").count() == 1
    assert HistoryEntry.objects.filter(history__employee_ref=EMPLOYEE).count() == 1


def test_it_refuses_a_fact_from_a_stale_version_of_the_case_and_writes_nothing() -> None:
    first = open_case()
    stale = version_of(first)
    start_focus(first, "2025-03-04")
    with pytest.raises(Conflict):
        usecases.record_fact(
            first.ref,
            "protected_activity",
            COMPLAINT,
            actor=HR_ACTOR,
            expected_version=stale,
            clock=on("2025-03-05"),
        )
    assert not HistoryEntry.objects.exists()
    assert not PersonHistory.objects.exists()


def test_it_moves_the_acting_case_on_by_one_and_the_others_not_at_all() -> None:
    first, second = open_case(), open_case()
    before = version_of(first), version_of(second)
    complain(first)
    assert (version_of(first), version_of(second)) == (before[0] + 1, before[1])


def test_it_drops_a_retracted_fact_from_every_case_of_the_person() -> None:
    first, second = open_case(), open_case()
    complain(first)
    corrections.retract(
        first.ref, 3, "Recorded on the wrong person", actor=HR_ACTOR, expected_version=3
    )
    assert "protected_activities" not in export_case(first)
    assert "protected_activities" not in export_case(second)


def test_it_retracts_a_history_entry_from_another_case_in_the_history() -> None:
    first, second = open_case(), open_case()
    complain(first)
    # The second case sees the complaint as the history's entry 1: position -1.
    corrections.retract(
        second.ref, -1, "Recorded on the wrong person", actor=HR_ACTOR, expected_version=2
    )
    assert "protected_activities" not in export_case(first)
    assert "protected_activities" not in export_case(second)
    assert version_of(second) == 2
    assert HistoryEntry.objects.filter(kind="retraction").count() == 1


# Export and import


def test_it_gives_back_the_same_file_after_export_and_import_into_an_empty_database(
    tmp_path: Path,
) -> None:
    with pytest.raises(Rollback), transaction.atomic():
        record_two_cases_and_export(tmp_path / "second.json")
    assert not Case.objects.exists()
    assert not PersonHistory.objects.exists()

    path = tmp_path / "second.json"
    (item,) = check_files([path])
    imported = import_one(item, on("2025-03-06")).case

    assert json.dumps(export_case(imported, on("2025-03-06")), indent=2) == path.read_text()
    assert HistoryEntry.objects.count() == 2
    assert chains.verify_all().breaks == []


def test_it_adds_only_the_person_entries_not_already_recorded(tmp_path: Path) -> None:
    rating = {"date": "2024-12-01", "value": "HV2"}
    later = {"date": "2025-06-01", "value": "LE"}
    import_doc(tmp_path, case(ratings=[rating], protected_activities=[COMPLAINT]), "one.json")
    first = Case.objects.get()
    second = import_doc(
        tmp_path, case(ratings=[rating, later, later], as_of="2025-07-01"), "two.json"
    )

    kinds = list(HistoryEntry.objects.order_by("seq").values_list("kind", "payload"))
    assert [(k, json.loads(p)) for k, p in kinds] == [
        ("rating", rating),
        ("protected_activity", COMPLAINT),
        ("rating", later),
        ("rating", later),
    ]
    assert export_case(first)["ratings"] == [rating, later, later]
    assert export_case(second)["protected_activities"] == [COMPLAINT]
    assert export_case(second)["ratings"] == [rating, later, later]


def test_it_adds_nothing_importing_the_same_persons_entries_again(tmp_path: Path) -> None:
    doc = case(protected_activities=[COMPLAINT])
    import_doc(tmp_path, doc, "one.json")
    import_doc(tmp_path, {**doc, "as_of": "2025-12-01"}, "two.json")
    assert HistoryEntry.objects.count() == 1


# Append-only, and verified


def history_row() -> HistoryEntry:
    complain(open_case())
    return HistoryEntry.objects.get()


def test_it_refuses_to_save_over_or_delete_a_history_entry() -> None:
    row = history_row()
    row.payload = '{"tampered":true}'
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        HistoryEntry.objects.all().update(recorded_by="someone-else")
    with pytest.raises(AppendOnlyError):
        HistoryEntry.objects.all().delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE records_historyentry SET payload = '{}'",
        "DELETE FROM records_historyentry",
    ],
    ids=["update", "delete"],
)
def test_it_has_the_database_refuse_raw_sql_that_changes_a_history_entry(sql: str) -> None:
    row = history_row()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        connection.cursor().execute(sql)
    assert HistoryEntry.objects.get().payload == row.payload
    assert chains.verify_all().breaks == []


def test_it_has_postgresql_refuse_truncating_the_history() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; its DELETE is refused above")
    history_row()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        connection.cursor().execute("TRUNCATE records_historyentry")


def tamper(sql: str) -> None:
    """Change the history behind the application's back, as the database's owner could."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE records_historyentry DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER history_no_update")
        cursor.execute(sql)


def test_it_finds_a_tampered_history_entry_when_verifying() -> None:
    history_row()
    verified = chains.verify_all()
    assert (verified.cases, verified.people, verified.entries, verified.breaks) == (1, 1, 4, [])
    tamper('UPDATE records_historyentry SET payload = \'{"kind":"other"}\'')

    (found,) = chains.verify_all().breaks
    assert (
        str(found)
        == f"person:{EMPLOYEE}: entry 1 (protected_activity) was changed after it was recorded"
    )


def test_it_proves_a_checkpoint_over_the_histories_too() -> None:
    history_row()
    root = chains.take_checkpoint("auditor", on("2025-03-05")).root_hash
    assert (f"person:{EMPLOYEE}", 1) in [(name, seq) for name, seq, _ in chains.heads()]
    assert chains.verify_checkpoint(root) == []

    tamper("UPDATE records_historyentry SET hash = '" + "0" * 64 + "'")
    assert chains.verify_checkpoint(root) == [f"the ledger no longer matches checkpoint {root}"]


# Another case reads the history as its own file can hold it


def test_it_leaves_out_of_another_policys_case_a_rating_off_its_scale() -> None:
    first = open_case()
    usecases.record_fact(
        first.ref,
        "rating",
        {"date": "2025-03-05", "value": "HV2"},
        actor=HR_ACTOR,
        expected_version=2,
        clock=on("2025-03-05"),
    )
    other = usecases.open_case(
        employee=PAT, actor=HR_ACTOR, policy="standard-pip", clock=on("2025-03-06")
    )
    usecases.record_fact(
        other.ref,
        "rating",
        {"date": "2025-03-07", "value": "2"},
        actor=HR_ACTOR,
        expected_version=1,
        clock=on("2025-03-07"),
    )

    assert export_case(other)["ratings"] == [{"date": "2025-03-07", "value": "2"}]
    assert export_case(first)["ratings"] == [{"date": "2025-03-05", "value": "HV2"}]


def test_it_leaves_out_whom_an_activity_was_known_to_where_the_case_does_not_name_them() -> None:
    first = open_case()
    complain(first)
    bare = usecases.open_case(employee=PAT, actor=HR_ACTOR, clock=on("2025-03-06"))

    assert export_case(bare)["protected_activities"] == [{**COMPLAINT, "known_to": []}]
    assert export_case(first)["protected_activities"] == [COMPLAINT]
