"""Cases: the list, opening a live one, and one case's file, ledger, events and review.

Every case is looked up through the access rules: one the caller may not open is not
found, whether it exists or not. What a caller may not see of a case they may open is
left out (``privacy``: per audience, before anything is sent), and seeing the sensitive
parts is logged.
"""

# No ``from __future__ import annotations``: ninja reads the routes' annotations at run
# time, from the module its decorators wrap them in.

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import P, PathEx, Query, Router, Status
from ninja.errors import AuthorizationError
from ninja.pagination import paginate

from fairpivot.domain.casefile.entries import retracted
from fairpivot.domain.ledger import ledger_document
from fairpivot.domain.review.model import Severity, severity_rank
from fairpivot.records.cases import usecases
from fairpivot.records.cases.transfer import export_case, export_ledger
from fairpivot.records.clock import SYSTEM_CLOCK
from fairpivot.records.ledger.chains import facts_of
from fairpivot.records.models import Case, CaseProjection
from fairpivot.records.reviewing import review_document
from fairpivot.records.screen.projection import current_review
from fairpivot.web import privacy
from fairpivot.web.access import (
    SENSITIVE_FINDINGS,
    Viewer,
    case_file_for,
    case_for,
    log_access,
    may_read_ledger,
    review_for,
    sight_for,
    visible_cases,
)
from fairpivot.web.api.auth import viewer
from fairpivot.web.api.schemas import (
    CaseDetail,
    CaseFilter,
    CaseRow,
    DeadlinesOut,
    Document,
    ErrorOut,
    EventOut,
    LedgerOut,
    OpenCaseIn,
    OptionsOut,
    Pages,
)
from fairpivot.web.case.acting import actor_for

router = Router(tags=["cases"])

CaseId = PathEx[str, P(description="the case's id, as in C-42", example="C-1")]
READ: dict[int, Any] = {401: ErrorOut, 404: ErrorOut}
# Who may take a case's whole ledger: it holds every fact, protected ones included.
# Who opens cases, in the order their relation is preferred for the case's actor.
OPENERS = ("hr", "admin")


def requested_case(request: HttpRequest, case_id: str) -> tuple[Viewer, Case]:
    """The caller and the case they asked for; CaseNotFound if they may not open it."""
    who = viewer(request)
    return who, case_for(who, case_id)


def shown_review(who: Viewer, case: Case, review: Document) -> Document:
    """The review as the caller may see it; showing protected facts is logged."""
    shown = review_for(who, case, review)
    if any(f.get("code") in SENSITIVE_FINDINGS for f in shown.get("findings", [])):
        log_access(who, case, "protected_activities", via="api")
    return shown


def stored_review(case: Case) -> Document:
    """The review stored with the case's projection, as of today (refreshed if it expired).

    Given back as the review format writes it, ``notice`` last
    (``reviewing.review_document``).
    """
    return review_document(current_review(case, SYSTEM_CLOCK))


def worst(review: Document) -> Severity | None:
    """The highest severity among a review document's findings."""
    severities: list[Severity] = [f["severity"] for f in review.get("findings", [])]
    return min(severities, key=severity_rank, default=None)


def row(case: Case, projection: CaseProjection, review: Document, *, whole: bool = True) -> CaseRow:
    """A case in a list, its worst severity and next deadline those of the review as the
    caller sees it (``whole``: the caller sees the whole review, the projection's apply)."""
    return CaseRow(
        id=case.ref,
        employee=case.employee_ref,
        stage=projection.stage,
        worst_severity=worst(review),
        next_deadline=projection.next_deadline if whole else privacy.next_deadline(review),
        version=case.version,
    )


def detail(who: Viewer, case: Case) -> CaseDetail:
    """A case with its latest review, as the caller may see it."""
    review = shown_review(who, case, stored_review(case))
    stored = CaseProjection.objects.get(case=case)  # after any refresh of an expired one
    whole = sight_for(who, case).everything
    return CaseDetail(
        **row(case, stored, review, whole=whole).model_dump(),
        policy=case.policy,
        opened_at=case.opened_at,
        review=review,
    )


@router.get(
    "/cases",
    response={200: list[CaseRow], 401: ErrorOut, 422: ErrorOut},
    summary="List the cases you may open",
)
@paginate(Pages)
def list_cases(request: HttpRequest, filters: Query[CaseFilter]) -> list[CaseRow]:
    """Your cases in id order, optionally only those at a stage or of a worst severity."""
    who = viewer(request)
    # A case an import recorded and has not reviewed yet has no projection to list: it is
    # reviewed now, as opening it would (``current_review`` stores the review).
    for case in visible_cases(who).filter(projection__isnull=True):
        current_review(case, SYSTEM_CLOCK)
    projections = (
        CaseProjection.objects.filter(case__in=visible_cases(who))
        .select_related("case")
        .order_by("case_id")
    )
    if filters.stage is not None:
        projections = projections.filter(stage=filters.stage)
    rows = [
        row(
            p.case,
            p,
            review_for(who, p.case, p.review),
            whole=sight_for(who, p.case).everything,
        )
        for p in projections
    ]
    if filters.severity is not None:
        rows = [r for r in rows if r.worst_severity == filters.severity]
    return rows


