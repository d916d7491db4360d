"""Pictures of the desk's Face tab in both languages, for docs/screenshots, run through the layout audit.

``make screenshots`` (``KIOSK_SCREENSHOTS`` set) refreshes ``docs/screenshots/desk-face-*.png``
(:mod:`helpers.screenshots`: 1920x1080, and 1280x800 in a sub-folder, audited at 1366x768 too);
otherwise they go to a temporary folder and are only checked. ``KIOSK_TRANSLATIONS=DIR`` adds the
compiled translations of DIR over ``resources/i18n``. Every step is a tap.

The camera plays frames rendered from a faces-dev enrol photo, first in a
dim room (the hint), then well lit (the capture, frozen at 2 of 5 so the
picture is stable). The consent notice takes the whole desk, its two
answers alike.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers.extra_translations import add_translations, extra_translations
from helpers.face_camera import LoopingFrames, darkened, person_frames
from helpers.faces import mosaic, needs_faces
from helpers.fakes import FakeClock
from helpers.gui import cell, make_kiosk
from helpers.screenshots import MAIN_SIZE, Shooter, screenshot_folder
from PySide6.QtCore import Qt, QTranslator
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot

from checkin_protocol.models import utc
from kiosk.face.engine import MODEL_VERSION
from kiosk.face.enrol_capture import Guidance
from kiosk.services.volunteer_search import refresh_index
from kiosk.store.roster_import import import_roster
from kiosk.ui.screens.desk_face import FacePage

WAIT_MS = 30_000
__all__ = ["extra_translations"]  # the fixture, used by name
ROSTER = "volunteer_id,name,phone\nV000000001,雷彩霞,13812345678\nV000000002,王小明,13900001111\n"


def _tap(qtbot: QtBot, button: QAbstractButton) -> None:
    qtbot.waitUntil(lambda: button.isVisible() and button.isEnabled(), timeout=WAIT_MS)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _pick(qtbot: QtBot, page: FacePage, volunteer_id: str) -> None:
    row = next(i for i, m in enumerate(page.matches) if m.volunteer_id == volunteer_id)
    item = cell(page.table, row, 0)
    qtbot.mouseClick(
        page.table.viewport(), Qt.MouseButton.LeftButton, pos=page.table.visualItemRect(item).center()
    )


@needs_faces
@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_screenshots_of_the_face_tab(
    qtbot: QtBot, tmp_path: Path, language: str, extra_translations: list[QTranslator]
) -> None:
    data = tmp_path / "kiosk"
    data.mkdir()
    good = person_frames("obama")
    camera = LoopingFrames(darkened(good))
    ui = make_kiosk(
        data, source_factory=lambda: camera, language=language, clock=FakeClock(wall=utc(2026, 11, 29, 1, 0))
    )
    add_translations(extra_translations, language)
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    import_roster(ui.kiosk.store.writer, roster)
    refresh_index(ui.kiosk.store)
    coordinator = ui.window.pin_guard.add_coordinator("王老师", "135790", actor="test")
    ui.kiosk.face_enrolment.record_consent("V000000002", "王老师 (c2)")
    rng = np.random.default_rng(0)
    ui.kiosk.face_enrolment.enrol(
        "V000000002",
        [rng.normal(0, 0.09, 128).astype(np.float32) for _ in range(5)],
        "王老师 (c2)",
        MODEL_VERSION,
    )
    qtbot.addWidget(ui.window)
    ui.window.resize(*MAIN_SIZE)
    window = ui.window
    assert window.pipeline is not None and window.face is not None
    # the camera picture as a mosaic: no dataset photo goes into the repository inside a screenshot
    window.pipeline.preview_ready.disconnect(window.desk.show_preview)
    window.pipeline.preview_ready.connect(lambda image: window.desk.show_preview(mosaic(image)))
    with qtbot.waitSignal(window.face.ready, timeout=WAIT_MS):
        window.start()
    page = window.desk.face_page
    shooter = Shooter(qtbot, window, "desk-face", language, screenshot_folder(tmp_path))
    try:
        window.desk.open(coordinator)
        window._show_menu()
        window.desk.screen.show_page("face")

        def shot(name: str, *, audit: bool = True) -> None:
            qtbot.wait(100)
            shooter.shot(name, audit=audit)

        page.search.setText("V00000000")  # as the touch keyboard puts it in: both listed
        qtbot.waitUntil(lambda: page.table.rowCount() == 2, timeout=WAIT_MS)
        _pick(qtbot, page, "V000000002")
        shot("status")

        _pick(qtbot, page, "V000000001")
        _tap(qtbot, page.enrol_button)
        if language == "en":
            _tap(qtbot, page.consent.language_button)
        assert window.desk.screen.full_screen  # the notice has the whole desk
        shot("consent")

        _tap(qtbot, page.consent.agree_button)
        shot("consent-confirm")
        _tap(qtbot, page.consent.confirm_button)
        qtbot.waitUntil(lambda: page.capture.guidance is Guidance.TOO_DARK, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: page.capture.preview.has_image, timeout=WAIT_MS)
        shot("guidance", audit=False)  # the capture view: its own audit

        camera.play(good)
        qtbot.waitUntil(lambda: window.desk.face_desk.capturing and page.capture.kept >= 2, timeout=WAIT_MS)
        window.face.set_task(None)  # freeze the capture at this point for a stable picture
        qtbot.wait(300)
        shot("capture", audit=False)

        _tap(qtbot, page.capture.cancel_button)
        _pick(qtbot, page, "V000000002")
        _tap(qtbot, page.delete_button)
        _tap(qtbot, page.confirm_delete_button)
        qtbot.waitUntil(lambda: window.writer.pending == 0, timeout=WAIT_MS)
        shot("deleted")
    finally:
        window.exit_kiosk()
        ui.kiosk.close()
    shooter.assert_clean()
