"""Documents issued in a case: the ledger entry proves the file, and nothing changes either."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.db import IntegrityError, transaction

from fairpivot.domain.ledger import first_break
from fairpivot.records.cases import corrections, documents, usecases, workflow
from fairpivot.records.errors import CaseNotFound, Conflict, TransitionRefused
from fairpivot.records.ledger import chains
from fairpivot.records.models import AppendOnlyError, Case, DocumentFile
from fairpivot.records.screen import projection
from tests.builders import EMPLOYEE, HR, MANAGER
from tests.integration.test_corrections import PAT, on

pytestmark = pytest.mark.django_db

HR_ACTOR = usecases.Actor("harper", HR, "Harper HR", "hr")
LETTER = b"%PDF-1.7 a letter"


@pytest.fixture
def opened() -> Case:
    return usecases.open_case(
        employee=PAT,
        actor=HR_ACTOR,
        people=[{"id": MANAGER, "name": "Morgan Manager", "role": "manager"}],
        clock=on("2025-03-03"),
    )


def issue(case: Case, content: bytes = LETTER, version: int | None = None) -> documents.Issued:
    case.refresh_from_db()
    return documents.issue(
        case,
        document="pivot_letter",
        title="Pivot letter",
        filename="pivot-letter.pdf",
        media_type="application/pdf",
        content=content,
        audience=["employee"],
        actor=HR_ACTOR,
        expected_version=case.version if version is None else version,
        clock=on("2025-06-02"),
    )


def test_an_issued_document_is_a_ledger_entry_holding_its_hash(opened: Case) -> None:
    before = opened.version
    issued = issue(opened)
    opened.refresh_from_db()
    assert opened.version == before + 1
    assert issued.seq == opened.version
    entry = chains.entries_of(opened)[-1]
    assert entry.kind == "document"
    payload = json.loads(entry.payload)
    assert payload["sha256"] == hashlib.sha256(LETTER).hexdigest()
    assert payload["date"] == "2025-06-02"
    assert payload["audience"] == ["employee"]
    assert first_break(chains.entries_of(opened)) is None
    assert documents.issued_in(opened) == [issued]
    again, content = documents.file_of(opened, issued.seq)
    assert (again, content) == (issued, LETTER)


def test_the_same_bytes_issued_twice_are_two_entries_and_one_file(opened: Case) -> None:
    first, second = issue(opened), issue(opened)
    assert (first.seq + 1, first.sha256) == (second.seq, second.sha256)
    assert DocumentFile.objects.count() == 1


def test_issuing_changes_no_review(opened: Case) -> None:
    before = projection.refresh(opened, on("2025-06-02")).to_json()
    issue(opened)
    opened.refresh_from_db()
    assert opened.projection.review == before


def test_a_stale_version_is_refused_and_writes_nothing(opened: Case) -> None:
    opened.refresh_from_db()
    stale = opened.version - 1
    with pytest.raises(Conflict):
        issue(opened, b"other bytes", version=stale)
    assert documents.issued_in(opened) == []
    assert not DocumentFile.objects.exists()


def test_a_document_cannot_be_retracted(opened: Case) -> None:
    issued = issue(opened)
    with pytest.raises(TransitionRefused, match="a document issued stays issued"):
        corrections.retract(
            opened.ref,
            issued.seq,
            "wrong letter",
            actor=HR_ACTOR,
            expected_version=issued.seq,
            clock=on("2025-06-03"),
        )


def test_a_stored_file_is_never_changed_or_deleted(opened: Case) -> None:
    issued = issue(opened)
    stored = DocumentFile.objects.get(sha256=issued.sha256)
    stored.content = b"tampered"
    with pytest.raises(AppendOnlyError):
        stored.save()
    with pytest.raises(AppendOnlyError):
        stored.delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentFile.objects.create(
            sha256=issued.sha256, media_type="text/plain", size=1, content=b"x"
        )


def test_no_such_document_is_not_found(opened: Case) -> None:
    with pytest.raises(CaseNotFound):
        documents.file_of(opened, 1)  # entry 1 is the header, not a document
    assert EMPLOYEE in opened.employee_ref


def test_a_typed_in_document_is_not_an_issued_one_and_can_still_be_retracted(
    opened: Case,
) -> None:
    opened.refresh_from_db()
    typed = workflow.add_document(
        opened.ref,
        "Job description",
        "Filed by HR.",
        actor=HR_ACTOR,
        expected_version=opened.version,
        clock=on("2025-06-02"),
    )
    assert typed is not None
    opened.refresh_from_db()
    assert documents.issued_in(opened) == []
    with pytest.raises(CaseNotFound):
        documents.file_of(opened, opened.version)
    corrections.retract(
        opened.ref,
        opened.version,
        "Filed on the wrong case.",
        actor=HR_ACTOR,
        expected_version=opened.version,
        clock=on("2025-06-03"),
    )
