"""Group programs on the pages and the API: who may set one up, read, download and issue
its disclosure; bad input named and nothing stored; downloads logged.

The unit, its people and its program are test_group_program.py's.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from pytest_django import DjangoDbBlocker

from fairpivot.records.cases import documents
from fairpivot.records.models import Case, GroupProgram
from fairpivot.web.models import AccessLogEntry
from fairpivot.web.services import cover_org
from tests.integration.seeding import FAST_HASHING, kept_for_module
from tests.integration.test_group_program import DAY, SELECTED, UNIT, WITH_CASES, seed_unit

PAGE = "/group-programs/"
API = "/api/v1/group-programs"


@pytest.fixture(scope="module")
def seeded(
    django_db_setup: None, django_db_blocker: DjangoDbBlocker
) -> Iterator[tuple[GroupProgram, bytes]]:
    """The unit and its program, seeded once for the module (seeding.py)."""
    with kept_for_module(django_db_blocker, seed_unit) as made:
        yield made


@pytest.fixture
def program(seeded: tuple[GroupProgram, bytes], settings: Any) -> GroupProgram:
    """The module's program."""
    settings.PASSWORD_HASHERS = FAST_HASHING
    return seeded[0]


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("program")]


def as_role(role: str, *scopes: str) -> Client:
    """A client signed in as a new user of ``role`` (HR covering ``scopes``)."""
    user = User.objects.create_user(f"{role}-{'-'.join(scopes) or 'all'}")
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    for prefix in scopes:
        cover_org(user, prefix)
    client = Client()
    client.force_login(user)
    return client


def form(**changes: str) -> dict[str, str]:
    """The page's form for a second program over the unit, with ``changes``."""
    return {
        "name": "Second wave",
        "unit": UNIT,
        "eligibility_factors": "Everyone in the unit.",
        "selection_factors": "Seniority, shortest first.",
        "consideration_days": "45",
        "revocation_days": "7",
        "program_date": DAY,
        "selected": " ".join(SELECTED),
    } | changes


def text_of(response: Any) -> str:
    return html.unescape(response.content.decode())


def test_hr_covering_the_unit_sets_up_a_program_from_the_page() -> None:
    response = as_role("hr", "Acme").post(PAGE, form(), follow=True)
    made = GroupProgram.objects.get(name="Second wave")
    assert response.redirect_chain[-1][0] == f"{PAGE}{made.pk}/"
    page = text_of(response)
    assert "Group program “Second wave” set up." in page
    assert "Download the disclosure (PDF)" in page
    assert made.selected == SELECTED
    assert made.created_by == "hr-Acme"


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"consideration_days": "21"}, "consideration_days: at least 45 days"),
        ({"program_date": "June"}, "program_date: must be a date"),
        ({"selected": "W01"}, "selected: a group program is offered to two or more"),
    ],
)
def test_bad_input_on_the_page_is_named_and_nothing_is_stored(
    changes: dict[str, str], problem: str
) -> None:
    response = as_role("hr", "Acme").post(PAGE, form(**changes))
    assert response.status_code == 422
    assert problem in text_of(response)
    assert "Nothing was stored." in text_of(response)
    assert not GroupProgram.objects.filter(name="Second wave").exists()


def test_hr_cannot_set_up_a_program_over_a_unit_they_do_not_cover() -> None:
    response = as_role("hr", "Acme/Other").post(PAGE, form())
    assert response.status_code == 422
    assert "unit: outside the orgs you cover" in text_of(response)
    assert not GroupProgram.objects.filter(name="Second wave").exists()


def test_a_program_outside_an_hr_partners_orgs_is_not_found(program: GroupProgram) -> None:
    client = as_role("hr", "Acme/Other")
    assert client.get(f"{PAGE}{program.pk}/").status_code == 404
    assert client.get(f"{PAGE}{program.pk}/disclosure.pdf").status_code == 404
    assert client.get(f"{API}/{program.pk}").status_code == 404
    assert program.name not in text_of(client.get(PAGE))


