"""Group programs as the pages and the API serve them: who sees which, setting one up,
downloading its disclosure (logged) and issuing it. Both entry points call these."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from fairpivot.domain.disclosure import program_from
from fairpivot.domain.errors import InvalidInput
from fairpivot.records.cases import documents, programs
from fairpivot.records.clock import SYSTEM_CLOCK, Clock
from fairpivot.records.models import Case
from fairpivot.records.models import GroupProgram as StoredProgram
from fairpivot.web.access import (
    Viewer,
    analytics_reach,
    log_access,
    may_run_program,
    may_see_program,
)
from fairpivot.web.case.acting import actor_for

FIELDS = (
    "name",
    "unit",
    "covered",
    "eligibility_factors",
    "selection_factors",
    "consideration_days",
    "revocation_days",
    "program_date",
    "selected",
)
OUT_OF_SCOPE = "unit: outside the orgs you cover; HR sets up programs only there"


def visible(viewer: Viewer) -> list[StoredProgram]:
    """The programs the viewer may read, newest first."""
    reach = analytics_reach(viewer)  # the same rule as may_see_program, asked once
    return [p for p in StoredProgram.objects.all() if reach(p.unit)]


def program_for(viewer: Viewer, pk: int) -> StoredProgram | None:
    """The program ``pk`` if the viewer may read it; None otherwise, exists or not."""
    found = StoredProgram.objects.filter(pk=pk).first()
    return found if found is not None and may_see_program(viewer, found.unit) else None


def runs(viewer: Viewer, program: StoredProgram) -> bool:
    """Whether the viewer may issue ``program``'s disclosure."""
    return may_run_program(viewer, program.unit)


def relation(viewer: Viewer) -> str:
    """The role the viewer acts in when running programs."""
    return "admin" if viewer.has("admin") else "hr"


def set_up(
    viewer: Viewer, values: Mapping[str, object], clock: Clock = SYSTEM_CLOCK
) -> StoredProgram:
    """Store the program HR describes, refused (InvalidInput, naming the field) when a
    value is bad or the unit is outside the viewer's orgs."""
    unit = program_from(values).unit
    if not may_run_program(viewer, unit):
        raise InvalidInput([OUT_OF_SCOPE])
    return programs.set_up(values, actor=actor_for(viewer, relation(viewer)), clock=clock)


def download(viewer: Viewer, program: StoredProgram, via: str = "page") -> bytes:
    """The disclosure's PDF; that the viewer read it is logged in each selected case."""
    content = programs.rendered(program)
    for case in programs.selected_cases(program).values():
        if case is not None:
            log_access(viewer, case, "owbpa_disclosure", via=via)
    return content


def issue(viewer: Viewer, program: StoredProgram, clock: Clock = SYSTEM_CLOCK) -> programs.Issuing:
    """Issue the disclosure in every selected employee's case."""
    return programs.issue(program, actor=actor_for(viewer, relation(viewer)), clock=clock)


@dataclass(frozen=True, slots=True)
class IssuedCopy:
    """A copy of the program's disclosure issued in a case."""

    case: Case
    issued: documents.Issued


def issued_copies(program: StoredProgram) -> list[IssuedCopy]:
    """Every copy of the program's disclosure issued so far, case by case."""
    filename = programs.filename_of(program)
    return [
        IssuedCopy(case, item)
        for case in programs.selected_cases(program).values()
        if case is not None
        for item in documents.issued_in(case)
        if item.document == programs.DOCUMENT and item.filename == filename
    ]
