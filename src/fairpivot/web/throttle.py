"""Slowing down guessing: failed sign-ins counted per account and per address, apart.

An account is locked after a few failures (``LOGIN_ACCOUNT_FAILURE_LIMIT``) from anywhere,
which stops guessing one person's password from many addresses. An address is locked only
after many failures across accounts (``LOGIN_ADDRESS_FAILURE_LIMIT``), which stops one
address trying a common password on every account, without locking a whole office behind
one proxy out because one person forgot their password. A success clears that account's
failures and nobody else's. Failed API tokens are counted per address
(``API_TOKEN_FAILURE_LIMIT``): a token names no account.

Every count is over the last ``LOGIN_FAILURE_WINDOW_SECONDS``; a lock lifts when enough
failures have aged out of it. Time is an argument (``now``) so tests can walk the window.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from fairpivot.web.models import FailedLogin

KEY_SALT = "fairpivot.web.throttle.account"
ADDRESS_LENGTH = 64  # FailedLogin.address's column


@dataclass(frozen=True, slots=True)
class Lock:
    """Attempts are refused for now; ``retry_after`` seconds until one more is allowed."""

    retry_after: int

    @property
    def minutes(self) -> int:
        """The wait, rounded up to whole minutes, for people."""
        return max(1, math.ceil(self.retry_after / 60))


def address_of(request: HttpRequest) -> str:
    """The address a request came from, as the server saw it (no forwarded headers)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")[:ADDRESS_LENGTH]


def account_key(username: str) -> str:
    """The account a typed username counts against: a keyed hash of it, case-folded.

    People sometimes type their password into the username box; keeping only an HMAC
    (keyed with the secret key) means the failures table never holds one in clear.
    """
    typed = username.strip().lower()
    return salted_hmac(KEY_SALT, typed, algorithm="sha256").hexdigest()


def begin_sign_in(username: str, address: str, now: datetime | None = None) -> Lock | None:
    """Count a password attempt before checking it; a Lock if it must be refused instead.

    The attempt is written first and counted with the others, so requests racing each
    other cannot all slip under the limit before any of them is recorded. A refused
    attempt is taken back: while locked, knocking again does not prolong the lock.
    """
    now = now or timezone.now()
    _forget_old(now)
    attempt = FailedLogin.objects.create(
        username=account_key(username), address=address, at=now, kind="password"
    )
    lock = _lock(
        now,
        (_recent(now, "password").filter(username=attempt.username), _account_limit()),
        (_recent(now, "password").filter(address=address), _address_limit()),
    )
    if lock is not None:
        attempt.delete()
    return lock


def sign_in_succeeded(username: str) -> None:
    """The password was right: forget this account's failures, and only this account's."""
    FailedLogin.objects.filter(kind="password", username=account_key(username)).delete()


def token_lock(address: str, now: datetime | None = None) -> Lock | None:
    """A Lock when this address has sent too many unknown API tokens lately."""
    now = now or timezone.now()
    recent = _recent(now, "token").filter(address=address)
    return _lock(now, (recent, settings.API_TOKEN_FAILURE_LIMIT - 1))


def token_failed(address: str, now: datetime | None = None) -> None:
    """Count one bearer token the API did not accept."""
    now = now or timezone.now()
    _forget_old(now)
    FailedLogin.objects.create(username="", address=address, at=now, kind="token")


def _account_limit() -> int:
    return int(settings.LOGIN_ACCOUNT_FAILURE_LIMIT)


def _address_limit() -> int:
    return int(settings.LOGIN_ADDRESS_FAILURE_LIMIT)


def _window() -> timedelta:
    return timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def _recent(now: datetime, kind: str) -> QuerySet[FailedLogin]:
    # No upper bound: a request racing this one may have taken its time a moment later.
    return FailedLogin.objects.filter(kind=kind, at__gt=now - _window())


def _lock(now: datetime, *counts: tuple[QuerySet[FailedLogin], int]) -> Lock | None:
    """A Lock if any query holds more than its allowance, lifting when enough age out."""
    waits: list[float] = []
    for query, allowed in counts:
        # Read once: counted and then indexed in two queries, a failure another sign-in
        # dropped from the table in between left the index past the end (a 500).
        stamps = list(query.order_by("at").values_list("at", flat=True))
        over = len(stamps) - allowed
        if over > 0:
            # The lock lifts once the ``over`` oldest failures have left the window.
            waits.append((stamps[over - 1] + _window() - now).total_seconds())
    return Lock(max(1, math.ceil(max(waits)))) if waits else None


def _forget_old(now: datetime) -> None:
    """Drop failures the window no longer counts, so the table stays small."""
    FailedLogin.objects.filter(at__lte=now - _window()).delete()
