"""API tokens: issued for a while, listed without their secret, revoked, checked on use.

A token is 32 random bytes, shown once; only its SHA-256 is stored. A fast hash is enough
here, unlike for passwords: nobody can guess 256 random bits, so there is no dictionary
for a slow hash to slow down.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import QuerySet

from fairpivot.records.clock import SYSTEM_CLOCK, Clock
from fairpivot.web.models import ApiToken

# A token's last use is written at most this often, so reads do not each write a row.
LAST_USED_PRECISION = timedelta(minutes=1)
MAX_DAYS = 365


class TokenNotFound(LookupError):
    """No token has that id."""


def issue_token(
    user: User, name: str, *, days: int | None = None, clock: Clock = SYSTEM_CLOCK
) -> str:
    """A new API token for ``user``, working for ``days`` (default ``API_TOKEN_DAYS``)."""
    lifetime = settings.API_TOKEN_DAYS if days is None else days
    if not 1 <= lifetime <= MAX_DAYS:
        raise ValueError(f"a token lasts 1 to {MAX_DAYS} days (got {lifetime})")
    token = secrets.token_urlsafe(32)
    now = clock.now()
    ApiToken.objects.create(
        user=user,
        name=name,
        digest=ApiToken.digest_of(token),
        created_at=now,
        expires_at=now + timedelta(days=lifetime),
    )
    return token


def user_for_token(token: str, *, clock: Clock = SYSTEM_CLOCK) -> User | None:
    """The active user of a live token (not expired, not revoked), noting its use."""
    now = clock.now()
    row = (
        ApiToken.objects.filter(
            digest=ApiToken.digest_of(token), revoked_at__isnull=True, expires_at__gt=now
        )
        .select_related("user")
        .first()
    )
    if row is None or not row.user.is_active:
        return None
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION:
        # An update of one column, not save(): two requests at once cannot undo a revoke.
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
    return row.user


def all_tokens() -> QuerySet[ApiToken]:
    """Every token ever issued, oldest first, with its user."""
    return ApiToken.objects.select_related("user").order_by("id")


def revoke_token(token_id: int, *, clock: Clock = SYSTEM_CLOCK) -> tuple[ApiToken, bool]:
    """Stop a token working now; whether this call did it (False: it already was revoked)."""
    changed = ApiToken.objects.filter(pk=token_id, revoked_at__isnull=True).update(
        revoked_at=clock.now()
    )
    row = ApiToken.objects.select_related("user").filter(pk=token_id).first()
    if row is None:
        raise TokenNotFound(token_id)
    return row, changed == 1
