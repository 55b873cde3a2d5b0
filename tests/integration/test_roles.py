"""Admins manage HR scopes and the panelist pool in the app; every change is logged.

The demo org: ``demo-hr`` covers the whole organisation, ``demo-panelist`` sits on the one
open appeal, ``demo-admin`` is the administrator.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from fairpivot.demo.seed import ensure_demo
from fairpivot.demo.web import ensure_web_demo
from fairpivot.records.models import AppendOnlyError, Employee
from fairpivot.web import access, roles
from fairpivot.web.models import HrScope, RoleChange
from fairpivot.web.services import issue_token

pytestmark = pytest.mark.django_db

URL = "/roles/"


@pytest.fixture(autouse=True)
def demo(settings: Settings) -> None:
    """The demo org and its logins (hashed fast: these tests are not about passwords)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ensure_demo()
    ensure_web_demo()


def user(role: str) -> User:
    return User.objects.get(username=f"demo-{role}")


def signed_in(client: Client, role: str) -> Client:
    client.force_login(user(role))
    return client


def top_org() -> str:
    """An org at the top of the demo's tree, with people in it."""
    org = Employee.objects.exclude(org="").values_list("org", flat=True).first()
    assert org
    return str(org).split("/")[0]


def state() -> tuple[int, list[tuple[int, str]], list[str]]:
    """What a refused change must leave alone: the log, the scopes, the pool."""
    scopes = sorted(HrScope.objects.values_list("user_id", "org_prefix"))
    pool = sorted(roles.panelists().values_list("username", flat=True))
    return RoleChange.objects.count(), scopes, pool


def test_it_shows_the_admin_the_hr_partners_their_scopes_and_the_pool(client: Client) -> None:
    response = signed_in(client, "admin").get(URL)

    content = response.content.decode()
    assert response.status_code == 200
    assert "demo-hr" in content
    assert "the whole organisation" in content
    assert "demo-panelist" in content
    assert f'href="{URL}"' in content  # in the admin's navigation


@pytest.mark.parametrize("role", ["employee", "manager", "hr", "panelist", "counsel"])
def test_it_answers_403_to_everyone_but_admins_and_changes_nothing(
    client: Client, role: str
) -> None:
    before = state()
    signed_in(client, role)

    shown = client.get(URL)
    posted = client.post(URL, {"change": "add_panelist", "user": f"demo-{role}"})

    assert (shown.status_code, posted.status_code) == (403, 403)
    assert f'href="{URL}"' not in client.get("/me/").content.decode()
    assert state() == before


def test_it_sends_an_anonymous_visitor_to_sign_in(client: Client) -> None:
    response = client.get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_adds_a_scope_and_logs_who_did_it_and_when(client: Client) -> None:
    org = top_org()
    admin = signed_in(client, "admin")

    response = admin.post(URL, {"change": "add_scope", "user": "demo-hr", "org": f" {org}/ "})

    assert response.status_code == 302
    assert HrScope.objects.filter(user=user("hr"), org_prefix=org).exists()
    change = RoleChange.objects.get()
    assert (change.by, change.action, change.subject, change.org) == (
        "demo-admin",
        "scope_added",
        "demo-hr",
        org,
    )
    page = admin.get(URL).content.decode()
    assert f"demo-hr now covers {org}." in page
    assert "Scope added" in page
    assert change.at.strftime("%Y-%m-%d %H:%M:%S") in page


def test_it_removes_a_scope_so_the_hr_partner_no_longer_sees_its_cases(client: Client) -> None:
    scope = HrScope.objects.get(user=user("hr"), org_prefix="")
    assert access.visible_cases(access.viewer_of(user("hr"))).exists()

    response = signed_in(client, "admin").post(
        URL, {"change": "remove_scope", "scope": str(scope.pk)}
    )

    assert response.status_code == 302
    assert not HrScope.objects.filter(pk=scope.pk).exists()
    assert not access.visible_cases(access.viewer_of(user("hr"))).exists()
    change = RoleChange.objects.get()
    assert (change.action, change.subject, change.org) == ("scope_removed", "demo-hr", "")


