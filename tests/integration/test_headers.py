"""What every answer carries: a strict Content-Security-Policy, no caching of personal data,
the API's errors in their one shape (405 included), and API docs served from here, to
people signed in only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings

from fairpivot.demo.seed import ensure_demo
from fairpivot.demo.web import ensure_web_demo
from fairpivot.records.models import Case
from fairpivot.web.middleware import CONTENT_SECURITY_POLICY, StaticFiles
from fairpivot.web.services import issue_token

pytestmark = pytest.mark.django_db

API = "/api/v1"
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}


@pytest.fixture(autouse=True)
def demo(settings: Settings) -> None:
    """The demo org and its cases (fast hashing: no test here is about passwords)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ensure_demo()
    ensure_web_demo()


def signed_in(role: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=f"demo-{role}"))
    return client


def bearer(role: str) -> dict[str, str]:
    user = User.objects.get(username=f"demo-{role}")
    return {"Authorization": f"Bearer {issue_token(user, 'tests')}"}


def answers() -> dict[str, Any]:
    """A page, an API answer and an error of each kind, as their callers get them."""
    case = Case.objects.order_by("id")[0]
    hr = signed_in("hr")
    return {
        "sign-in page": Client().get(reverse("login")),
        "dashboard": hr.get(reverse("dashboard")),
        "case page": hr.get(reverse("case", args=[case.ref])),
        "case file download": hr.get(reverse("case_file", args=[case.ref])),
        "404 page": hr.get("/cases/C-999999/"),
        "API list": Client().get(f"{API}/cases", headers=bearer("hr")),
        "API case": Client().get(f"{API}/cases/{case.ref}", headers=bearer("hr")),
        "API 401": Client().get(f"{API}/cases"),
        "API 405": Client().delete(f"{API}/cases", headers=bearer("hr")),
        "API 413": Client().post(f"{API}/cases", "x" * 2_000_000, content_type="application/json"),
        "admin": signed_in("admin").get("/admin/"),
    }


def directives(header: str) -> dict[str, str]:
    return {
        name: value
        for name, _, value in (part.strip().partition(" ") for part in header.split(";"))
    }


def test_every_page_and_api_answer_carries_a_strict_content_security_policy() -> None:
    for name, response in answers().items():
        policy = directives(response.get("Content-Security-Policy", ""))
        assert {k: policy.get(k) for k in POLICY} == POLICY, name
        assert "unsafe-inline" not in response["Content-Security-Policy"], name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["Referrer-Policy"] == "same-origin", name


def test_no_answer_that_may_carry_personal_data_may_be_cached() -> None:
    for name, response in answers().items():
        assert response["Cache-Control"] == "no-store", name


def test_static_files_may_be_cached() -> None:
    css = Client().get("/static/fairpivot/site.css")

    assert css.status_code == 200
    assert "no-store" not in css.get("Cache-Control", "")


def test_no_page_has_inline_script_or_style_that_the_policy_would_block() -> None:
    for name, response in answers().items():
        if not response["Content-Type"].startswith("text/html"):
            continue
        html = response.content.decode()
        inline = [s for s in re.findall(r"<script\b[^>]*>", html) if "src=" not in s]
        assert inline == [], name
        assert not re.search(r"\son[a-z]+\s*=", html), name  # onclick= and the like
        assert not re.search(r"\sstyle\s*=", html), name
        assert "javascript:" not in html, name


def test_the_api_answers_a_wrong_method_with_405_in_its_error_shape_and_allow() -> None:
    client = Client()
    case = Case.objects.order_by("id")[0]

    listed = client.delete(f"{API}/cases", headers=bearer("hr"))
    review = client.put(f"{API}/cases/{case.ref}/review", headers=bearer("hr"))

    assert listed.status_code == 405
    assert set(listed["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    assert listed.json() == {
        "error": {
            "code": "method_not_allowed",
            "message": f"DELETE is not allowed here; use {listed['Allow']}.",
            "problems": [],
        }
    }
    assert review.status_code == 405
    assert review["Allow"] == "GET"
    assert review.json()["error"]["code"] == "method_not_allowed"


def test_a_page_answers_a_wrong_method_with_a_plain_405() -> None:
    response = signed_in("hr").delete(reverse("dashboard"))

    assert response.status_code == 405
    assert "GET" in response["Allow"]


def test_the_api_docs_send_anyone_not_signed_in_to_sign_in() -> None:
    response = Client().get(f"{API}/docs")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_the_openapi_document_answers_anyone_not_signed_in_with_401() -> None:
    response = Client().get(f"{API}/openapi.json")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_the_openapi_document_answers_a_session_and_a_token() -> None:
    by_session = signed_in("employee").get(f"{API}/openapi.json")
    by_token = Client().get(f"{API}/openapi.json", headers=bearer("manager"))

    assert by_session.status_code == 200
    assert by_token.status_code == 200
    assert by_session.json()["openapi"].startswith("3.")


def test_the_api_docs_load_swagger_ui_from_this_server_only() -> None:
    client = signed_in("hr")

    response = client.get(f"{API}/docs")

    html = response.content.decode()
    assert response.status_code == 200
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls  # the page names its script and stylesheet
    assert all(url.startswith("/static/ninja/") for url in urls), urls
    assert "swagger-ui-bundle.js" in html
    assert "http" not in "".join(urls)
    for url in urls:  # and this server has each of them
        assert client.get(url).status_code == 200, url
    inline = [s for s in re.findall(r"<script\b[^>]*>", html) if "src=" not in s]
    assert inline == ['<script type="application/json" id="swagger-settings">']


def test_the_policy_constant_is_what_is_sent() -> None:
    response = Client().get(reverse("login"))

    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY


def test_the_static_files_are_indexed_once_per_process_and_served_from_every_client() -> None:
    first = StaticFiles(lambda request: HttpResponse(status=404))
    second = StaticFiles(lambda request: HttpResponse(status=404))
    css = "/static/fairpivot/site.css"
    assert second.files[css] is first.files[css]  # the one index, not a second listing
    assert set(second.files) == set(first.files)
    assert Client().get(css).status_code == 200
    assert Client().get("/static/fairpivot/no-such-file.css").status_code == 404
