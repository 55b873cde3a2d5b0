"""API tokens: guessing limited per address, tokens that expire, are listed without their
secret, can be revoked and note their last use; ``fairpivot token`` to manage them."""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from fairpivot.cli.main import main
from fairpivot.records.clock import FixedClock
from fairpivot.web.models import ApiToken, FailedLogin
from fairpivot.web.tokens import issue_token, revoke_token

pytestmark = pytest.mark.django_db

CASES = "/api/v1/cases"
PROBE = "10.9.8.7"
ELSEWHERE = "192.0.2.10"


@pytest.fixture
def harper() -> User:
    """Someone an integration signs in as (counsel: sees every case)."""
    user = User.objects.create_user("harper")
    user.groups.get_or_create(name="counsel")
    return user


def call(token: str | None, address: str = PROBE, path: str = CASES) -> Any:
    """GET ``path`` with ``token`` from ``address``."""
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return Client().get(path, headers=headers, REMOTE_ADDR=address)


def random_token() -> str:
    return secrets.token_urlsafe(32)


def error_of(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "problems"}
    error: dict[str, Any] = body["error"]
    return error


# Guessing tokens


def test_it_answers_429_after_twenty_unknown_tokens_from_one_address() -> None:
    """The old API answered 401 to guess after guess, 60 of 60."""
    started = time.monotonic()
    responses = [call(random_token()) for _ in range(60)]
    took = time.monotonic() - started

    assert [r.status_code for r in responses] == [401] * 20 + [429] * 40
    assert error_of(responses[0])["code"] == "unauthenticated"
    throttled = responses[20]
    assert error_of(throttled)["code"] == "throttled"
    assert "try again in" in error_of(throttled)["message"]
    assert 900 - took - 1 <= int(throttled["Retry-After"]) <= 900


def test_it_refuses_even_a_good_token_from_an_address_that_is_guessing(harper: User) -> None:
    token = issue_token(harper, "tests")
    for _ in range(20):
        call(random_token())

    assert call(token).status_code == 429
    assert call(token, ELSEWHERE).status_code == 200


def test_it_takes_the_token_limit_from_the_setting(settings: Settings, harper: User) -> None:
    settings.API_TOKEN_FAILURE_LIMIT = 2
    token = issue_token(harper, "tests")

    assert [call(random_token()).status_code for _ in range(3)] == [401, 401, 429]
    assert call(token).status_code == 429


def test_it_does_not_count_calls_that_send_no_token(harper: User) -> None:
    token = issue_token(harper, "tests")

    assert {call(None).status_code for _ in range(25)} == {401}
    assert call(token).status_code == 200
    assert not FailedLogin.objects.exists()


def test_it_counts_token_failures_apart_from_password_failures(harper: User) -> None:
    for _ in range(19):
        call(random_token())

    signed_in = Client().post(
        "/login/", {"username": "someone", "password": "wrong"}, REMOTE_ADDR=PROBE
    )

    assert signed_in.status_code == 401
    assert call(random_token()).status_code == 401
    assert call(random_token()).status_code == 429


@pytest.mark.parametrize(
    ("aged", "status"), [(timedelta(minutes=14, seconds=50), 429), (timedelta(minutes=15), 200)]
)
def test_it_lifts_the_token_lock_when_the_window_passes(
    harper: User, aged: timedelta, status: int
) -> None:
    token = issue_token(harper, "tests")
    for _ in range(20):
        call(random_token())

    FailedLogin.objects.update(at=timezone.now() - aged)

    assert call(token).status_code == status


# Expiry, revocation, last use


def test_it_gives_a_token_ninety_days_by_default(harper: User) -> None:
    issue_token(harper, "tests")

    row = ApiToken.objects.get()
    assert row.expires_at - row.created_at == timedelta(days=90)


@pytest.mark.parametrize(
    ("age", "status"),
    [(timedelta(days=7) - timedelta(minutes=1), 200), (timedelta(days=7), 401)],
)
def test_it_refuses_a_token_once_it_has_expired(harper: User, age: timedelta, status: int) -> None:
    token = issue_token(harper, "tests", days=7, clock=FixedClock(timezone.now() - age))

    response = call(token)

    assert response.status_code == status
    if status == 401:
        assert error_of(response)["code"] == "unauthenticated"


def test_it_refuses_a_revoked_token(harper: User) -> None:
    token = issue_token(harper, "tests")
    assert call(token).status_code == 200

    row, changed = revoke_token(ApiToken.objects.get().id)

    assert changed
    assert row.revoked_at is not None
    assert call(token).status_code == 401
    assert revoke_token(row.id)[1] is False


def test_it_refuses_the_token_of_a_deactivated_user(harper: User) -> None:
    token = issue_token(harper, "tests")
    User.objects.filter(pk=harper.pk).update(is_active=False)

    assert call(token).status_code == 401


