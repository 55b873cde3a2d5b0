"""The JSON API: who may call it, what each role gets, steps, errors and the OpenAPI document."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from pytest_django.fixtures import Settings

from fairpivot.cli.main import main
from fairpivot.demo.seed import ensure_demo
from fairpivot.demo.web import ensure_web_demo
from fairpivot.records.models import Case, CaseProjection
from fairpivot.web.access import SENSITIVE_FINDINGS, viewer_of, visible_cases
from fairpivot.web.models import AccessLogEntry
from fairpivot.web.services import issue_token

# The demo is seeded once for the module, each test undoing what it writes (seeding.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_once")]

API = "/api/v1"
ROLES = ("employee", "manager", "hr", "panelist", "counsel", "admin")
Call = Callable[..., Any]


@pytest.fixture
def demo(settings: Settings) -> None:
    """The demo org, its cases and a login per role (hashed fast: these tests are not about it)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ensure_demo()
    ensure_web_demo()


def user(role: str) -> User:
    return User.objects.get(username=f"demo-{role}")


@pytest.fixture
def leave(demo: None) -> str:
    """The demo employee's case: Pivot after FMLA leave, in the demo manager's line."""
    return Case.objects.get(employee__user__username="demo-employee").ref


@pytest.fixture
def quiet(demo: None) -> str:
    """A case in good standing, where HR may document a concern."""
    return Case.objects.filter(projection__stage="good_standing").order_by("id")[0].ref


@pytest.fixture
def api(demo: None, client: Client) -> Callable[[str], Call]:
    """``api(role)(method, path, body=None, **query)``: a call as that role's integration."""

    def as_role(role: str) -> Call:
        token = issue_token(user(role), "tests")
        return lambda method, path, body=None, **query: send(
            client, method, path, token, body=body, query=query
        )

    return as_role


def send(
    client: Client,
    method: str,
    path: str,
    token: str | None,
    *,
    body: Any = None,
    query: dict[str, Any] | None = None,
) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    if method == "GET":
        return client.get(API + path, query or {}, headers=headers)
    return client.post(
        API + path, json.dumps(body), content_type="application/json", headers=headers
    )


def error_of(response: Any) -> dict[str, Any]:
    """The error body, checked to be the one shape and nothing more."""
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "problems"}
    error: dict[str, Any] = body["error"]
    return error


def version_of(ref: str) -> int:
    return Case.objects.get(pk=int(ref.removeprefix("C-"))).version


def test_it_refuses_a_call_without_a_token(demo: None, client: Client) -> None:
    response = send(client, "GET", "/cases", None)

    assert response.status_code == 401
    assert error_of(response)["code"] == "unauthenticated"


def test_it_refuses_a_call_with_a_bad_token(demo: None, client: Client) -> None:
    issue_token(user("hr"), "real")

    get = send(client, "GET", "/cases", "not-a-token")
    post = send(client, "POST", "/cases/C-1/actions/document_concern", "not-a-token", body={})

    assert (get.status_code, error_of(get)["code"]) == (401, "unauthenticated")
    assert (post.status_code, error_of(post)["code"]) == (401, "unauthenticated")


@pytest.mark.parametrize("role", ROLES)
def test_it_lists_exactly_the_cases_each_role_may_open(
    api: Callable[[str], Call], role: str
) -> None:
    response = api(role)("GET", "/cases", limit=500)

    allowed = [case.ref for case in visible_cases(viewer_of(user(role))).order_by("id")]
    assert response.status_code == 200
    assert [row["id"] for row in response.json()["items"]] == allowed
    assert response.json()["count"] == len(allowed)


def test_it_lists_a_case_an_import_has_not_reviewed_yet_reviewing_it_first(
    api: Callable[[str], Call],
) -> None:
    case = Case.objects.order_by("id").first()
    assert case is not None
    CaseProjection.objects.filter(case=case).delete()  # as an import leaves it until reviewed

    listed = api("hr")("GET", "/cases", limit=500).json()["items"]

    assert case.ref in [row["id"] for row in listed]
    assert CaseProjection.objects.filter(case=case).exists()


