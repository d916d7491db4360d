"""Pictures of every desk screen in both languages, for docs/screenshots, each run through the layout audit.

``make screenshots`` (``KIOSK_SCREENSHOTS`` set) refreshes ``docs/screenshots/desk-*.png``
(:mod:`helpers.screenshots`: 1920x1080, and 1280x800 in a sub-folder, audited at 1366x768 too);
otherwise they go to a temporary folder and are only checked. ``KIOSK_TRANSLATIONS=DIR`` adds the
compiled translations of DIR over ``resources/i18n`` (texts not merged there yet).

The activities (with their state chips and the confirmation of "End activity"), the review and the
reports are audited here; the check-in and roll-call pages have their own audits.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.extra_translations import add_translations, extra_translations
from helpers.fakes import FakeClock, make_activity, make_service
from helpers.gui import TEST_PIN, KioskUnderTest, cell, make_kiosk
from helpers.screenshots import MAIN_SIZE, Shooter, screenshot_folder
from PySide6.QtCore import Qt, QTranslator
from PySide6.QtWidgets import QAbstractButton
from pytestqt.qtbot import QtBot

from checkin_protocol.models import ActivityStatus, Identity, Method, utc
from kiosk.services.review import review_queue
from kiosk.services.volunteer_search import refresh_index
from kiosk.store.activities import save_activity, set_activity_status
from kiosk.store.roster_import import import_roster

WAIT_MS = 20_000
ROSTER = (
    "volunteer_id,name,phone\n"
    "V000000001,雷彩霞,13812345678\nV000000002,王小明,13900001111\nV000000003,李静,13700002222\n"
    "V000000004,刘芳,13600003333\n"
)
__all__ = ["extra_translations"]  # the fixture, used by name


def _desk_kiosk(tmp_path: Path, language: str, extra_translations: list[QTranslator]) -> KioskUnderTest:
    """A kiosk at 09:00 with the roster imported and the USB folder in ``tmp_path``."""
    data = tmp_path / "kiosk"
    data.mkdir()
    (data / "config.toml").write_text(f'[usb]\nfolder = "{tmp_path.as_posix()}"\n', encoding="utf-8")
    ui = make_kiosk(data, language=language, clock=FakeClock(wall=utc(2026, 11, 29, 1, 0)))
    add_translations(extra_translations, language)
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    import_roster(ui.kiosk.store.writer, roster)
    return ui


def _forgotten_check_out_yesterday(ui: KioskUnderTest) -> None:
    """刘芳 checked in yesterday at another activity and forgot to check out; she said she left at 11:00."""
    yesterday = FakeClock(wall=utc(2026, 11, 28, 1, 0))
    activity = make_activity("A20261128001", starts_at=yesterday.wall, hours=3, title="社区助老送餐志愿服务")
    with ui.kiosk.store.write() as db:
        save_activity(db, activity)
        set_activity_status(db, activity.activity_id, ActivityStatus.OPEN)
    attendance = make_service(ui.kiosk.store, yesterday)
    attendance.scan(Identity("V000000004", "刘*", Method.QR), activity.activity_id)
    yesterday.advance(4 * 3600)
    attendance.close_due_activities()
    item = review_queue(ui.kiosk.store.writer, ui.kiosk.policy, ui.clock.wall)[0]
    ui.kiosk.review.record_leave_answer(item.subject_event_id, utc(2026, 11, 28, 3, 0))


def _scheduled_tomorrow(ui: KioskUnderTest) -> None:
    """An activity not started yet: its chip says so and its button opens check-in."""
    activity = make_activity(
        "A20261130001",
        starts_at=utc(2026, 11, 30, 6, 0),
        hours=3,
        title="社区公园环境清洁",
        status=ActivityStatus.SCHEDULED,
    )
    with ui.kiosk.store.write() as db:
        save_activity(db, activity)
        set_activity_status(db, activity.activity_id, ActivityStatus.SCHEDULED)


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_screenshots_of_the_desk(
    qtbot: QtBot, tmp_path: Path, language: str, extra_translations: list[QTranslator]
) -> None:
    ui = _desk_kiosk(tmp_path, language, extra_translations)
    refresh_index(ui.kiosk.store)
    coordinator = ui.window.pin_guard.add_coordinator("王老师", "135790", actor="test")
    _forgotten_check_out_yesterday(ui)
    _scheduled_tomorrow(ui)
    qtbot.addWidget(ui.window)
    ui.window.resize(*MAIN_SIZE)
    ui.window.start()
    window = ui.window
    desk = window.desk
    shooter = Shooter(qtbot, window, "desk", language, screenshot_folder(tmp_path))
    try:
        for volunteer in ("V000000001", "V000000002", "V000000003"):
            with qtbot.waitSignal(window.result_shown, timeout=WAIT_MS):
                window.submit_code(ui.card(volunteer))
            ui.clock.advance(7 * 60)
        ui.clock.advance(100 * 60)
        with qtbot.waitSignal(window.result_shown, timeout=WAIT_MS):
            window.submit_code(ui.card("V000000002"))
        desk.open(coordinator)
        window._show_menu()
        menu = window.screen_menu

        shooter.shot("activities")
        [end] = menu.close_buttons.values()
        qtbot.mouseClick(end, Qt.MouseButton.LeftButton)
        assert menu.confirming
        shooter.shot("activities-end")
        qtbot.mouseClick(menu.confirm_panel.cancel_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(menu.exit_button, Qt.MouseButton.LeftButton)
        shooter.shot("activities-exit")
        qtbot.mouseClick(menu.confirm_panel.cancel_button, Qt.MouseButton.LeftButton)

        desk.screen.show_page("check_in")
        desk.check_in_page.search.setText("l")
        qtbot.waitUntil(lambda: desk.check_in_page.table.rowCount() > 0, timeout=WAIT_MS)
        cell(desk.check_in_page.table, 0, 0).setCheckState(Qt.CheckState.Checked)
        shooter.shot("check-in")
        # the roll-call, the on-site list and the PIN pad: test_screenshots_of_the_pin_pad_and_the_roll_call

        _tab(qtbot, ui, "reports")
        qtbot.mouseClick(desk.reports.range_buttons["week"], Qt.MouseButton.LeftButton)
        shooter.shot("reports")
        _tab(qtbot, ui, "review")
        shooter.shot("review")
        qtbot.mouseClick(desk.review.change_in_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(desk.review.in_stepper.clock.forward, Qt.MouseButton.LeftButton)
        shooter.shot("review-change-in")
    finally:
        window.exit_kiosk()
        ui.kiosk.close()
    shooter.assert_clean()


def _tab(qtbot: QtBot, ui: KioskUnderTest, key: str) -> None:
    qtbot.mouseClick(ui.window.desk.screen.tabs[key], Qt.MouseButton.LeftButton)


def _tap(qtbot: QtBot, button: QAbstractButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _type_pin(qtbot: QtBot, ui: KioskUnderTest, digits: str, submit: bool = False) -> None:
    for digit in digits:
        _tap(qtbot, ui.window.screen_pin.digit_buttons[digit])
    if submit:
        with qtbot.waitSignal(ui.window.pin_answered, timeout=WAIT_MS):
            _tap(qtbot, ui.window.screen_pin.ok_button)


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_screenshots_of_the_pin_pad_and_the_roll_call(
    qtbot: QtBot, tmp_path: Path, language: str, extra_translations: list[QTranslator]
) -> None:
    """desk-pin-typing, desk-pin-roll-call, desk-roll-call, desk-on-site, desk-pin-locked: all by taps."""
    ui = _desk_kiosk(tmp_path, language, extra_translations)
    window = ui.window
    qtbot.addWidget(window)
    window.resize(*MAIN_SIZE)
    window.start()
    shooter = Shooter(qtbot, window, "desk", language, screenshot_folder(tmp_path))
    try:
        arrivals = (("V000000001", 23), ("V000000002", 23), ("V000000003", 6), ("V000000004", 6))
        for volunteer, minutes in arrivals:
            with qtbot.waitSignal(window.result_shown, timeout=WAIT_MS):
                window.submit_code(ui.card(volunteer))
            ui.clock.advance(minutes * 60)
        ui.clock.advance(75 * 60)
        _tap(qtbot, window.screen_kiosk.coordinator_button)
        _type_pin(qtbot, ui, TEST_PIN[:3])
        shooter.shot("pin-typing")
        _tap(qtbot, window.screen_pin.roll_call_button)
        _type_pin(qtbot, ui, TEST_PIN[3:])
        shooter.shot("pin-roll-call")
        with qtbot.waitSignal(window.pin_answered, timeout=WAIT_MS):
            _tap(qtbot, window.screen_pin.ok_button)
        table = window.desk.on_site.table
        for row in (2, 0):  # 李静, then 雷彩霞 are here: the two others are still missing
            rect = table.visualItemRect(cell(table, row, 1))
            qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        shooter.shot("roll-call")
        _tap(qtbot, window.desk.on_site.roll_call_button)
        shooter.shot("on-site")
        _tap(qtbot, window.desk.screen.lock_button)
        _tap(qtbot, window.screen_kiosk.coordinator_button)
        for _ in range(5):
            _type_pin(qtbot, ui, "111111", submit=True)
        ui.clock.advance(73)
        qtbot.waitUntil(lambda: "3:47" in window.screen_pin.countdown.text(), timeout=WAIT_MS)
        shooter.shot("pin-locked")
    finally:
        window.exit_kiosk()
        ui.kiosk.close()
    shooter.assert_clean()
