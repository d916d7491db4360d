"""The coordinator desk as a coordinator uses it: get in with one's own PIN, find, check in, roll-call, review.

Offscreen, with the real window, store, writer thread and search index.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.fakes import FakeClock
from helpers.gui import TEST_PIN, KioskUnderTest, cell, make_kiosk
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from checkin_protocol.models import utc
from kiosk.services.volunteer_search import refresh_index
from kiosk.store.roster_import import import_roster

WAIT_MS = 20_000
SIZE = (1280, 800)
TEACHER_PIN = "135790"
ROSTER = "volunteer_id,name,phone\nV000000001,雷彩霞,13812345678\nV000000002,王小明,13900001111\n"


def _desk_kiosk(tmp_path: Path, language: str = "en") -> KioskUnderTest:
    data = tmp_path / "kiosk"
    data.mkdir()
    stick = tmp_path / "stick"
    stick.mkdir()
    (data / "config.toml").write_text(
        f'[kiosk]\nresult_seconds = 1\n[usb]\nfolder = "{stick.as_posix()}"\n', encoding="utf-8"
    )
    ui = make_kiosk(data, language=language, clock=FakeClock(wall=utc(2026, 11, 29, 1, 30)))
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    import_roster(ui.kiosk.store.writer, roster)
    refresh_index(ui.kiosk.store)
    ui.window.pin_guard.add_coordinator("王老师", TEACHER_PIN, actor="test")
    return ui


def _pin_in(qtbot: QtBot, ui: KioskUnderTest, pin: str) -> None:
    window = ui.window
    qtbot.mouseClick(window.screen_kiosk.coordinator_button, Qt.MouseButton.LeftButton)
    for digit in pin:
        qtbot.mouseClick(window.screen_pin.digit_buttons[digit], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.pin_answered, timeout=WAIT_MS):
        qtbot.mouseClick(window.screen_pin.ok_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.desk.screen


def _tab(qtbot: QtBot, ui: KioskUnderTest, key: str) -> None:
    qtbot.mouseClick(ui.window.desk.screen.tabs[key], Qt.MouseButton.LeftButton)


def _wait_tasks(qtbot: QtBot, ui: KioskUnderTest) -> None:
    qtbot.waitUntil(lambda: ui.window.writer.pending == 0, timeout=WAIT_MS)


@pytest.fixture
def ui(qtbot: QtBot, tmp_path: Path) -> Iterator[KioskUnderTest]:
    under_test = _desk_kiosk(tmp_path)
    qtbot.addWidget(under_test.window)
    under_test.window.resize(*SIZE)
    under_test.window.start()
    yield under_test
    under_test.window.exit_kiosk()
    under_test.kiosk.close()


def test_each_coordinator_gets_in_with_their_own_pin_and_their_name_goes_on_every_change(
    qtbot: QtBot, ui: KioskUnderTest, tmp_path: Path
) -> None:
    _pin_in(qtbot, ui, TEACHER_PIN)
    assert ui.window.desk.screen.who.text() == "王老师"
    _tab(qtbot, ui, "check_in")
    page = ui.window.desk.check_in_page
    qtbot.keyClicks(page.search, "lcx")
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=WAIT_MS)
    assert cell(page.table, 0, 1).text() == "雷彩霞"
    qtbot.mouseClick(
        page.table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=page.table.visualItemRect(cell(page.table, 0, 1)).center(),
    )
    assert page.ticked_ids() == ["V000000001"]
    page.reason_box.setCurrentIndex(0)
    qtbot.mouseClick(page.check_in_button, Qt.MouseButton.LeftButton)
    _wait_tasks(qtbot, ui)
    assert "✔" in page.results_label.text()
    row = ui.kiosk.store.writer.execute("SELECT method, actor FROM events").fetchone()
    assert row == ("manual", "王老师 (c2)")
    note = ui.kiosk.store.writer.execute("SELECT reason FROM event_notes").fetchone()
    assert note == ("Phone battery dead",)

    qtbot.mouseClick(ui.window.desk.screen.lock_button, Qt.MouseButton.LeftButton)
    assert ui.window.pages.currentWidget() is ui.window.screen_kiosk and ui.window.desk.coordinator is None
    _pin_in(qtbot, ui, TEST_PIN)
    assert ui.window.desk.screen.who.text() == "coordinator"


def test_a_group_signs_in_at_an_earlier_time_and_a_scanned_card_is_ticked(
    qtbot: QtBot, ui: KioskUnderTest
) -> None:
    _pin_in(qtbot, ui, TEACHER_PIN)
    _tab(qtbot, ui, "check_in")
    page = ui.window.desk.check_in_page
    qtbot.keyClicks(page.search, "V00000000")
    qtbot.waitUntil(lambda: page.table.rowCount() == 2, timeout=WAIT_MS)
    for row in range(2):
        cell(page.table, row, 0).setCheckState(Qt.CheckState.Checked)
    for _ in range(4):  # 09:10, the kiosk's clock says 09:30: four taps of "−5 min"
        qtbot.mouseClick(page.time_stepper.back, Qt.MouseButton.LeftButton)
    page.reason_box.setEditText("School group arrived before the kiosk was set up")
    qtbot.mouseClick(page.check_in_button, Qt.MouseButton.LeftButton)
    _wait_tasks(qtbot, ui)
    walls = [r[0] for r in ui.kiosk.store.writer.execute("SELECT wall_utc FROM events ORDER BY seq")]
    assert walls == ["2026-11-29T01:10:00.000+00:00"] * 2

    page.search.clear()
    ui.window.submit_code(
        ui.card("V000000001"),
    )
    assert page.ticked_ids() == ["V000000001"], (
        "a card scanned at the desk is listed and ticked, not checked in"
    )
    assert ui.kiosk.store.writer.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 2


def test_roll_call_ticks_people_off_and_saves_the_list_as_pdf(
    qtbot: QtBot, ui: KioskUnderTest, tmp_path: Path
) -> None:
    for volunteer in ("V000000001", "V000000002"):
        with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS):
            ui.window.submit_code(ui.card(volunteer))
        ui.clock.advance(60)
    with ui.kiosk.store.write() as db:
        db.execute("INSERT INTO signups (activity_id, volunteer_id) VALUES ('A20261129001', 'V000000002')")
        db.execute("INSERT INTO signups (activity_id, volunteer_id) VALUES ('A20261129001', 'V000000003')")
    _pin_in(qtbot, ui, TEACHER_PIN)
    _tab(qtbot, ui, "on_site")
    page = ui.window.desk.on_site
    assert page.expected_label.text() == "Signed up, not here: V000000003"
    assert [p.name for p in page.people()] == ["雷彩霞", "王小明"]
    qtbot.mouseClick(page.roll_call_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(  # a tap on her row: 雷彩霞 is here
        page.table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=page.table.visualItemRect(cell(page.table, 0, 1)).center(),
    )
    assert page.count_label.text() == "1 not accounted for yet"
    qtbot.mouseClick(page.pdf_button, Qt.MouseButton.LeftButton)
    [pdf] = (tmp_path / "stick" / "kiosk-exports").glob("roll-call-*.pdf")
    assert pdf.read_bytes().startswith(b"%PDF") and "Saved" in page.message_label.text()


def test_a_forgotten_check_out_is_corrected_from_the_review_tab(
    qtbot: QtBot, ui: KioskUnderTest, tmp_path: Path
) -> None:
    with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS):
        ui.window.submit_code(ui.card("V000000001"))
    ui.clock.advance(4 * 3600)  # 05:30: past the end (05:00) and its grace
    ui.clock.advance(60)
    done: list[object] = []
    ui.window.writer.run(ui.kiosk.attendance.close_due_activities, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)
    _pin_in(qtbot, ui, TEACHER_PIN)
    assert ui.window.desk.screen.tabs["review"].text() == "To review (1)"
    _tab(qtbot, ui, "review")
    page = ui.window.desk.review
    assert page.table.rowCount() == 1 and cell(page.table, 0, 4).text() == "forgot to check out"
    for _ in range(3):  # three hours earlier: three taps of "−1 h"
        qtbot.mouseClick(page.out_stepper.clock.back_hour, Qt.MouseButton.LeftButton)
    assert page.correct_button.text() == "Change check-out to 10:31"
    qtbot.mouseClick(page.correct_button, Qt.MouseButton.LeftButton)
    _wait_tasks(qtbot, ui)
    assert page.message.text() == "Give a reason first."
    page.reason_edit.setText("called her: left at lunch")
    qtbot.mouseClick(page.correct_button, Qt.MouseButton.LeftButton)
    _wait_tasks(qtbot, ui)
    assert page.message.text() == "Saved." and page.table.rowCount() == 0
    assert ui.window.desk.screen.tabs["review"].text() == "To review (0)"


def test_the_desk_locks_itself_after_a_while_without_a_touch(qtbot: QtBot, ui: KioskUnderTest) -> None:
    ui.window._coordinator_timer.setInterval(300)
    _pin_in(qtbot, ui, TEACHER_PIN)
    qtbot.waitUntil(lambda: ui.window.pages.currentWidget() is ui.window.screen_kiosk, timeout=WAIT_MS)
    assert ui.window.desk.coordinator is None


def test_at_the_next_scan_the_volunteer_is_asked_when_they_left_and_the_answer_reaches_the_queue(
    qtbot: QtBot, ui: KioskUnderTest, tmp_path: Path
) -> None:
    with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS):
        ui.window.submit_code(ui.card("V000000001"))
    ui.clock.advance(4 * 3600 + 60)  # past the end and its grace
    done: list[object] = []
    ui.window.writer.run(ui.kiosk.attendance.close_due_activities, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)
    with ui.kiosk.store.write() as db:  # the activity runs again (a new day of the same activity)
        db.execute("UPDATE activities SET status = 'open', ends_at = '2026-11-30T05:00:00.000+00:00'")
    ui.clock.advance(600)
    with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS):
        ui.window.submit_code(ui.card("V000000001"))
    screen = ui.window.screen_kiosk
    qtbot.waitUntil(lambda: screen.panel.currentWidget() is screen.question, timeout=WAIT_MS)
    assert screen.question.title.text() == "雷*霞, you did not check out on 11-29 (图书馆阅读推广志愿服务)."
    assert [b.text() for b in screen.question.time_buttons] == ["10:00", "11:00", "12:00", "13:00"]
    qtbot.mouseClick(screen.question.time_buttons[2], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: ui.kiosk.store.writer.execute("SELECT COUNT(*) FROM review_notes").fetchone()[0] == 1,
        timeout=WAIT_MS,
    )
    row = ui.kiosk.store.writer.execute("SELECT kind, proposed_out_utc FROM review_notes").fetchone()
    assert row == ("leave_answer", "2026-11-29T04:00:00.000+00:00")
    assert screen.panel.currentWidget() is screen.idle


def test_the_report_of_the_day_is_shown_and_saved_as_csv_excel_and_pdf(
    qtbot: QtBot, ui: KioskUnderTest, tmp_path: Path
) -> None:
    import csv

    import openpyxl

    for _ in range(2):  # in, and 90 minutes later out
        with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS):
            ui.window.submit_code(ui.card("V000000001"))
        ui.clock.advance(90 * 60)
    _pin_in(qtbot, ui, TEACHER_PIN)
    _tab(qtbot, ui, "reports")
    page = ui.window.desk.reports
    assert page.figures["checked_in"].text() == "1" and page.figures["hours"].text() == "1.5"
    assert page.chart.rows() == [("文化服务", 1.5)]
    assert page.table.rowCount() == 1 and cell(page.table, 0, 0).text() == "雷彩霞"
    for kind in ("csv", "xlsx", "pdf"):
        qtbot.mouseClick(page.save_buttons[kind], Qt.MouseButton.LeftButton)
        assert "Saved" in page.message.text()
    exports = tmp_path / "stick" / "kiosk-exports"
    [csv_path] = exports.glob("report-*.csv")
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert any("雷彩霞" in row for row in rows)
    # In the document language (zh_CN) whatever the screen's, like the PDF and `kiosk report`.
    assert rows[0][0] == "志愿者编号" and rows[-1][:2] == ["合计", "1 人"]
    [xlsx_path] = exports.glob("report-*.xlsx")
    workbook = openpyxl.load_workbook(xlsx_path)
    try:
        assert workbook.sheetnames == ["汇总", "志愿者", "服务类别", "组织", "签到记录"]
        cells = [c.value for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row]
    finally:
        workbook.close()
    assert "雷彩霞" in cells
    [pdf_path] = exports.glob("report-*.pdf")
    assert pdf_path.read_bytes().startswith(b"%PDF")


def test_a_volunteer_still_on_site_shows_on_site_not_zero_hours(qtbot: QtBot, ui: KioskUnderTest) -> None:
    with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS):
        ui.window.submit_code(ui.card("V000000001"))
    ui.clock.advance(40 * 60)
    _pin_in(qtbot, ui, TEACHER_PIN)
    _tab(qtbot, ui, "reports")
    page = ui.window.desk.reports
    assert page.table.rowCount() == 1
    hours_cell = cell(page.table, 0, 2)
    assert hours_cell.text() == "on site"
    assert hours_cell.textAlignment() & Qt.AlignmentFlag.AlignRight


def test_a_roster_imported_while_the_kiosk_runs_becomes_searchable_by_itself(
    qtbot: QtBot, ui: KioskUnderTest, tmp_path: Path
) -> None:
    from kiosk.demo.roster import write_roster_csv
    from kiosk.services.volunteer_search import index_backlog, search_volunteers

    roster = tmp_path / "big.csv"
    write_roster_csv(roster, 3000)
    done: list[object] = []
    ui.window.writer.run(lambda: import_roster(ui.kiosk.store.writer, roster), done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)
    reader = ui.kiosk.store.reader()
    try:
        assert index_backlog(reader) >= 3000
        qtbot.waitUntil(lambda: index_backlog(reader) == 0, timeout=30_000)
        name = reader.execute("SELECT name FROM volunteers ORDER BY volunteer_id DESC LIMIT 1").fetchone()[0]
        assert any(m.name == name for m in search_volunteers(reader, name))
    finally:
        reader.close()
