"""Import case files into the record and export them back out, with their ledgers."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from fairpivot.domain.casefile import LoadedCase, read_case_file
from fairpivot.domain.casefile.entries import assemble, split
from fairpivot.domain.errors import MalformedCaseFile
from fairpivot.domain.ledger import Entry
from fairpivot.records import ledger, projection
from fairpivot.records.clock import SYSTEM_CLOCK, Clock, today
from fairpivot.records.errors import CaseNotFound
from fairpivot.records.models import Case, Employee, case_number

IMPORTER = "import"


@dataclass(frozen=True, slots=True)
class CaseFileToImport:
    """A case file that has been read and checked, ready to import."""

    path: Path
    digest: str
    loaded: LoadedCase


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What importing one file did."""

    path: Path
    case: Case
    created: bool


def check_files(paths: Sequence[Path]) -> list[CaseFileToImport]:
    """Read and check every file first; raise MalformedCaseFile naming each problem's file."""
    checked, problems = [], []
    for path in paths:
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(f"{path}: cannot read ({(exc.strerror or 'error').lower()})")
            continue
        try:
            loaded = read_case_file(path)
        except MalformedCaseFile as exc:
            problems += [f"{path}: {problem}" for problem in exc.problems]
            continue
        checked.append(CaseFileToImport(path, hashlib.sha256(data).hexdigest(), loaded))
    if problems:
        raise MalformedCaseFile(problems)
    return checked


def import_one(item: CaseFileToImport, clock: Clock = SYSTEM_CLOCK) -> ImportResult:
    """Record one checked case file as a case, whole or not at all.

    The file is the historical record and is taken as it is: departures from the policy
    are for the review to flag, not for the import to refuse. A file imported before is
    not imported twice.
    """
    existing = Case.objects.filter(source_digest=item.digest).first()
    if existing is not None:
        return ImportResult(item.path, existing, created=False)
    employee = item.loaded.file.employee
    with transaction.atomic():
        case = Case.objects.create(
            employee_ref=employee.id,
            employee=Employee.objects.filter(employee_id=employee.id).first(),
            policy=item.loaded.policy.name,
            opened_at=clock.now(),
            source_digest=item.digest,
        )
        ledger.append(case, split(item.loaded.raw), IMPORTER, 0, clock)
        projection.refresh(case, clock)
    return ImportResult(item.path, case, created=True)


def find_case(ident: str) -> Case:
    """A case by its id (``C-42``), else an employee's latest case by their employee id."""
    number = case_number(ident) if ident.startswith("C-") else None
    if number is not None:
        by_id = Case.objects.filter(pk=number).first()
        if by_id is not None:
            return by_id
    case = Case.objects.filter(employee_ref=ident).order_by("-id").first()
    if case is None:
        raise CaseNotFound(ident)
    return case


def export_case(case: Case, clock: Clock = SYSTEM_CLOCK) -> dict[str, Any]:
    """The case file the ledger describes, retracted entries left out."""
    return assemble(ledger.facts_of(case), today(clock))


def export_ledger(case: Case) -> list[Entry]:
    """The case's whole ledger, retractions and retracted entries included."""
    return ledger.entries_of(case)
