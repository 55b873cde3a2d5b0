"""Data seeded once for a whole test module instead of once per test.

Seeding the demo org takes most of a second (longer on PostgreSQL), and many tests start
from it. ``kept_for_module`` seeds once, in a transaction held open while the module's
tests run and undone when they end; each test runs in a savepoint of it (pytest-django's
``django_db`` marker), so each starts from the data as seeded and undoes what it wrote, as
if it had seeded its own. A module that uses it must not have ``transaction=True`` tests,
which would commit and flush inside that transaction, and every test in it should ask for
the seeded data (``pytest.mark.usefixtures`` in ``pytestmark`` does): a module fixture, once
set up, stays until the module ends, under the tests that did not ask for it too.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.db import transaction
from pytest_django import DjangoDbBlocker

T = TypeVar("T")

# Hashing with Argon2 is slow on purpose; no test that seeds once checks the hashing.
FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@contextmanager
def kept_for_module(blocker: DjangoDbBlocker, seed: Callable[[], T]) -> Iterator[T]:
    """What ``seed`` returns, its rows kept in a transaction undone when the block ends.

    The database stays blocked between the seeding and the undoing, as for any fixture: a
    test reaches it only through its own ``django_db`` marker.
    """
    kept = transaction.atomic()
    with blocker.unblock():
        kept.__enter__()
        try:
            seeded = seed()
        except BaseException:
            kept.__exit__(*sys.exc_info())
            raise
    try:
        yield seeded
    finally:
        with blocker.unblock():
            transaction.set_rollback(True)
            kept.__exit__(None, None, None)


def seed_demo() -> None:
    """The demo org and its cases, HR over the whole org and the panelist on open appeals."""
    # Imported here: pytest loads the conftest that imports this before Django has started.
    from django.test.utils import override_settings  # noqa: PLC0415

    from fairpivot.demo.seed import ensure_demo  # noqa: PLC0415
    from fairpivot.demo.web import ensure_web_demo  # noqa: PLC0415

    with override_settings(PASSWORD_HASHERS=FAST_HASHING):
        ensure_demo()
        ensure_web_demo()
