"""The ledger on this run's database: chained, append-only, retractable, checkpointed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from fairpivot.domain.ledger import GENESIS, Break, checkpoint_root, entry_hash
from fairpivot.records.cases import corrections, usecases
from fairpivot.records.cases.transfer import check_files, export_case, import_one
from fairpivot.records.clock import FixedClock
from fairpivot.records.errors import TransitionRefused
from fairpivot.records.ledger import chains
from fairpivot.records.models import (
    AppendOnlyError,
    Case,
    CaseProjection,
    Checkpoint,
    DeadlineProjection,
    FindingProjection,
    LedgerEntry,
    stamp,
)
from fairpivot.records.screen import projection, screening
from tests.builders import EMPLOYEE, MANAGER, case, event, offer, pivot, plan
from tests.commanding import record

pytestmark = pytest.mark.django_db

# HR takes the steps here: a manager's adverse step waits for HR's sign-off (all_adverse),
# which would add a hold and a sign-off to the chains these tests count entry by entry.
STEPS_ACTOR = usecases.Actor("morgan", "H-2", "Morgan HR", "hr")
HR_ACTOR = usecases.Actor("harper")
PAT = {
    "id": EMPLOYEE,
    "name": "Pat Example",
    "birth_date": "1980-01-15",
    "hire_date": "2020-01-06",
    "work_state": "WA",
    "base_salary": 156000,
}


def on(day: str) -> FixedClock:
    """A clock stopped at noon UTC on ``day``: the same calendar date in any time zone."""
    return FixedClock(datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC))


def version_of(case_row: Case) -> int:
    case_row.refresh_from_db()
    return case_row.version


def rows_of(case_row: Case) -> list[LedgerEntry]:
    return list(LedgerEntry.objects.filter(case=case_row).order_by("seq"))


def open_on_focus() -> Case:
    """A live case: header (1), HR introduced (2), Focus started on 2025-03-03 (3)."""
    case_row = usecases.open_case(employee=PAT, actor=HR_ACTOR, clock=on("2025-03-03"))
    record(case_row, "start_focus", actor=STEPS_ACTOR, expected_version=1, clock=on("2025-03-03"))
    case_row.refresh_from_db()
    return case_row


def offer_pivot(case_row: Case, day: str = "2025-04-01") -> None:
    record(
        case_row,
        "offer_pivot",
        offer=offer(),
        plan=plan("2025-04-08", "2025-06-07"),
        checkin_every_days=14,
        decision_days=21,
        actor=STEPS_ACTOR,
        expected_version=version_of(case_row),
        clock=on(day),
    )


def import_doc(folder: Path, doc: dict[str, Any]) -> Case:
    path = folder / "case.json"
    path.write_text(json.dumps(doc))
    (item,) = check_files([path])
    return import_one(item, on("2025-12-31")).case


def settle_foreign_keys() -> None:
    """Run the foreign-key checks Django defers to commit on PostgreSQL, now.

    The test never commits, and PostgreSQL will not ALTER or TRUNCATE a table with checks
    still pending on it.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def without_triggers() -> None:
    """Switch off the append-only triggers, as the database's owner could.

    Only inside this test's transaction: the test's rollback puts them back.
    """
    settle_foreign_keys()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE records_ledgerentry DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER ledger_no_update")
            cursor.execute("DROP TRIGGER ledger_no_delete")


def tamper(sql: str, params: list[Any]) -> None:
    """Change the ledger behind the application's back."""
    without_triggers()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def forge(case_row: Case, seq: int, payload: str) -> None:
    """Rewrite entry ``seq`` and rehash it and every later entry and the head: a careful forger."""
    rows = rows_of(case_row)
    previous = rows[seq - 2].hash if seq > 1 else GENESIS
    without_triggers()
    with connection.cursor() as cursor:
        for row in rows[seq - 1 :]:
            text = payload if row.seq == seq else row.payload
            digest = entry_hash(
                case=case_row.ref,
                seq=row.seq,
                kind=row.kind,
                payload=text,
                recorded_by=row.recorded_by,
                recorded_at=stamp(row.recorded_at),
                prev_hash=previous,
            )
            cursor.execute(
                "UPDATE records_ledgerentry SET payload = %s, prev_hash = %s, hash = %s "
                "WHERE id = %s",
                [text, previous, digest, row.pk],
            )
            previous = digest
    Case.objects.filter(pk=case_row.pk).update(head_hash=previous)


# The chain


