"""The desk in plain state, driven by taps through the real window: what each thing is, and what a tap will do.

- each activity shows its state as a chip; "End activity…", "Set up this kiosk again…" and "Exit the
  kiosk program…" are set apart, in red, and ask once more with a Cancel as large as the action;
- the review's buttons say which time is kept, with the times; times and days are set with steppers;
- the reports mark the range chosen (its chip lit, the days in a line); the days are set with steppers;
- the face consent takes the whole desk, its two answers the same size and look;
- a tap anywhere on a row ticks it;
- none of these pages has a cut-off word, a widget off the window or a target under 48 px, at
  1920x1080, 1366x768 and 1280x800, in Chinese and English.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.fakes import FakeClock, make_activity
from helpers.gui import TEST_PIN, KioskUnderTest, cell, make_kiosk
from helpers.layout_audit import layout_problems
from helpers.screenshots import AUDIT_SIZES
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QTableWidget, QWidget
from pytestqt.qtbot import QtBot

from checkin_protocol.models import ActivityStatus, utc
from kiosk.services.volunteer_search import refresh_index
from kiosk.store.roster_import import import_roster
from kiosk.ui.widgets.touch_table import touch_table

WAIT_MS = 20_000
SIZE = (1280, 800)
ROSTER = "volunteer_id,name,phone\nV000000001,雷彩霞,13812345678\nV000000002,王小明,13900001111\n"
OPEN_ID, SCHEDULED_ID = "A20261129001", "A20261130001"


def _kiosk(tmp_path: Path, language: str = "en") -> KioskUnderTest:
    data = tmp_path / "kiosk"
    data.mkdir()
    ui = make_kiosk(
        data,
        make_activity(OPEN_ID),
        make_activity(
            SCHEDULED_ID,
            starts_at=utc(2026, 11, 30, 6, 0),
            title="社区公园环境清洁",
            status=ActivityStatus.SCHEDULED,
        ),
        language=language,
        clock=FakeClock(wall=utc(2026, 11, 29, 1, 30)),
    )
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    import_roster(ui.kiosk.store.writer, roster)
    refresh_index(ui.kiosk.store)
    return ui


@pytest.fixture
def ui(qtbot: QtBot, tmp_path: Path) -> Iterator[KioskUnderTest]:
    under_test = _kiosk(tmp_path)
    qtbot.addWidget(under_test.window)
    under_test.window.resize(*SIZE)
    under_test.window.start()
    yield under_test
    under_test.window.exit_kiosk()
    under_test.kiosk.close()


def _tap(qtbot: QtBot, button: QAbstractButton) -> None:
    """A finger on ``button`` once it is on screen (a list's new rows show at the next turn of the loop)."""
    qtbot.waitUntil(lambda: button.isVisible() and button.isEnabled(), timeout=WAIT_MS)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _tap_at(qtbot: QtBot, table: QTableWidget, pos: QPoint) -> None:
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def _pin_in(qtbot: QtBot, ui: KioskUnderTest) -> None:
    window = ui.window
    _tap(qtbot, window.screen_kiosk.coordinator_button)
    for digit in TEST_PIN:
        _tap(qtbot, window.screen_pin.digit_buttons[digit])
    with qtbot.waitSignal(window.pin_answered, timeout=WAIT_MS):
        _tap(qtbot, window.screen_pin.ok_button)
    assert window.pages.currentWidget() is window.desk.screen


def _scan_in(qtbot: QtBot, ui: KioskUnderTest, volunteer: str = "V000000001") -> None:
    with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS):
        ui.window.submit_code(ui.card(volunteer))


def _wait_tasks(qtbot: QtBot, ui: KioskUnderTest) -> None:
    qtbot.waitUntil(lambda: ui.window.writer.pending == 0, timeout=WAIT_MS)


def _status(ui: KioskUnderTest, activity_id: str) -> str:
    row = ui.kiosk.store.writer.execute("SELECT status FROM activities WHERE activity_id = ?", [activity_id])
    return str(row.fetchone()[0])


# -- activities -------------------------------------------------------------------------------------


