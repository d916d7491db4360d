"""Pictures of the desk's Face tab in both languages, for docs/screenshots (run with KIOSK_SCREENSHOTS set).

The camera plays frames rendered from a faces-dev enrol photo, first in a
dim room (the hint), then well lit (the capture, frozen at 2 of 5 so the
picture is stable).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from helpers.face_camera import LoopingFrames, darkened, person_frames
from helpers.faces import mosaic, needs_faces
from helpers.fakes import FakeClock
from helpers.gui import cell, make_kiosk
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from checkin_protocol.models import utc
from kiosk.face.engine import MODEL_VERSION
from kiosk.face.enrol_capture import Guidance
from kiosk.services.volunteer_search import refresh_index
from kiosk.store.roster_import import import_roster
from kiosk.ui.screens.desk_face import FacePage

WAIT_MS = 30_000
SIZE = (1280, 800)
ROSTER = "volunteer_id,name,phone\nV000000001,雷彩霞,13812345678\nV000000002,王小明,13900001111\n"


def _pick(qtbot: QtBot, page: FacePage, volunteer_id: str) -> None:
    row = next(i for i, m in enumerate(page.matches) if m.volunteer_id == volunteer_id)
    item = cell(page.table, row, 0)
    qtbot.mouseClick(
        page.table.viewport(), Qt.MouseButton.LeftButton, pos=page.table.visualItemRect(item).center()
    )


@needs_faces
@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_screenshots_of_the_face_tab(qtbot: QtBot, tmp_path: Path, language: str) -> None:
    folder = Path(os.environ.get("KIOSK_SCREENSHOTS", tmp_path))
    data = tmp_path / "kiosk"
    data.mkdir()
    good = person_frames("obama")
    camera = LoopingFrames(darkened(good))
    ui = make_kiosk(
        data, source_factory=lambda: camera, language=language, clock=FakeClock(wall=utc(2026, 11, 29, 1, 0))
    )
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
    ui.window.resize(*SIZE)
    window = ui.window
    assert window.pipeline is not None and window.face is not None
    # the camera picture as a mosaic: no dataset photo goes into the repository inside a screenshot
    window.pipeline.preview_ready.disconnect(window.desk.show_preview)
    window.pipeline.preview_ready.connect(lambda image: window.desk.show_preview(mosaic(image)))
    with qtbot.waitSignal(window.face.ready, timeout=WAIT_MS):
        window.start()
    page = window.desk.face_page
    try:
        window.desk.open(coordinator)
        window._show_menu()
        window.desk.screen.show_page("face")

        def shot(name: str) -> None:
            qtbot.wait(100)
            window.grab().save(str(folder / f"desk-face-{name}-{language}.png"))

        page.search.setText("V00000000")
        qtbot.waitUntil(lambda: page.table.rowCount() == 2, timeout=WAIT_MS)
        _pick(qtbot, page, "V000000002")
        shot("status")

        _pick(qtbot, page, "V000000001")
        page.enrol_button.click()
        if language == "en":
            page.consent.language_button.click()
        shot("consent")

        page.consent.agree_button.click()
        shot("consent-confirm")
        page.consent.confirm_button.click()
        qtbot.waitUntil(lambda: page.capture.guidance is Guidance.TOO_DARK, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: page.capture.preview.has_image, timeout=WAIT_MS)
        shot("guidance")

        camera.play(good)
        qtbot.waitUntil(lambda: window.desk.face_desk.capturing and page.capture.kept >= 2, timeout=WAIT_MS)
        window.face.set_task(None)  # freeze the capture at this point for a stable picture
        qtbot.wait(300)
        shot("capture")

        page.capture.cancel_button.click()
        _pick(qtbot, page, "V000000002")
        page.delete_button.click()
        page.confirm_delete_button.click()
        qtbot.waitUntil(lambda: window.writer.pending == 0, timeout=WAIT_MS)
        shot("deleted")
    finally:
        window.exit_kiosk()
        ui.kiosk.close()
