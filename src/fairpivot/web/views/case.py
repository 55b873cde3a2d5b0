"""A case's page, the forms posted from it, and its downloads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_POST

from fairpivot.domain.errors import InvalidInput
from fairpivot.domain.ledger import ledger_document
from fairpivot.records.cases.transfer import export_case
from fairpivot.records.errors import CaseNotFound
from fairpivot.records.ledger.chains import entries_of
from fairpivot.records.models import Case
from fairpivot.web import access
from fairpivot.web.access import Viewer
from fairpivot.web.case import acting, casepage, caserecord, forms
from fairpivot.web.case.forms import Failure
from fairpivot.web.downloads import as_attachment
from fairpivot.web.errors import translate
from fairpivot.web.views import pages
from fairpivot.web.views.common import not_for_you, not_found, safe_next, viewer
from fairpivot.web.wording import stage_label

# Rendered once per record: the page's sections from Deadlines to Ledger.
RECORD_TEMPLATE = "fairpivot/_case_record.html"
# Rendered once per distinct list of forms, with a stand-in for the CSRF token that each
# request replaces with its own: a kept page part never holds anyone's token.
FORMS_TEMPLATE = "fairpivot/_action_forms.html"
CSRF_STAND_IN = "csrf0token0stand0in"
_forms_html: caserecord.Memo[tuple[forms.ActionForm, ...], str] = caserecord.Memo(
    caserecord.RECORDS_KEPT
)


def render_case(
    request: HttpRequest, who: Viewer, case: Case, failure: Failure | None = None, status: int = 200
) -> HttpResponse:
    """The case page, with a refused form shown again when there is one.

    A page with nothing of this request's own in it (no refused form, no reply being
    written, no message waiting) is the same for everyone who stands to the case the same
    way: it is rendered once per record and viewer, with a stand-in for the CSRF token that
    each request replaces with its own.
    """
    seen = casepage.see(who, case)  # every view: the ledger checked, the access logged
    record = seen.record
    key: tuple[Any, ...] | None = None
    if failure is None and "reply_to" not in request.GET and not len(get_messages(request)):
        viewer_part = (who.user.pk, who.user.get_username(), who.roles, who.has_case)
        key = (*viewer_part, who.represents, seen.relations, request.path)
        kept = record.pages.get(key)
        if kept is not None:
            return HttpResponse(_with_token(request, kept), status=status)
    here = reverse("case", args=[case.ref])
    context = casepage.build(
        who,
        case,
        casepage.Where("case", here),
        failure=failure,
        reply_to=str(request.GET.get("reply_to", "")),
        seen=seen,
    )
    token = CSRF_STAND_IN if key is not None else None
    parts = rendered_parts(request, context, token)
    page: str = render_to_string(
        "fairpivot/case.html",
        {**context, **parts, "failure": failure, **({"csrf_token": token} if token else {})},
        request=request,
    )
    if key is not None:
        record.pages[key] = page
        page = _with_token(request, page)
    return HttpResponse(page, status=status)


def _with_token(request: HttpRequest, html: str) -> str:
    """A kept page's HTML with this request's CSRF token in place of the stand-in."""
    return html.replace(_csrf_field(CSRF_STAND_IN), _csrf_field(get_token(request)))


@login_required
@require_GET
def case_page(request: HttpRequest, ref: str) -> HttpResponse:
    """Everything about one case the viewer may see, and the actions they may take."""
    who = viewer(request)
    try:
        case = access.case_for(who, ref)
    except CaseNotFound:
        return not_found(request)
    return render_case(request, who, case)


@login_required
@require_POST
def take_action(request: HttpRequest, ref: str, name: str) -> HttpResponse:
    """Take one action from a form; a refused one is shown again on the page it came from."""
    who = viewer(request)
    try:
        case = access.case_for(who, ref)
    except CaseNotFound:
        return not_found(request)
    stage = case.projection.stage
    try:
        outcome = acting.take(who, case, name, raw=request.POST, version=_version(request))
    except Exception as exc:
        error = translate(exc)
        if error is None:
            raise  # a bug, not bad input: let it be a 500 and be logged
        if error.status == 404:
            return not_found(request)
        case = Case.objects.get(pk=case.pk)  # as it stands now (nothing read with it is kept)
        values = {
            k: ",".join(request.POST.getlist(k)) for k in request.POST if k != "csrfmiddlewaretoken"
        }
        failure = Failure(case.pk, name, values, error, str(request.POST.get("form_key", "")))
        return _refused(request, who, case, failure)
    if outcome.held is not None:
        # Only the reasons the viewer may know: a manager is told only that HR reviews it.
        reasons = access.finding_codes_for(who, case, outcome.findings)
        messages.warning(
            request,
            "Sent to HR: HR reviews this step before it is recorded"
            + (f" (findings: {', '.join(reasons)})." if reasons else "."),
        )
    elif outcome.review is not None and outcome.review.stage != stage:
        messages.success(
            request, f"Recorded. The case is now at: {stage_label(outcome.review.stage)}."
        )
    else:
        messages.success(request, "Recorded.")
    here = reverse("case", args=[case.ref])
    return redirect(safe_next(request, str(request.POST.get("next", "")), here))


def _version(request: HttpRequest) -> int:
    """The case version the form was filled in against."""
    text = str(request.POST.get("version", "")).strip()
    if not text.isdigit():
        raise InvalidInput([f"version: must be the case's version, a whole number (got {text!r})"])
    return int(text)


def _refused(request: HttpRequest, who: Viewer, case: Case, failure: Failure) -> HttpResponse:
    """The page the form came from, again, with the form's problems."""
    page = str(request.POST.get("page", "case"))
    status = failure.error.status
    if page == "me" and case.employee_ref == who.person_id:
        return pages.render_my_case(request, who, failure=failure, status=status)
    if page == "panels":
        return pages.render_panels(request, who, failure=failure, status=status)
    return render_case(request, who, case, failure=failure, status=status)


