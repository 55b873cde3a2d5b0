"""Fixtures shared by the integration tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_django import DjangoDbBlocker

from tests.integration.seeding import kept_for_module, seed_demo


@pytest.fixture(scope="module")
def demo_once(django_db_setup: None, django_db_blocker: DjangoDbBlocker) -> Iterator[None]:
    """The demo, seeded once for the module (seeding.py); a test's ``ensure_demo()`` finds it."""
    with kept_for_module(django_db_blocker, seed_demo):
        yield