@router.get("/cases/{case_id}", response={200: CaseDetail, **READ}, summary="Open a case")
def get_case(request: HttpRequest, case_id: CaseId) -> CaseDetail:
    """Where the case stands, with its latest review (fairpivot.review/1)."""
    return detail(*requested_case(request, case_id))


@router.get(
    "/cases/{case_id}/casefile",
    response={200: Document, **READ},
    summary="Export the case file",
)
def get_case_file(request: HttpRequest, case_id: CaseId) -> Document:
    """The case as a fairpivot.casefile/1 document; the export is logged."""
    who, case = requested_case(request, case_id)
    document = case_file_for(who, case, export_case(case))
    log_access(who, case, "case_file_export", via="api")
    return document


@router.get(
    "/cases/{case_id}/ledger",
    response={200: LedgerOut, 403: ErrorOut, **READ},
    summary="Export the case's ledger (HR, counsel)",
)
def get_ledger(request: HttpRequest, case_id: CaseId) -> Document:
    """Every entry of the case's hash chain, to verify offline; the export is logged."""
    who, case = requested_case(request, case_id)
    if not may_read_ledger(who, case):
        raise AuthorizationError(
            message="Only HR for this case, counsel and admins export ledgers."
        )
    log_access(who, case, "ledger_export", via="api")
    return ledger_document(case.ref, export_ledger(case))


@router.get(
    "/cases/{case_id}/events",
    response={200: list[EventOut], **READ},
    summary="The case's events",
)
def get_events(request: HttpRequest, case_id: CaseId) -> list[EventOut]:
    """The case's events in order, each with its ledger entry; retracted ones left out."""
    who, case = requested_case(request, case_id)
    sight = sight_for(who, case)
    facts = facts_of(case)
    gone = retracted(facts)
    return [
        EventOut(seq=f.seq, event=privacy.event_of(sight, f.payload))
        for f in facts
        if f.kind == "event" and f.seq not in gone
    ]


@router.get(
    "/cases/{case_id}/review",
    response={200: Document, **READ},
    summary="The case's review",
)
def get_review(request: HttpRequest, case_id: CaseId) -> Document:
    """The latest fairpivot.review/1 document: findings, deadlines and options."""
    who, case = requested_case(request, case_id)
    return shown_review(who, case, stored_review(case))


@router.get(
    "/cases/{case_id}/deadlines",
    response={200: DeadlinesOut, **READ},
    summary="The case's deadlines",
)
def get_deadlines(request: HttpRequest, case_id: CaseId) -> DeadlinesOut:
    """Who must act by when, from the latest review; passed and settled ones included, marked."""
    who, case = requested_case(request, case_id)
    review = stored_review(case)
    return DeadlinesOut(
        case=case.ref,
        as_of=review["as_of"],
        deadlines=privacy.deadline_documents(sight_for(who, case), review["deadlines"]),
        notice=review["notice"],
    )


@router.get(
    "/cases/{case_id}/options",
    response={200: OptionsOut, **READ},
    summary="The employee's options now",
)
def get_options(request: HttpRequest, case_id: CaseId) -> OptionsOut:
    """The choices open at the case's decision point, side by side; empty elsewhere."""
    who, case = requested_case(request, case_id)
    review = stored_review(case)
    options = privacy.option_documents(sight_for(who, case), review["options"])
    return OptionsOut(case=case.ref, as_of=review["as_of"], stage=review["stage"], options=options)


@router.post(
    "/cases",
    response={201: CaseDetail, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    summary="Open a live case (HR)",
)
def open_live_case(request: HttpRequest, body: OpenCaseIn) -> Status[CaseDetail]:
    """Open a case for an employee in an org you cover, naming who will act in it."""
    who = viewer(request)
    relation = next((r for r in OPENERS if who.has(r)), None)
    if relation is None:
        raise AuthorizationError(message="Only HR opens cases.")
    with transaction.atomic():
        case = usecases.open_case(
            employee=body.employee,
            actor=actor_for(who, relation),
            policy=body.policy,
            employer=body.employer,
            people=body.people,
        )
        if not visible_cases(who).filter(pk=case.pk).exists():
            raise AuthorizationError(message="That employee is not in an org you cover.")
    return Status(201, detail(who, case))