def test_it_adds_and_removes_a_panelist_and_logs_both(client: Client) -> None:
    admin = signed_in(client, "admin")

    added = admin.post(URL, {"change": "add_panelist", "user": "demo-counsel"})
    assert "demo-counsel" in roles.panelists().values_list("username", flat=True)
    removed = admin.post(URL, {"change": "remove_panelist", "user": "demo-counsel"})

    assert (added.status_code, removed.status_code) == (302, 302)
    assert "demo-counsel" not in roles.panelists().values_list("username", flat=True)
    assert list(RoleChange.objects.values_list("action", "subject", "by")) == [
        ("panelist_removed", "demo-counsel", "demo-admin"),
        ("panelist_added", "demo-counsel", "demo-admin"),
    ]


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"change": "add_scope", "user": "demo-hr", "org": "Nowhere"}, "org: no one works in"),
        ({"change": "add_scope", "user": "demo-hr", "org": "  "}, "org: required, unless"),
        ({"change": "add_scope", "user": "demo-hr", "org": "Sales\x00"}, "org: control"),
        ({"change": "add_scope", "user": "demo-hr", "org": "x" * 301}, "org: at most 300"),
        ({"change": "add_scope", "user": "demo-hr", "whole": "on"}, "org: demo-hr already"),
        ({"change": "add_scope", "user": "demo-manager", "whole": "on"}, "user: demo-manager is"),
        ({"change": "add_scope", "user": "nobody", "whole": "on"}, "user: no active user"),
        ({"change": "add_scope", "user": "", "whole": "on"}, "user: required"),
        ({"change": "remove_scope", "scope": "abc"}, "scope: not a scope's number"),
        ({"change": "remove_scope", "scope": "999999"}, "scope: no scope 999999"),
        ({"change": "add_panelist", "user": "demo-panelist"}, "user: demo-panelist is already"),
        ({"change": "add_panelist", "user": "nobody"}, "user: no active user 'nobody'"),
        ({"change": "remove_panelist", "user": "demo-hr"}, "user: demo-hr is not a panelist"),
        ({"change": "promote", "user": "demo-hr"}, "change: must be one of"),
        ({}, "change: must be one of"),
    ],
)
def test_it_refuses_bad_input_naming_the_field_and_changes_nothing(
    client: Client, fields: dict[str, str], problem: str
) -> None:
    before = state()

    response = signed_in(client, "admin").post(URL, fields)

    content = response.content.decode()
    assert response.status_code == 422
    assert "Not changed" in content
    assert problem.replace("'", "&#x27;") in content
    assert state() == before


def test_it_keeps_a_panelist_seated_on_an_open_appeal_in_the_pool(client: Client) -> None:
    before = state()

    response = signed_in(client, "admin").post(
        URL, {"change": "remove_panelist", "user": "demo-panelist"}
    )

    assert response.status_code == 422
    assert "sits on the open appeal of C-" in response.content.decode()
    assert state() == before


def test_it_never_changes_or_removes_a_logged_change() -> None:
    roles.add_panelist(user("admin"), "demo-counsel")
    change = RoleChange.objects.get()

    with pytest.raises(AppendOnlyError):
        change.save()
    with pytest.raises(AppendOnlyError):
        change.delete()
    with pytest.raises(AppendOnlyError):
        RoleChange.objects.filter(pk=change.pk).update(subject="someone")
    with pytest.raises(AppendOnlyError):
        RoleChange.objects.all().delete()
    for statement in ("UPDATE web_rolechange SET subject = 'x'", "DELETE FROM web_rolechange"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement)
    assert list(RoleChange.objects.values_list("subject", flat=True)) == ["demo-counsel"]


# The API


def api(client: Client, role: str, method: str, path: str, body: object = None) -> Any:
    headers = {"Authorization": f"Bearer {issue_token(user(role), 'tests')}"}
    if method == "GET":
        return client.get("/api/v1" + path, headers=headers)
    return client.post(
        "/api/v1" + path, json.dumps(body), content_type="application/json", headers=headers
    )


def test_it_gives_the_admin_scopes_pool_and_log_in_the_api(client: Client) -> None:
    body = api(client, "admin", "GET", "/roles").json()

    hr = next(p for p in body["hr"] if p["user"] == "demo-hr")
    assert [scope["org"] for scope in hr["scopes"]] == [""]
    assert "demo-panelist" in body["panelists"]
    assert body["changes"] == []


@pytest.mark.parametrize("role", ["employee", "manager", "hr", "panelist", "counsel"])
def test_it_answers_403_in_the_api_to_everyone_but_admins(client: Client, role: str) -> None:
    before = state()

    shown = api(client, role, "GET", "/roles")
    posted = api(
        client, role, "POST", "/roles/changes", {"change": "add_panelist", "user": "demo-hr"}
    )

    assert (shown.status_code, posted.status_code) == (403, 403)
    assert posted.json()["error"]["code"] == "forbidden"
    assert state() == before


def test_it_makes_and_logs_a_change_through_the_api(client: Client) -> None:
    org = top_org()

    response = api(
        client,
        "admin",
        "POST",
        "/roles/changes",
        {"change": "add_scope", "user": "demo-hr", "org": org},
    )

    assert response.status_code == 200
    body = response.json()
    hr = next(p for p in body["hr"] if p["user"] == "demo-hr")
    assert sorted(scope["org"] for scope in hr["scopes"]) == ["", org]
    (change,) = body["changes"]
    assert (change["by"], change["action"], change["subject"], change["org"]) == (
        "demo-admin",
        "scope_added",
        "demo-hr",
        org,
    )


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ({"change": "add_scope", "user": "demo-hr", "org": "Nowhere"}, "org: no one works in"),
        ({"change": "add_panelist", "user": "no\u0000body"}, "user: control"),
        ({"change": "add_panelist", "user": "\ud800"}, "body.user:"),
        ({"change": "remove_scope"}, "scope: not a scope's number"),
        ({"change": "promote"}, "change: must be one of"),
        ({"change": "add_scope", "org": "x" * 301}, "body.org:"),
        ({"change": "remove_scope", "scope": 0}, "body.scope:"),
        ({}, "body.change:"),
    ],
)
def test_it_refuses_bad_input_in_the_api_naming_the_field(
    client: Client, body: dict[str, Any], problem: str
) -> None:
    before = state()

    response = api(client, "admin", "POST", "/roles/changes", body)

    error = response.json()["error"]
    assert response.status_code == 422
    assert error["code"] == "invalid"
    assert any(p.startswith(problem) for p in error["problems"]), error
    assert state() == before