def test_each_activity_shows_its_state_and_ending_one_asks_once_more(
    qtbot: QtBot, ui: KioskUnderTest
) -> None:
    _scan_in(qtbot, ui)
    _pin_in(qtbot, ui)
    menu = ui.window.screen_menu
    chips = {key: (chip.text(), chip.property("statusChip")) for key, chip in menu.status_chips.items()}
    assert chips == {OPEN_ID: ("In progress", "good"), SCHEDULED_ID: ("Not started", "info")}
    [end] = menu.close_buttons.values()
    [start] = menu.open_buttons.values()
    assert (end.text(), end.property("variant")) == ("End activity…", "caution")
    assert (start.text(), start.property("variant")) == ("Open check-in", "primary")
    # the ways out that cannot be taken back do not look like the everyday tools
    assert menu.sync_button.property("variant") == "secondary"
    assert menu.exit_button.property("variant") == menu.setup_button.property("variant") == "caution"

    _tap(qtbot, end)
    panel = menu.confirm_panel
    assert panel.isVisible() and not end.isVisible(), "the question takes the list's place"
    assert panel.question.text() == "End “图书馆阅读推广志愿服务”?"
    assert "(1)" in panel.detail.text()
    assert panel.confirm_button.size() == panel.cancel_button.size(), "Cancel weighs as much as the action"
    assert panel.confirm_button.property("variant") == "destructive"
    _tap(qtbot, panel.cancel_button)
    assert not panel.isVisible() and end.isVisible()
    _wait_tasks(qtbot, ui)
    assert _status(ui, OPEN_ID) == "open", "Cancel ends nothing"

    _tap(qtbot, end)
    _tap(qtbot, panel.confirm_button)
    qtbot.waitUntil(lambda: not menu.close_buttons, timeout=WAIT_MS)
    assert (
        menu.status_chips[OPEN_ID].text() == "Closed"
        and menu.status_chips[OPEN_ID].property("statusChip") == "muted"
    )
    assert _status(ui, OPEN_ID) == "closed"
    assert [a for _, a, _ in ui.events()] == ["in", "out"], "who was still on site is checked out"

    _tap(qtbot, menu.open_buttons[SCHEDULED_ID])  # opening is not destructive: one tap
    qtbot.waitUntil(lambda: SCHEDULED_ID in menu.close_buttons, timeout=WAIT_MS)
    assert menu.status_chips[SCHEDULED_ID].text() == "In progress"


def test_exit_and_set_up_again_ask_once_more_and_leaving_the_page_cancels(
    qtbot: QtBot, ui: KioskUnderTest
) -> None:
    _pin_in(qtbot, ui)
    window = ui.window
    menu = window.screen_menu
    panel = menu.confirm_panel
    _tap(qtbot, menu.exit_button)
    assert (
        panel.question.text() == "Exit the kiosk program?"
        and panel.confirm_button.text() == "Exit the program"
    )
    _tap(qtbot, panel.cancel_button)
    assert window.isVisible() and menu.exit_button.isVisible()

    _tap(qtbot, menu.setup_button)
    assert panel.question.text() == "Set up this kiosk again?"
    _tap(qtbot, window.desk.screen.tabs["reports"])  # another tab: the question is answered "no"
    _tap(qtbot, window.desk.screen.tabs["activities"])
    assert not menu.confirming and menu.setup_button.isVisible()
    _tap(qtbot, menu.setup_button)
    with qtbot.waitSignal(window.setup_requested, timeout=WAIT_MS):
        _tap(qtbot, panel.confirm_button)

    _tap(qtbot, menu.exit_button)
    _tap(qtbot, panel.confirm_button)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)


# -- review -----------------------------------------------------------------------------------------


def _forgotten_check_out(qtbot: QtBot, ui: KioskUnderTest) -> None:
    """雷彩霞 checked in at 09:30 and did not check out; the kiosk closed her visit at 13:31, when it closed the activity."""
    _scan_in(qtbot, ui)
    ui.clock.advance(4 * 3600 + 60)
    done: list[object] = []
    ui.window.writer.run(ui.kiosk.attendance.close_due_activities, done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT_MS)