def _exported(request: HttpRequest, ref: str, part: str) -> tuple[Viewer, Case] | None:
    """The case, when the viewer may open it; the export is logged."""
    who = viewer(request)
    try:
        case = access.case_for(who, ref)
    except CaseNotFound:
        return None
    access.log_access(who, case, part)
    return who, case


@login_required
@require_GET
def case_file(request: HttpRequest, ref: str) -> HttpResponse:
    """The case file as the viewer may see it, as a JSON download."""
    found = _exported(request, ref, "case_file_export")
    if found is None:
        return not_found(request)
    who, case = found
    return _download(
        access.case_file_for(who, case, export_case(case)), f"{case.ref}.casefile.json"
    )


@login_required
@require_GET
def ledger_file(request: HttpRequest, ref: str) -> HttpResponse:
    """The case's whole ledger, verifiable offline, as a JSON download (HR, counsel, admins)."""
    who = viewer(request)
    try:
        case = access.case_for(who, ref)
    except CaseNotFound:
        return not_found(request)
    if not access.may_read_ledger(who, case):
        return not_for_you(request, "HR covering this case, counsel and administrators")
    access.log_access(who, case, "ledger_export")
    return _download(ledger_document(case.ref, entries_of(case)), f"{case.ref}.ledger.json")


def _download(document: object, filename: str) -> HttpResponse:
    json = {"indent": 2, "ensure_ascii": False}
    return as_attachment(JsonResponse(document, safe=False, json_dumps_params=json), filename)


def rendered_parts(
    request: HttpRequest, context: dict[str, Any], token: str | None = None
) -> dict[str, SafeString]:
    """The case page's record sections and action forms as HTML, each rendered once and kept
    (the forms with ``token`` for the CSRF token: this request's own by default)."""
    record: caserecord.Record = context["record"]
    part = record.fragments.get(RECORD_TEMPLATE)
    if part is None:
        part = render_to_string(
            RECORD_TEMPLATE,
            {**record.context, "case": context["case"], "sensitive": context["sensitive"]},
        )
        record.fragments[RECORD_TEMPLATE] = part
    return {
        "record_html": mark_safe(part),  # noqa: S308  (a template's own, escaped output)
        "actions_html": _forms_part(request, context["forms"], token),
    }


def _forms_part(
    request: HttpRequest, shown: list[forms.ActionForm], token: str | None = None
) -> SafeString:
    """The forms' HTML with this request's CSRF token; forms shown again after a refused
    post (they hold what was typed) are rendered for this request only."""
    key = tuple(shown)
    keep = not any(f.failed or f.expanded for f in shown)
    html = _forms_html.get(key) if keep else None
    if html is None:
        html = render_to_string(FORMS_TEMPLATE, {"forms": shown, "csrf_token": CSRF_STAND_IN})
        if keep:
            _forms_html.put(key, html)
    if shown and token != CSRF_STAND_IN:
        html = html.replace(_csrf_field(CSRF_STAND_IN), _csrf_field(token or get_token(request)))
    return mark_safe(html)  # noqa: S308  (escaped template output and Django's own token)


def _csrf_field(token: str) -> str:
    """The hidden field ``{% csrf_token %}`` renders for ``token``."""
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
