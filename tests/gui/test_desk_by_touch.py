"""A coordinator's day at the desk with a finger only, in Chinese, on a 1920x1080 touchscreen.

Every step is a tap (a mouse click) on what the screen shows: the PIN keys,
the on-screen keyboard's letters, table rows, steppers, chips and buttons.
No key event reaches a text field; a volunteer's card reaches the kiosk as
the USB scanner would send it. Real window, store, writer thread, search
index and USB folder: what the coordinator is shown is checked against what
was stored and written to the stick.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from helpers.fakes import FakeClock
from helpers.gui import TEST_PIN, KioskUnderTest, cell, make_kiosk
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from checkin_protocol.models import utc
from kiosk.services.volunteer_search import refresh_index
from kiosk.store.roster_import import import_roster
from kiosk.ui.widgets.touch_keyboard import TouchKeyboard

WAIT_MS = 20_000
SIZE = (1920, 1080)
ROSTER = (
    "volunteer_id,name,phone\n"
    "V000000001,雷彩霞,13812345678\nV000000002,王小明,13900001111\nV000000003,李静,13700002222\n"
)


@pytest.fixture
def ui(qtbot: QtBot, tmp_path: Path) -> Iterator[KioskUnderTest]:
    data = tmp_path / "kiosk"
    data.mkdir()
    stick = tmp_path / "stick"
    stick.mkdir()
    (data / "config.toml").write_text(f'[usb]\nfolder = "{stick.as_posix()}"\n', encoding="utf-8")
    # 09:30 in China; the activity runs 09:00-13:00.
    under_test = make_kiosk(data, language="zh_CN", clock=FakeClock(wall=utc(2026, 11, 29, 1, 30)))
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    import_roster(under_test.kiosk.store.writer, roster)
    refresh_index(under_test.kiosk.store)
    qtbot.addWidget(under_test.window)
    under_test.window.resize(*SIZE)
    under_test.window.start()
    under_test.window.activateWindow()  # taps give the focus only in the active window
    qtbot.waitUntil(under_test.window.isActiveWindow, timeout=WAIT_MS)
    yield under_test
    under_test.window.exit_kiosk()
    under_test.kiosk.close()


def _tap(qtbot: QtBot, widget: QWidget) -> None:
    assert widget.isVisible() and widget.isEnabled(), f"{widget!r} cannot be tapped now"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _tap_row(qtbot: QtBot, table: QTableWidget, text: str, column: int = 1) -> None:
    """Tap the middle of the row whose ``column`` reads ``text``."""
    for row in range(table.rowCount()):
        item = table.item(row, column)
        if item is not None and item.text() == text:
            qtbot.mouseClick(
                table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualItemRect(item).center()
            )
            return
    raise AssertionError(f"no row reads {text!r}")


def _pin(qtbot: QtBot, ui: KioskUnderTest) -> None:
    pad = ui.window.screen_pin
    for digit in TEST_PIN:
        _tap(qtbot, pad.digit_buttons[digit])
    with qtbot.waitSignal(ui.window.pin_answered, timeout=WAIT_MS):
        _tap(qtbot, pad.ok_button)


def _type(qtbot: QtBot, keyboard: TouchKeyboard, letters: Iterable[str]) -> None:
    for letter in letters:
        _tap(qtbot, keyboard.letters.buttons[letter])


def _wait_writer(qtbot: QtBot, ui: KioskUnderTest) -> None:
    qtbot.waitUntil(lambda: ui.window.writer.pending == 0, timeout=WAIT_MS)


def _rows(ui: KioskUnderTest, sql: str) -> list[tuple[object, ...]]:
    return list(ui.kiosk.store.writer.execute(sql).fetchall())


def test_a_coordinators_day_with_a_finger_only(qtbot: QtBot, ui: KioskUnderTest, tmp_path: Path) -> None:
    window = ui.window
    with qtbot.waitSignal(window.result_shown, timeout=WAIT_MS):
        window.submit_code(ui.card("V000000003", "李*"))  # 李静 scans her card at 09:30

    # In with the PIN keys.
    _tap(qtbot, window.screen_kiosk.coordinator_button)
    _pin(qtbot, ui)
    desk = window.desk
    assert window.pages.currentWidget() is desk.screen

    # Find 雷彩霞 by her pinyin initials and 王小明 by his, on the on-screen keyboard.
    _tap(qtbot, desk.screen.tabs["check_in"])
    page = desk.check_in_page
    _tap(qtbot, page.search)
    keyboard = desk.screen.findChild(TouchKeyboard)
    assert keyboard is not None and keyboard.is_open(), "tapping the search opens the keyboard"
    _type(qtbot, keyboard, "lcx")
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=WAIT_MS)
    assert cell(page.table, 0, 1).text() == "雷彩霞"
    _tap_row(qtbot, page.table, "雷彩霞")
    _tap(qtbot, page.search.clear_button)
    _type(qtbot, keyboard, "wxm")
    qtbot.waitUntil(lambda: page.table.rowCount() == 2, timeout=WAIT_MS)  # the ticked one stays listed
    _tap_row(qtbot, page.table, "王小明")
    assert sorted(page.ticked_ids()) == ["V000000001", "V000000002"]

    # The group came at 09:10 (four taps of −5 min), for a reason chosen with one tap.
    for _ in range(4):
        _tap(qtbot, page.time_stepper.back)
    assert page.time_stepper.value.text() == "09:10"
    _tap(qtbot, page.reason_chips.chips[1])
    reason = page.reason_box.currentText()
    assert reason == "忘带志愿者证"
    _tap(qtbot, page.check_in_button)
    _wait_writer(qtbot, ui)
    manual = _rows(
        ui, "SELECT volunteer_id, wall_utc, method FROM events WHERE method = 'manual' ORDER BY seq"
    )
    assert manual == [
        ("V000000001", "2026-11-29T01:10:00.000+00:00", "manual"),
        ("V000000002", "2026-11-29T01:10:00.000+00:00", "manual"),
    ]
    assert _rows(ui, "SELECT DISTINCT reason FROM event_notes") == [(reason,)]

    # Evacuation: the roll-call is one tap from the PIN pad; the missing come first, in red.
    _tap(qtbot, desk.screen.lock_button)
    _tap(qtbot, window.screen_kiosk.coordinator_button)
    _tap(qtbot, window.screen_pin.roll_call_button)
    _pin(qtbot, ui)
    on_site = desk.on_site
    assert desk.screen.current_key() == "on_site" and on_site.roll_call_on()
    assert on_site.table.rowCount() == 3 and on_site.count_label.text() == "还有 3 人未确认"
    _tap_row(qtbot, on_site.table, "雷彩霞", column=_name_column(on_site.table))
    assert on_site.count_label.text() == "还有 2 人未确认"
    last = on_site.table.rowCount() - 1
    assert cell(on_site.table, last, _name_column(on_site.table)).text() == "雷彩霞", (
        "the one accounted for moves below the missing"
    )
    _tap(qtbot, on_site.pdf_button)
    exports = tmp_path / "stick" / "kiosk-exports"
    [roll_call] = exports.glob("roll-call-*.pdf")
    assert roll_call.read_bytes().startswith(b"%PDF")

    # Nobody checked out: after the activity's end and its grace the kiosk closes the visits for review.
    ui.clock.advance(5 * 3600)  # 14:30
    closed: list[object] = []
    window.writer.run(ui.kiosk.attendance.close_due_activities, closed.append)
    qtbot.waitUntil(lambda: bool(closed), timeout=WAIT_MS)
    _tap(qtbot, desk.screen.tabs["review"])
    review = desk.review
    qtbot.waitUntil(lambda: review.table.rowCount() == 3, timeout=WAIT_MS)
    assert desk.screen.tabs["review"].text() == "待复核（3）"
    _tap_row(qtbot, review.table, "李静", column=_name_column(review.table))
    assert review.confirm_button.text().startswith("保留签退时间")
    _tap(qtbot, review.confirm_button)
    _wait_writer(qtbot, ui)
    assert review.message.text() == "请先填写原因。", "every change to a visit says why"
    _tap(qtbot, review.reason_chips.chips[0])  # 已与志愿者确认
    _tap(qtbot, review.confirm_button)
    _wait_writer(qtbot, ui)
    qtbot.waitUntil(lambda: review.table.rowCount() == 2, timeout=WAIT_MS)
    assert desk.screen.tabs["review"].text() == "待复核（2）"

    # The day's report onto the stick.
    _tap(qtbot, desk.screen.tabs["reports"])
    reports = desk.reports
    qtbot.waitUntil(lambda: reports.table.rowCount() == 3, timeout=WAIT_MS)
    _tap(qtbot, reports.save_buttons["pdf"])
    [report] = exports.glob("report-*.pdf")
    assert report.read_bytes().startswith(b"%PDF") and "U 盘" in reports.message.text()


def _name_column(table: QTableWidget, header: str = "姓名") -> int:
    """The column headed ``header``: found as a reader finds it."""
    for column in range(table.columnCount()):
        item = table.horizontalHeaderItem(column)
        if item is not None and item.text() == header:
            return column
    raise AssertionError(f"no column {header!r}")
