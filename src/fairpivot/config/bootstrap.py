"""Start Django for the command line, once, only for the commands that need it."""

from __future__ import annotations

import os

import django


def setup_django() -> None:
    """Configure Django from the environment (idempotent), creating the data folder."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairpivot.config.settings")
    django.setup()
    from django.conf import settings  # noqa: PLC0415

    settings.ENV.data_dir.mkdir(parents=True, exist_ok=True)