def test_the_review_buttons_say_which_time_is_kept(qtbot: QtBot, ui: KioskUnderTest) -> None:
    _forgotten_check_out(qtbot, ui)
    _pin_in(qtbot, ui)
    _tap(qtbot, ui.window.desk.screen.tabs["review"])
    page = ui.window.desk.review
    assert cell(page.table, 0, 3).text() == "11-29 13:31"
    assert page.confirm_button.text() == "Keep check-out 13:31"
    assert page.correct_button.text() == "Change check-out to 13:31" and not page.correct_button.isEnabled()
    assert page.out_stepper.day.value.text() == "2026-11-29 Sun"
    assert not page.in_stepper.isVisible() and page.in_recorded.text() == "11-29 09:30"
    for _ in range(2):
        _tap(qtbot, page.out_stepper.clock.back_hour)
    _tap(qtbot, page.out_stepper.clock.forward)
    assert page.correct_button.text() == "Change check-out to 11:36" and page.correct_button.isEnabled()
    assert page.confirm_button.text() == "Keep check-out 13:31", "keeping still keeps the recorded time"

    _tap(qtbot, page.change_in_button)
    assert page.in_stepper.isVisible() and page.in_stepper.clock.value.text() == "09:30"
    _tap(qtbot, page.in_stepper.clock.back)
    assert page.correct_button.text() == "Change to check-in 09:25, check-out 11:36"
    _tap(qtbot, page.out_stepper.day.previous)  # the day before: the times say their day
    assert page.correct_button.text() == "Change to check-in 09:25, check-out 11-28 11:36"
    _tap(qtbot, page.out_stepper.day.next)
    assert not page.out_stepper.day.next.isEnabled(), "no day after today"

    _tap(qtbot, page.reason_chips.chips[0])
    _tap(qtbot, page.correct_button)
    _wait_tasks(qtbot, ui)
    assert page.message.text() == "Saved." and page.table.rowCount() == 0
    times = ui.kiosk.store.writer.execute(
        "SELECT action, wall_utc FROM events WHERE method = 'manual' AND action != 'undo' ORDER BY seq"
    ).fetchall()
    assert times == [("in", "2026-11-29T01:25:00.000+00:00"), ("out", "2026-11-29T03:36:00.000+00:00")]


def test_keeping_a_visit_as_it_is_keeps_its_check_out(qtbot: QtBot, ui: KioskUnderTest) -> None:
    _forgotten_check_out(qtbot, ui)
    _pin_in(qtbot, ui)
    _tap(qtbot, ui.window.desk.screen.tabs["review"])
    page = ui.window.desk.review
    _tap(qtbot, page.reason_chips.chips[0])
    _tap(qtbot, page.confirm_button)
    _wait_tasks(qtbot, ui)
    assert page.message.text() == "Saved." and page.table.rowCount() == 0
    assert page.confirm_button.text() == "Keep as it is" and not page.confirm_button.isEnabled()
    assert ui.kiosk.store.writer.execute(
        "SELECT COUNT(*) FROM events WHERE method = 'manual'"
    ).fetchone() == (0,)


# -- reports ----------------------------------------------------------------------------------------


def test_the_reports_mark_the_range_chosen_and_set_days_with_steppers(
    qtbot: QtBot, ui: KioskUnderTest
) -> None:
    _scan_in(qtbot, ui)
    _pin_in(qtbot, ui)
    _tap(qtbot, ui.window.desk.screen.tabs["reports"])
    page = ui.window.desk.reports

    def lit() -> set[str]:
        return {key for key, chip in page.range_buttons.items() if chip.isChecked()}

    assert lit() == {"today"} and page.range_line.text() == "2026-11-29"
    _tap(qtbot, page.range_buttons["week"])
    assert lit() == {"week"} and page.range_line.text() == "2026-11-23 to 2026-11-29 (7 days)"
    _tap(qtbot, page.first_day.next)
    assert lit() == set() and page.range_line.text() == "2026-11-24 to 2026-11-29 (6 days)"
    for _ in range(6):  # the last day stepped back past the first takes the first along
        _tap(qtbot, page.last_day.previous)
    assert page.range_line.text() == "2026-11-23" and page.first_day.value.text() == "2026-11-23 Mon"
    assert page.table.rowCount() == 0
    _tap(qtbot, page.range_buttons["month"])
    assert lit() == {"month"} and page.range_line.text() == "2026-11-01 to 2026-11-29 (29 days)"
    assert page.table.rowCount() == 1
    right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    for column in (1, 2, 3):
        header = page.table.horizontalHeaderItem(column)
        assert header is not None and Qt.AlignmentFlag(header.textAlignment()) == right
        assert Qt.AlignmentFlag(cell(page.table, 0, column).textAlignment()) == right


