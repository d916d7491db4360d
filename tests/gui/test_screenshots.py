"""Every state of the kiosk screen, in both languages, rendered offscreen.

Run with ``KIOSK_SCREENSHOTS=docs/screenshots`` to refresh the pictures in the
docs; otherwise they go to a temporary folder and are only checked.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers.fakes import make_activity
from helpers.gui import TODAY, KioskUnderTest, make_kiosk
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from checkin_protocol.codes.issuer import Issuer, generate_signing_key
from checkin_protocol.models import ActivityStatus
from kiosk.camera.frame_source import CameraState
from kiosk.camera.synthetic_source import SyntheticSource
from kiosk.services.outcome import OutcomeKind
from kiosk.ui.camera_pipeline import frame_to_qimage

WAIT_MS = 10_000
SIZE = (1280, 800)


def _target(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("KIOSK_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _scan(qtbot: QtBot, ui: KioskUnderTest, text: str) -> None:
    with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS):
        ui.window.submit_code(text)


def _live_preview(ui: KioskUnderTest, text: str) -> None:
    frame = None
    source = SyntheticSource([text], size=(640, 480), fps=15, seed=3, dwell_frames=50, gap_frames=1)
    for _ in range(3):
        frame = source.read()
    assert frame is not None
    ui.window.screen_kiosk.camera.set_camera_state(str(CameraState.LIVE))
    ui.window.screen_kiosk.status.set_camera_state(str(CameraState.LIVE))
    ui.window.screen_kiosk.camera.show_frame(frame_to_qimage(frame))


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_screenshots_of_every_state(qtbot: QtBot, tmp_path: Path, language: str) -> None:
    data = tmp_path / "data"
    ui = make_kiosk(data, make_activity(capacity=30), language=language)
    window = ui.window
    qtbot.addWidget(window)
    window.resize(*SIZE)
    window.start()
    folder = _target(tmp_path)
    shots: dict[str, QImage] = {}

    def shot(name: str) -> None:
        qtbot.wait(50)
        image = window.grab().toImage()
        assert not image.isNull() and image.width() == SIZE[0]
        image.save(str(folder / f"kiosk-{name}-{language}.png"))
        shots[name] = image

    card = ui.card()
    try:
        shot("camera-disconnected")
        _live_preview(ui, card)
        shot("idle")
        _scan(qtbot, ui, card)
        shot("checked-in")
        ui.clock.advance(30)
        _scan(qtbot, ui, card)
        shot("duplicate")
        ui.clock.advance(2 * 3600 + 15 * 60)
        _scan(qtbot, ui, card)
        shot("checked-out")
        _scan(qtbot, ui, "https://weixin.qq.com/r/not-a-volunteer-card")
        shot("refused-foreign")
        forger = Issuer(generate_signing_key(), "test1")  # the right key ID, the wrong key
        _scan(qtbot, ui, forger.issue_card("V000000002", "王*", issued_on=TODAY))
        shot("refused-forged")
        qtbot.mouseClick(window.screen_kiosk.coordinator_button, Qt.MouseButton.LeftButton)
        shot("coordinator-pin")
    finally:
        window.exit_kiosk()
        ui.kiosk.close()
    assert len({bytes(img.constBits()) for img in shots.values()}) == len(shots), (
        "every state looks different"
    )


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_screenshot_of_choosing_an_activity(qtbot: QtBot, tmp_path: Path, language: str) -> None:
    ui = make_kiosk(
        tmp_path / "data",
        make_activity("A1", title="图书馆阅读推广志愿服务"),
        make_activity("A2", title="社区助老送餐志愿服务", org_name="桂园街道志愿服务站"),
        make_activity("A3", title="南湖湖岸清洁环保行动", status=ActivityStatus.SCHEDULED),
        language=language,
    )
    qtbot.addWidget(ui.window)
    ui.window.resize(*SIZE)
    ui.window.start()
    try:
        with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS) as blocker:
            ui.window.submit_code(ui.card())
        assert blocker.args[0].kind is OutcomeKind.CHOOSE_ACTIVITY
        qtbot.wait(50)
        ui.window.grab().save(str(_target(tmp_path) / f"kiosk-choose-activity-{language}.png"))
        ui.window.pin_guard.set_pin("246810")
        ui.window._show_menu()
        qtbot.wait(50)
        ui.window.grab().save(str(_target(tmp_path) / f"kiosk-coordinator-menu-{language}.png"))
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()
