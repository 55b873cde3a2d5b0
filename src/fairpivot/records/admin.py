"""The Django admin: read-only views of the record for administrators.

Cases and their ledgers change only through the use cases, and employees only through
the HRIS import: an edit or a delete here would bend the record without an entry saying
so, so no model of this app may be added, changed or deleted in the admin.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fairpivot.records.models import Case, Checkpoint, Employee, LedgerEntry


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    """The record is changed through the use cases, never edited in place."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnly):
    list_display = ("case", "seq", "kind", "recorded_by", "recorded_at", "hash")
    list_filter = ("kind",)
    search_fields = ("case__id", "recorded_by")


@admin.register(Case)
class CaseAdmin(ReadOnly):
    list_display = ("ref", "employee_ref", "policy", "version", "opened_at")
    search_fields = ("employee_ref",)


@admin.register(Checkpoint)
class CheckpointAdmin(ReadOnly):
    list_display = ("root_hash", "created_at", "created_by")


@admin.register(Employee)
class EmployeeAdmin(ReadOnly):
    list_display = ("employee_id", "name", "title", "org", "manager")
    search_fields = ("employee_id", "name", "org")
