"""Fixtures of the reference cloud's unit tests (the running clouds are in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from cloud.storage import CloudStore


@pytest.fixture
def cloud_store(tmp_path: Path) -> Iterator[CloudStore]:
    """The reference cloud's database (``cloud.db`` in the test's tmp folder), open, not served."""
    opened = CloudStore.open(tmp_path / "cloud.db")
    yield opened
    opened.close()