# -- face consent -----------------------------------------------------------------------------------


def _consent_shown(qtbot: QtBot, ui: KioskUnderTest) -> None:
    """The Face tab, the volunteer's card scanned, Record consent…: the notice shows."""
    window = ui.window
    _tap(qtbot, window.desk.screen.tabs["face"])
    page = window.desk.face_page
    window.submit_code(ui.card("V000000001"))  # a scanned card picks its volunteer
    qtbot.waitUntil(lambda: page.volunteer is not None and page.enrol_button.isVisible(), timeout=WAIT_MS)
    _tap(qtbot, page.enrol_button)
    assert page.view == "consent"


def test_the_consent_takes_the_whole_desk_and_both_answers_weigh_the_same(
    qtbot: QtBot, ui: KioskUnderTest
) -> None:
    _pin_in(qtbot, ui)
    _consent_shown(qtbot, ui)
    desk = ui.window.desk
    consent = desk.face_page.consent
    assert desk.screen.full_screen and not desk.screen.tabs["face"].isVisible()
    assert not desk.screen.lock_button.isVisible(), "nothing but the notice and its answers"
    agree, decline = consent.agree_button, consent.decline_button
    assert agree.size() == decline.size()
    for name in ("variant", "textRole"):
        assert agree.property(name) == decline.property(name), name
    assert agree.property("variant") == "secondary", "no colour nudges the volunteer"
    _tap(qtbot, decline)
    assert desk.face_page.view == "pick" and not desk.screen.full_screen
    assert desk.screen.tabs["face"].isVisible()


def test_a_desk_that_locks_itself_during_the_consent_comes_back_with_its_tabs(
    qtbot: QtBot, ui: KioskUnderTest
) -> None:
    _pin_in(qtbot, ui)
    _consent_shown(qtbot, ui)
    window = ui.window
    assert window.desk.screen.full_screen
    window._coordinator_timer.setInterval(300)  # no touch for a while: the desk locks itself
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.screen_kiosk, timeout=WAIT_MS)
    _pin_in(qtbot, ui)
    assert not window.desk.screen.full_screen and window.desk.screen.lock_button.isVisible()
    assert window.desk.face_page.view == "pick"


# -- ticks ------------------------------------------------------------------------------------------


def test_a_tap_anywhere_on_a_row_of_the_check_in_list_ticks_it(qtbot: QtBot, ui: KioskUnderTest) -> None:
    _pin_in(qtbot, ui)
    _tap(qtbot, ui.window.desk.screen.tabs["check_in"])
    page = ui.window.desk.check_in_page
    for volunteer in ("V000000001", "V000000002"):  # scanned cards are listed and ticked
        ui.window.submit_code(ui.card(volunteer))
    qtbot.waitUntil(lambda: page.table.rowCount() == 2, timeout=WAIT_MS)
    assert len(page.ticked_ids()) == 2
    table = page.table
    tick_cell = table.visualItemRect(cell(table, 0, 0))
    _tap_at(qtbot, table, QPoint(tick_cell.right() - 4, tick_cell.center().y()))  # beside the box
    assert len(page.ticked_ids()) == 1
    _tap_at(qtbot, table, table.visualItemRect(cell(table, 0, 3)).center())  # on the organisation
    assert len(page.ticked_ids()) == 2
    _tap_at(qtbot, table, table.visualItemRect(cell(table, 1, 2)).center())  # the other row: only it
    assert len(page.ticked_ids()) == 1