def test_it_chains_every_entry_a_use_case_appends_to_the_one_before() -> None:
    case_row = usecases.open_case(employee=PAT, actor=HR_ACTOR, clock=on("2025-03-03"))
    heads = [(case_row.version, case_row.head_hash)]
    record(case_row, "start_focus", actor=STEPS_ACTOR, expected_version=1, clock=on("2025-03-03"))
    heads.append((version_of(case_row), case_row.head_hash))
    offer_pivot(case_row)
    heads.append((version_of(case_row), case_row.head_hash))

    rows = rows_of(case_row)
    assert [(r.seq, r.kind) for r in rows] == [
        (1, "opened"),
        (2, "person"),
        (3, "event"),
        (4, "event"),
    ]
    assert [r.recorded_by for r in rows] == ["harper", "morgan", "morgan", "morgan"]
    assert [r.prev_hash for r in rows] == [GENESIS, *(r.hash for r in rows[:-1])]
    for row in rows:
        assert row.hash == entry_hash(
            case=case_row.ref,
            seq=row.seq,
            kind=row.kind,
            payload=row.payload,
            recorded_by=row.recorded_by,
            recorded_at=stamp(row.recorded_at),
            prev_hash=row.prev_hash,
        )
    # After each use case the case row names the chain's new head.
    assert heads == [(1, rows[0].hash), (3, rows[2].hash), (4, rows[3].hash)]
    verification = chains.verify_all()
    assert (verification.cases, verification.entries, verification.breaks) == (1, 4, [])


def test_it_stamps_each_entry_with_the_clocks_moment() -> None:
    case_row = open_on_focus()
    offer_pivot(case_row, day="2025-04-01")
    moments = [stamp(row.recorded_at) for row in rows_of(case_row)]
    assert moments == [
        "2025-03-03T12:00:00.000000+00:00",
        "2025-03-03T12:00:00.000000+00:00",
        "2025-03-03T12:00:00.000000+00:00",
        "2025-04-01T12:00:00.000000+00:00",
    ]


# Tampering


def test_it_names_the_case_and_entry_whose_payload_was_changed_in_the_database(
    tmp_path: Path,
) -> None:
    untouched = import_doc(tmp_path, case(events=[event("concern_documented", "2025-02-03")]))
    case_row = open_on_focus()
    offer_pivot(case_row)
    (focus,) = [r for r in rows_of(case_row) if r.seq == 3]
    assert '"disclosed":true' in focus.payload

    tamper(
        "UPDATE records_ledgerentry SET payload = %s WHERE id = %s",
        [focus.payload.replace('"disclosed":true', '"disclosed":false'), focus.pk],
    )

    verification = chains.verify_all()
    assert verification.cases == 2
    assert verification.breaks == [
        Break(
            case_row.ref,
            3,
            "entry 3 (event focus_started of 2025-03-03) was changed after it was recorded",
        )
    ]
    assert str(verification.breaks[0]) == (
        f"{case_row.ref}: entry 3 (event focus_started of 2025-03-03) "
        "was changed after it was recorded"
    )
    assert untouched.ref not in {b.case for b in verification.breaks}


def test_it_names_an_entry_whose_hash_was_recomputed_but_whose_successor_was_not() -> None:
    case_row = open_on_focus()
    offer_pivot(case_row)
    forged = '{"date":"2025-03-03","type":"concern_documented","by":"M-1"}'
    rows = rows_of(case_row)
    digest = entry_hash(
        case=case_row.ref,
        seq=3,
        kind="event",
        payload=forged,
        recorded_by=rows[2].recorded_by,
        recorded_at=stamp(rows[2].recorded_at),
        prev_hash=rows[2].prev_hash,
    )
    tamper(
        "UPDATE records_ledgerentry SET payload = %s, hash = %s WHERE id = %s",
        [forged, digest, rows[2].pk],
    )

    assert chains.verify_all().breaks == [
        Break(
            case_row.ref,
            4,
            "entry 4 (event pivot_offered of 2025-04-01) does not follow the entry before it",
        )
    ]


def test_it_notices_when_the_last_entry_was_deleted() -> None:
    case_row = open_on_focus()
    offer_pivot(case_row)
    assert chains.verify_all().breaks == []

    tamper("DELETE FROM records_ledgerentry WHERE case_id = %s AND seq = %s", [case_row.pk, 4])

    # What is left is a sound chain; only the case's head shows that an entry is missing.
    assert chains.verify_all().breaks == [
        Break(
            case_row.ref,
            4,
            "the case's head (entry 4) does not match its ledger (3 entries)",
        )
    ]


