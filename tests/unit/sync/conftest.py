"""Fixtures of the kiosk's sync unit tests."""

from __future__ import annotations

import pytest
from helpers.fakes import AREA_KEY

from kiosk.store.database import Store
from kiosk.store.face_templates import save_area_key


@pytest.fixture
def area_store(store: Store) -> Store:
    """The test's kiosk store with the area face key (``AREA_KEY``) the cloud gave saved beside it."""
    save_area_key(store.path, AREA_KEY)
    return store
