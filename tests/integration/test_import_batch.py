"""Bulk import: the projections it stores are the ones the ledger gives, and a moved history
stops a batch.

The import records every batch first and then reviews the cases it moved (the new ones and
the other cases of people whose history grew) from their ledgers; it must store what a
rebuild of every projection from the ledger would.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction

from fairpivot.domain.ledger import GENESIS
from fairpivot.records.cases import transfer
from fairpivot.records.clock import FixedClock
from fairpivot.records.errors import Conflict
from fairpivot.records.ledger import bulk, chains
from fairpivot.records.models import (
    Case,
    CaseProjection,
    DeadlineProjection,
    FindingProjection,
    HistoryEntry,
    PersonHistory,
    ReleaseOfferProjection,
)
from fairpivot.records.screen.imported import ToReview, review_moved
from fairpivot.records.screen.screening import rebuild_all, screen_cases
from fairpivot.synth.org import generate_org
from tests.builders import MANAGER, case, event

pytestmark = pytest.mark.django_db

AS_OF = date(2026, 11, 1)
CLOCK = FixedClock(datetime.combine(AS_OF, time(12), tzinfo=UTC))
COMPLAINT = {"kind": "discrimination_complaint", "date": "2025-03-03", "known_to": [MANAGER]}
TIMING = "retaliation.timing"


def complained() -> dict[str, Any]:
    """Pat's first case: the complaint, nothing else yet."""
    return case(protected_activities=[COMPLAINT], as_of="2025-03-10")


def focused() -> dict[str, Any]:
    """Pat's second case: a Focus started weeks after the complaint, which it does not hold."""
    return case(events=[event("focus_started", "2025-03-20", disclosed=True)], as_of="2025-04-01")


def write(folder: Path, name: str, doc: dict[str, Any]) -> Path:
    path = folder / name
    path.write_text(json.dumps(doc, indent=2))
    return path


def import_files(paths: list[Path], batch_size: int = 100) -> list[transfer.ImportResult]:
    return list(transfer.import_many(transfer.check_files(paths), CLOCK, batch_size))


def codes(case_row: Case) -> set[str]:
    return set(FindingProjection.objects.filter(case=case_row).values_list("code", flat=True))


def projections() -> dict[str, list[tuple[Any, ...]]]:
    """Every projection table's rows, in a stable order, without the time they were written."""
    fields = [f.attname for f in CaseProjection._meta.fields if f.name != "refreshed_at"]
    out = {"cases": sorted(CaseProjection.objects.values_list(*fields))}
    for name, model in (
        ("deadlines", DeadlineProjection),
        ("findings", FindingProjection),
        ("releases", ReleaseOfferProjection),
    ):
        columns = [f.attname for f in model._meta.fields if f.name != "id"]
        out[name] = sorted(model.objects.values_list(*columns), key=repr)
    return out


@pytest.fixture(scope="module")
def org_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("org") / "export"
    generate_org(folder, employees=1500, seed=7, as_of=AS_OF)
    return sorted((folder / "cases").glob("*.json"))


def test_it_stores_the_projections_a_rebuild_from_the_ledger_stores(
    org_files: list[Path], tmp_path: Path
) -> None:
    first = write(tmp_path, "first.json", complained())
    second = write(tmp_path, "second.json", focused())
    rated = case(ratings=[{"date": "2025-02-01", "value": "LE"}], as_of="2025-03-30")
    third = write(tmp_path, "third.json", rated)
    # Pat's first case in one import; the second and third in one batch of a later one,
    # the third adding a rating that moves the first two: every way a history reaches a case.
    import_files([*org_files[:40], first], batch_size=25)
    import_files([*org_files[40:], second, third], batch_size=25)
    assert Case.objects.count() == len(org_files) + 3

    imported = projections()
    rebuild_all(CLOCK)

    assert projections() == imported
    assert len(imported["cases"]) == len(org_files) + 3
    assert len(imported["findings"]) > 0


def test_it_reviews_a_second_case_with_the_complaint_the_persons_first_case_recorded(
    tmp_path: Path,
) -> None:
    import_files([write(tmp_path, "first.json", complained())])
    (result,) = import_files([write(tmp_path, "second.json", focused())])
    assert TIMING in codes(result.case)


def test_it_finds_no_retaliation_in_a_second_case_with_no_complaint_recorded(
    tmp_path: Path,
) -> None:
    import_files([write(tmp_path, "first.json", case(as_of="2025-03-10"))])
    (result,) = import_files([write(tmp_path, "second.json", focused())])
    assert TIMING not in codes(result.case)


