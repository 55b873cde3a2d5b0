"""Letters on the pages: HR's preview and issue, and who downloads which issued document.

The demo is seeded once for the module (seeding.py); its employee's case is at the Pivot.
Each test issues what it needs through the page's own form and undoes it when it ends.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fairpivot.records.cases import documents
from fairpivot.records.models import Case
from fairpivot.web.models import AccessLogEntry, Representation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_once")]


@pytest.fixture(autouse=True)
def fast_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def signed_in(role: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=f"demo-{role}"))
    return client


def employee_case() -> Case:
    user = User.objects.get(username="demo-employee")
    return Case.objects.get(employee_ref=user.employee.employee_id)


def issue(letter: str, **fields: str) -> documents.Issued:
    """HR issues ``letter`` on the demo employee's case from the page's form."""
    case = employee_case()
    data = {"version": str(case.version), "letter": letter, **fields}
    response = signed_in("hr").post(reverse("take_action", args=[case.ref, "issue_letter"]), data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    return documents.issued_in(employee_case())[-1]


def download(client: Client, issued: documents.Issued) -> Any:
    return client.get(reverse("case_document", args=[employee_case().ref, issued.seq]))


def test_hr_previews_a_letter_as_html_with_its_own_style_allowed() -> None:
    case = employee_case()

    response = signed_in("hr").get(reverse("letter_preview", args=[case.ref, "pivot_letter"]))

    content = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "Option 1: leave with severance" in content
    assert "Option 2: take the improvement plan" in content
    policy = response["Content-Security-Policy"]
    assert "style-src 'self' 'sha256-" in policy
    assert "script-src 'self';" in policy  # scripts stay as strict as everywhere


def test_only_hr_covering_the_case_previews_its_letters() -> None:
    url = reverse("letter_preview", args=[employee_case().ref, "pivot_letter"])

    assert signed_in("manager").get(url).status_code == 403
    assert signed_in("employee").get(url).status_code == 403
    assert signed_in("panelist").get(url).status_code == 404  # not a case they may open


def test_a_preview_of_a_letter_the_record_lacks_says_why() -> None:
    case = employee_case()

    response = signed_in("hr").get(reverse("letter_preview", args=[case.ref, "plan_outcome"]))

    assert response.status_code == 422
    assert "holds nothing a plan outcome tells" in response.content.decode()


def test_hr_issues_a_letter_and_the_case_page_lists_it_with_its_hash() -> None:
    before = signed_in("hr").get(reverse("case", args=[employee_case().ref])).content.decode()
    assert "Preview the pivot letter" in before
    assert 'value="pivot_letter"' in before  # the issue form offers what the record holds
    assert 'value="plan_outcome"' not in before

    issued = issue("pivot_letter")

    page = signed_in("hr").get(reverse("case", args=[employee_case().ref])).content.decode()
    assert issued.sha256 in page
    assert reverse("case_document", args=[employee_case().ref, issued.seq]) in page
    assert "the employee" in page


def test_the_employee_downloads_their_letter_from_my_case_and_it_is_logged() -> None:
    issued = issue("pivot_letter")
    employee = signed_in("employee")
    mine = employee.get(reverse("my_case")).content.decode()
    url = reverse("case_document", args=[employee_case().ref, issued.seq])
    assert url in mine

    response = employee.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{issued.filename}"'
    assert hashlib.sha256(response.content).hexdigest() == issued.sha256
    logged = AccessLogEntry.objects.filter(
        user__username="demo-employee", case=employee_case(), part="document_download"
    )
    assert logged.count() == 1


def test_a_manager_has_only_the_letters_copied_to_them() -> None:
    kept = issue("pivot_letter")
    shared = issue("focus_notice", copy_to_manager="on")
    manager = signed_in("manager")

    page = manager.get(reverse("case", args=[employee_case().ref])).content.decode()

    assert download(manager, kept).status_code == 404
    assert download(manager, shared).status_code == 200
    assert shared.sha256 in page
    assert kept.sha256 not in page
    assert "Pivot letter" not in page.split('id="papers"')[1].split("</section>")[0]
    assert "Document: Focus notice" in page  # the copied one's ledger entry, and only it
    assert "Document: Pivot letter" not in page
    hr_page = signed_in("hr").get(reverse("case", args=[employee_case().ref])).content.decode()
    assert "Document: Pivot letter" in hr_page


def test_the_employees_representative_and_counsel_download_the_employees_letters() -> None:
    issued = issue("pivot_letter")
    rep = User.objects.create_user("rep-letters")
    rep.groups.add(Group.objects.get_or_create(name="representative")[0])
    Representation.objects.create(
        employee_ref=employee_case().employee_ref, user=rep, invited_at=timezone.now()
    )
    client = Client()
    client.force_login(rep)

    assert download(client, issued).status_code == 200
    assert download(signed_in("counsel"), issued).status_code == 200
    assert download(signed_in("panelist"), issued).status_code == 404


def test_a_document_filed_as_text_or_missing_is_no_download() -> None:
    case = employee_case()
    hr = signed_in("hr")
    filed = hr.post(
        reverse("take_action", args=[case.ref, "add_document"]),
        {"version": str(case.version), "title": "Job description", "text": "Filed by HR."},
    )
    assert filed.status_code == 302
    seq = employee_case().version

    assert hr.get(reverse("case_document", args=[case.ref, seq])).status_code == 404
    assert hr.get(reverse("case_document", args=[case.ref, 99999])).status_code == 404
    assert documents.issued_in(employee_case()) == []


def test_an_agreement_the_review_flags_is_refused_on_the_page_naming_the_findings() -> None:
    case = employee_case()
    hr = signed_in("hr")
    offer = {
        "tier": "1",
        "amount": "30000.00",
        "consideration_days": "21",
        "revocation_days": "7",
        "names_adea": "on",
        "advises_attorney": "on",
        "clauses": ["release_of_claims", "confidentiality"],
        "negotiated": "on",
    }
    made = hr.post(
        reverse("take_action", args=[case.ref, "make_offer"]),
        {"version": str(case.version), **offer},
    )
    assert made.status_code == 302, made.content.decode()[-1500:]
    version = employee_case().version
    page = hr.get(reverse("case", args=[case.ref])).content.decode()
    flagged = "(nlra.broad_confidentiality, wa.silenced_no_more)"
    assert f"not issued while the review flags its offer {flagged}" in page

    refused = hr.post(
        reverse("take_action", args=[case.ref, "issue_letter"]),
        {"version": str(version), "letter": "separation_agreement"},
    )

    assert refused.status_code == 422
    assert "no separation agreement is issued" in refused.content.decode()
    assert "nlra.broad_confidentiality" in refused.content.decode()
    assert employee_case().version == version
