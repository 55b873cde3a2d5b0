"""Who may see what: HR coverage, appeal panels, API tokens, and the log of sensitive views."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models

from fairpivot.records.models import AppendOnlyError, Case


class HrScope(models.Model):
    """An org subtree an HR partner covers: ``Retail`` covers ``Retail/Checkout`` too."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="hr_scopes"
    )
    org_prefix = models.CharField(
        max_length=300, blank=True, help_text="empty covers the whole organisation"
    )

    def __str__(self) -> str:
        return f"{self.user} covers {self.org_prefix or 'everything'}"


class PanelAssignment(models.Model):
    """A panelist sitting on one case's appeal."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="panel")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="panels"
    )
    assigned_at = models.DateTimeField()
    # Which appeal of the case the seat is for (1 for the first); a person sits on one
    # case's panels once, whatever the appeal.
    appeal = models.PositiveSmallIntegerField(default=1)
    recused_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["case", "user"], name="one_seat_per_panelist"),
        ]


class AccessLogEntry(models.Model):
    """Someone viewed a sensitive part of a case: in a retaliation claim, who knew matters."""

    PARTS: ClassVar[tuple[str, ...]] = (
        "protected_activities",
        "demographics",
        "ledger_export",
        "case_file_export",
        "owbpa_disclosure",  # a group program's disclosure: the ages of a whole unit
        "document_download",
        "case_packet",  # counsel's case packet (PDF)
        "own_record",  # the employee's own record (zip)
    )

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="access_log")
    part = models.CharField(max_length=32)
    at = models.DateTimeField(db_index=True)
    via = models.CharField(max_length=8, default="page")

    class Meta:
        ordering: ClassVar[list[str]] = ["-at", "-id"]


class ApiToken(models.Model):
    """A token an integration signs in with; only its SHA-256 is stored.

    A token works until ``expires_at`` or until it is revoked. Revoking keeps the row, so
    ``fairpivot token --list`` still shows who held it and when it was last used.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    @staticmethod
    def digest_of(token: str) -> str:
        """The stored form of a token."""
        return hashlib.sha256(token.encode("utf-8")).hexdigest()

    def status(self, now: datetime) -> str:
        """``active``, ``expired`` or ``revoked`` at ``now``."""
        if self.revoked_at is not None:
            return "revoked"
        return "active" if now < self.expires_at else "expired"


class FailedLogin(models.Model):
    """A failed sign-in, counted to slow down guessing.

    ``kind`` is ``password`` (the sign-in page, the admin's too) or ``token`` (a bearer
    token the API did not know). ``username`` is a keyed hash of what was typed (see
    ``throttle.account_key``), empty for tokens.
    """

    KINDS: ClassVar[tuple[str, ...]] = ("password", "token")

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(db_index=True)
    kind = models.CharField(max_length=8, default="password")


class RoleChangeQuerySet(models.QuerySet["RoleChange"]):
    """Role changes can be read and added, never changed or removed in bulk."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("role changes are never updated")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("role changes are never deleted")


class RoleChange(models.Model):
    """An admin changed who HR covers or who may sit on appeal panels: kept, never edited.

    Who could see a case, and who could judge an appeal, matter as much later as who did;
    so every change of an HR scope or of the panelist pool is a row here (``roles``).
    """

    ACTIONS: ClassVar[tuple[str, ...]] = (
        "scope_added",
        "scope_removed",
        "panelist_added",
        "panelist_removed",
    )

    at = models.DateTimeField(db_index=True)
    by = models.CharField(max_length=150)  # the admin's login, kept if the user goes
    action = models.CharField(max_length=16)
    subject = models.CharField(max_length=150)  # the login whose role changed
    org = models.CharField(max_length=300, blank=True)  # the scope's org prefix

    objects = RoleChangeQuerySet.as_manager()

    class Meta:
        ordering: ClassVar[list[str]] = ["-at", "-id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert a new change; refuse to write over one."""
        if not self._state.adding:
            raise AppendOnlyError("role changes are never updated")
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Refuse: the log of role changes only grows."""
        raise AppendOnlyError("role changes are never deleted")


class Representation(models.Model):
    """An employee's own representative (their lawyer, a union or works-council delegate),
    invited by the employee: reads what the employee reads of their cases and may ask for
    other terms on their behalf (review-v4.md section 8 item 8). Withdrawn, never deleted:
    who could read a case, and when, stays on record."""

    employee_ref = models.CharField(max_length=64, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="represents"
    )
    invited_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["employee_ref", "user"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_open_representation",
            ),
        ]
