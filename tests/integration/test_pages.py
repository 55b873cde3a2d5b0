"""The web pages, for every role, on the demo org: what each person sees, and what they can do.

The demo's employee (``demo-employee``) has case file history: FMLA leave, then a hidden
Focus, then a Pivot letter; their manager is ``demo-manager``; ``demo-panelist`` sits on the
one open appeal; ``demo-hr`` covers the whole org.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fairpivot.demo.seed import ensure_demo
from fairpivot.demo.web import ensure_web_demo
from fairpivot.records.cases import corrections, workflow
from fairpivot.records.cases.transfer import export_case
from fairpivot.records.cases.usecases import Actor
from fairpivot.records.models import Case, CaseProjection, LedgerEntry
from fairpivot.web import access
from fairpivot.web.models import AccessLogEntry
from tests.builders import pivot_form

# The demo is seeded once for the module, each test undoing what it writes (seeding.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_once")]


@pytest.fixture(autouse=True)
def demo(settings: Any) -> None:
    """The demo org and its cases; fast password hashing, since the logins are not tested."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ensure_demo()
    ensure_web_demo()


def signed_in(client: Client, role: str) -> Client:
    """The client, signed in as the demo user of ``role``."""
    client.force_login(User.objects.get(username=f"demo-{role}"))
    return client


def employee_case() -> Case:
    """The demo employee's own case."""
    user = User.objects.get(username="demo-employee")
    return Case.objects.get(employee_ref=user.employee.employee_id)


def appeal_case() -> Case:
    """The open appeal the demo panelist sits on."""
    return Case.objects.get(projection__stage="appeal")


def case_outside(role: str) -> Case:
    """A case the demo user of ``role`` may not open."""
    viewer = access.viewer_of(User.objects.get(username=f"demo-{role}"))
    return Case.objects.exclude(pk__in=access.visible_cases(viewer)).first() or Case()


def version_of(case: Case) -> int:
    case.refresh_from_db()
    return case.version


def page(client: Client, case: Case) -> str:
    response = client.get(reverse("case", args=[case.ref]))
    assert response.status_code == 200
    return response.content.decode()


def main_of(content: bytes) -> bytes:
    """The page's main content, without the header (whose sign-out form has a fresh token)."""
    return content[content.index(b"<main") :]


def post_action(
    client: Client, case: Case, name: str, version: int | None = None, /, **fields: str
) -> Any:
    """Post one action's form as the page does, with the case's version unless told."""
    data = {"version": str(version_of(case) if version is None else version), **fields}
    return client.post(reverse("take_action", args=[case.ref, name]), data)


# Home and the anonymous visitor


@pytest.mark.parametrize(
    ("role", "start"),
    [
        ("hr", "dashboard"),
        ("counsel", "dashboard"),
        ("admin", "dashboard"),
        ("manager", "my_team"),
        ("panelist", "my_panels"),
        ("employee", "my_case"),
    ],
)
def test_it_sends_each_role_to_the_page_it_starts_from(
    client: Client, role: str, start: str
) -> None:
    response = signed_in(client, role).get("/")
    assert response.status_code == 302
    assert response["Location"] == reverse(start)


