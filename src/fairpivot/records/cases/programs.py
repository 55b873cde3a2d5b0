"""Group exit programs: HR sets one up, and its OWBPA disclosure is issued in each case.

A program is stored as HR gave it (``GroupProgram``); its disclosure is built when asked
from the program and the HRIS tables as they are (domain/disclosure.py), and issued in the
latest case of each selected employee as a ``document`` ledger entry (records/cases/documents.py)
— which is what ties a case's release offer to the program: the case's ledger holds the
disclosure its employee was given, with its hash. The offer itself still says, in its own
``group_program`` and ``group_disclosures`` flags, what the review judges.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.db.models import Q

from fairpivot.documents.disclosure import TITLE, disclosure_pdf
from fairpivot.domain.disclosure import (
    Disclosure,
    GroupProgram,
    UnitMember,
    disclose,
    program_from,
)
from fairpivot.domain.errors import InvalidInput
from fairpivot.records.cases import documents
from fairpivot.records.cases.usecases import Actor
from fairpivot.records.clock import Clock
from fairpivot.records.models import Case, Employee
from fairpivot.records.models import GroupProgram as StoredProgram

DOCUMENT = "owbpa_disclosure"
PDF = "application/pdf"


def members_of(unit: str, day: date) -> list[UnitMember]:
    """The HRIS's people of the org subtree ``unit`` who worked there on ``day``."""
    rows = Employee.objects.filter(
        Q(hire_date__isnull=True) | Q(hire_date__lte=day),
        Q(exit_date__isnull=True) | Q(exit_date__gte=day),
    )
    if unit:
        rows = rows.filter(Q(org=unit) | Q(org__startswith=unit.rstrip("/") + "/"))
    columns = rows.values_list(
        "employee_id", "org", "title", "level", "demographics__birth_date", "hire_date", "exit_date"
    )
    return [UnitMember(*row) for row in columns.order_by("employee_id")]


def program_of(stored: StoredProgram) -> GroupProgram:
    """The domain's program from its stored row."""
    return GroupProgram(
        name=stored.name,
        unit=stored.unit,
        covered=stored.covered,
        eligibility_factors=stored.eligibility_factors,
        selection_factors=stored.selection_factors,
        consideration_days=stored.consideration_days,
        revocation_days=stored.revocation_days,
        program_date=stored.program_date,
        selected=tuple(str(ref) for ref in stored.selected),
    )


def _disclose(program: GroupProgram) -> Disclosure:
    people = members_of(program.unit, program.program_date)
    if not people:
        raise InvalidInput(
            [
                f"unit: no one in the HRIS works in {program.unit or 'the company'!r} "
                f"on {program.program_date.isoformat()}"
            ]
        )
    return disclose(program, people)


def set_up(values: Mapping[str, object], *, actor: Actor, clock: Clock) -> StoredProgram:
    """Store a group program from HR's ``values``, refused (InvalidInput) before anything
    is stored if a field is bad or its disclosure could not be made from the HRIS."""
    program = program_from(values)
    _disclose(program)
    return StoredProgram.objects.create(
        name=program.name,
        unit=program.unit,
        covered=program.covered,
        eligibility_factors=program.eligibility_factors,
        selection_factors=program.selection_factors,
        consideration_days=program.consideration_days,
        revocation_days=program.revocation_days,
        program_date=program.program_date,
        selected=list(program.selected),
        created_by=actor.username,
        created_at=clock.now(),
    )


def disclosure_of(stored: StoredProgram) -> Disclosure:
    """The program's disclosure over the HRIS tables as they are now."""
    return _disclose(program_of(stored))


def rendered(stored: StoredProgram, policy: str = "default") -> bytes:
    """The disclosure's PDF, stamped with the moment the program was set up.

    So while the HRIS says the same of the unit, HR's download and every copy issued are
    the same bytes, and one hash in the cases' ledgers.
    """
    return disclosure_pdf(disclosure_of(stored), created=stored.created_at, policy=policy)


def selected_cases(stored: StoredProgram) -> dict[str, Case | None]:
    """Each selected employee's latest case (None for someone without one)."""
    refs = [str(ref) for ref in stored.selected]
    latest: dict[str, Case] = {}
    for case in Case.objects.filter(employee_ref__in=refs).order_by("id"):
        latest[case.employee_ref] = case
    return {ref: latest.get(ref) for ref in refs}


@dataclass(frozen=True, slots=True)
class Issuing:
    """What issuing a program's disclosure did: the entries made, and who had no case."""

    issued: list[tuple[Case, documents.Issued]]
    without_case: list[str]


def filename_of(program: StoredProgram) -> str:
    """The disclosure's file name, the same for every copy and every download."""
    return f"owbpa-disclosure-{program.pk}.pdf"


def issue(stored: StoredProgram, *, actor: Actor, clock: Clock) -> Issuing:
    """Issue the disclosure in each selected employee's latest case, all or none.

    Someone selected who has no case in fairpivot gets the paper some other way; they are
    named in the answer so HR knows to.
    """
    cases = selected_cases(stored)
    files: dict[str, bytes] = {}
    out: list[tuple[Case, documents.Issued]] = []
    with transaction.atomic():
        for case in [c for c in cases.values() if c is not None]:
            if case.policy not in files:
                files[case.policy] = rendered(stored, case.policy)
            issued = documents.issue(
                case,
                document=DOCUMENT,
                title=f"{TITLE}: {stored.name}",
                filename=filename_of(stored),
                media_type=PDF,
                content=files[case.policy],
                audience=["employee"],
                actor=actor,
                expected_version=case.version,
                clock=clock,
            )
            out.append((case, issued))
    return Issuing(out, [ref for ref, case in cases.items() if case is None])
