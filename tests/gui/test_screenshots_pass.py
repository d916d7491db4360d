"""The kiosk screen answering phone pass codes, in both languages, rendered offscreen and audited.

``KIOSK_SCREENSHOTS=docs/screenshots`` writes ``kiosk-pass-*.png`` there (:mod:`helpers.screenshots`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from helpers.extra_translations import add_translations, extra_translations
from helpers.gui import KioskUnderTest, make_kiosk
from helpers.screenshots import MAIN_SIZE, Shooter, screenshot_folder
from PySide6.QtCore import QTranslator
from pytestqt.qtbot import QtBot

from checkin_protocol.codes.pass_codes import sign_pass_code, step_of
from checkin_protocol.codes.trust import public_bytes_b64
from checkin_protocol.models import Method
from kiosk.camera.frame_source import CameraState
from kiosk.camera.synthetic_source import SyntheticSource
from kiosk.services.outcome import OutcomeKind
from kiosk.store import passes, pull_changes
from kiosk.ui.camera_pipeline import frame_to_qimage

__all__ = ["extra_translations"]  # the fixture, used by name

WAIT_MS = 10_000
PASS_ID = "P0A1B2C3D4E"


def _scan(qtbot: QtBot, ui: KioskUnderTest, text: str) -> OutcomeKind:
    with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS) as blocker:
        ui.window.submit_code(text, Method.QR)
    return blocker.args[0].kind  # type: ignore[no-any-return]


def _preview(ui: KioskUnderTest, text: str) -> None:
    """The camera's picture of the phone's code, on the preview."""
    source = SyntheticSource([text], size=(640, 480), fps=15, seed=3, dwell_frames=50, gap_frames=1)
    frame = None
    for _ in range(3):
        frame = source.read()
    assert frame is not None
    ui.window.screen_kiosk.camera.set_camera_state(str(CameraState.LIVE))
    ui.window.screen_kiosk.status.set_camera_state(str(CameraState.LIVE))
    ui.window.screen_kiosk.camera.show_frame(frame_to_qimage(frame))


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_screenshots_of_phone_pass_answers(
    qtbot: QtBot, tmp_path: Path, language: str, extra_translations: list[QTranslator]
) -> None:
    ui = make_kiosk(tmp_path / "data", language=language)
    add_translations(extra_translations, language)
    phone = Ed25519PrivateKey.generate()
    with ui.kiosk.store.write() as db:
        pull_changes.upsert_volunteer(db, "V000000001", "雷小霞", None, None, 1)
        key = public_bytes_b64(phone.public_key())
        passes.upsert_pass(db, PASS_ID, "V000000001", key, "2026-11-01T00:00:00.000+00:00", None)
    window = ui.window
    qtbot.addWidget(window)
    window.resize(*MAIN_SIZE)
    window.start()
    shooter = Shooter(qtbot, window, "kiosk", language, screenshot_folder(tmp_path))
    try:
        screenshot = sign_pass_code(PASS_ID, step_of(ui.clock.wall.timestamp() - 120), phone)
        _preview(ui, screenshot)
        assert _scan(qtbot, ui, screenshot) is OutcomeKind.REFUSED
        shooter.shot("pass-stale")
        fresh = sign_pass_code(PASS_ID, step_of(ui.clock.wall.timestamp()), phone)
        _preview(ui, fresh)
        assert _scan(qtbot, ui, fresh) is OutcomeKind.CHECKED_IN
        shooter.shot("pass-checked-in")
        ui.clock.advance(10)
        assert _scan(qtbot, ui, fresh) is OutcomeKind.REFUSED
        shooter.shot("pass-replayed")
    finally:
        window.exit_kiosk()
        ui.kiosk.close()
    shooter.assert_clean()