def test_it_filters_and_pages_the_case_list(api: Callable[[str], Call]) -> None:
    hr = api("hr")

    staged = hr("GET", "/cases", stage="in_plan").json()
    severe = hr("GET", "/cases", severity="high").json()
    page = hr("GET", "/cases", limit=2, offset=1).json()
    everything = hr("GET", "/cases").json()

    assert staged["items"]
    assert {r["stage"] for r in staged["items"]} == {"in_plan"}
    assert severe["items"]
    assert {r["worst_severity"] for r in severe["items"]} == {"high"}
    assert page["items"] == everything["items"][1:3]
    assert page["count"] == everything["count"]


def test_it_names_a_bad_filter(api: Callable[[str], Call]) -> None:
    response = api("hr")("GET", "/cases", stage="nowhere", limit=0)

    error = error_of(response)
    assert (response.status_code, error["code"]) == (422, "invalid")
    assert [p.split(":")[0] for p in error["problems"]] == ["query.stage", "query.limit"]


def test_it_answers_not_found_for_a_case_out_of_scope(api: Callable[[str], Call]) -> None:
    manager = api("manager")
    theirs = {row["id"] for row in manager("GET", "/cases").json()["items"]}
    other = next(c.ref for c in Case.objects.order_by("id") if c.ref not in theirs)

    hidden = manager("GET", f"/cases/{other}")
    missing = manager("GET", "/cases/C-999999")
    odd = manager("GET", "/cases/C-²")

    assert [r.status_code for r in (hidden, missing, odd)] == [404, 404, 404]
    assert error_of(hidden) == error_of(missing) == error_of(odd)
    assert error_of(hidden)["code"] == "not_found"


def test_it_keeps_protected_activities_from_a_manager(
    api: Callable[[str], Call], leave: str
) -> None:
    ref = leave

    managers_file = api("manager")("GET", f"/cases/{ref}/casefile").json()
    hr_file = api("hr")("GET", f"/cases/{ref}/casefile").json()
    managers_review = api("manager")("GET", f"/cases/{ref}/review").json()
    hr_review = api("hr")("GET", f"/cases/{ref}").json()["review"]

    assert "protected_activities" not in managers_file
    assert "demographics" not in managers_file["employee"]
    assert hr_file["protected_activities"]
    assert not {f["code"] for f in managers_review["findings"]} & SENSITIVE_FINDINGS
    assert {f["code"] for f in hr_review["findings"]} & SENSITIVE_FINDINGS


def test_it_records_a_step_and_moves_the_version(api: Callable[[str], Call], quiet: str) -> None:
    hr = api("hr")
    offered = [a["name"] for a in hr("GET", f"/cases/{quiet}/actions").json()]
    # HR's first step also names them in the case; the second is one entry.
    first = hr(
        "POST",
        f"/cases/{quiet}/actions/document_concern",
        {
            "version": hr("GET", f"/cases/{quiet}").json()["version"],
            "inputs": {"note": "Missed the release date."},
        },
    )
    version = first.json()["version"]

    response = hr(
        "POST",
        f"/cases/{quiet}/actions/document_concern",
        {"version": version, "inputs": {"note": "Missed the demo too."}},
    )

    assert "document_concern" in offered
    assert (first.status_code, response.status_code) == (200, 200)
    assert response.json()["recorded"] is True
    assert response.json()["version"] == version + 1 == version_of(quiet)
    assert response.json()["review"]["case"] == quiet
    events = hr("GET", f"/cases/{quiet}/events").json()
    assert [e["event"]["note"] for e in events[-2:]] == [
        "Missed the release date.",
        "Missed the demo too.",
    ]
    assert events[-1]["seq"] == version + 1


