"""Fixtures of the kiosk store's unit tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlite_utils

from kiosk.store.migrations import MIGRATIONS


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sqlite_utils.Database]:
    """A kiosk database (``kiosk.db`` in the test's tmp folder) migrated to the current schema."""
    database = sqlite_utils.Database(tmp_path / "kiosk.db")
    MIGRATIONS.apply(database)
    yield database
    database.close()
