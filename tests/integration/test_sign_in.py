"""Signing in: failures counted per account and per address, one door for the admin too,
sessions that end after 8 idle hours, and cookies scripts cannot read.

The addresses are the test client's ``REMOTE_ADDR``; time passing is the stored failures
(or the session's expiry) moved back by that much, which is what the server sees.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import connection, connections
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings

from fairpivot.web.models import FailedLogin

pytestmark = pytest.mark.django_db

OFFICE = "10.1.2.3"  # one company proxy: everyone there shares it
ELSEWHERE = "192.0.2.77"
PASSWORDS = {"harper": "harper-right-password", "casey": "casey-right-password"}
ROOT_PASSWORD = "root-right-password"  # noqa: S105
LOCKED = "Too many failed sign-ins"
WRONG = "That username and password do not match."


@pytest.fixture(autouse=True)
def people(settings: Settings) -> None:
    """Two people and an administrator (hashed fast: the hasher is not what is tested)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for username, password in PASSWORDS.items():
        User.objects.create_user(username, password=password)
    User.objects.create_superuser("root", password=ROOT_PASSWORD)


def sign_in(
    client: Client, username: str, password: str, address: str = OFFICE, path: str = "/login/"
) -> Any:
    """POST the sign-in form from ``address``."""
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def right(client: Client, username: str, address: str = OFFICE, path: str = "/login/") -> Any:
    return sign_in(client, username, PASSWORDS.get(username, ROOT_PASSWORD), address, path)


def wrong(client: Client, username: str, address: str = OFFICE, path: str = "/login/") -> Any:
    return sign_in(client, username, "not-the-password", address, path)


def age_failures(by: timedelta) -> None:
    """Date every stored failure ``by`` ago, as if they had all happened then."""
    FailedLogin.objects.update(at=timezone.now() - by)


# An account: five failures from anywhere lock it, four do not


@pytest.mark.parametrize(("failures", "status"), [(4, 302), (5, 429)])
def test_it_locks_an_account_after_five_failures_and_not_four(
    client: Client, failures: int, status: int
) -> None:
    statuses = [wrong(client, "harper").status_code for _ in range(failures)]

    response = right(client, "harper")

    assert statuses == [401] * failures
    assert response.status_code == status


def test_it_says_why_and_for_how_long_when_locked(client: Client) -> None:
    started = time.monotonic()
    for _ in range(5):
        wrong(client, "harper")

    response = right(client, "harper")
    took = time.monotonic() - started

    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert "Try again in 15 minutes." in response.content.decode()
    # The first failure leaves the 15-minute window that much after it was made.
    assert 900 - took - 1 <= int(response["Retry-After"]) <= 900
    assert "_auth_user_id" not in client.session


def test_it_locks_an_account_against_guesses_from_many_addresses(client: Client) -> None:
    statuses = [wrong(client, "harper", f"203.0.113.{n}").status_code for n in range(5)]

    response = right(client, "harper", ELSEWHERE)

    assert statuses == [401] * 5
    assert response.status_code == 429


def test_it_counts_a_username_in_any_case_as_one_account(client: Client) -> None:
    for typed in ("harper", "HARPER", "Harper", " harper ", "hArPeR"):
        wrong(client, typed)

    assert right(client, "harper").status_code == 429


def test_it_keeps_an_account_locked_while_another_account_signs_in_from_its_address(
    client: Client,
) -> None:
    """The old walk-around: four wrong for one account, one right for another, repeat."""
    guesses = []
    for _ in range(4):
        guesses += [wrong(client, "harper").status_code for _ in range(4)]
        assert right(Client(), "casey").status_code == 302

    response = right(client, "harper")

    assert guesses == [401] * 5 + [429] * 11
    assert response.status_code == 429


def test_it_lets_a_success_clear_only_that_accounts_failures(client: Client) -> None:
    for _ in range(4):
        wrong(client, "harper")
    wrong(client, "casey")

    assert right(client, "harper").status_code == 302
    # Harper starts again from nothing; Casey's failure still counts.
    assert [wrong(Client(), "harper").status_code for _ in range(5)] == [401] * 5
    assert right(Client(), "harper").status_code == 429
    assert FailedLogin.objects.filter(address=OFFICE).count() == 6


# An address: locked only after many failures across accounts


def test_it_does_not_lock_everyone_at_an_address_when_one_account_fails(client: Client) -> None:
    for _ in range(5):
        wrong(client, "harper")

    assert right(client, "harper").status_code == 429
    assert right(Client(), "casey").status_code == 302


@pytest.mark.parametrize(("failures", "status"), [(49, 302), (50, 429)])
def test_it_locks_an_address_after_fifty_failures_across_accounts(
    failures: int, status: int
) -> None:
    """One wrong guess on each of many accounts: password spraying from one address."""
    statuses = [wrong(Client(), f"someone-{n}").status_code for n in range(failures)]

    response = right(Client(), "casey")

    assert statuses == [401] * failures
    assert response.status_code == status
    assert right(Client(), "casey", ELSEWHERE).status_code == 302


