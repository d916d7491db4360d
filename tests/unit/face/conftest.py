"""Fixtures of the face unit tests."""

from __future__ import annotations

import pytest

from kiosk.face.engine import DlibEngine


@pytest.fixture(scope="module")
def engine() -> DlibEngine:
    """The dlib engine as the kiosk runs it (loading the models takes a while: one per module)."""
    return DlibEngine()
