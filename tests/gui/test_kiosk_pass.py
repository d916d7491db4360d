"""A phone pass at the kiosk window: through the camera (real threads) it checks in; a stale one asks for a refresh.

The phone is an Ed25519 key in the test; its pass is in the kiosk's store as a pull leaves it. Nothing is
typed: codes reach the kiosk through the synthetic camera, choices are made with the mouse.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from helpers.gui import KioskUnderTest, make_kiosk
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from checkin_protocol.codes.pass_codes import sign_pass_code, step_of
from checkin_protocol.codes.trust import public_bytes_b64
from checkin_protocol.models import Method
from kiosk.camera.synthetic_source import SyntheticSource
from kiosk.services.outcome import OutcomeKind
from kiosk.store import passes, pull_changes

WAIT_MS = 20_000
PASS_ID = "P0A1B2C3D4E"


def phone_pass(ui: KioskUnderTest) -> Ed25519PrivateKey:
    """A volunteer on the roster and their phone's pass, as a pull from the platform leaves them."""
    phone = Ed25519PrivateKey.generate()
    with ui.kiosk.store.write() as db:
        pull_changes.upsert_volunteer(db, "V000000001", "雷小霞", None, None, 1)
        key = public_bytes_b64(phone.public_key())
        passes.upsert_pass(db, PASS_ID, "V000000001", key, "2026-11-01T00:00:00.000+00:00", None)
    return phone


def code(ui: KioskUnderTest, phone: Ed25519PrivateKey, age_s: float = 0.0) -> str:
    return sign_pass_code(PASS_ID, step_of(ui.clock.wall.timestamp() - age_s), phone)


def credentials(ui: KioskUnderTest) -> list[tuple[str, str | None]]:
    return ui.kiosk.store.writer.execute("SELECT action, credential FROM events ORDER BY seq").fetchall()


def camera_kiosk(tmp_path: Path, shown: list[str]) -> KioskUnderTest:
    return make_kiosk(
        tmp_path,
        source_factory=lambda: SyntheticSource(
            shown, size=(640, 480), fps=20, seed=7, dwell_frames=40, gap_frames=5
        ),
    )


def test_a_phone_pass_in_front_of_the_camera_checks_in_once(qtbot: QtBot, tmp_path: Path) -> None:
    shown: list[str] = []
    ui = camera_kiosk(tmp_path, shown)
    shown.append(code(ui, phone_pass(ui)))
    qtbot.addWidget(ui.window)
    try:
        with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS) as blocker:
            ui.window.start()
        outcome, request = blocker.args
        assert outcome.kind is OutcomeKind.CHECKED_IN and request.method.value == "qr"
        assert "Checked in" in ui.window.screen_kiosk.result.title.text()
        assert "雷*霞" in ui.window.screen_kiosk.result.name.text()
        qtbot.wait(1500)  # the phone stays in view: one scan, not "already used"
        assert credentials(ui) == [("in", "pass")]
        assert "Checked in" in ui.window.screen_kiosk.result.title.text()
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()


def test_a_screenshot_two_minutes_old_asks_for_a_refresh_and_records_nothing(
    qtbot: QtBot, tmp_path: Path
) -> None:
    shown: list[str] = []
    ui = camera_kiosk(tmp_path, shown)
    shown.append(code(ui, phone_pass(ui), age_s=120))
    qtbot.addWidget(ui.window)
    try:
        with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS) as blocker:
            ui.window.start()
        assert blocker.args[0].reason == "pass_stale"
        result = ui.window.screen_kiosk.result
        assert result.title.text() == "The code on your phone is out of date"
        assert result.next_step.text() == "Please refresh the check-in code on your phone."
        assert ui.sounds.played[-1] == "error"
        assert credentials(ui) == []
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()


def test_check_out_now_after_the_next_code_keeps_the_pass_as_credential(qtbot: QtBot, tmp_path: Path) -> None:
    ui = make_kiosk(tmp_path)
    phone = phone_pass(ui)
    qtbot.addWidget(ui.window)
    ui.window.start()
    try:
        with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS):
            ui.window.submit_code(code(ui, phone), Method.QR)
        ui.clock.advance(30)  # the phone shows its next code; the volunteer shows it again
        with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS) as blocker:
            ui.window.submit_code(code(ui, phone), Method.QR)
        assert blocker.args[0].kind is OutcomeKind.DUPLICATE
        result = ui.window.screen_kiosk.result
        with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS) as blocker:
            qtbot.mouseClick(result.check_out_button, Qt.MouseButton.LeftButton)
        assert blocker.args[0].kind is OutcomeKind.CHECKED_OUT
        assert credentials(ui) == [("in", "pass"), ("out", "pass")]
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()
