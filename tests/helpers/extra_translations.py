"""Translations not merged into ``resources/i18n`` yet, for screenshots: ``KIOSK_TRANSLATIONS=DIR``.

A screenshot test takes the :func:`extra_translations` fixture and calls
:func:`add_translations` after building its window: the compiled
``kiosk_<language>.qm`` of DIR is installed over the kiosk's own (the last
installed translator is asked first), and removed after the test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

TRANSLATIONS = Path(os.environ["KIOSK_TRANSLATIONS"]) if os.environ.get("KIOSK_TRANSLATIONS") else None


@pytest.fixture
def extra_translations() -> Iterator[list[QTranslator]]:
    """Translators installed over the kiosk's own for the test (``KIOSK_TRANSLATIONS``), removed after it."""
    installed: list[QTranslator] = []
    yield installed
    app = QCoreApplication.instance()
    for translator in installed:
        if app is not None:
            app.removeTranslator(translator)


def add_translations(installed: list[QTranslator], language: str) -> None:
    """Install ``kiosk_<language>.qm`` of ``KIOSK_TRANSLATIONS`` (if set) and note it in ``installed``."""
    app = QCoreApplication.instance()
    if TRANSLATIONS is None or app is None:
        return
    translator = QTranslator(app)
    if translator.load(f"kiosk_{language}", str(TRANSLATIONS)):
        app.installTranslator(translator)
        installed.append(translator)
