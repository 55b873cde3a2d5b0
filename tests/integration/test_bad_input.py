"""Bad input on the pages and in the API: one clear refusal naming the field, never a 500,
never a half-written record.

Each test here was a probe that got a 500 (or got in) before the web's edge checked input
(fairpivot.records.cases.limits, web.middleware): a lone surrogate that no hash can encode, a 5 MB
body, a 2 MB note, tier 99, an amount of 1e308, a note of blanks, a plan extended to the
last day of the calendar.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from fairpivot.demo.seed import ensure_demo
from fairpivot.demo.web import ensure_web_demo
from fairpivot.records.models import Case, LedgerEntry
from fairpivot.web.services import issue_token
from tests.builders import pivot_form

pytestmark = pytest.mark.django_db

API = "/api/v1"
SURROGATE_NOTE = '{"version": %d, "inputs": {"note": "Late again \\ud800"}}'


@pytest.fixture(autouse=True)
def demo(settings: Settings) -> None:
    """The demo org and its cases (fast hashing: no test here is about passwords)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ensure_demo()
    ensure_web_demo()


@pytest.fixture
def client() -> Client:
    """A client that answers a server error as the browser would see it, not as an exception."""
    return Client(raise_request_exception=False)


def at(stage: str) -> Case:
    return Case.objects.filter(projection__stage=stage).order_by("id")[0]


def version_of(case: Case) -> int:
    case.refresh_from_db()
    return case.version


def token(role: str) -> dict[str, str]:
    user = User.objects.get(username=f"demo-{role}")
    return {"Authorization": f"Bearer {issue_token(user, 'tests')}"}


def post_api(client: Client, path: str, body: str, role: str = "hr") -> Any:
    return client.post(API + path, body, content_type="application/json", headers=token(role))


def step(client: Client, case: Case, action: str, **inputs: Any) -> Any:
    body = json.dumps({"version": version_of(case), "inputs": inputs})
    return post_api(client, f"/cases/{case.ref}/actions/{action}", body)


def post_form(client: Client, case: Case, action: str, **fields: str) -> Any:
    client.force_login(User.objects.get(username="demo-hr"))
    data = {"version": str(version_of(case)), **fields}
    return client.post(reverse("take_action", args=[case.ref, action]), data)


def problems(response: Any) -> list[str]:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "problems"}
    found: list[str] = body["error"]["problems"]
    return found


# A lone surrogate: no UTF-8 form, so the ledger's hash could not be computed (a 500).


def test_the_api_refuses_a_lone_surrogate_in_a_note_naming_it_and_writes_nothing(
    client: Client,
) -> None:
    case, entries = at("good_standing"), LedgerEntry.objects.count()
    path = f"/cases/{case.ref}/actions/document_concern"

    response = post_api(client, path, SURROGATE_NOTE % version_of(case))

    assert response.status_code == 422
    assert problems(response) == [
        "note: has a character that is not text at position 12 (a lone surrogate, U+D800)"
    ]
    assert LedgerEntry.objects.count() == entries


def test_the_page_refuses_a_control_character_in_a_note_naming_it_and_writes_nothing(
    client: Client,
) -> None:
    # A form's bytes are decoded with replacement, so a lone surrogate can't arrive from a
    # page; a control character can, and the field that holds it is named.
    case, entries = at("good_standing"), LedgerEntry.objects.count()

    response = post_form(
        client, case, "record_protected_activity", date="2026-01-05", kind="other", note="Hi\x00"
    )

    assert response.status_code == 422
    content = response.content.decode()
    assert "<code>note</code>" in content
    assert "has a control character at position 3 (U+0000)" in content
    assert LedgerEntry.objects.count() == entries


def test_the_api_refuses_a_lone_surrogate_in_a_new_cases_employee(client: Client) -> None:
    cases = Case.objects.count()
    body = (
        '{"employee": {"id": "E-9001", "name": "Ann \\udc00", "hire_date": "2020-01-01",'
        ' "age": 30, "work_state": "WA", "base_salary": 100000}}'
    )

    response = post_api(client, "/cases", body)

    assert response.status_code == 422
    assert problems(response) == [
        "body.employee: name has a character that is not text at position 5 "
        "(a lone surrogate, U+DC00)"
    ]
    assert Case.objects.count() == cases


def test_it_stores_text_as_nfc_so_one_word_has_one_spelling_in_the_ledger(client: Client) -> None:
    case = at("good_standing")

    response = step(client, case, "document_concern", note="Rene\u0301e missed the review")

    assert response.status_code == 200
    last = LedgerEntry.objects.filter(case=case).order_by("-seq")[0]
    assert json.loads(last.payload)["note"] == "Ren\u00e9e missed the review"


def test_the_api_refuses_a_nul_character_which_postgresql_cannot_store(client: Client) -> None:
    case, entries = at("good_standing"), LedgerEntry.objects.count()

    response = step(client, case, "document_concern", note="a\x00b")

    assert response.status_code == 422
    assert problems(response) == ["note: has a control character at position 2 (U+0000)"]
    assert LedgerEntry.objects.count() == entries


# Too much: a 5 MB body, a 2 MB note.


def test_the_api_answers_a_5_mb_body_with_413_in_its_error_shape(client: Client) -> None:
    case, entries = at("good_standing"), LedgerEntry.objects.count()
    body = json.dumps({"version": version_of(case), "inputs": {"note": "x" * 5_000_000}})

    response = post_api(client, f"/cases/{case.ref}/actions/document_concern", body)

    assert response.status_code == 413
    body_out = response.json()
    assert body_out["error"]["code"] == "too_large"
    assert problems(response) == []
    assert LedgerEntry.objects.count() == entries


