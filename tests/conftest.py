"""Test-wide settings and the fixtures the test folders share.

Qt runs offscreen, so no display is needed.

- ``clock``: a :class:`FakeClock` the test moves (09:00 in China on 29 November 2026);
- ``store``: an open, empty kiosk store (``kiosk.db`` in the test's tmp folder), closed afterwards;
- ``cloud``: the reference cloud served on 127.0.0.1 from ``tmp_path / "cloud"``, one per test; it runs
  on ``cloud_clock`` (the real time unless a module overrides ``cloud_clock`` with a clock it moves);
  every test that takes it runs twice: the cloud on SQLite, then on PostgreSQL;
- ``shared_cloud``: one running reference cloud for all the tests of a module (state carries over),
  once on SQLite and once on PostgreSQL;
- ``cloud_instance``: an initialised reference cloud that is not served (USB bundles only), on both;
- ``postgres_server``: one throwaway PostgreSQL for the whole run (``tests/helpers/postgres.py``),
  started when a test first asks for it.

Tests that need this Linux machine are marked ``linux_only`` here (see :func:`needs_linux`), so
the release workflow runs the rest on Windows with ``pytest -m "not linux_only"``.

A module whose tests need a store or a cloud set up differently builds it on these under its
own name (``indexed_store``, ``desk_store``, ``registered_instance`` ...).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.cloud_server import RunningCloud, running_cloud
from helpers.fakes import FakeClock
from helpers.postgres import PostgresServer, new_postgres_database, running_postgres

from cloud.instance import Clock, CloudInstance, init_instance, utc_now
from kiosk.store.database import Store, open_store

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication: no display needed

TESTS_DIR = Path(__file__).resolve().parent
#: Folders whose every test needs Linux: the bundles built here (and in Debian roots), Debian's Chromium.
LINUX_ONLY_FOLDERS = frozenset({"bundle", "browser"})


def needs_linux(item: pytest.Item) -> bool:
    """Whether ``item`` needs this Linux machine: a Linux-only folder, or PostgreSQL from Debian's packages.

    PostgreSQL is asked for as the ``postgres_server`` fixture, or as the ``postgres`` parameter of the
    cloud fixtures (which start it on demand); a module may also carry ``pytest.mark.linux_only`` itself.
    """
    if item.path.relative_to(TESTS_DIR).parts[0] in LINUX_ONLY_FOLDERS:
        return True
    if "postgres_server" in getattr(item, "fixturenames", ()):
        return True
    callspec = getattr(item, "callspec", None)
    return callspec is not None and any(
        isinstance(value, str) and value == "postgres" for value in callspec.params.values()
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the tests that need Linux (``-m "not linux_only"`` runs the rest, as on Windows)."""
    for item in items:
        if needs_linux(item):
            item.add_marker(pytest.mark.linux_only)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    with running_postgres() as server:
        yield server


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "kiosk.db")
    yield opened
    opened.close()


@pytest.fixture
def cloud_clock() -> Clock:
    """The clock ``cloud`` runs on; a module overrides this fixture to run the cloud on a clock it moves."""
    return utc_now


@pytest.fixture(params=["sqlite", "postgres"])
def cloud(request: pytest.FixtureRequest, tmp_path: Path, cloud_clock: Clock) -> Iterator[RunningCloud]:
    database = None
    if request.param == "postgres":
        database = new_postgres_database(request.getfixturevalue("postgres_server"))
    with running_cloud(tmp_path / "cloud", cloud_clock, database) as running:
        yield running


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def shared_cloud(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RunningCloud]:
    database = None
    if request.param == "postgres":
        database = new_postgres_database(request.getfixturevalue("postgres_server"))
    with running_cloud(tmp_path_factory.mktemp("cloud"), database=database) as running:
        yield running


@pytest.fixture(params=["sqlite", "postgres"])
def cloud_instance(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[CloudInstance]:
    database = None
    if request.param == "postgres":
        database = new_postgres_database(request.getfixturevalue("postgres_server"))
    instance, _ = init_instance(tmp_path / "cloud", database=database)
    yield instance
    instance.close()
