"""Fixtures the unit tests of several folders share (the store, clock and clouds are in tests/conftest.py)."""

from __future__ import annotations

import pytest
from helpers.fakes import KIOSK_ID, FakeClock

from kiosk.services.face_enrolment import FaceEnrolment
from kiosk.store.database import Store


@pytest.fixture
def faces(store: Store, clock: FakeClock) -> FaceEnrolment:
    """Face enrolment on the test's kiosk store and clock."""
    return FaceEnrolment(store, KIOSK_ID, clock)
