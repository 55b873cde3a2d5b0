"""The API fuzzed from its own OpenAPI document: whatever an HR integration sends, no 500.

Schemathesis reads /api/v1/openapi.json from the Django app and, for every operation,
sends valid and invalid requests (bounded, with a fixed seed so a run is repeatable)
straight to the WSGI application, signed in with the demo HR partner's token. Each
operation runs inside its own test transaction on the seeded demo, as other tests do.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import hypothesis
import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck
from pytest_django.fixtures import Settings
from schemathesis.checks import not_a_server_error

from fairpivot.config.wsgi import application
from fairpivot.records.demo import ensure_demo
from fairpivot.records.models import Case
from fairpivot.web.demo import ensure_web_demo
from fairpivot.web.services import issue_token

Request = schemathesis.Case[Any]  # one generated request, for any operation
EXAMPLES = 20
# "The demo's n-th case": its id differs by database (PostgreSQL does not reuse ids).
NTH_CASE = [f"C-{n}" for n in range(1, 21)]
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 20250630,
        "generation": {"mode": "all", "max-examples": EXAMPLES, "database": "none"},
        # Coverage would send every boundary case the schema implies, unbounded in number.
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        # Mostly the demo's cases, so requests get past the lookup to the code behind it.
        "dictionaries": {"cases": {"values": NTH_CASE}},
        "parameters": {"case_id": {"dictionary": "cases", "probability": 0.8}},
    }
)


# Read when the module is collected: Django is set up by then (conftest.py), and serving
# the document touches no database.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=CONFIG)


@dataclass(frozen=True, slots=True)
class Demo:
    """The seeded demo as the fuzzer uses it."""

    headers: dict[str, str]  # signed in as the HR partner
    cases: list[str]  # the demo's case ids, in order

    def place(self, case: Request) -> None:
        """Point a request naming the n-th case at that case in this run's database."""
        ref = (case.path_parameters or {}).get("case_id")
        if ref in NTH_CASE and NTH_CASE.index(ref) < len(self.cases):
            case.path_parameters["case_id"] = self.cases[NTH_CASE.index(ref)]


@pytest.fixture
def demo(settings: Settings) -> Iterator[Demo]:
    """The demo, signed in as its HR partner, with requests in the test's transaction.

    Django closes "old" connections when a request starts and ends, which would close this
    test's open transaction; its test client turns that off the same way.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ensure_demo()
    ensure_web_demo()
    token = issue_token(User.objects.get(username="demo-hr"), "fuzz")
    cases = [case.ref for case in Case.objects.order_by("id")]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield Demo({"Authorization": f"Bearer {token}"}, cases)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@hypothesis.settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_it_never_answers_with_a_server_error(case: Request, demo: Demo) -> None:
    demo.place(case)
    response = case.call(headers=demo.headers)
    case.validate_response(response, checks=[not_a_server_error])


@pytest.mark.django_db
def test_it_fuzzes_as_a_signed_in_caller(demo: Demo, client: Client) -> None:
    # The fuzz above passes just as well if every request bounced at the door: check the
    # same headers get in, so its requests reach the code behind the door.
    response = client.get("/api/v1/cases", headers=demo.headers)

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["items"]] == demo.cases