def test_it_reviews_both_files_of_one_person_in_one_batch_with_each_others_entries(
    tmp_path: Path,
) -> None:
    results = import_files(
        [write(tmp_path, "first.json", complained()), write(tmp_path, "second.json", focused())]
    )
    assert TIMING in codes(results[1].case)
    assert HistoryEntry.objects.count() == 1


def test_it_records_first_and_names_every_case_whose_review_the_batch_moved(
    tmp_path: Path,
) -> None:
    (earlier,) = import_files([write(tmp_path, "first.json", complained())])
    rated = case(ratings=[{"date": "2025-02-01", "value": "LE"}], as_of="2025-03-30")
    files = [write(tmp_path, "second.json", focused()), write(tmp_path, "third.json", rated)]
    (batch,) = transfer.record_many(transfer.check_files(files), CLOCK)
    new = {result.case.pk for result in batch.results}
    # The rating grows Pat's history, which the first case's file includes.
    assert batch.moved == new | {earlier.case.pk}
    assert not CaseProjection.objects.filter(case__in=new).exists()

    todo = ToReview()
    todo.add(batch.moved, batch.new)
    assert review_moved(todo, CLOCK).cases == 3
    reviewed = projections()
    rebuild_all(CLOCK)
    assert projections() == reviewed


def test_it_reviews_in_worker_processes_what_a_rebuild_stores(org_files: list[Path]) -> None:
    todo = ToReview()
    for batch in transfer.record_many(transfer.check_files(org_files), CLOCK, 25):
        todo.add(batch.moved, batch.new)
    mine = sum(new.is_its_file(AS_OF) for new in todo.as_checked.values())
    assert mine > len(org_files) // 2  # most are reviewed from their files
    assert review_moved(todo, CLOCK, workers=2, workers_from=1).cases == len(org_files)
    reviewed = projections()
    rebuild_all(CLOCK)
    assert projections() == reviewed


def test_a_case_reviewed_from_its_file_is_read_from_its_ledger_once_a_later_batch_moves_it(
    tmp_path: Path,
) -> None:
    rated = case(ratings=[{"date": "2025-02-01", "value": "LE"}], as_of="2025-03-30")
    files = [write(tmp_path, "first.json", complained()), write(tmp_path, "third.json", rated)]
    todo = ToReview()
    batches = list(transfer.record_many(transfer.check_files(files), CLOCK, batch_size=1))
    first = batches[0].results[0].case.pk
    assert batches[0].new[first].is_its_file(AS_OF)  # Pat's first case, alone, is its file
    for batch in batches:
        todo.add(batch.moved, batch.new)
    assert first in todo.moved
    assert first not in todo.as_checked  # the rating moved it
    review_moved(todo, CLOCK)
    reviewed = projections()
    rebuild_all(CLOCK)
    assert projections() == reviewed


def test_the_daily_screen_reviews_the_cases_an_import_recorded_and_did_not_review(
    tmp_path: Path,
) -> None:
    files = [write(tmp_path, "first.json", complained())]
    (batch,) = transfer.record_many(transfer.check_files(files), CLOCK)
    assert screen_cases(CLOCK).cases == 1
    assert CaseProjection.objects.filter(case__in=batch.moved).count() == 1


RATING = ("rating", {"date": "2025-01-01", "value": "HV2"})


def test_it_appends_to_a_history_still_where_it_was_read() -> None:
    with transaction.atomic():
        chains.append_history("E-9", [RATING], "test", CLOCK)
        chains.append_history("E-8", [RATING], "test", CLOCK)
        heads = bulk.history_heads(["E-9", "E-8"])
        new = {"E-9": [RATING], "E-8": [RATING, RATING], "E-7": [RATING]}
        bulk.append_histories(new, heads, "test", CLOCK.now())
    versions = dict(PersonHistory.objects.values_list("employee_ref", "version"))
    assert versions == {"E-9": 2, "E-8": 3, "E-7": 1}
    assert chains.verify_all().breaks == []


def test_it_refuses_a_batch_whose_history_moved_since_it_was_read_and_writes_nothing() -> None:
    with transaction.atomic():
        chains.append_history("E-9", [RATING], "test", CLOCK)
    stale = {"E-9": (PersonHistory.objects.get().pk, 0, GENESIS)}
    with pytest.raises(Conflict, match="person:E-9 changed"), transaction.atomic():
        bulk.append_histories({"E-9": [RATING]}, stale, "test", CLOCK.now())
    assert HistoryEntry.objects.count() == 1
    assert PersonHistory.objects.get().version == 1