def test_the_row_ticker_leaves_rows_without_a_box_and_hidden_boxes_alone(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QTableWidgetItem, QVBoxLayout

    window = QWidget()
    table = touch_table(2)
    QVBoxLayout(window).addWidget(table)
    qtbot.addWidget(window)
    window.resize(600, 400)
    window.show()
    qtbot.waitExposed(window)
    table.setRowCount(2)
    tick = QTableWidgetItem()
    tick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
    tick.setCheckState(Qt.CheckState.Unchecked)
    table.setItem(0, 0, tick)
    for row, text in enumerate(("雷彩霞", "王小明")):
        table.setItem(row, 1, QTableWidgetItem(text))
    table.setItem(1, 0, QTableWidgetItem("no box"))
    box = table.visualItemRect(tick)
    _tap_at(qtbot, table, box.topLeft() + QPoint(box.height() // 2, box.height() // 2))  # on the box itself
    assert tick.checkState() == Qt.CheckState.Checked, "one tap, one toggle"
    _tap_at(qtbot, table, table.visualItemRect(cell(table, 1, 1)).center())
    assert tick.checkState() == Qt.CheckState.Checked, "a row without a box ticks nothing"
    start, end = (
        table.visualItemRect(cell(table, 0, 1)).center(),
        table.visualItemRect(cell(table, 1, 1)).center(),
    )
    qtbot.mousePress(table.viewport(), Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseRelease(table.viewport(), Qt.MouseButton.LeftButton, pos=end)
    assert tick.checkState() == Qt.CheckState.Checked, "a drag from one row to another is not a tap"
    table.setColumnHidden(0, True)
    _tap_at(qtbot, table, table.visualItemRect(cell(table, 0, 1)).center())
    assert tick.checkState() == Qt.CheckState.Checked, "a hidden box is not ticked"


# -- the layout -------------------------------------------------------------------------------------


def _audit(qtbot: QtBot, window: QWidget, state: str, problems: list[str]) -> None:
    for size in AUDIT_SIZES:
        window.resize(*size)
        qtbot.wait(50)
        problems.extend(f"{state} at {size[0]}x{size[1]}: {p}" for p in layout_problems(window))
        problems.extend(f"{state} at {size[0]}x{size[1]}: {p}" for p in _chips_overlapping(window))


def _chips_overlapping(window: QWidget) -> list[str]:
    """Reason chips that a too-short chip row lets run under the next widget (the audit sees no overlaps)."""
    from kiosk.ui.widgets.reason_chips import ReasonChips

    found = []
    for chips in window.findChildren(ReasonChips):
        if chips.isVisibleTo(window):
            found += [
                f"chip {c.text()!r} outside its row"
                for c in chips.chips
                if not chips.rect().contains(c.geometry())
            ]
    return found


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_no_word_cut_no_widget_off_the_window_no_small_target_on_these_pages(
    qtbot: QtBot, tmp_path: Path, language: str
) -> None:
    ui = _kiosk(tmp_path, language)
    window = ui.window
    qtbot.addWidget(window)
    window.resize(*SIZE)
    window.start()
    problems: list[str] = []
    try:
        _forgotten_check_out(qtbot, ui)
        _pin_in(qtbot, ui)
        menu = window.screen_menu
        _audit(qtbot, window, "activities", problems)
        _tap(qtbot, menu.exit_button)
        _audit(qtbot, window, "exit?", problems)
        _tap(qtbot, menu.confirm_panel.cancel_button)
        desk = window.desk
        _tap(qtbot, desk.screen.tabs["review"])
        _audit(qtbot, window, "review", problems)
        _tap(qtbot, desk.review.change_in_button)
        _audit(qtbot, window, "review, check-in changed", problems)
        _tap(qtbot, desk.screen.tabs["reports"])
        _tap(qtbot, desk.reports.range_buttons["week"])
        _audit(qtbot, window, "reports", problems)
        _consent_shown(qtbot, ui)
        _audit(qtbot, window, "consent", problems)
        _tap(qtbot, desk.face_page.consent.agree_button)
        _audit(qtbot, window, "consent, to confirm", problems)
    finally:
        window.exit_kiosk()
        ui.kiosk.close()
    assert not problems, "layout problems:\n" + "\n".join(problems)