def test_it_refuses_a_step_on_a_stale_version(api: Callable[[str], Call], quiet: str) -> None:
    hr = api("hr")
    stale = version_of(quiet)
    step = {"version": stale, "inputs": {"note": "First."}}
    hr("POST", f"/cases/{quiet}/actions/document_concern", step)
    moved_on = version_of(quiet)

    response = hr("POST", f"/cases/{quiet}/actions/document_concern", step)

    assert response.status_code == 409
    assert error_of(response)["code"] == "conflict"
    assert version_of(quiet) == moved_on > stale


def test_it_names_the_field_of_bad_input(api: Callable[[str], Call], quiet: str) -> None:
    hr = api("hr")
    version = version_of(quiet)

    no_version = hr("POST", f"/cases/{quiet}/actions/document_concern", {"inputs": {"note": "x"}})
    no_note = hr("POST", f"/cases/{quiet}/actions/document_concern", {"version": version})
    not_an_object = hr(
        "POST", f"/cases/{quiet}/actions/document_concern", {"version": version, "inputs": [1]}
    )

    assert (no_version.status_code, error_of(no_version)["code"]) == (422, "invalid")
    assert error_of(no_version)["problems"] == ["body.version: Field required"]
    assert error_of(not_an_object)["problems"] == [
        "body.inputs: Input should be a valid dictionary"
    ]
    assert (no_note.status_code, error_of(no_note)["problems"]) == (422, ["note: required"])
    assert version_of(quiet) == version


def test_it_refuses_an_unknown_action(api: Callable[[str], Call], quiet: str) -> None:
    response = api("hr")("POST", f"/cases/{quiet}/actions/fire_at_will", {"version": 0})

    assert response.status_code == 422
    # The command layer names what is open to the caller instead.
    (problem,) = error_of(response)["problems"]
    assert problem.startswith(f"command: fire_at_will is not open to you on {quiet} now; ")
    assert "open to you: document_concern, start_focus," in problem


def test_it_holds_a_managers_risky_step_for_hr(api: Callable[[str], Call], leave: str) -> None:
    version = version_of(leave)

    response = api("manager")(
        "POST",
        f"/cases/{leave}/actions/separate",
        {"version": version, "inputs": {"reason": "termination_performance"}},
    )

    assert response.status_code == 202
    held = response.json()
    assert held["held"] == version + 1 == version_of(leave)
    # The manager is told that HR reviews the step, never why (review-v4.md section 8
    # item 6); HR's queue says why.
    assert held["findings"] == []
    holds = api("hr")("GET", "/holds").json()
    assert [(h["case"], h["seq"]) for h in holds] == [(leave, held["held"])]
    assert "vesting.forfeiture" in holds[0]["findings"]
    assert api("manager")("GET", "/holds").status_code == 403


def test_it_opens_a_live_case_for_hr_only(api: Callable[[str], Call]) -> None:
    body: dict[str, Any] = {
        "employee": {
            "id": "E-9001",
            "name": "Robin Newhire",
            "age": 29,
            "hire_date": "2024-02-01",
            "work_state": "WA",
            "base_salary": 120000,
        },
        "people": [{"id": "M-77", "name": "Morgan Lead", "role": "manager"}],
    }

    opened = api("hr")("POST", "/cases", body)
    refused = api("manager")("POST", "/cases", body)
    malformed = api("hr")("POST", "/cases", {"employee": {**body["employee"], "age": "old"}})

    assert opened.status_code == 201
    assert (opened.json()["stage"], opened.json()["employee"]) == ("good_standing", "E-9001")
    assert (refused.status_code, error_of(refused)["code"]) == (403, "forbidden")
    assert malformed.status_code == 422
    assert any(p.startswith("employee.age") for p in error_of(malformed)["problems"])


def test_it_exports_the_ledger_to_hr_and_logs_it(api: Callable[[str], Call], leave: str) -> None:
    response = api("hr")("GET", f"/cases/{leave}/ledger")
    refused = api("manager")("GET", f"/cases/{leave}/ledger")

    assert response.status_code == 200
    assert response.json()["format"] == "fairpivot.ledger/1"
    assert len(response.json()["entries"]) == version_of(leave)
    entry = AccessLogEntry.objects.get(part="ledger_export")
    assert (entry.user.username, entry.case.ref, entry.via) == ("demo-hr", leave, "api")
    assert refused.status_code == 403
    log = api("hr")("GET", "/access-log").json()
    assert {"user": "demo-hr", "case": leave, "part": "ledger_export", "via": "api"}.items() <= (
        log["items"][0].items()
    )
    assert api("manager")("GET", "/access-log").status_code == 403