def test_it_notes_a_tokens_last_use_at_most_once_a_minute(harper: User) -> None:
    token = issue_token(harper, "tests")
    assert ApiToken.objects.get().last_used_at is None

    call(token)
    first = ApiToken.objects.get().last_used_at
    call(token)
    again = ApiToken.objects.get().last_used_at
    ApiToken.objects.update(last_used_at=timezone.now() - timedelta(minutes=1))
    call(token)
    later = ApiToken.objects.get().last_used_at

    assert first is not None
    assert again == first
    assert later is not None
    assert later > timezone.now() - timedelta(seconds=30)


def test_it_stores_only_a_digest_of_the_token(harper: User) -> None:
    token = issue_token(harper, "tests")

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM web_apitoken")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert token not in stored
    assert hashlib.sha256(token.encode()).hexdigest() in stored


# The command line


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["token", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_it_issues_a_token_for_some_days(harper: User, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(capsys, "harper", "--days", "7", "--name", "payroll sync")

    row = ApiToken.objects.get()
    assert (status, err) == (0, "")
    assert row.name == "payroll sync"
    assert row.expires_at - row.created_at == timedelta(days=7)
    assert call(out.strip()).status_code == 200


@pytest.mark.parametrize("days", ["1", "365"])
def test_it_accepts_days_from_one_to_a_year(
    harper: User, capsys: pytest.CaptureFixture[str], days: str
) -> None:
    assert run(capsys, "harper", "--days", days)[0] == 0


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (("harper", "--days", "0"), "--days: a whole number from 1 to 365 (got '0')"),
        (("harper", "--days", "366"), "--days: a whole number from 1 to 365 (got '366')"),
        (("harper", "--days", "ninety"), "--days: a whole number from 1 to 365 (got 'ninety')"),
        (("harper", "--days", "1.5"), "--days: a whole number from 1 to 365 (got '1.5')"),
        (("--revoke", "x"), "--revoke: a whole number of 1 or more (got 'x')"),
        (("--revoke", "0"), "--revoke: a whole number of 1 or more (got '0')"),
        (("--revoke", "999"), "--revoke: no token has id 999"),
        (("nobody",), "nobody: no active user of that name"),
        ((), "token: give one of USERNAME, --list or --revoke ID (got none)"),
        (("harper", "--list"), "token: give one of USERNAME, --list or --revoke ID"),
        (("--list", "--revoke", "1"), "token: give one of USERNAME, --list or --revoke ID"),
        (("harper", "--name", ""), "--name: 1 to 100 characters (got 0)"),
    ],
)
def test_it_refuses_bad_input_with_one_line_and_status_2(
    harper: User, capsys: pytest.CaptureFixture[str], argv: tuple[str, ...], problem: str
) -> None:
    status, out, err = run(capsys, *argv)

    assert status == 2
    assert out == ""
    assert len(err.splitlines()) == 1
    assert err.startswith(f"fairpivot: {problem}")
    assert not ApiToken.objects.exists()


def test_it_lists_tokens_without_their_secrets(
    harper: User, capsys: pytest.CaptureFixture[str]
) -> None:
    first = run(capsys, "harper", "--name", "payroll")[1].strip()
    second = run(capsys, "harper", "--name", "reports", "--days", "30")[1].strip()
    call(first)
    run(capsys, "--revoke", str(ApiToken.objects.get(name="reports").id))

    status, out, _ = run(capsys, "--list")

    lines = out.splitlines()
    assert status == 0
    assert lines[0].split() == [
        "id",
        "user",
        "name",
        "created",
        "expires",
        "last",
        "used",
        "status",
    ]
    payroll = next(line for line in lines if "payroll" in line)
    reports = next(line for line in lines if "reports" in line)
    assert payroll.split()[-1] == "active"
    assert "never" not in payroll
    assert reports.split()[-1] == "revoked"
    assert "never" in reports
    for row in ApiToken.objects.all():
        assert row.digest not in out
        assert f"{row.expires_at:%Y-%m-%d}" in out
    assert first not in out
    assert second not in out


def test_it_marks_expired_tokens_in_the_list(
    harper: User, capsys: pytest.CaptureFixture[str]
) -> None:
    issue_token(harper, "old", days=1, clock=FixedClock(timezone.now() - timedelta(days=2)))

    out = run(capsys, "--list")[1]

    assert out.splitlines()[1].split()[-1] == "expired"


def test_it_says_so_when_there_are_no_tokens(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "--list")[:2] == (0, "no API tokens\n")


def test_it_revokes_a_token_from_the_command_line(
    harper: User, capsys: pytest.CaptureFixture[str]
) -> None:
    token = run(capsys, "harper")[1].strip()
    token_id = str(ApiToken.objects.get().id)

    status, out, _ = run(capsys, "--revoke", token_id)
    again = run(capsys, "--revoke", token_id)

    assert status == 0
    assert out.startswith(f"token {token_id} (harper, cli) revoked at ")
    assert again[0] == 0
    assert "was already revoked" in again[1]
    assert call(token).status_code == 401
