"""Start Django for the command line, once, only for the commands that need it."""

from __future__ import annotations

import os

import django


def setup_django() -> None:
    """Configure Django from the environment (idempotent)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairpivot.config.settings")
    django.setup()
