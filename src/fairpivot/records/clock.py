"""Time as an argument: the use cases ask a clock, and tests hand them a fixed one."""

from __future__ import annotations

from datetime import date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


class Clock(Protocol):
    """Where the use cases get the time."""

    def now(self) -> datetime:
        """The current moment, timezone-aware."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        """The current moment, timezone-aware."""
        return timezone.now()


class FixedClock:
    """A clock stopped at one moment, for tests and for replaying history."""

    def __init__(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("a clock's moment must be timezone-aware")
        self.moment = moment

    def now(self) -> datetime:
        """The moment the clock is stopped at."""
        return self.moment


SYSTEM_CLOCK = SystemClock()


def today(clock: Clock) -> date:
    """The calendar date now, in the deployment's time zone."""
    return clock.now().astimezone(ZoneInfo(settings.TIME_ZONE)).date()
