"""Sign-in throttling: too many failures for a username or an address lock both out a while."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from fairpivot.web.models import FailedLogin


def _window_start() -> object:
    return timezone.now() - timedelta(seconds=settings.LOGIN_FAILURE_WINDOW_SECONDS)


def locked_out(username: str, address: str) -> bool:
    """Whether sign-in is refused for now for this username or address."""
    recent = FailedLogin.objects.filter(at__gte=_window_start())
    by_name = recent.filter(username=username.lower()).count()
    by_address = recent.filter(address=address).count()
    return max(by_name, by_address) >= settings.LOGIN_FAILURE_LIMIT


def record_failure(username: str, address: str) -> None:
    """Count one failed sign-in."""
    FailedLogin.objects.create(username=username.lower(), address=address, at=timezone.now())


def clear(username: str, address: str) -> None:
    """Forget old failures once someone signs in successfully."""
    FailedLogin.objects.filter(Q(username=username.lower()) | Q(address=address)).delete()