# The database and the model refuse changes


@pytest.mark.parametrize(
    ("sql", "params"),
    [
        ("UPDATE records_ledgerentry SET payload = %s WHERE seq = %s", ['{"tampered":true}', 3]),
        ("UPDATE records_ledgerentry SET recorded_by = %s", ["someone-else"]),
        ("DELETE FROM records_ledgerentry WHERE seq = %s", [3]),
    ],
    ids=["update-payload", "update-all", "delete-one"],
)
def test_it_has_the_database_refuse_raw_sql_that_changes_an_entry(
    sql: str, params: list[Any]
) -> None:
    case_row = open_on_focus()
    before = [(r.pk, r.payload, r.recorded_by, r.hash) for r in rows_of(case_row)]
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        connection.cursor().execute(sql, params)
    assert [(r.pk, r.payload, r.recorded_by, r.hash) for r in rows_of(case_row)] == before
    assert chains.verify_all().breaks == []


def test_it_has_the_database_refuse_emptying_the_ledger_table() -> None:
    case_row = open_on_focus()
    # PostgreSQL has TRUNCATE, refused by a statement trigger. SQLite's equivalent is a
    # DELETE with no WHERE, which it would run as a truncate if no trigger stood in the way.
    if connection.vendor == "postgresql":
        empty = "TRUNCATE records_ledgerentry"
    else:
        empty = "DELETE FROM records_ledgerentry"
    settle_foreign_keys()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        connection.cursor().execute(empty)
    assert LedgerEntry.objects.filter(case=case_row).count() == 3


def test_it_refuses_to_save_over_an_existing_entry() -> None:
    case_row = open_on_focus()
    entry = LedgerEntry.objects.get(case=case_row, seq=3)
    entry.payload = '{"tampered":true}'
    with pytest.raises(AppendOnlyError, match="never updated"):
        entry.save()
    assert LedgerEntry.objects.get(pk=entry.pk).payload != entry.payload


def test_it_refuses_to_delete_an_entry() -> None:
    case_row = open_on_focus()
    entry = LedgerEntry.objects.get(case=case_row, seq=3)
    with pytest.raises(AppendOnlyError, match="record a retraction"):
        entry.delete()
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()


def test_it_refuses_to_update_entries_in_bulk() -> None:
    case_row = open_on_focus()
    with pytest.raises(AppendOnlyError, match="never updated"):
        LedgerEntry.objects.filter(case=case_row).update(recorded_by="someone-else")
    assert set(LedgerEntry.objects.values_list("recorded_by", flat=True)) == {"harper", "morgan"}


def test_it_refuses_to_delete_entries_in_bulk() -> None:
    case_row = open_on_focus()
    with pytest.raises(AppendOnlyError, match="record a retraction"):
        LedgerEntry.objects.filter(case=case_row).delete()
    assert LedgerEntry.objects.filter(case=case_row).count() == 3


def test_it_refuses_to_delete_a_case_that_has_a_ledger() -> None:
    case_row = open_on_focus()
    with pytest.raises(ProtectedError):
        case_row.delete()
    assert LedgerEntry.objects.filter(case=case_row).count() == 3


# Retraction


def test_it_leaves_a_retracted_event_out_of_the_review_and_the_export_but_keeps_it() -> None:
    case_row = open_on_focus()
    assert CaseProjection.objects.get(case=case_row).stage == "focus"
    assert DeadlineProjection.objects.filter(case=case_row, code="focus_review_by").exists()

    result = corrections.retract(
        case_row.ref,
        3,
        "  Focus was recorded on the wrong case  ",
        actor=HR_ACTOR,
        expected_version=3,
        clock=on("2025-03-04"),
    )

    assert result.stage == "good_standing"
    view = CaseProjection.objects.get(case=case_row)
    assert (view.stage, view.review["stage"]) == ("good_standing", "good_standing")
    assert not DeadlineProjection.objects.filter(case=case_row, code="focus_review_by").exists()
    assert export_case(case_row, on("2025-03-04"))["events"] == []
    rows = rows_of(case_row)
    assert [(r.seq, r.kind) for r in rows] == [
        (1, "opened"),
        (2, "person"),
        (3, "event"),
        (4, "retraction"),
    ]
    assert json.loads(rows[2].payload)["type"] == "focus_started"
    assert json.loads(rows[3].payload) == {
        "entry": 3,
        "reason": "Focus was recorded on the wrong case",
    }
    assert chains.verify_all().breaks == []


