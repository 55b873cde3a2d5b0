"""Sign-in in real processes: the cookies a production deployment sets, and ``fairpivot
token`` managing tokens, each test on its own database (SQLite, or PostgreSQL with
``--db=postgres``)."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

TIMEOUT = 120
SECRET = "a-production-secret-of-more-than-32-characters"  # noqa: S105

# Sign in on a fresh production-configured process and report the cookies it set.
SIGN_IN = """
import json
from fairpivot.config.bootstrap import setup_django
setup_django()
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
call_command("migrate", verbosity=0)
User.objects.create_user("harper", password="harper-right-password")
client = Client()
client.get("/login/", secure=True, HTTP_HOST="localhost")
response = client.post(
    "/login/", {"username": "harper", "password": "harper-right-password"},
    secure=True, HTTP_HOST="localhost",
)
cookies = {**client.cookies, **response.cookies}
print(json.dumps({
    "status": response.status_code,
    "cookies": {name: dict(morsel) for name, morsel in cookies.items()},
}))
"""


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """A fresh Python process; no outcome may show a traceback."""
    result = subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=TIMEOUT,
    )
    assert "Traceback" not in result.stderr, result.stderr
    return result


def fairpivot(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return run(env, "-m", "fairpivot", *args)


@pytest.mark.parametrize("production", [True, False])
def test_it_marks_the_cookies_secure_in_production_only(
    record_env: dict[str, str], production: bool
) -> None:
    env = {
        **record_env,
        "FAIRPIVOT_PRODUCTION": "true" if production else "false",
        "FAIRPIVOT_SECRET_KEY": SECRET,
        "FAIRPIVOT_ALLOWED_HOSTS": "localhost",
    }

    result = run(env, "-c", SIGN_IN)

    assert result.returncode == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout.splitlines()[-1])
    # In production, the __Host- prefix: browsers keep such a cookie only if it is Secure,
    # for this host alone and every path.
    prefix = "__Host-" if production else ""
    cookies = report["cookies"]
    assert set(cookies) == {f"{prefix}sessionid", f"{prefix}csrftoken"}
    session, csrf = cookies[f"{prefix}sessionid"], cookies[f"{prefix}csrftoken"]
    assert (session["path"], csrf["path"]) == ("/", "/")
    assert not session["domain"]
    assert not csrf["domain"]
    assert report["status"] == 302
    assert bool(session["secure"]) is production
    assert bool(csrf["secure"]) is production
    assert session["httponly"]
    assert csrf["httponly"]
    assert (session["samesite"], csrf["samesite"]) == ("Lax", "Lax")
    assert session["max-age"] == 8 * 60 * 60


def test_it_manages_tokens_from_the_command_line(record_env: dict[str, str]) -> None:
    assert fairpivot(record_env, "migrate").returncode == 0
    made = run(
        record_env,
        "-c",
        "from fairpivot.config.bootstrap import setup_django; setup_django(); "
        "from django.contrib.auth.models import User; User.objects.create_user('harper')",
    )
    assert made.returncode == 0, made.stderr

    issued = fairpivot(record_env, "token", "harper", "--days", "30", "--name", "sync")
    listed = fairpivot(record_env, "token", "--list")
    revoked = fairpivot(record_env, "token", "--revoke", "1")
    after = fairpivot(record_env, "token", "--list")

    token = issued.stdout.strip()
    assert issued.returncode == 0
    assert len(token) >= 40
    assert listed.returncode == 0
    assert token not in listed.stdout
    assert listed.stdout.splitlines()[1].split()[:3] == ["1", "harper", "sync"]
    assert listed.stdout.splitlines()[1].split()[-1] == "active"
    assert revoked.returncode == 0
    assert after.stdout.splitlines()[1].split()[-1] == "revoked"


@pytest.mark.parametrize(
    "argv",
    [
        ("token", "harper", "--days", "0"),
        ("token", "harper", "--days", "many"),
        ("token", "--revoke", "one"),
        ("token",),
    ],
)
def test_it_refuses_bad_token_input_with_one_line_and_status_2(
    record_env: dict[str, str], argv: tuple[str, ...]
) -> None:
    result = fairpivot(record_env, *argv)

    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("fairpivot: ")