def test_it_takes_the_address_limit_from_the_setting(settings: Settings) -> None:
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 3
    statuses = [wrong(Client(), name).status_code for name in ("a", "b", "c", "d")]

    assert statuses == [401, 401, 401, 429]
    assert right(Client(), "casey").status_code == 429
    assert right(Client(), "casey", ELSEWHERE).status_code == 302


# The window


@pytest.mark.parametrize(
    ("aged", "status"), [(timedelta(minutes=14, seconds=50), 429), (timedelta(minutes=15), 302)]
)
def test_it_lifts_a_lock_when_the_failures_leave_the_15_minute_window(
    client: Client, aged: timedelta, status: int
) -> None:
    for _ in range(5):
        wrong(client, "harper")

    age_failures(aged)

    assert right(client, "harper").status_code == status


def test_it_says_a_last_minute_in_the_singular(client: Client) -> None:
    for _ in range(5):
        wrong(client, "harper")
    age_failures(timedelta(minutes=14, seconds=30))

    response = right(client, "harper")

    assert "Try again in 1 minute." in response.content.decode()


def test_it_does_not_prolong_a_lock_with_attempts_refused_during_it(client: Client) -> None:
    for _ in range(5):
        wrong(client, "harper")
    age_failures(timedelta(minutes=10))
    for _ in range(20):
        assert wrong(client, "harper").status_code == 429

    age_failures(timedelta(minutes=15))

    assert right(client, "harper").status_code == 302


# The admin signs in through the same door


def test_it_throttles_the_admin_sign_in_like_the_page(client: Client) -> None:
    """The old /admin/login/ took guess after guess while /login/ answered 429."""
    statuses = [wrong(client, "root", path="/admin/login/").status_code for _ in range(10)]

    admin = right(client, "root", path="/admin/login/?next=/admin/")
    page = right(Client(), "root")

    assert statuses == [401] * 5 + [429] * 5
    assert (admin.status_code, page.status_code) == (429, 429)
    message = "Too many failed sign-ins. Try again in 15 minutes."
    assert message in admin.content.decode()
    assert message in page.content.decode()


def test_it_counts_failures_at_both_doors_together(client: Client) -> None:
    for path in ("/login/", "/admin/login/", "/login/", "/admin/login/", "/login/"):
        assert wrong(client, "root", path=path).status_code == 401

    assert right(client, "root", path="/admin/login/").status_code == 429


def test_it_signs_the_admin_in_and_sends_them_to_the_admin(client: Client) -> None:
    wrong_answer = wrong(client, "root", path="/admin/login/")
    response = right(client, "root", path="/admin/login/?next=/admin/")

    assert WRONG in wrong_answer.content.decode()
    assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert client.get("/admin/").status_code == 200


def test_it_sends_the_admin_to_the_shared_sign_in_page(client: Client) -> None:
    response = client.get("/admin/", follow=True)

    assert response.redirect_chain == [("/admin/login/?next=/admin/", 302)]
    assert 'name="password"' in response.content.decode()


def test_it_tells_someone_signed_in_that_the_admin_is_not_theirs(client: Client) -> None:
    right(client, "harper")

    response = client.get("/admin/", follow=True)

    assert response.redirect_chain == [("/admin/login/?next=/admin/", 302)]
    assert "You are signed in as harper, who may not open that page." in (response.content.decode())
    assert "signed in as" not in Client().get("/login/").content.decode()


# Where a sign-in goes, and input no login has


@pytest.mark.parametrize(
    ("target", "went"),
    [
        ("/dashboard/", "/dashboard/"),
        ("https://evil.example/", "/"),
        ("//evil.example/", "/"),
        ("/\\evil.example/", "/"),
    ],
)
def test_it_follows_next_only_within_this_site(client: Client, target: str, went: str) -> None:
    response = right(client, "harper", path=f"/login/?next={target}")

    assert (response.status_code, response["Location"]) == (302, went)


@pytest.mark.parametrize(
    "username", ["harper\x00", "h" * 10_000, "", "   ", "ハーパー", "harper'; DROP TABLE x;--"]
)
def test_it_answers_odd_usernames_as_a_wrong_password(client: Client, username: str) -> None:
    response = sign_in(client, username, PASSWORDS["harper"])

    assert response.status_code == 401
    assert WRONG in response.content.decode()


def test_it_refuses_a_password_with_nul_as_wrong(client: Client) -> None:
    response = sign_in(client, "harper", PASSWORDS["harper"] + "\x00")

    assert response.status_code == 401


def test_it_never_stores_what_was_typed_as_a_username(client: Client) -> None:
    wrong(client, "my-password-typed-in-the-wrong-box")

    stored = FailedLogin.objects.get()
    assert "password" not in stored.username
    assert len(stored.username) == 64


# Sessions: 8 idle hours, renewed by the requests that use them