def test_a_form_of_5_mb_gets_a_plain_413_page_and_writes_nothing(client: Client) -> None:
    case, entries = at("good_standing"), LedgerEntry.objects.count()

    response = post_form(client, case, "document_concern", note="x" * 5_000_000)

    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    content = response.content.decode()
    assert "too large" in content
    assert "Traceback" not in content
    assert LedgerEntry.objects.count() == entries


def test_a_2_mb_note_is_refused_naming_the_field_on_the_page_and_in_the_api(
    client: Client,
) -> None:
    case, entries = at("good_standing"), LedgerEntry.objects.count()
    note = "x" * 1_000_000  # 1 MB of form data, 2 MB and more on a page that showed it

    api = step(client, case, "document_concern", note=note[:900_000])
    page = post_form(client, case, "document_concern", note=note[:900_000])

    assert api.status_code == 422
    assert problems(api) == ["note: is longer than 10,000 characters (got 900,000)"]
    assert page.status_code == 422
    assert "is longer than 10,000 characters (got 900,000)" in page.content.decode()
    assert LedgerEntry.objects.count() == entries


def test_a_note_of_exactly_10000_characters_is_recorded(client: Client) -> None:
    case = at("good_standing")

    response = step(client, case, "document_concern", note="y" * 10_000)

    assert response.status_code == 200


def test_the_forms_say_how_much_each_field_takes(client: Client) -> None:
    client.force_login(User.objects.get(username="demo-hr"))

    page = client.get(reverse("case", args=[at("in_plan").ref])).content.decode()

    assert 'name="note" rows="4" maxlength="10000"' in page
    assert 'name="title" value="" type="text" maxlength="200"' in page
    assert 'type="date" min="1900-01-01" max="9999-12-31"' in page


# Numbers and dates out of range.


@pytest.mark.parametrize(
    ("offer", "problem"),
    [
        ({"tier": 99}, "offer.tier: must be from 1 to 10 (got 99)"),
        ({"amount": 1e308}, "offer.amount: must be from 0 to 10,000,000,000 (got 1e+308)"),
        ({"amount": 100.001}, "offer.amount: has more than 2 decimal places (got 100.001)"),
        ({"consideration_days": 3651}, "offer.consideration_days: must be from 0 to 3,650"),
    ],
)
def test_the_api_refuses_an_offer_out_of_bounds_and_writes_nothing(
    client: Client, offer: dict[str, Any], problem: str
) -> None:
    case, entries = at("focus"), LedgerEntry.objects.count()
    terms = {"tier": 1, "amount": 30000, "consideration_days": 45, "revocation_days": 7, **offer}
    plan = {"start": "2026-01-05", "end": "2026-02-27", "goals": [{"text": "Ship it"}]}

    response = step(client, case, "offer_pivot", offer=terms, plan=plan, decision_days=21)

    assert response.status_code == 422
    assert len(problems(response)) == 1
    assert problems(response)[0].startswith(problem)
    assert LedgerEntry.objects.count() == entries


def test_the_page_refuses_tier_99_naming_the_field(client: Client) -> None:
    case, entries = at("focus"), LedgerEntry.objects.count()

    response = post_form(client, case, "offer_pivot", **pivot_form(tier="99", amount="1"))

    assert response.status_code == 422
    content = response.content.decode()
    assert "<code>tier</code>" in content
    assert "must be from 1 to 10 (got 99)" in content
    assert LedgerEntry.objects.count() == entries


def test_days_to_decide_over_ten_years_are_refused(client: Client) -> None:
    case = at("focus")
    terms = {"tier": 1, "amount": 30000, "consideration_days": 45, "revocation_days": 7}
    plan = {"start": "2026-01-05", "end": "2026-02-27", "goals": [{"text": "Ship it"}]}

    response = step(client, case, "offer_pivot", offer=terms, plan=plan, decision_days=3651)

    assert response.status_code == 422
    assert problems(response) == ["decision_days: must be from 0 to 3,650 (got 3651)"]


def test_a_date_before_1900_is_refused_naming_the_field(client: Client) -> None:
    case = at("in_plan")

    response = step(client, case, "extend_plan", end="1899-12-31")

    assert response.status_code == 422
    assert problems(response) == ["end: must be a year from 1900 to 9999 (got 1899-12-31)"]


def test_a_plan_extended_to_the_last_day_of_the_calendar_is_no_server_error(
    client: Client,
) -> None:
    # Once an OverflowError in the review (a 500); the review now stops at 9999-12-31.
    case = at("in_plan")

    api = step(client, case, "extend_plan", end="9999-12-31")
    form = post_form(client, case, "extend_plan", end="9999-12-31")
    pages = [client.get(reverse("case", args=[case.ref])), client.get(reverse("dashboard"))]
    reads = [client.get(f"{API}/cases/{case.ref}{part}", headers=token("hr")) for part in READS]

    assert api.status_code == 200, api.content[:300]
    assert form.status_code == 302
    assert [p.status_code for p in pages] == [200] * len(pages)
    assert [r.status_code for r in reads] == [200] * len(reads)


READS = ("", "/review", "/deadlines", "/options", "/events", "/casefile")


# Blanks alone.


def test_a_note_of_blanks_alone_is_refused_on_the_page_and_in_the_api(client: Client) -> None:
    case, entries = at("good_standing"), LedgerEntry.objects.count()

    api = step(client, case, "document_concern", note="   \n\t ")
    page = post_form(client, case, "document_concern", note="   ")

    assert api.status_code == 422
    assert problems(api) == ["note: required (blanks alone are not a value)"]
    assert page.status_code == 422
    assert "required (blanks alone are not a value)" in page.content.decode()
    assert LedgerEntry.objects.count() == entries
