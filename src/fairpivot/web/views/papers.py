"""A case's letters and documents: HR's preview of a letter, and the issued files' downloads."""

from __future__ import annotations

import base64
import hashlib
import re

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from fairpivot.documents.letters import LetterRefused
from fairpivot.documents.render import HTML, STYLE
from fairpivot.records.cases import documents, issuing
from fairpivot.records.cases.commands import Situation
from fairpivot.records.errors import CaseNotFound
from fairpivot.web import access
from fairpivot.web.case import acting, papers
from fairpivot.web.downloads import attachment
from fairpivot.web.views.common import not_for_you, not_found, viewer

_STYLES = re.compile(r"<style>(.*?)</style>", re.DOTALL)


@login_required
@require_GET
def letter_preview(request: HttpRequest, ref: str, name: str) -> HttpResponse:
    """The letter ``name`` as it would be issued today, as HTML (HR covering the case)."""
    who = viewer(request)
    try:
        case = access.case_for(who, ref)
    except CaseNotFound:
        return not_found(request)
    if not acting.relations(who, case) & {"hr", "admin"}:
        return not_for_you(request, "HR covering this case and administrators")
    situation = Situation(case)
    try:
        composed = issuing.preview(case, situation.loaded, name, situation.clock)
    except LetterRefused as refused:
        context = {"case": case, "problems": refused.problems}
        return render(request, "fairpivot/letter_refused.html", context, status=422)
    # The house style the PDF is laid out in, so the preview reads as the PDF will.
    html = composed.html.replace("</head>", f"<style>{STYLE}</style>\n</head>", 1)
    response = HttpResponse(html, content_type=HTML)
    response.style_hashes = tuple(_hash(css) for css in _STYLES.findall(html))  # type: ignore[attr-defined]
    return response


def _hash(css: str) -> str:
    """The CSP hash of an inline style block (base64 of its SHA-256)."""
    return base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()


@login_required
@require_GET
def case_document(request: HttpRequest, ref: str, seq: int) -> HttpResponse:
    """A document issued in the case, checked against its hash, for those who may have it."""
    who = viewer(request)
    try:
        case = access.case_for(who, ref)
        issued, content = documents.file_of(case, seq)
    except CaseNotFound:
        return not_found(request)
    if not papers.may_have(acting.relations(who, case), issued):
        return not_found(request)
    access.log_access(who, case, "document_download")
    response = attachment(content, issued.media_type, issued.filename)
    response["Content-Length"] = str(len(content))
    return response
