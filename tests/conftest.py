"""Test setup shared by every suite.

The domain tests need nothing here. The integration tests run on SQLite by default and on
a throwaway PostgreSQL server with ``--db=postgres``; under CI a missing PostgreSQL fails
the run instead of skipping it.
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

# Settings are read once, when Django starts: point them at a scratch folder first, so
# no test run touches ./var.
_data_dir = os.environ.setdefault("FAIRPIVOT_DATA_DIR", tempfile.mkdtemp(prefix="fairpivot-test-"))
# Under pytest-xdist (``make test`` runs two worker processes) each worker inherits this
# folder from the process that started it: give it a folder, and so a SQLite test database,
# of its own, or the workers would create and drop the same file.
_worker = os.environ.get("PYTEST_XDIST_WORKER")
if _worker:
    os.environ["FAIRPIVOT_DATA_DIR"] = os.path.join(_data_dir, _worker)
    os.makedirs(os.environ["FAIRPIVOT_DATA_DIR"], exist_ok=True)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fairpivot.config.settings")
os.environ.pop("DATABASE_URL", None)


def pytest_configure(config: pytest.Config) -> None:
    # pytest-django looks for settings before this file sets them, so start Django here;
    # the database it uses is decided later, by django_db_modify_db_settings below.
    import django  # noqa: PLC0415

    django.setup()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--db",
        choices=("sqlite", "postgres"),
        default="sqlite",
        help="the database the integration tests run on",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Ids of their own, slow processes first; on a PostgreSQL run, only tests using a database."""
    give_each_test_its_own_id(items)
    start_with_the_slow_processes(items)
    if config.getoption("--db") != "postgres":
        return
    keep: list[pytest.Item] = []
    drop: list[pytest.Item] = []
    for item in items:
        uses_database = item.get_closest_marker(
            "django_db"
        ) is not None or "database_vendor" in getattr(item, "fixturenames", ())
        (keep if uses_database else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def give_each_test_its_own_id(items: list[pytest.Item]) -> None:
    """Put the API operation into the id of each schemathesis test; refuse ids held twice.

    pytest 9 builds a test's id from its function's name and parameters, and schemathesis
    makes one test per API operation with the operation in the test's name alone, so the
    fuzz tests of every operation shared one id. pytest-xdist hands tests out by id: it ran
    one of them and dropped the others without a word. Any other pair of tests with one id
    would be dropped the same way, so a run with one stops here instead.
    """
    for item in items:
        _, bracket, operation = item.name.partition("[")
        if getattr(item, "operation_label", None) and bracket and "[" not in item.nodeid:
            item._id = item._id.with_params(operation.removesuffix("]"))
    held = Counter(item.nodeid for item in items)
    twice = sorted(nodeid for nodeid, count in held.items() if count > 1)
    if twice:
        raise pytest.UsageError(f"tests share an id, so pytest-xdist would run one: {twice}")


def start_with_the_slow_processes(items: list[pytest.Item]) -> None:
    """Move the end-to-end tests that use no test database to the front, in their order.

    They run ``fairpivot``, servers and a browser in processes of their own, and take most
    of a run's time in a few files. pytest-django puts every test that uses no database
    last (after those that do, whose order it keeps), so under pytest-xdist, which hands
    out whole files in this order, they came last and one worker ran the longest file
    alone at the end. First, the small unit tests fill in behind them instead.
    """
    e2e = Path(__file__).parent / "e2e"
    database = {"db", "transactional_db", "live_server"}

    def slow_process(item: pytest.Item) -> bool:
        return (
            item.path.is_relative_to(e2e)
            and item.get_closest_marker("django_db") is None
            and not database & set(getattr(item, "fixturenames", ()))
        )

    items.sort(key=lambda item: not slow_process(item))


@pytest.fixture(scope="session")
def database_vendor(request: pytest.FixtureRequest) -> str:
    """The database this run's integration tests use: sqlite or postgres."""
    return str(request.config.getoption("--db"))


@pytest.fixture(scope="session")
def postgres_server(database_vendor: str) -> Iterator[Any]:
    """The throwaway PostgreSQL server, started once per run when --db=postgres.

    Under pytest-xdist, once per worker: each worker has a server, and so a test database,
    of its own, on a port of its own.
    """
    if database_vendor != "postgres":
        yield None
        return
    from tests.pgserver import PostgresUnavailable, start  # noqa: PLC0415

    try:
        server = start()
    except PostgresUnavailable as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI needs PostgreSQL for the integration tests: {exc}")
        pytest.skip(f"PostgreSQL is not available here: {exc}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(postgres_server: Any) -> None:
    """Point Django at the throwaway server before pytest-django creates the test DB."""
    from django.conf import settings  # noqa: PLC0415

    if postgres_server is None:
        # A file, not SQLite's shared in-memory database: that one locks whole tables, so
        # two threads writing at once fail at once instead of waiting their turn.
        test_db = os.path.join(os.environ["FAIRPIVOT_DATA_DIR"], "test.sqlite3")
        settings.DATABASES["default"]["TEST"]["NAME"] = test_db
        return
    settings.DATABASES["default"].update(
        {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": "fairpivot",
            "USER": "postgres",
            "PASSWORD": "",
            "HOST": "127.0.0.1",
            "PORT": str(postgres_server.port),
            "OPTIONS": {},
        }
    )
    # Django made this thread's connection while defining the models, for the SQLite
    # settings of the time; drop it, or this run would quietly go on using SQLite.
    from django.db import connections  # noqa: PLC0415

    connections["default"].close()
    del connections["default"]
