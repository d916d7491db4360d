"""Every state of the kiosk screen, in both languages, rendered offscreen and run through the layout audit.

``make screenshots`` (``KIOSK_SCREENSHOTS`` set) refreshes ``docs/screenshots/kiosk-*.png``
(:mod:`helpers.screenshots`: 1920x1080, and 1280x800 in a sub-folder, audited at 1366x768 too);
otherwise they go to a temporary folder and are only checked. ``KIOSK_TRANSLATIONS=DIR`` adds the
compiled translations of DIR over ``resources/i18n`` (texts not merged there yet).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from helpers.extra_translations import add_translations, extra_translations
from helpers.fakes import FakeClock, make_activity
from helpers.gui import TODAY, KioskUnderTest, make_kiosk
from helpers.screenshots import MAIN_SIZE, Shooter, screenshot_folder
from PySide6.QtCore import Qt, QTranslator
from pytestqt.qtbot import QtBot

from checkin_protocol.codes.issuer import Issuer, generate_signing_key
from checkin_protocol.event_rows import format_utc
from checkin_protocol.models import ActivityStatus, utc
from kiosk.camera.frame_source import CameraState
from kiosk.camera.synthetic_source import SyntheticSource
from kiosk.services.outcome import OutcomeKind
from kiosk.store.volunteer_totals import save_total
from kiosk.ui.camera_pipeline import frame_to_qimage
from kiosk.ui.widgets.camera_view import NO_CAMERA_STATE

__all__ = ["extra_translations"]  # the fixture, used by name

WAIT_MS = 10_000


def _scan(qtbot: QtBot, ui: KioskUnderTest, text: str) -> None:
    with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS):
        ui.window.submit_code(text)


def set_camera(ui: KioskUnderTest, state: str) -> None:
    """The camera's state, as the pipeline (or the window, for none) reports it."""
    ui.window.screen_kiosk.camera.set_camera_state(state)
    ui.window.screen_kiosk.status.set_camera_state(state)


def live_preview(ui: KioskUnderTest, text: str) -> None:
    """A synthetic camera picture of the QR code of ``text`` on the preview."""
    frame = None
    source = SyntheticSource([text], size=(640, 480), fps=15, seed=3, dwell_frames=50, gap_frames=1)
    for _ in range(3):
        frame = source.read()
    assert frame is not None
    set_camera(ui, str(CameraState.LIVE))
    ui.window.screen_kiosk.camera.show_frame(frame_to_qimage(frame))


