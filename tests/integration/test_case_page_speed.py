"""The case page reuses what it built from a case's ledger, and shows exactly what it would
have shown had it built everything again: for every demo case and every role, after a change,
on another day, to a broken chain, with each visitor's own CSRF token.

What is timed is in bench/load.py; these tests are about what is shown.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.middleware.csrf import (  # type: ignore[attr-defined]  # private, not in stubs
    _unmask_cipher_token,
)
from django.test import Client
from django.urls import reverse

from fairpivot.demo.seed import ensure_demo
from fairpivot.demo.web import ensure_web_demo
from fairpivot.records.cases import usecases, workflow
from fairpivot.records.clock import FixedClock
from fairpivot.records.models import Case, CaseProjection, Employee, LedgerEntry
from fairpivot.web import access
from fairpivot.web.case import casepage, caserecord
from fairpivot.web.models import AccessLogEntry
from fairpivot.web.views import case as case_views
from tests.builders import HR
from tests.integration.test_ledger import tamper

HR_ACTOR = usecases.Actor("harper", HR, "Harper HR", "hr")

pytestmark = pytest.mark.django_db

ROLES = ("employee", "manager", "hr", "panelist", "counsel", "admin")
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def demo(settings: Any, demo_once: None) -> None:
    """The demo org and its cases (seeded once for the module), and nothing kept from another
    test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ensure_demo()
    ensure_web_demo()
    forget_everything()


def forget_everything() -> None:
    """Drop the kept records and forms: the next view builds and renders them again."""
    caserecord.forget()
    case_views._forms_html.clear()


def signed_in(role: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=f"demo-{role}"))
    return client


def without_tokens(html: bytes) -> str:
    """The page with its CSRF tokens blanked: a fresh mask on every render."""
    return TOKEN.sub('name="csrfmiddlewaretoken" value=""', html.decode())


def fresh_and_kept(client: Client, url: str) -> tuple[int, str, str]:
    """The page built from nothing kept, then again from what the first view kept."""
    forget_everything()
    first = client.get(url)
    second = client.get(url)
    assert second.status_code == first.status_code
    return first.status_code, without_tokens(first.content), without_tokens(second.content)


def context_of(role: str, case: Case) -> dict[str, Any]:
    """The case page's context for the demo user of ``role``, without the record it came from."""
    viewer = access.viewer_of(User.objects.get(username=f"demo-{role}"))
    context = casepage.build(viewer, case, casepage.Where("case", reverse("case", args=[case.ref])))
    return {key: value for key, value in context.items() if key != "record"}


def demo_employee_case() -> Case:
    user = User.objects.get(username="demo-employee")
    return Case.objects.get(employee_ref=user.employee.employee_id)


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_every_case_page_the_same_from_what_it_kept(role: str) -> None:
    client = signed_in(role)
    shown = 0
    for case in Case.objects.order_by("pk"):
        url = reverse("case", args=[case.ref])
        status, fresh, kept = fresh_and_kept(client, url)
        assert kept == fresh, f"{case.ref} as {role}"
        shown += status == 200
        if status == 200:
            assert case.ref in fresh
            _, fresh_reply, kept_reply = fresh_and_kept(client, f"{url}?reply_to=1")
            assert kept_reply == fresh_reply, f"{case.ref} as {role}, replying"
    assert shown > 0


@pytest.mark.parametrize("role", ROLES)
def test_it_builds_the_same_context_from_what_it_kept(role: str) -> None:
    viewer = access.viewer_of(User.objects.get(username=f"demo-{role}"))
    for case in access.visible_cases(viewer).order_by("pk"):
        forget_everything()
        fresh = context_of(role, case)
        kept = context_of(role, case)
        assert kept.keys() == fresh.keys()
        for key, value in fresh.items():
            assert kept[key] == value, f"{case.ref} as {role}: {key}"


def test_it_shows_the_employee_their_own_page_the_same_from_what_it_kept() -> None:
    _, fresh, kept = fresh_and_kept(signed_in("employee"), reverse("my_case"))
    assert kept == fresh


def test_it_keeps_the_review_the_case_stored_on_its_last_change() -> None:
    viewer = access.viewer_of(User.objects.get(username="demo-admin"))
    for case in Case.objects.order_by("pk"):
        record = casepage.build(viewer, case, casepage.Where("case", "/"))["record"]
        stored = CaseProjection.objects.get(case=case)
        assert stored.as_of == record.result.as_of, case.ref
        assert record.result.to_json() == stored.review, case.ref


def test_it_shows_a_change_on_the_next_view() -> None:
    client = signed_in("hr")
    case = demo_employee_case()
    url = reverse("case", args=[case.ref])
    before = client.get(url).content.decode()
    workflow.add_document(
        case.ref,
        "Second warning",
        "Filed after the page was kept.",
        actor=HR_ACTOR,
        expected_version=case.version,
    )
    after = client.get(url).content.decode()
    assert "Second warning" not in before
    assert "Second warning" in after
    case.refresh_from_db()
    forget_everything()
    assert without_tokens(client.get(url).content) == without_tokens(after.encode())