def test_it_sends_anonymous_visitors_to_sign_in_from_every_page(client: Client) -> None:
    ref = employee_case().ref
    pages = [
        reverse("home"),
        reverse("dashboard"),
        reverse("my_case"),
        reverse("my_team"),
        reverse("my_panels"),
        reverse("access_log"),
        reverse("case", args=[ref]),
        reverse("case_file", args=[ref]),
        reverse("ledger_file", args=[ref]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login") + "?next="), url
    posted = client.post(reverse("take_action", args=[ref, "reply"]), {"version": "1"})
    assert posted.status_code == 302
    assert posted["Location"].startswith(reverse("login"))


def test_it_shows_the_sign_in_page_to_anyone(client: Client) -> None:
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'autocomplete="current-password"' in response.content


def test_it_answers_the_health_check_without_the_database_or_a_session(client: Client) -> None:
    signed_in(client, "hr")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")
    assert len(queries) == 0
    assert "Set-Cookie" not in response.headers
    assert client.post(reverse("healthz")).status_code == 405


def test_it_throttles_sign_in_after_five_failures(client: Client) -> None:
    wrong = {"username": "demo-hr", "password": "not-the-password"}
    statuses = [client.post(reverse("login"), wrong).status_code for _ in range(5)]
    assert statuses == [401] * 5
    locked = client.post(reverse("login"), wrong)
    assert locked.status_code == 429
    assert b"Too many failed sign-ins" in locked.content


# HR: the dashboard and the access log


def test_it_shows_hr_the_dashboard_with_the_deadlines_of_the_next_14_days(client: Client) -> None:
    response = signed_in(client, "hr").get(reverse("dashboard"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Cases by stage" in content
    assert "Deadlines in the next 14 days" in content
    # The demo employee's Pivot letter gave five days to decide, three days ago.
    assert "pivot_decide_by" in content
    assert "in 3 days" in content
    assert "Cases with high findings" in content
    assert employee_case().ref in content


def test_it_filters_the_dashboard_by_stage_and_finds_a_case_by_name(client: Client) -> None:
    hr = signed_in(client, "hr")
    appeal = appeal_case()
    by_stage = hr.get(reverse("dashboard"), {"stage": "appeal"}).content.decode()
    assert "1 case match" in by_stage
    assert f'href="/cases/{appeal.ref}/"' in by_stage
    name = appeal.employee.name if appeal.employee else ""
    by_name = hr.get(reverse("dashboard"), {"q": name.split()[-1].lower()}).content.decode()
    assert name in by_name
    none = hr.get(reverse("dashboard"), {"q": "nobody-has-this-name"}).content.decode()
    assert "0 cases match" in none


def test_it_lists_a_case_not_reviewed_yet_as_such_and_reviews_it_when_opened(
    client: Client,
) -> None:
    case = employee_case()
    CaseProjection.objects.filter(case=case).delete()  # as an import leaves it until reviewed
    hr = signed_in(client, "hr")
    name = case.employee.name if case.employee else ""
    listed = hr.get(reverse("dashboard"), {"q": name.split()[-1].lower()}).content.decode()
    assert f'href="/cases/{case.ref}/"' in listed
    assert "Not reviewed yet" in listed
    assert "Pivot offered" in page(hr, case)
    assert CaseProjection.objects.filter(case=case).exists()
    again = hr.get(reverse("dashboard"), {"q": name.split()[-1].lower()}).content.decode()
    assert "Not reviewed yet" not in again


def test_it_lists_the_steps_held_for_sign_off_on_the_dashboard(client: Client) -> None:
    case = employee_case()
    post_action(signed_in(client, "manager"), case, "separate", reason="termination_performance")
    content = signed_in(client, "hr").get(reverse("dashboard")).content.decode()
    assert "Held for HR sign-off (1)" in content
    assert "vesting.forfeiture" in content


def test_it_keeps_the_dashboard_and_access_log_from_other_roles(client: Client) -> None:
    manager = signed_in(client, "manager")
    assert manager.get(reverse("dashboard")).status_code == 403
    assert manager.get(reverse("access_log")).status_code == 403


def test_it_logs_each_view_of_protected_activities_and_shows_it_in_the_access_log(
    client: Client,
) -> None:
    case = employee_case()
    hr = signed_in(client, "hr")
    assert "FMLA leave" in page(hr, case)
    logged = AccessLogEntry.objects.get(case=case, part="protected_activities")
    assert logged.user.username == "demo-hr"
    log = hr.get(reverse("access_log")).content.decode()
    assert "Protected activities" in log
    assert case.ref in log


# The case page


def test_it_shows_hr_the_whole_case(client: Client) -> None:
    content = page(signed_in(client, "hr"), employee_case())
    assert "leave.adjacent" in content
    assert "Basis:" in content
    assert "Severance (tier 1)" in content
    assert "USD" in content
    assert "Download case file" in content
    assert "Verified: the chain of" in content
    assert 'id="c' in content  # the action forms


def test_it_draws_the_timeline_with_a_text_alternative(client: Client) -> None:
    content = page(signed_in(client, "hr"), employee_case())
    assert '<svg role="img" aria-labelledby="tl-title tl-desc"' in content
    assert '<title id="tl-title">' in content
    assert '<desc id="tl-desc">' in content
    assert "The timeline as a list" in content
    assert "Pivot offered" in content


def test_it_keeps_protected_activities_from_the_manager(client: Client) -> None:
    case = employee_case()
    content = page(signed_in(client, "manager"), case)
    assert "FMLA leave" not in content
    assert "leave.adjacent" not in content
    assert "retaliation.timing" not in content
    assert "visible to HR only" in content
    assert "Download ledger" not in content
    assert not AccessLogEntry.objects.filter(case=case).exists()


def test_it_answers_404_for_a_case_outside_the_managers_line(client: Client) -> None:
    manager = signed_in(client, "manager")
    outside = manager.get(reverse("case", args=[case_outside("manager").ref]))
    missing = manager.get(reverse("case", args=["C-999999"]))
    assert outside.status_code == missing.status_code == 404
    assert main_of(outside.content) == main_of(missing.content)  # no hint the case exists


def test_it_gives_a_manager_the_case_file_without_protected_facts_but_not_the_ledger(
    client: Client,
) -> None:
    manager = signed_in(client, "manager")
    ref = employee_case().ref
    case_file = manager.get(reverse("case_file", args=[ref]))
    assert case_file.status_code == 200
    assert "protected_activities" not in json.loads(case_file.content)
    assert manager.get(reverse("ledger_file", args=[ref])).status_code == 403


def test_it_lets_hr_download_the_case_file_and_the_ledger_and_logs_both(client: Client) -> None:
    case = employee_case()
    hr = signed_in(client, "hr")
    case_file = hr.get(reverse("case_file", args=[case.ref]))
    ledger = hr.get(reverse("ledger_file", args=[case.ref]))
    assert case_file.json()["format"] == "fairpivot.casefile/1"
    assert ledger.json()["format"] == "fairpivot.ledger/1"
    assert "attachment" in ledger["Content-Disposition"]
    parts = set(AccessLogEntry.objects.filter(case=case).values_list("part", flat=True))
    assert {"case_file_export", "ledger_export"} <= parts


# The employee


def test_it_shows_the_employee_their_own_case_with_focus_and_the_options(client: Client) -> None:
    response = signed_in(client, "employee").get(reverse("my_case"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "You have been offered Pivot" in content
    assert "Focus started" in content
    assert "not disclosed" in content  # the Focus they were never told of
    assert "Severance (tier 1)" in content
    assert "Equity and bonuses lost" in content
    assert "USD" in content
    assert "Reply in writing" in content
    assert "leave.adjacent" in content  # nothing is hidden from the person it concerns


def test_it_answers_404_when_an_employee_opens_another_case(client: Client) -> None:
    employee = signed_in(client, "employee")
    assert employee.get(reverse("case", args=[case_outside("employee").ref])).status_code == 404
    assert employee.get(reverse("case", args=[employee_case().ref])).status_code == 200


def test_it_records_an_employees_written_reply(client: Client) -> None:
    case = employee_case()
    before = version_of(case)
    letter = LedgerEntry.objects.filter(case=case, kind="event").last()
    assert letter is not None
    employee = signed_in(client, "employee")
    response = post_action(
        employee,
        case,
        "reply",
        to=str(letter.seq),
        text="I was never told of Focus.",
        next=reverse("my_case"),
        page="me",
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("my_case")
    assert version_of(case) == before + 1
    shown = employee.get(reverse("my_case")).content.decode()
    assert "Recorded." in shown
    assert "I was never told of Focus." in shown


# Refused forms


def test_it_shows_a_conflict_when_the_case_moved_on(client: Client) -> None:
    case = employee_case()
    before = version_of(case)
    response = post_action(
        signed_in(client, "hr"), case, "document_concern", before - 1, note="Late again."
    )
    assert response.status_code == 409
    assert "changed while you were working on it" in response.content.decode()
    assert version_of(case) == before


def test_it_names_a_missing_required_field_and_writes_nothing(client: Client) -> None:
    case = employee_case()
    before = version_of(case)
    response = post_action(signed_in(client, "hr"), case, "document_concern", note="")
    content = response.content.decode()
    assert response.status_code == 422
    assert "note: required" in content
    assert 'aria-invalid="true"' in content
    assert version_of(case) == before


def test_it_names_a_malformed_amount_in_an_offer_and_writes_nothing(client: Client) -> None:
    # The Pivot form has an offer's own fields now, not a JSON box: a malformed amount.
    case = Case.objects.filter(projection__stage="focus").first() or Case()
    before = LedgerEntry.objects.count()
    form = pivot_form(amount="20,000.5x")
    response = post_action(signed_in(client, "hr"), case, "offer_pivot", **form)
    content = response.content.decode()
    assert response.status_code == 422
    assert "<code>amount</code>" in content
    assert "not an amount" in content
    assert "20,000.5x" in content  # what was typed is shown again
    assert LedgerEntry.objects.count() == before


def test_it_refuses_an_action_that_is_not_open_without_an_error_page(client: Client) -> None:
    case = employee_case()
    response = post_action(signed_in(client, "manager"), case, "vote", vote="upheld")
    assert response.status_code == 422
    assert "is not open to you" in response.content.decode()


def test_it_refuses_a_form_without_the_case_version(client: Client) -> None:
    case = employee_case()
    response = signed_in(client, "hr").post(
        reverse("take_action", args=[case.ref, "document_concern"]), {"note": "Late."}
    )
    assert response.status_code == 422
    assert "version:" in response.content.decode()


def test_it_answers_404_to_a_post_on_a_case_out_of_scope(client: Client) -> None:
    outside = case_outside("manager")
    response = post_action(signed_in(client, "manager"), outside, "document_concern", note="x")
    assert response.status_code == 404


# The manager, and HR's sign-off


def test_it_shows_the_manager_the_cases_in_their_line(client: Client) -> None:
    response = signed_in(client, "manager").get(reverse("my_team"))
    content = response.content.decode()
    case = employee_case()
    assert response.status_code == 200
    assert case.ref in content
    assert case.employee is not None
    assert case.employee.name in content
    assert f'href="/cases/{case_outside("manager").ref}/"' not in content


def test_it_holds_a_managers_risky_separation_until_hr_signs_it_off(client: Client) -> None:
    case = employee_case()
    manager = signed_in(client, "manager")
    held = post_action(manager, case, "separate", reason="termination_performance")
    assert held.status_code == 302
    # At pivot_offered the employee's decision window is still open: cutting it short is
    # high (review-v4.md section 4), so the guardrail holds the step for that too. The
    # manager is told only that HR reviews it, never why (review-v4.md section 8 item 6).
    told = manager.get(held["Location"]).content.decode()
    assert "Sent to HR: HR reviews this step before it is recorded." in told
    assert "window_cut_short" not in told
    assert "vesting.forfeiture" not in told
    case.projection.refresh_from_db()
    assert case.projection.stage == "pivot_offered"
    (hold,) = workflow.pending_holds(case.ref)

    hr = signed_in(client, "hr")
    shown = page(hr, case)
    assert "held for HR sign-off because" in shown
    assert "procedure.window_cut_short" in shown
    decided = post_action(
        hr,
        case,
        "sign_off",
        hold=str(hold.seq),
        decision="approve",
        justification="Reviewed with counsel; the vesting loss is offered in the package.",
    )
    assert decided.status_code == 302
    case.projection.refresh_from_db()
    assert case.projection.stage == "separated"
    assert workflow.pending_holds(case.ref) == []


def test_it_records_a_managers_start_of_focus_as_told_to_the_employee(client: Client) -> None:
    case = Case.objects.get(
        projection__stage="closed_passed", employee__manager__user__username="demo-manager"
    )
    response = post_action(signed_in(client, "manager"), case, "start_focus", note="Missed dates.")
    assert response.status_code == 302
    # Every adverse step a manager asks for waits for HR (all_adverse); HR approves it.
    case.projection.refresh_from_db()
    assert case.projection.stage == "closed_passed"
    (hold,) = workflow.pending_holds(case.ref)
    approved = post_action(
        signed_in(client, "hr"),
        case,
        "sign_off",
        hold=str(hold.seq),
        decision="approve",
        justification="The missed dates are in writing.",
    )
    assert approved.status_code == 302
    case.projection.refresh_from_db()
    assert case.projection.stage == "focus"
    last = export_case(case)["events"][-1]
    assert (last["type"], last["disclosed"], last["note"]) == (
        "focus_started",
        True,
        "Missed dates.",
    )


# The panelist


def test_it_shows_the_panelist_both_statements_and_a_vote_form(client: Client) -> None:
    case = appeal_case()
    for side, text in (("employee", "My goals moved twice."), ("manager", "Goals were fixed.")):
        workflow.add_statement(
            case.ref, side, text, actor=Actor("hr", "HR-1"), expected_version=version_of(case)
        )
    response = signed_in(client, "panelist").get(reverse("my_panels"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "My goals moved twice." in content
    assert "Goals were fixed." in content
    assert "Vote on the appeal" in content


def test_it_shows_the_panelist_statements_in_force_and_the_votes_cast(client: Client) -> None:
    case = appeal_case()
    hr = Actor("hr", "HR-1")
    for side, text in (("manager", "Filed in error."), ("manager", "Goals were fixed.")):
        workflow.add_statement(case.ref, side, text, actor=hr, expected_version=version_of(case))
    mistaken = LedgerEntry.objects.get(case=case, payload__contains="Filed in error.").seq
    corrections.retract(
        case.ref, mistaken, "Wrong case.", actor=hr, expected_version=version_of(case)
    )
    panelist = signed_in(client, "panelist")
    before = panelist.get(reverse("my_panels")).content.decode()
    assert "Goals were fixed." in before
    assert "Filed in error." not in before
    assert "0 of 3 votes cast." in before
    post_action(panelist, case, "vote", vote="upheld", next=reverse("my_panels"), page="panels")
    after = panelist.get(reverse("my_panels")).content.decode()
    assert "1 of 3 votes cast." in after
    assert "Your vote: <strong>upheld</strong>" in after


def test_it_decides_the_appeal_when_the_panelist_votes(client: Client) -> None:
    # The demo seats a panel of three (policy panel size 3): the last vote decides.
    case = appeal_case()
    for role in ("panelist-2", "panelist-3", "panelist"):
        case.projection.refresh_from_db()
        assert case.projection.stage == "appeal"
        panelist = signed_in(client, role)
        response = post_action(
            panelist, case, "vote", vote="overturned", next=reverse("my_panels"), page="panels"
        )
        assert response.status_code == 302
    case.projection.refresh_from_db()
    assert case.projection.stage == "closed_retained"
    after = panelist.get(reverse("my_panels")).content.decode()
    assert "No open appeals are assigned to you." in after
    assert "Appeal won" in after  # the message naming the new stage


def test_it_keeps_a_panelist_to_the_appeals_they_sit_on(client: Client) -> None:
    panelist = signed_in(client, "panelist")
    assert panelist.get(reverse("case", args=[employee_case().ref])).status_code == 404
    assert panelist.get(reverse("case", args=[appeal_case().ref])).status_code == 200
