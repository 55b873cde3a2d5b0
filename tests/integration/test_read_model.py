"""One read model: the page and the API give the same review, and a case page whose
record is current costs at most 4 queries of its own."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fairpivot.demo.seed import ensure_demo
from fairpivot.demo.web import ensure_web_demo
from fairpivot.records.clock import SYSTEM_CLOCK, today
from fairpivot.records.models import Case, CaseProjection
from fairpivot.records.reviewing import review_document
from fairpivot.web import access
from fairpivot.web.case import caserecord
from fairpivot.web.models import Representation
from fairpivot.web.views import case as case_views

pytestmark = pytest.mark.django_db

ROLES = ("employee", "manager", "hr", "panelist", "counsel", "admin")


@pytest.fixture(autouse=True)
def demo(settings: Any, demo_once: None) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ensure_demo()
    ensure_web_demo()
    caserecord.forget()
    case_views._forms_html.clear()


def signed_in(role: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=f"demo-{role}"))
    return client


def own_queries(captured: list[dict[str, Any]]) -> list[str]:
    """The page's own queries: not the session's load and save, nor the signed-in user's
    load, which every signed-in page pays the same (Django's sign-in, not the page)."""
    out = []
    for query in captured:
        sql = query["sql"]
        if "django_session" in sql or sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")):
            continue
        if sql.startswith('SELECT "auth_user"."id"') and '"auth_user"."password"' in sql:
            continue  # the user's load, as the ORM writes it (prepared: with column aliases)
        out.append(sql)
    return out


def page_queries(client: Client, ref: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/cases/{ref}/")
    assert response.status_code == 200
    return own_queries(captured.captured_queries)


@pytest.mark.parametrize("role", ROLES)
def test_a_case_page_whose_record_is_current_costs_at_most_4_queries(role: str) -> None:
    viewer = access.viewer_of(User.objects.get(username=f"demo-{role}"))
    cases = list(access.visible_cases(viewer).order_by("id"))
    assert cases, f"demo-{role} opens some case"
    client = signed_in(role)
    for case in cases:
        client.get(f"/cases/{case.ref}/")  # the record is built and kept
        queries = page_queries(client, case.ref)
        assert len(queries) <= 4, (case.ref, queries)


def test_the_count_is_of_real_work_a_record_built_again_costs_more() -> None:
    client = signed_in("hr")
    ref = Case.objects.order_by("id").first().ref  # type: ignore[union-attr]
    client.get(f"/cases/{ref}/")
    kept = page_queries(client, ref)
    caserecord.forget()
    built = page_queries(client, ref)
    assert len(built) > 4 >= len(kept)
    assert any("records_historyentry" in sql for sql in built)
    assert not any("records_historyentry" in sql for sql in kept)


def api_review(client: Client, ref: str) -> dict[str, Any]:
    response = client.get(f"/api/v1/cases/{ref}/review")
    assert response.status_code == 200
    found: dict[str, Any] = response.json()
    return found


def page_review(client: Client, ref: str) -> dict[str, Any]:
    response = client.get(f"/cases/{ref}/")
    assert response.status_code == 200
    return review_document(response.context["result"].to_json())


def test_the_page_and_the_api_give_the_same_review_of_every_case() -> None:
    client = signed_in("hr")
    refs = [case.ref for case in Case.objects.order_by("id")]
    for ref in refs:
        assert page_review(client, ref) == api_review(client, ref), ref


def test_they_agree_when_the_stored_review_has_expired_too() -> None:
    client = signed_in("hr")
    refs = [case.ref for case in Case.objects.order_by("id")]
    for ref in refs:
        page_review(client, ref)  # kept, from the projection as it stands
    stale = CaseProjection.objects.order_by("case_id").first()
    assert stale is not None
    document = {**stale.review, "stage": "made_up"}
    CaseProjection.objects.filter(pk=stale.pk).update(review=document, expires_on=None)
    ref = f"C-{stale.case_id}"
    caserecord.forget()
    assert page_review(client, ref)["stage"] == api_review(client, ref)["stage"] == "made_up"
    CaseProjection.objects.filter(pk=stale.pk).update(expires_on=today(SYSTEM_CLOCK))
    caserecord.forget()
    again = page_review(client, ref)
    assert again["stage"] != "made_up"
    assert again == api_review(client, ref)


@pytest.mark.parametrize("role", ROLES)
def test_the_viewer_is_read_in_one_query_whatever_their_roles(role: str) -> None:
    user = User.objects.get(username=f"demo-{role}")
    with CaptureQueriesContext(connection) as captured:
        viewer = access.viewer_of(user)
    assert len(captured.captured_queries) == 1
    assert viewer.has(role)


def test_a_representative_and_what_they_reach_are_read_in_one_query_too() -> None:
    user = User.objects.create_user("rep")
    user.groups.add(Group.objects.get_or_create(name="representative")[0])
    case = Case.objects.order_by("id").first()
    assert case is not None
    for ref in (case.employee_ref, "E-0"):
        Representation.objects.create(employee_ref=ref, user=user, invited_at=timezone.now())
    Representation.objects.filter(employee_ref="E-0").update(withdrawn_at=timezone.now())
    with CaptureQueriesContext(connection) as captured:
        viewer = access.viewer_of(user)
    assert len(captured.captured_queries) == 1
    assert viewer.represents == {case.employee_ref}
    assert (viewer.employee, viewer.has_case) == (None, False)