@pytest.mark.parametrize("role", ["employee", "manager", "panelist"])
def test_people_outside_hr_counsel_and_admins_get_no_program_page(role: str) -> None:
    client = as_role(role)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, form()).status_code == 403
    assert not GroupProgram.objects.filter(name="Second wave").exists()


def test_counsel_downloads_the_disclosure_and_each_selected_case_logs_it(
    program: GroupProgram,
) -> None:
    client = as_role("counsel")
    page = client.get(f"{PAGE}{program.pk}/")
    assert page.status_code == 200
    assert 'id="issue-disclosure"' not in text_of(page)  # counsel reads; HR issues
    response = client.get(f"{PAGE}{program.pk}/disclosure.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    logged = AccessLogEntry.objects.filter(part="owbpa_disclosure", user__username="counsel-all")
    assert sorted(entry.case.employee_ref for entry in logged) == list(WITH_CASES)


def test_hr_issues_the_disclosure_from_the_page_into_each_selected_case(
    program: GroupProgram,
) -> None:
    response = as_role("hr", "Acme").post(f"{PAGE}{program.pk}/issue/", follow=True)
    page = text_of(response)
    assert "Disclosure issued in" in page
    assert "No case for W09: give them the PDF yourself." in page
    for ref in WITH_CASES:
        case = Case.objects.filter(employee_ref=ref).get()
        assert [i.document for i in documents.issued_in(case)] == ["owbpa_disclosure"]
        assert f"{case.ref}, ledger entry" in page


def test_the_api_sets_up_reads_downloads_and_issues_a_program() -> None:
    client = as_role("hr", "Acme")
    body = form() | {"consideration_days": 60, "selected": SELECTED}
    made = client.post(API, body, content_type="application/json")
    assert made.status_code == 201, made.content
    program = made.json()
    assert (program["consideration_days"], program["revocation_days"]) == (60, 7)
    rows = client.get(f"{API}/{program['id']}").json()["disclosure"]
    assert sum(r["selected"] + r["not_selected"] for r in rows) == 12
    pdf = client.get(f"{API}/{program['id']}/disclosure.pdf")
    assert pdf.content.startswith(b"%PDF")
    assert AccessLogEntry.objects.filter(part="owbpa_disclosure", via="api").count() == 3
    issued = client.post(f"{API}/{program['id']}/issue").json()
    assert [i["case"] for i in issued["issued"]] == [
        Case.objects.get(employee_ref=ref).ref for ref in WITH_CASES
    ]
    assert issued["without_case"] == ["W09"]


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"revocation_days": 3}, "revocation_days: at least 7 days"),
        ({"consideration_days": "many"}, "body.consideration_days"),
        ({"unit": "Acme/Nowhere"}, "unit: no one in the HRIS works in 'Acme/Nowhere'"),
        ({"selected": ["W01", "X04"]}, "selected: X04 is not in the decisional unit"),
    ],
)
def test_the_api_refuses_bad_input_naming_the_field_and_stores_nothing(
    changes: dict[str, Any], problem: str
) -> None:
    body = form() | {"selected": SELECTED} | changes
    response = as_role("hr", "Acme").post(API, body, content_type="application/json")
    assert response.status_code == 422
    assert any(p.startswith(problem) for p in response.json()["error"]["problems"])
    assert not GroupProgram.objects.filter(name="Second wave").exists()


def test_only_hr_covering_the_unit_issues_through_the_api(program: GroupProgram) -> None:
    refused = as_role("counsel").post(f"{API}/{program.pk}/issue")
    assert refused.status_code == 403
    body = form() | {"selected": SELECTED}
    assert as_role("manager").post(API, body, content_type="application/json").status_code == 403
    assert all(documents.issued_in(case) == [] for case in Case.objects.all())
