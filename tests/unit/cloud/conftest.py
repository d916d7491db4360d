"""Fixtures of the reference cloud's unit tests (the running clouds are in tests/conftest.py).

``cloud_store`` is the cloud's database, open and not served, once on SQLite
(``cloud.db`` in the test's tmp folder) and once on PostgreSQL (a new
database on the run's throwaway server, ``postgres_server``): every test
that takes it runs on both.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.postgres import new_postgres_database

from cloud.storage import CloudStore, Storage, open_cloud_store


@pytest.fixture(params=["sqlite", "postgres"])
def cloud_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Storage]:
    """The reference cloud's database on SQLite, then on PostgreSQL; open, not served."""
    if request.param == "sqlite":
        database: str | Path = tmp_path / "cloud.db"
    else:
        database = new_postgres_database(request.getfixturevalue("postgres_server"))
    opened = open_cloud_store(database)
    yield opened
    opened.close()


@pytest.fixture
def sqlite_cloud_store(tmp_path: Path) -> Iterator[CloudStore]:
    """The reference cloud's database on SQLite only (for what only SQLite has: its file, its pragmas)."""
    opened = CloudStore.open(tmp_path / "cloud.db")
    yield opened
    opened.close()