@pytest.mark.parametrize(
    ("seq", "reason", "problem"),
    [
        (1, "The header is wrong", "entry: {ref} has no entry 1 that can be retracted"),
        (4, "Undo the undo", "entry: {ref} has no entry 4 that can be retracted"),
        (9, "No such entry", "entry: {ref} has no entry 9 that can be retracted"),
        (2, "   ", "reason: a retraction needs a reason"),
    ],
    ids=["the-header", "a-retraction", "a-missing-entry", "an-empty-reason"],
)
def test_it_refuses_a_retraction_that_cannot_stand(seq: int, reason: str, problem: str) -> None:
    case_row = open_on_focus()
    # Entry 1 is the header, 2 the manager, 3 the Focus; entry 4 retracts the Focus.
    corrections.retract(
        case_row.ref, 3, "Wrong case", actor=HR_ACTOR, expected_version=3, clock=on("2025-03-04")
    )
    before = LedgerEntry.objects.count()

    with pytest.raises(TransitionRefused) as refused:
        corrections.retract(
            case_row.ref,
            seq,
            reason,
            actor=HR_ACTOR,
            expected_version=4,
            clock=on("2025-03-05"),
        )

    assert refused.value.problems == (problem.format(ref=case_row.ref),)
    assert (version_of(case_row), LedgerEntry.objects.count()) == (4, before)


# Checkpoints


def test_it_verifies_a_checkpoint_it_has_just_taken() -> None:
    case_row = open_on_focus()
    checkpoint = chains.take_checkpoint("auditor", on("2025-03-05"))
    assert checkpoint.root_hash == checkpoint_root([(case_row.ref, 3, case_row.head_hash)])
    assert checkpoint.heads == [[case_row.ref, 3, case_row.head_hash]]
    assert chains.verify_checkpoint(checkpoint.root_hash) == []
    # Nothing changed, so taking one again gives back the same checkpoint.
    assert chains.take_checkpoint("auditor", on("2025-03-06")).pk == checkpoint.pk


def test_it_still_verifies_a_checkpoint_after_entries_are_added_since() -> None:
    case_row = open_on_focus()
    root = chains.take_checkpoint("auditor", on("2025-03-05")).root_hash
    offer_pivot(case_row)
    usecases.open_case(employee={**PAT, "id": "E-2"}, actor=HR_ACTOR, clock=on("2025-04-02"))

    assert chains.verify_checkpoint(root) == []
    assert chains.verify_all().breaks == []
    assert chains.take_checkpoint("auditor", on("2025-04-03")).root_hash != root
    assert Checkpoint.objects.count() == 2


def test_it_catches_a_rewritten_chain_that_verifies_on_its_own() -> None:
    case_row = open_on_focus()
    offer_pivot(case_row)
    root = chains.take_checkpoint("auditor", on("2025-04-02")).root_hash
    usecases.open_case(employee={**PAT, "id": "E-2"}, actor=HR_ACTOR, clock=on("2025-04-03"))
    record(
        case_row,
        "document_concern",
        note="Late again",
        actor=STEPS_ACTOR,
        expected_version=4,
        clock=on("2025-04-03"),
    )
    (focus,) = [r for r in rows_of(case_row) if r.seq == 3]

    forge(case_row, 3, focus.payload.replace('"disclosed":true', '"disclosed":false'))

    assert chains.verify_all().breaks == []
    assert chains.verify_checkpoint(root) == [f"the ledger no longer matches checkpoint {root}"]


def test_it_reports_a_checkpoint_it_does_not_hold() -> None:
    open_on_focus()
    chains.take_checkpoint("auditor", on("2025-03-05"))
    unknown = "f" * 64
    assert chains.verify_checkpoint(unknown) == [f"no checkpoint {unknown} in this database"]


# Projections


def projected() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    cases = CaseProjection.objects.order_by("case_id").values_list(
        "case_id", "stage", "as_of", "review", "worst_severity", "high_findings", "next_deadline"
    )
    deadlines = DeadlineProjection.objects.values_list("case_id", "code", "date", "passed")
    findings = FindingProjection.objects.values_list("case_id", "code", "severity", "date")
    return list(cases), sorted(deadlines), sorted(findings)