def test_it_shows_a_broken_chain_even_after_keeping_the_intact_one() -> None:
    client = signed_in("hr")
    case = demo_employee_case()
    url = reverse("case", args=[case.ref])
    assert "Verified: the chain" in client.get(url).content.decode()
    entry = LedgerEntry.objects.filter(case=case).order_by("seq").last()
    assert entry is not None
    tamper("UPDATE records_ledgerentry SET recorded_by = %s WHERE id = %s", ["intruder", entry.pk])
    page = client.get(url).content.decode()
    assert "The chain does not verify" in page
    assert "Verified: the chain" not in page


@pytest.mark.parametrize(
    "change",
    [
        "payload = payload || ' '",  # the same JSON, to a parser; not the same text
        "recorded_at = '2001-01-01 00:00:00'",
        "prev_hash = hash",
        "hash = prev_hash",
        "recorded_by = 'intruder'",
    ],
)
def test_it_shows_a_chain_broken_in_any_column_of_a_middle_entry_after_keeping_it(
    change: str,
) -> None:
    """A kept record is reused only for rows equal to those it was built from: any change,
    the stored hash's too, is verified from the first entry and shown broken."""
    client = signed_in("hr")
    case = demo_employee_case()
    url = reverse("case", args=[case.ref])
    client.get(url)
    assert "Verified: the chain" in client.get(url).content.decode()  # from the kept record
    entry = LedgerEntry.objects.filter(case=case, seq=2).get()
    tamper(f"UPDATE records_ledgerentry SET {change} WHERE id = %s", [entry.pk])  # noqa: S608
    page = client.get(url).content.decode()
    assert "The chain does not verify" in page
    assert "Verified: the chain" not in page


def test_it_reviews_again_on_a_new_day() -> None:
    case = demo_employee_case()
    viewer = access.viewer_of(User.objects.get(username="demo-hr"))
    where = casepage.Where("case", "/")
    noon = datetime.now(UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    today = casepage.build(viewer, case, where, clock=FixedClock(noon))
    tomorrow = casepage.build(viewer, case, where, clock=FixedClock(noon + timedelta(days=1)))
    assert tomorrow["record"] is not today["record"]
    assert tomorrow["today"] == today["today"] + timedelta(days=1)


def test_it_keeps_one_record_per_kind_of_viewer() -> None:
    case = demo_employee_case()
    where = casepage.Where("case", "/")
    hr = casepage.build(access.viewer_of(User.objects.get(username="demo-hr")), case, where)
    manager = casepage.build(
        access.viewer_of(User.objects.get(username="demo-manager")), case, where
    )
    assert hr["sensitive"]
    assert not manager["sensitive"]
    assert manager["record"] is not hr["record"]
    assert not hr["withheld_findings"]
    assert manager["withheld_findings"]
    assert len(manager["findings"]) < len(hr["findings"])


def test_it_builds_again_when_the_org_table_renames_someone_the_page_names() -> None:
    case = demo_employee_case()
    someone = Employee.objects.exclude(employee_id=case.employee_ref).order_by("pk").first()
    assert someone is not None
    built: list[caserecord.Record] = []

    def build(entries: list[Any]) -> caserecord.Record:
        names = {someone.employee_id: Employee.objects.get(pk=someone.pk).name}
        built.append(caserecord.Record({}, None, {}, {}, [], names, None, []))  # type: ignore[arg-type]
        return built[-1]

    day = date(2026, 1, 5)
    first = caserecord.record_of(case, day, "full", build)
    assert caserecord.record_of(case, day, "full", build) is first
    Employee.objects.filter(pk=someone.pk).update(name="Someone Renamed")
    again = caserecord.record_of(case, day, "full", build)
    assert again is not first
    assert again.org_names == {someone.employee_id: "Someone Renamed"}
    assert len(built) == 2


def test_it_gives_each_visitor_their_own_csrf_token_in_kept_forms() -> None:
    case = demo_employee_case()
    url = reverse("case", args=[case.ref])
    for client in (signed_in("hr"), signed_in("hr")):
        page = client.get(url).content.decode()
        assert case_views.CSRF_STAND_IN not in page
        tokens = TOKEN.findall(page)
        assert len(tokens) > 1  # the sign-out form and the action forms
        secret = client.cookies["csrftoken"].value
        assert {_unmask_cipher_token(token) for token in tokens} == {secret}


def test_it_accepts_a_form_posted_from_a_kept_page() -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(User.objects.get(username="demo-hr"))
    case = demo_employee_case()
    url = reverse("case", args=[case.ref])
    client.get(url)  # the first view keeps the forms
    page = client.get(url).content.decode()
    form = page[page.index(f'action="{reverse("take_action", args=[case.ref, "add_document"])}"') :]
    token = TOKEN.search(form)
    assert token is not None
    response = client.post(
        reverse("take_action", args=[case.ref, "add_document"]),
        {
            "csrfmiddlewaretoken": token.group(1),
            "version": str(case.version),
            "title": "Posted from a kept page",
            "text": "The token was this visitor's.",
        },
    )
    assert response.status_code == 302
    assert "Posted from a kept page" in client.get(url).content.decode()


def test_it_logs_every_view_of_protected_activities_even_from_what_it_kept() -> None:
    client = signed_in("hr")
    case = demo_employee_case()
    url = reverse("case", args=[case.ref])
    for _ in range(3):
        assert client.get(url).status_code == 200
    logged = AccessLogEntry.objects.filter(case=case, part="protected_activities", via="page")
    assert logged.count() == 3