def session_row(client: Client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def idle(client: Client, by: timedelta) -> None:
    """Make the session as it would be after ``by`` without a request."""
    row = session_row(client)
    Session.objects.filter(pk=row.pk).update(expire_date=row.expire_date - by)


def test_it_gives_a_session_eight_hours_from_sign_in(client: Client) -> None:
    before = timezone.now()
    right(client, "harper")

    expires = session_row(client).expire_date
    assert before + timedelta(hours=8) <= expires <= timezone.now() + timedelta(hours=8)


@pytest.mark.parametrize(
    ("idle_for", "signed_in"),
    [(timedelta(hours=7, minutes=59), True), (timedelta(hours=8, seconds=1), False)],
)
def test_it_ends_a_session_after_eight_idle_hours(
    client: Client, idle_for: timedelta, signed_in: bool
) -> None:
    right(client, "harper")
    idle(client, idle_for)

    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/login/") is not signed_in


def test_it_renews_a_used_session_that_has_aged(client: Client) -> None:
    right(client, "harper")
    idle(client, timedelta(hours=7))

    client.get("/")
    idle(client, timedelta(hours=7))
    response = client.get("/")

    assert not response["Location"].startswith("/login/")
    assert session_row(client).expire_date >= timezone.now() + timedelta(hours=7, minutes=59)


@pytest.mark.parametrize(
    ("since_saved", "saved"),
    [(timedelta(minutes=4, seconds=59), False), (timedelta(minutes=5, seconds=1), True)],
)
def test_it_saves_a_used_session_again_only_five_minutes_after_it_was_last_saved(
    client: Client, since_saved: timedelta, saved: bool
) -> None:
    """Not a write per request: a session ends between 7 h 55 min and 8 h after its last
    use (web/sessions.py), never later."""
    right(client, "harper")
    idle(client, since_saved)
    before = session_row(client).expire_date

    response = client.get("/")

    assert not response["Location"].startswith("/login/")
    assert ("sessionid" in response.cookies) is saved
    after = session_row(client).expire_date
    if saved:
        assert after >= timezone.now() + timedelta(hours=7, minutes=59)
    else:
        assert after == before


def test_it_does_not_renew_a_session_for_a_request_that_does_not_use_it(
    client: Client,
) -> None:
    """The health check carries the cookie but never asks who is signed in."""
    right(client, "harper")
    idle(client, timedelta(hours=7))

    health = client.get("/healthz")
    idle(client, timedelta(hours=1, seconds=1))

    assert "Set-Cookie" not in health.headers
    assert client.get("/")["Location"].startswith("/login/")


# Cookies


def test_it_sets_cookies_scripts_cannot_read_nor_other_sites_send(client: Client) -> None:
    client.get("/login/")
    csrf = client.cookies["csrftoken"]
    response = right(client, "harper")
    session = response.cookies["sessionid"]

    assert session["httponly"]
    assert csrf["httponly"]
    assert (session["samesite"], csrf["samesite"]) == ("Lax", "Lax")
    assert session["max-age"] == 8 * 60 * 60
    # Not in production, so a laptop demo on plain http works; see test_production_cookies.
    assert not session["secure"]
    assert not csrf["secure"]


def test_it_starts_a_new_session_at_sign_in(client: Client) -> None:
    planted = client.session
    planted["planted"] = "by someone else"
    planted.save()
    before = client.cookies["sessionid"].value

    right(client, "harper")

    assert client.cookies["sessionid"].value != before
    assert not Session.objects.filter(session_key=before).exists()


def test_it_ends_the_session_at_sign_out(client: Client) -> None:
    right(client, "harper")
    key = client.session.session_key

    client.post("/logout/")

    assert not Session.objects.filter(session_key=key).exists()
    assert client.get("/")["Location"].startswith("/login/")


def test_it_never_caches_the_sign_in_page(client: Client) -> None:
    response = client.get("/login/")

    assert "no-store" in response["Cache-Control"]


# Guesses sent at once


@pytest.fixture
def committed(transactional_db: None) -> Iterator[None]:
    """Let pytest-django empty the tables after a test that commits.

    On PostgreSQL it flushes with TRUNCATE, which the append-only triggers of other tables
    refuse even when they are empty; replica mode skips triggers for this one connection,
    which pytest-django closes afterwards. On SQLite it deletes row by row, and this test
    writes no rows those triggers guard.
    """
    yield
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")


@pytest.mark.usefixtures("committed")
def test_it_checks_no_more_than_five_passwords_when_guesses_arrive_at_once(
    settings: Settings,
) -> None:
    """Each attempt is counted before its password is checked, so racing cannot beat it.

    The real, slow hasher makes every request spend its time between the count and the
    verdict: counting afterwards, all twelve would be checked.
    """
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    User.objects.create_user("morgan", password="morgan-right-password")  # noqa: S106
    start = threading.Barrier(12)

    def guess() -> int:
        try:
            start.wait()
            return int(wrong(Client(), "morgan").status_code)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(lambda _: guess(), range(12)))

    assert set(statuses) <= {401, 429}
    assert statuses.count(401) <= 5
    assert FailedLogin.objects.filter(kind="password").count() == statuses.count(401)