def test_it_rebuilds_every_projection_from_the_ledger(tmp_path: Path) -> None:
    doc = case(
        events=[
            event("focus_started", "2025-03-03", by=MANAGER, disclosed=False),
            pivot("2025-04-01"),
        ]
    )
    import_doc(tmp_path, doc)
    offer_pivot(open_on_focus())
    clock = on("2025-04-02")
    screening.rebuild_all(clock)
    before = projected()
    assert [len(rows) > 0 for rows in before] == [True, True, True]
    assert [row[1] for row in before[0]] == ["pivot_offered", "pivot_offered"]

    FindingProjection.objects.all().delete()
    DeadlineProjection.objects.all().delete()
    CaseProjection.objects.all().delete()
    assert projected() == ([], [], [])

    assert screening.rebuild_all(clock) == 2
    assert projected() == before


def test_it_reads_a_record_stored_before_v4_and_lists_it_for_correction(tmp_path: Path) -> None:
    # A file an earlier version accepted: a work_state v4 refuses, and an extension that
    # ends before its plan starts (review-v4.md section 8 item 11).
    from fairpivot.domain.casefile import check_case_document  # noqa: PLC0415
    from fairpivot.records.cases.transfer import CaseFileToImport  # noqa: PLC0415

    doc = case(
        employee={"work_state": "ZZ"},
        events=[
            event("plan_started", "2025-03-03", plan=plan("2025-03-03", "2025-05-02")),
            event("plan_extended", "2025-03-10", end="2025-03-01"),
        ],
        policy="standard-pip",
    )
    loaded = check_case_document(doc, stored=True)
    stored = import_one(CaseFileToImport(tmp_path / "old.json", "0" * 64, loaded)).case

    assert projection.load_case(stored, on("2025-12-31")).file.employee.work_state == "ZZ"
    assert projection.refused_by_v4(on("2025-12-31")) == [
        (
            stored.ref,
            [
                "employee.work_state: not a US state, DC, PR, GU, VI, AS, MP or XX (outside "
                'the US) (got "ZZ")',
                "events[1].end: on or before the start of the plan it extends "
                "(plan start 2025-03-03, end given 2025-03-01)",
            ],
        )
    ]


def test_it_lists_no_record_for_correction_when_every_file_meets_v4(tmp_path: Path) -> None:
    import_doc(tmp_path, case(events=[event("focus_started", "2025-03-03", disclosed=True)]))
    assert projection.refused_by_v4(on("2025-12-31")) == []


def test_a_review_that_reads_the_same_today_is_given_as_of_today(tmp_path: Path) -> None:
    # A Focus told to the employee on 2025-03-03: its review first moves on the day the
    # Focus runs past its 60-day target (its review-by deadline passes the same day).
    doc = case(as_of="2025-03-10", events=[event("focus_started", "2025-03-03", disclosed=True)])
    stored = import_doc(tmp_path, doc)
    assert CaseProjection.objects.get(case=stored).as_of.isoformat() == "2025-03-10"
    expires = CaseProjection.objects.get(case=stored).expires_on
    assert expires is not None
    before = on((expires - timedelta(days=1)).isoformat())

    same = projection.current_review(stored, before)

    assert same["as_of"] == (expires - timedelta(days=1)).isoformat()
    assert {**same, "as_of": "2025-03-10"} == CaseProjection.objects.get(case=stored).review
    assert (
        CaseProjection.objects.get(case=stored).as_of.isoformat() == "2025-03-10"
    )  # not rewritten


def test_a_review_that_has_expired_is_made_again_when_read(tmp_path: Path) -> None:
    doc = case(as_of="2025-03-10", events=[event("focus_started", "2025-03-03", disclosed=True)])
    stored = import_doc(tmp_path, doc)
    expires = CaseProjection.objects.get(case=stored).expires_on
    assert expires is not None

    fresh = projection.current_review(stored, on(expires.isoformat()))

    assert fresh["as_of"] == expires.isoformat()
    assert "focus.overdue" in {f["code"] for f in fresh["findings"]}
    assert CaseProjection.objects.get(case=stored).as_of == expires  # stored again


def test_a_review_whose_facts_moved_since_is_made_again_when_read(tmp_path: Path) -> None:
    doc = case(as_of="2025-03-10", events=[event("focus_started", "2025-03-03", disclosed=True)])
    stored = import_doc(tmp_path, doc)
    CaseProjection.objects.filter(case=stored).update(case_version=0)  # written before a step

    projection.current_review(stored, on("2025-03-12"))

    again = CaseProjection.objects.get(case=stored)
    assert again.case_version == stored.version
    assert again.as_of.isoformat() == "2025-03-12"
