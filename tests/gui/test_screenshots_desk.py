"""Pictures of every desk screen in both languages, for docs/screenshots (run with KIOSK_SCREENSHOTS set)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers.fakes import FakeClock, make_activity, make_service
from helpers.gui import KioskUnderTest, cell, make_kiosk
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from checkin_protocol.models import ActivityStatus, Identity, Method, utc
from kiosk.services.review import review_queue
from kiosk.services.volunteer_search import refresh_index
from kiosk.store.activities import save_activity, set_activity_status
from kiosk.store.roster_import import import_roster

WAIT_MS = 20_000
SIZE = (1280, 800)
ROSTER = (
    "volunteer_id,name,phone\n"
    "V000000001,雷彩霞,13812345678\nV000000002,王小明,13900001111\nV000000003,李静,13700002222\n"
    "V000000004,刘芳,13600003333\n"
)


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


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_screenshots_of_the_desk(qtbot: QtBot, tmp_path: Path, language: str) -> None:
    folder = Path(os.environ.get("KIOSK_SCREENSHOTS", tmp_path))
    data = tmp_path / "kiosk"
    data.mkdir()
    (data / "config.toml").write_text(f'[usb]\nfolder = "{(tmp_path).as_posix()}"\n', encoding="utf-8")
    ui = make_kiosk(data, language=language, clock=FakeClock(wall=utc(2026, 11, 29, 1, 0)))
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    import_roster(ui.kiosk.store.writer, roster)
    refresh_index(ui.kiosk.store)
    coordinator = ui.window.pin_guard.add_coordinator("王老师", "135790", actor="test")
    _forgotten_check_out_yesterday(ui)
    qtbot.addWidget(ui.window)
    ui.window.resize(*SIZE)
    ui.window.start()
    window = ui.window
    try:
        for volunteer in ("V000000001", "V000000002", "V000000003"):
            with qtbot.waitSignal(window.result_shown, timeout=WAIT_MS):
                window.submit_code(ui.card(volunteer))
            ui.clock.advance(7 * 60)
        ui.clock.advance(100 * 60)
        with qtbot.waitSignal(window.result_shown, timeout=WAIT_MS):
            window.submit_code(ui.card("V000000002"))
        window.desk.open(coordinator)
        window._show_menu()

        def shot(name: str) -> None:
            qtbot.wait(50)
            window.grab().save(str(folder / f"desk-{name}-{language}.png"))

        shot("activities")
        window.desk.screen.show_page("check_in")
        window.desk.check_in_page.search.setText("l")
        qtbot.waitUntil(lambda: window.desk.check_in_page.table.rowCount() > 0, timeout=WAIT_MS)
        cell(window.desk.check_in_page.table, 0, 0).setCheckState(Qt.CheckState.Checked)
        shot("check-in")
        window.desk.screen.show_page("on_site")
        window.desk.on_site.roll_call_button.setChecked(True)
        cell(window.desk.on_site.table, 0, 0).setCheckState(Qt.CheckState.Checked)
        shot("roll-call")
        window.desk.screen.show_page("reports")
        shot("reports")
        window.desk.screen.show_page("review")
        shot("review")
    finally:
        window.exit_kiosk()
        ui.kiosk.close()
