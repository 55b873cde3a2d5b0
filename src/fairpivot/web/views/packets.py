"""Counsel's case packet and the employee's own record, as downloads."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from fairpivot.documents.render import PDF
from fairpivot.records.errors import CaseNotFound
from fairpivot.web import access, privacy
from fairpivot.web.case import ownrecord, packet
from fairpivot.web.downloads import attachment
from fairpivot.web.views.common import not_for_you, not_found, viewer

ZIP = "application/zip"


@login_required
@require_GET
def case_packet(request: HttpRequest, ref: str) -> HttpResponse:
    """Counsel's case packet as a PDF, its ledger inside (HR covering the case, counsel)."""
    who = viewer(request)
    try:
        case = access.case_for(who, ref)
    except CaseNotFound:
        return not_found(request)
    # The packet shows the whole case and its whole ledger: those who may read the ledger.
    if not access.may_read_ledger(who, case):
        return not_for_you(request, "HR covering this case, counsel and administrators")
    access.log_access(who, case, "case_packet")
    made = packet.render(case, privacy.FULL)
    return attachment(made.pdf, PDF, made.filename)


@login_required
@require_GET
def own_record(request: HttpRequest, ref: str) -> HttpResponse:
    """The employee's own record of a case as a zip (the employee, their representative)."""
    who = viewer(request)
    try:
        case = access.case_for(who, ref)
    except CaseNotFound:
        return not_found(request)
    if not access.may_take_own_record(who, case):
        return not_for_you(request, "the employee and the representative they invited")
    access.log_access(who, case, "own_record")
    return attachment(ownrecord.build(case), ZIP, f"{case.ref}.record.zip")