def hold_platform_totals(ui: KioskUnderTest) -> None:
    """Platform totals as a sync left them: V000000001's computed an hour ago, V000000002's days ago."""
    now = ui.clock.wall
    with ui.kiosk.store.write() as db:
        for volunteer_id, hours, age in (
            ("V000000001", 300, timedelta(hours=1)),
            ("V000000002", 48, timedelta(days=4)),
        ):
            stamp = format_utc(now - age)
            save_total(db, volunteer_id, hours * 3600, stamp, stamp)


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_screenshots_of_every_state(
    qtbot: QtBot, tmp_path: Path, language: str, extra_translations: list[QTranslator]
) -> None:
    ui = make_kiosk(tmp_path / "data", make_activity(capacity=30), language=language)
    add_translations(extra_translations, language)
    hold_platform_totals(ui)
    window = ui.window
    qtbot.addWidget(window)
    window.resize(*MAIN_SIZE)
    window.start()
    shooter = Shooter(qtbot, window, "kiosk", language, screenshot_folder(tmp_path))
    card = ui.card()
    try:
        shooter.shot("camera-disconnected")
        set_camera(ui, NO_CAMERA_STATE)
        shooter.shot("no-camera")
        live_preview(ui, card)
        shooter.shot("idle")
        _scan(qtbot, ui, card)
        shooter.shot("checked-in")
        ui.clock.advance(30)
        _scan(qtbot, ui, card)
        shooter.shot("duplicate")
        ui.clock.advance(2 * 3600 + 15 * 60)
        _scan(qtbot, ui, card)
        shooter.shot("checked-out")
        other = ui.card("V000000002", "王*")
        _scan(qtbot, ui, other)
        ui.clock.advance(45 * 60)
        _scan(qtbot, ui, other)
        shooter.shot("checked-out-as-of")  # the platform total is days old: the card says since when
        _scan(qtbot, ui, "https://weixin.qq.com/r/not-a-volunteer-card")
        shooter.shot("refused-foreign")
        forger = Issuer(generate_signing_key(), "test1")  # the right key ID, the wrong key
        _scan(qtbot, ui, forger.issue_card("V000000002", "王*", issued_on=TODAY))
        shooter.shot("refused-forged")
        qtbot.mouseClick(window.screen_kiosk.coordinator_button, Qt.MouseButton.LeftButton)
        shooter.shot("coordinator-pin", audit=False)  # the PIN pad's own tests audit it
    finally:
        window.exit_kiosk()
        ui.kiosk.close()
    pictures = list(shooter.pictures.values())
    assert len({bytes(img.constBits()) for img in pictures}) == len(pictures), "every state looks different"
    shooter.assert_clean()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_screenshot_of_choosing_an_activity(
    qtbot: QtBot, tmp_path: Path, language: str, extra_translations: list[QTranslator]
) -> None:
    ui = make_kiosk(
        tmp_path / "data",
        make_activity("A1", title="图书馆阅读推广志愿服务"),
        make_activity("A2", title="社区助老送餐志愿服务", org_name="桂园街道志愿服务站"),
        make_activity("A3", title="南湖湖岸清洁环保行动", status=ActivityStatus.SCHEDULED),
        language=language,
    )
    add_translations(extra_translations, language)
    qtbot.addWidget(ui.window)
    ui.window.resize(*MAIN_SIZE)
    ui.window.start()
    shooter = Shooter(qtbot, ui.window, "kiosk", language, screenshot_folder(tmp_path))
    try:
        live_preview(ui, ui.card())
        with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS) as blocker:
            ui.window.submit_code(ui.card())
        assert blocker.args[0].kind is OutcomeKind.CHOOSE_ACTIVITY
        shooter.shot("choose-activity")
        ui.window.pin_guard.set_pin("246810")
        ui.window._show_menu()
        shooter.shot("coordinator-menu", audit=False)  # the desk's screenshots audit it
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()
    shooter.assert_clean()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_screenshot_of_the_question_when_a_volunteer_left(
    qtbot: QtBot, tmp_path: Path, language: str, extra_translations: list[QTranslator]
) -> None:
    """A volunteer who forgot to check out last time is asked, at the next scan, when they left."""
    clock = FakeClock(wall=utc(2026, 11, 29, 1, 30))  # 09:30 in China, during the activity
    ui = make_kiosk(tmp_path / "data", language=language, clock=clock)
    add_translations(extra_translations, language)
    qtbot.addWidget(ui.window)
    ui.window.resize(*MAIN_SIZE)
    ui.window.start()
    shooter = Shooter(qtbot, ui.window, "kiosk", language, screenshot_folder(tmp_path))
    screen = ui.window.screen_kiosk
    try:
        live_preview(ui, ui.card())
        _scan(qtbot, ui, ui.card())
        ui.clock.advance(4 * 3600 + 60)  # past the end and its grace: closed for review
        done: list[object] = []
        ui.window.writer.run(ui.kiosk.attendance.close_due_activities, done.append)
        qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)
        with ui.kiosk.store.write() as db:  # the activity runs again (a new day of the same activity)
            db.execute("UPDATE activities SET status = 'open', ends_at = '2026-11-30T05:00:00.000+00:00'")
        ui.clock.advance(600)
        _scan(qtbot, ui, ui.card())
        qtbot.waitUntil(lambda: screen.panel.currentWidget() is screen.question, timeout=3 * WAIT_MS)
        shooter.shot("leave-question")
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()
    shooter.assert_clean()
