"""Oversight across cases: the steps waiting for HR, and who saw what."""

# No ``from __future__ import annotations``: ninja reads the routes' annotations at run
# time, from the module its decorators wrap them in.

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.errors import AuthorizationError
from ninja.pagination import paginate

from fairpivot.records.cases.workflow import HOLD, pending_holds
from fairpivot.web.access import access_log_for, visible_cases
from fairpivot.web.api.auth import viewer
from fairpivot.web.api.schemas import AccessOut, ErrorOut, HoldOut, Pages
from fairpivot.web.case.acting import relations
from fairpivot.web.models import AccessLogEntry

router = Router(tags=["oversight"])

SIGNERS = frozenset({"hr", "admin"})
LOG_READERS = ("hr", "counsel", "admin")


@router.get(
    "/holds",
    response={200: list[HoldOut], 401: ErrorOut, 403: ErrorOut},
    summary="Steps waiting for your sign-off (HR)",
)
def list_holds(request: HttpRequest) -> list[HoldOut]:
    """Managers' risky steps held for HR, in the cases you sign off, oldest case first."""
    who = viewer(request)
    if not any(who.has(role) for role in SIGNERS):
        raise AuthorizationError(message="Only HR signs off held steps.")
    held = visible_cases(who).filter(entries__kind=HOLD).distinct().order_by("id")
    return [
        HoldOut(
            case=case.ref,
            seq=hold.seq,
            event=hold.event,
            findings=hold.findings,
            justification=hold.justification,
            requested_by=hold.requested_by,
        )
        for case in held
        if relations(who, case) & SIGNERS
        for hold in pending_holds(case.ref)
    ]


@router.get(
    "/access-log",
    response={200: list[AccessOut], 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Who saw the sensitive parts of cases (HR, counsel)",
)
@paginate(Pages)
def list_access(request: HttpRequest) -> QuerySet[AccessLogEntry]:
    """The access log of the cases you cover, newest first."""
    who = viewer(request)
    if not any(who.has(role) for role in LOG_READERS):
        raise AuthorizationError(message="Only HR and counsel read the access log.")
    return access_log_for(who).select_related("user")
