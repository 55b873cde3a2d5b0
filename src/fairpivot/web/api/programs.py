"""Group programs: set one up (HR in scope), read it with its disclosure, download the
disclosure's PDF (logged in each selected case) and issue it in each selected case.

The same rules as the pages (``web.programs``, ``access.may_see_program`` and
``may_run_program``): a program out of reach is not found; bad input is a 422 whose
problems name the field, and nothing is stored.
"""

# No ``from __future__ import annotations``: ninja reads the routes' annotations at run
# time, from the module its decorators wrap them in.

from datetime import date, datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.errors import AuthorizationError

from fairpivot.domain.errors import InvalidInput
from fairpivot.records.cases import programs as records
from fairpivot.records.models import GroupProgram
from fairpivot.web.access import ANALYTICS_ROLES, Viewer
from fairpivot.web.api.auth import viewer
from fairpivot.web.api.schemas import ErrorOut
from fairpivot.web.downloads import attachment
from fairpivot.web.org import programs

router = Router(tags=["group programs"])

READ: dict[int, Any] = {401: ErrorOut, 404: ErrorOut}
WRITE: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class ProgramIn(Schema):
    """A group program as HR sets it up; the people come from the HRIS."""

    name: str = Field("", description="what HR calls the program")
    unit: str = Field("", description="the decisional unit, an org path; empty: the company")
    covered: str = Field("", description="the class covered, if narrower than the unit")
    eligibility_factors: str = Field("", description="who could be offered the program")
    selection_factors: str = Field("", description="how those offered it were chosen")
    consideration_days: int = Field(45, description="days to consider; at least 45")
    revocation_days: int = Field(7, description="days to revoke after signing; at least 7")
    program_date: str = Field("", description="YYYY-MM-DD; the HRIS is read as of this day")
    selected: list[str] = Field(default_factory=list, description="selected employee ids")


class RowOut(Schema):
    """How many of one job title, grade and age were selected and not selected."""

    title: str
    level: str
    age: int
    selected: int
    not_selected: int


class ProgramOut(Schema):
    """A group program as stored, with its disclosure as the HRIS reads now."""

    id: int
    name: str
    unit: str
    covered: str
    eligibility_factors: str
    selection_factors: str
    consideration_days: int
    revocation_days: int
    program_date: date
    selected: list[str]
    created_by: str
    created_at: datetime
    disclosure: list[RowOut] | None = Field(
        None, description="absent when the HRIS no longer gives what it needs"
    )
    problems: list[str] = Field(default_factory=list)


class IssuedOut(Schema):
    """Where the disclosure was issued, and who selected has no case."""

    issued: list[dict[str, Any]]
    without_case: list[str]


def _out(program: GroupProgram, *, with_disclosure: bool = True) -> ProgramOut:
    out = ProgramOut.model_validate(
        {
            "id": program.pk,
            **{name: getattr(program, name) for name in programs.FIELDS},
            "created_by": program.created_by,
            "created_at": program.created_at,
        }
    )
    if with_disclosure:
        try:
            rows = records.disclosure_of(program).rows
            out.disclosure = [RowOut.model_validate(row, from_attributes=True) for row in rows]
        except InvalidInput as exc:
            out.problems = list(exc.problems)
    return out


def _reader(request: HttpRequest) -> Viewer:
    """The caller, if HR, counsel or an admin (403 before anything else otherwise)."""
    who = viewer(request)
    if not any(who.has(role) for role in ANALYTICS_ROLES):
        raise AuthorizationError(message="Group programs are for HR, counsel and admins.")
    return who


def _readable(request: HttpRequest, program_id: int) -> GroupProgram:
    found = programs.program_for(_reader(request), program_id)
    if found is None:
        raise Http404(str(program_id))
    return found


@router.get("/group-programs", response={200: list[ProgramOut], **READ}, summary="List programs")
def list_programs(request: HttpRequest) -> list[ProgramOut]:
    """The group programs you may read (HR in scope, counsel, admins), newest first."""
    return [_out(p, with_disclosure=False) for p in programs.visible(_reader(request))]


@router.post("/group-programs", response={201: ProgramOut, **WRITE}, summary="Set up a program")
def set_up_program(request: HttpRequest, body: ProgramIn) -> Status[ProgramOut]:
    """Set up a group program over an org you cover (HR, admins)."""
    who = viewer(request)
    if not (who.has("hr") or who.has("admin")):
        raise AuthorizationError(message="Only HR sets up group programs.")
    return Status(201, _out(programs.set_up(who, body.model_dump())))


@router.get(
    "/group-programs/{program_id}", response={200: ProgramOut, **READ}, summary="Read a program"
)
def get_program(request: HttpRequest, program_id: int) -> ProgramOut:
    """A program and its disclosure's rows."""
    return _out(_readable(request, program_id))


@router.get(
    "/group-programs/{program_id}/disclosure.pdf",
    response={200: bytes, **WRITE},
    summary="Download the disclosure",
)
def get_disclosure(request: HttpRequest, program_id: int) -> HttpResponse:
    """The disclosure's PDF; reading it is logged in each selected employee's case."""
    program = _readable(request, program_id)
    content = programs.download(viewer(request), program, via="api")
    return attachment(content, records.PDF, records.filename_of(program))


@router.post(
    "/group-programs/{program_id}/issue",
    response={200: IssuedOut, **WRITE},
    summary="Issue the disclosure",
)
def issue_disclosure(request: HttpRequest, program_id: int) -> IssuedOut:
    """Issue the disclosure in each selected employee's latest case (HR covering the unit)."""
    who = viewer(request)
    program = _readable(request, program_id)
    if not programs.runs(who, program):
        raise AuthorizationError(message="Only HR covering the unit issues its papers.")
    done = programs.issue(who, program)
    issued = [
        {"case": case.ref, "seq": item.seq, "sha256": item.sha256} for case, item in done.issued
    ]
    return IssuedOut(issued=issued, without_case=done.without_case)
