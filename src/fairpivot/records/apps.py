"""The records app."""

from django.apps import AppConfig


class RecordsConfig(AppConfig):
    """Cases, ledger entries, projections and checkpoints."""

    name = "fairpivot.records"
    label = "records"
    verbose_name = "Case records"
    default_auto_field = "django.db.models.BigAutoField"
