"""An employee's own representative: invited and withdrawn by the employee.

A representative's login is made by an administrator, in the ``representative`` group;
the employee then names it. From then on it reads what the employee reads of every case
of theirs and may ask for other terms on their behalf (review-v4.md section 8 item 8),
until the employee withdraws the invitation. Counsel is the employer's, not this.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from fairpivot.domain.errors import InvalidInput
from fairpivot.records.clock import SYSTEM_CLOCK, Clock
from fairpivot.web.models import Representation

GROUP = "representative"


def current(employee_ref: str) -> list[Representation]:
    """The representatives the employee has invited and not withdrawn, by login."""
    return list(
        Representation.objects.filter(employee_ref=employee_ref, withdrawn_at__isnull=True)
        .select_related("user")
        .order_by("user__username")
    )


def invite(employee_ref: str, username: str, clock: Clock = SYSTEM_CLOCK) -> Representation:
    """Let the login ``username`` (in the representative group) act for the employee."""
    name = username.strip()
    if not name:
        raise InvalidInput(["username: required (the login your representative was given)"])
    user = User.objects.filter(username=name, is_active=True, groups__name=GROUP).first()
    if user is None:
        raise InvalidInput(
            [
                f"username: no representative login is called {name!r}; an administrator "
                "makes one in the representative group first"
            ]
        )
    with transaction.atomic():
        if Representation.objects.filter(
            employee_ref=employee_ref, user=user, withdrawn_at__isnull=True
        ).exists():
            raise InvalidInput([f"username: {name} already represents you"])
        return Representation.objects.create(
            employee_ref=employee_ref, user=user, invited_at=clock.now()
        )


def withdraw(employee_ref: str, representation_id: int, clock: Clock = SYSTEM_CLOCK) -> None:
    """End one of the employee's invitations (the row stays, dated)."""
    updated = Representation.objects.filter(
        pk=representation_id, employee_ref=employee_ref, withdrawn_at__isnull=True
    ).update(withdrawn_at=clock.now())
    if updated != 1:
        raise InvalidInput(["representation: you have no such representative"])