def test_it_serves_the_deadlines_and_options_of_a_case(api: Callable[[str], Call]) -> None:
    employee = api("employee")
    ref = employee("GET", "/cases").json()["items"][0]["id"]

    deadlines = employee("GET", f"/cases/{ref}/deadlines").json()
    options = employee("GET", f"/cases/{ref}/options").json()

    assert deadlines["deadlines"]
    assert deadlines["case"] == ref
    assert {o["option"] for o in options["options"]} == {"severance", "plan"}


def test_it_accepts_the_browser_session_with_csrf(demo: None, quiet: str) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user("hr"))
    version = version_of(quiet)

    listed = browser.get(f"{API}/cases")
    forged = browser.post(
        f"{API}/cases/{quiet}/actions/document_concern",
        json.dumps({"version": version, "inputs": {"note": "x"}}),
        content_type="application/json",
    )

    assert listed.status_code == 200
    assert (forged.status_code, error_of(forged)["code"]) == (403, "forbidden")
    assert version_of(quiet) == version


def test_it_answers_what_it_cannot_route_or_read_in_the_one_shape(
    demo: None, client: Client, leave: str
) -> None:
    headers = {"Authorization": f"Bearer {issue_token(user('hr'), 'tests')}"}

    unknown = client.get(f"{API}/cases/{leave}/nothing/here", headers=headers)
    garbled = client.post(
        f"{API}/cases", b"{not json", content_type="application/json", headers=headers
    )

    assert (unknown.status_code, error_of(unknown)["code"]) == (404, "not_found")
    assert (garbled.status_code, error_of(garbled)["code"]) == (400, "bad_request")


def test_it_hides_the_traceback_of_a_bug(
    api: Callable[[str], Call], monkeypatch: pytest.MonkeyPatch, leave: str
) -> None:
    def broken(*args: Any) -> Any:
        raise RuntimeError("secret internals")

    monkeypatch.setattr("fairpivot.web.api.cases.export_case", broken)

    response = api("hr")("GET", f"/cases/{leave}/casefile")

    assert response.status_code == 500
    assert error_of(response)["code"] == "internal"
    assert "secret" not in response.content.decode()


def test_it_serves_an_openapi_document_with_every_path(demo: None, client: Client) -> None:
    token = issue_token(user("hr"), "docs")
    response = client.get(f"{API}/openapi.json", headers={"Authorization": f"Bearer {token}"})

    document = json.loads(response.content)
    assert response.status_code == 200
    assert document["openapi"].startswith("3.")
    assert {
        f"{API}/cases",
        f"{API}/cases/{{case_id}}",
        f"{API}/cases/{{case_id}}/casefile",
        f"{API}/cases/{{case_id}}/ledger",
        f"{API}/cases/{{case_id}}/events",
        f"{API}/cases/{{case_id}}/review",
        f"{API}/cases/{{case_id}}/deadlines",
        f"{API}/cases/{{case_id}}/options",
        f"{API}/cases/{{case_id}}/actions",
        f"{API}/cases/{{case_id}}/actions/{{name}}",
        f"{API}/holds",
        f"{API}/access-log",
    } <= set(document["paths"])
    assert all(op.get("summary") for path in document["paths"].values() for op in path.values())


def test_it_issues_a_token_from_the_command_line(
    demo: None, client: Client, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["token", "demo-counsel", "--name", "reports"])

    token = capsys.readouterr().out.strip()
    assert status == 0
    assert send(client, "GET", "/cases", token).status_code == 200
    assert main(["token", "nobody"]) == 2
    assert "nobody: no active user" in capsys.readouterr().err
