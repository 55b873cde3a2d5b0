"""The API fuzzed from its own OpenAPI document, as every role: whatever anyone sends, no 5xx.

Schemathesis reads the document the API serves and, for every operation, generates
requests from it: the schema's boundary values (its coverage phase, each sent as one role,
the roles taking turns), then valid and invalid requests at random (fuzzing), each sent
straight to the WSGI application as every role (employee, manager, HR, panelist,
counsel, admin), with a token of that role's demo login. Then the stateful phase walks
the links schemathesis infers between operations (list cases, open one, read its
actions, take one) as each role.

Bounded and repeatable: a fixed seed, derandomized, a few examples per operation, no
example database; the whole module runs in about a minute on either database. The demo
is seeded once for the module, inside a transaction undone when the module ends; each
test runs in a savepoint of it (pytest-django's own), so what one test writes the next does
not see.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import hypothesis
import pytest
import schemathesis
from django.contrib.auth.models import User
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.test import Client
from django.test.utils import override_settings
from hypothesis import HealthCheck
from pytest_django import DjangoDbBlocker
from schemathesis.checks import not_a_server_error
from schemathesis.generation.meta import TestPhase

from fairpivot.config.wsgi import application
from fairpivot.demo.seed import ensure_demo
from fairpivot.demo.web import ensure_web_demo
from fairpivot.records.models import Case
from fairpivot.web.api import api
from fairpivot.web.services import issue_token

Request = schemathesis.Case[Any]  # one generated request, for any operation
ROLES = ("employee", "manager", "hr", "panelist", "counsel", "admin")
SEED = 20250630
EXAMPLES = 6  # random requests per operation, each sent as all six roles
STATEFUL_SCENARIOS = 3  # walks of linked calls per role
STATEFUL_STEPS = 6
# "The demo's n-th case": its id differs by database (PostgreSQL does not reuse ids).
NTH_CASE = [f"C-{n}" for n in range(1, 21)]
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {"mode": "all", "max-examples": EXAMPLES, "database": "none"},
        "phases": {
            "examples": {"enabled": True},
            "coverage": {"enabled": True},
            "fuzzing": {"enabled": True},
            "stateful": {"enabled": True, "max-steps": STATEFUL_STEPS},
        },
        # Mostly the demo's cases, so requests get past the lookup to the code behind it.
        "dictionaries": {"cases": {"values": NTH_CASE}},
        "parameters": {"case_id": {"dictionary": "cases", "probability": 0.8}},
    }
)
SETTINGS = hypothesis.settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


def _document() -> dict[str, Any]:
    # The document the API serves at /api/v1/openapi.json (to signed-in callers only), read
    # from the API itself: Django is set up by the time this module is collected.
    document: dict[str, Any] = api.get_openapi_schema()
    return document


schema = schemathesis.openapi.from_dict(_document(), config=CONFIG)
schema.app = application


# The demo is seeded once for the module, each test undoing what it writes (seeding.py).
pytestmark = pytest.mark.usefixtures("demo_once")


@dataclass(frozen=True, slots=True)
class Demo:
    """The seeded demo as the fuzzer uses it."""

    headers: dict[str, dict[str, str]]  # per role, a token of its demo login
    cases: list[str]  # the demo's case ids, in order

    def place(self, case: Request) -> None:
        """Point a request naming the n-th case at that case in this run's database."""
        ref = (case.path_parameters or {}).get("case_id")
        if ref in NTH_CASE and NTH_CASE.index(ref) < len(self.cases):
            case.path_parameters["case_id"] = self.cases[NTH_CASE.index(ref)]


@pytest.fixture(scope="module")
def seeded(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[Demo]:
    """The demo with a token per role, seeded once, in a transaction undone at the end.

    Django closes "old" connections when a request starts and ends, which would close that
    open transaction; its test client turns that off the same way.
    """
    hashing = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), hashing, transaction.atomic():
        ensure_demo()
        ensure_web_demo()
        headers = {
            role: {
                "Authorization": "Bearer "
                + issue_token(User.objects.get(username=f"demo-{role}"), "fuzz")
            }
            for role in ROLES
        }
        cases = [case.ref for case in Case.objects.order_by("id")]
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)
        try:
            yield Demo(headers, cases)
        finally:
            request_started.connect(close_old_connections)
            request_finished.connect(close_old_connections)
            transaction.set_rollback(True)


@pytest.fixture
def demo(seeded: Demo) -> Demo:
    """The seeded demo; the test's own transaction (a savepoint of the module's) is undone."""
    return seeded


# The coverage phase sends every boundary value the schema implies, hundreds for an
# operation with a rich body: each of those goes as one role, the roles taking turns in a
# fixed order, so every role gets its share and the module keeps to its minute.
_turns = itertools.count()


def roles_for(case: Request) -> tuple[str, ...]:
    """Every role for a generated request; one, in turn, for a coverage-phase one."""
    if case.meta is not None and case.meta.phase.name == TestPhase.COVERAGE:
        return (ROLES[next(_turns) % len(ROLES)],)
    return ROLES


@pytest.mark.django_db
@schema.parametrize()
@SETTINGS
def test_it_never_answers_any_role_with_a_server_error(case: Request, demo: Demo) -> None:
    demo.place(case)
    for role in roles_for(case):
        response = case.call(headers=demo.headers[role])
        case.validate_response(response, checks=[not_a_server_error])


class Walk(schema.as_state_machine()):  # type: ignore[misc]  # a class schemathesis builds
    """Linked calls (list, open, read the actions, take one) as one role."""

    headers: ClassVar[dict[str, str]] = {}

    def get_call_kwargs(self, case: Request) -> dict[str, Any]:
        """Every call with the role's token."""
        return {"headers": self.headers}

    def validate_response(
        self, response: Any, case: Request, additional_checks: Any = None, **kwargs: Any
    ) -> None:
        """No 5xx, whatever the walk sends."""
        case.validate_response(response, checks=[not_a_server_error])


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_a_walk_of_linked_calls_never_answers_with_a_server_error(role: str, demo: Demo) -> None:
    class RoleWalk(Walk):
        headers = demo.headers[role]

    settings = hypothesis.settings(
        SETTINGS, max_examples=STATEFUL_SCENARIOS, stateful_step_count=STATEFUL_STEPS
    )

    RoleWalk.run(settings=settings)


def test_the_walks_have_links_to_follow() -> None:
    # The stateful test passes just as well with nothing to walk: check schemathesis found
    # links between operations (cases listed or opened, then read and acted on).
    assert {"GET /api/v1/cases -> 200", "POST /api/v1/cases -> 201"} <= set(Walk.bundles)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_it_fuzzes_as_a_signed_in_caller_of_each_role(
    role: str, demo: Demo, client: Client
) -> None:
    # The fuzz above passes just as well if every request bounced at the door: check each
    # role's headers get in, so its requests reach the code behind the door.
    response = client.get("/api/v1/cases", headers=demo.headers[role])

    assert response.status_code == 200
    assert response.json()["count"] >= 1
