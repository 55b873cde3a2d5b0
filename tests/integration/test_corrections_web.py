"""Retract and dispute through the case page and the API, on the demo org.

The demo employee records a complaint of their own; HR may not retract it (422, naming
why, nothing written) and records a dispute instead, which HR and counsel then see beside
it while the complaint stays in the case file.
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
from fairpivot.records.clock import SYSTEM_CLOCK, today
from fairpivot.records.models import Case, LedgerEntry
from fairpivot.web.services import issue_token

pytestmark = pytest.mark.django_db

API = "/api/v1"
REASON = "The manager was away that week; HR disputes that the complaint reached them"


@pytest.fixture(autouse=True)
def demo(settings: Settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ensure_demo()
    ensure_web_demo()


def user(role: str) -> User:
    return User.objects.get(username=f"demo-{role}")


def version_of(case: Case) -> int:
    case.refresh_from_db()
    return case.version


def call(client: Client, role: str, method: str, path: str, body: Any = None) -> Any:
    headers = {"Authorization": f"Bearer {issue_token(user(role), 'tests')}"}
    if method == "GET":
        return client.get(API + path, headers=headers)
    return client.post(
        API + path, json.dumps(body), content_type="application/json", headers=headers
    )


def form_of(page: str, case: Case, action: str) -> str:
    """The HTML of one action's form on the case page."""
    start = page.index(f'id="c{case.pk}-{action}"')
    return page[start : page.index("</details>", start)]


@pytest.fixture
def complaint(client: Client) -> tuple[Case, int]:
    """The demo employee's case and the entry of the complaint they recorded themselves."""
    case = Case.objects.get(employee__user__username="demo-employee")
    inputs = {
        "date": today(SYSTEM_CLOCK).isoformat(),
        "kind": "discrimination_complaint",
        "note": "raised with my manager in writing",
    }
    response = call(
        client,
        "employee",
        "POST",
        f"/cases/{case.ref}/actions/record_protected_activity",
        {"version": version_of(case), "inputs": inputs},
    )
    assert response.status_code == 200, response.content
    return case, version_of(case)


def test_it_refuses_hr_a_retraction_of_the_complaint_in_the_api(
    client: Client, complaint: tuple[Case, int]
) -> None:
    case, seq = complaint

    response = call(
        client,
        "hr",
        "POST",
        f"/cases/{case.ref}/actions/retract",
        {"version": seq, "inputs": {"entry": seq, "reason": "No such complaint"}},
    )

    error = response.json()["error"]
    assert response.status_code == 422
    assert error["code"] == "not_allowed"
    (problem,) = error["problems"]
    assert problem.startswith(f"entry: {case.ref} entry {seq} (protected activity) was recorded")
    assert "record a dispute beside it instead" in problem
    assert version_of(case) == seq


def test_it_offers_hr_the_dispute_where_it_offers_the_retraction(
    client: Client, complaint: tuple[Case, int]
) -> None:
    case, _ = complaint

    offered = call(client, "hr", "GET", f"/cases/{case.ref}/actions").json()
    by_manager = call(client, "manager", "GET", f"/cases/{case.ref}/actions").json()

    names = {action["name"] for action in offered}
    assert {"retract", "dispute"} <= names
    assert not {"retract", "dispute"} & {action["name"] for action in by_manager}


def test_it_records_hrs_dispute_in_the_api_and_keeps_the_complaint(
    client: Client, complaint: tuple[Case, int]
) -> None:
    case, seq = complaint

    response = call(
        client,
        "hr",
        "POST",
        f"/cases/{case.ref}/actions/dispute",
        {"version": seq, "inputs": {"entry": seq, "reason": REASON}},
    )

    assert response.status_code == 200, response.content
    ledger = call(client, "counsel", "GET", f"/cases/{case.ref}/ledger").json()
    last = ledger["entries"][-1]
    assert (last["seq"], last["kind"], last["recorded_by"]) == (seq + 1, "dispute", "demo-hr")
    assert json.loads(last["payload"]) == {"entry": seq, "reason": REASON}
    casefile = call(client, "counsel", "GET", f"/cases/{case.ref}/casefile").json()
    assert "raised with my manager in writing" in {
        activity.get("note") for activity in casefile["protected_activities"]
    }


def test_it_refuses_a_dispute_of_hrs_own_entry_in_the_api(
    client: Client, complaint: tuple[Case, int]
) -> None:
    case, seq = complaint
    header_of_the_case = 1

    response = call(
        client,
        "hr",
        "POST",
        f"/cases/{case.ref}/actions/dispute",
        {"version": seq, "inputs": {"entry": header_of_the_case, "reason": "Not so"}},
    )

    assert response.status_code == 422
    assert response.json()["error"]["problems"] == [
        f"entry: {case.ref} has no entry 1 that can be disputed"
    ]
    assert version_of(case) == seq


def test_it_refuses_the_retraction_on_the_page_and_records_the_dispute_there(
    client: Client, complaint: tuple[Case, int]
) -> None:
    case, seq = complaint
    client.force_login(user("hr"))
    url = reverse("case", args=[case.ref])

    page = client.get(url).content.decode()
    retract, dispute = form_of(page, case, "retract"), form_of(page, case, "dispute")
    assert f'<option value="{seq}"' in dispute
    assert f'<option value="{seq}"' not in retract
    assert '<option value="2"' in retract  # an entry of the employer's
    refused = client.post(
        reverse("take_action", args=[case.ref, "retract"]),
        {"version": str(seq), "entry": str(seq), "reason": "No such complaint"},
    )
    assert refused.status_code == 422
    assert "was recorded by the employee" in refused.content.decode()
    assert version_of(case) == seq

    disputed = client.post(
        reverse("take_action", args=[case.ref, "dispute"]),
        {"version": str(seq), "entry": str(seq), "reason": REASON},
    )

    assert disputed.status_code == 302
    assert LedgerEntry.objects.get(case=case, seq=seq + 1).kind == "dispute"
    for role in ("hr", "counsel", "admin", "employee"):
        client.force_login(user(role))
        shown = client.get(url).content.decode()
        assert f"Disputes entry {seq}: {REASON}" in shown, role
    client.force_login(user("manager"))
    assert REASON not in client.get(url).content.decode()


def test_it_lets_the_employee_answer_hrs_dispute_in_writing(
    client: Client, complaint: tuple[Case, int]
) -> None:
    case, seq = complaint
    call(
        client,
        "hr",
        "POST",
        f"/cases/{case.ref}/actions/dispute",
        {"version": seq, "inputs": {"entry": seq, "reason": REASON}},
    )
    client.force_login(user("employee"))

    page = client.get(reverse("my_case")).content.decode()
    assert f'<option value="{seq + 1}"' in form_of(page, case, "reply")
    answered = client.post(
        reverse("take_action", args=[case.ref, "reply"]),
        {
            "version": str(seq + 1),
            "to": str(seq + 1),
            "text": "My manager read my email that morning.",
            "next": reverse("my_case"),
            "page": "me",
        },
    )

    assert answered.status_code == 302
    reply = LedgerEntry.objects.get(case=case, seq=seq + 2)
    assert (reply.kind, json.loads(reply.payload)["to"]) == ("reply", seq + 1)
