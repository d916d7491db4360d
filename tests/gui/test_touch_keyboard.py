"""The desk and the setup on a touch screen with no keyboard: every field is typed with the on-screen keys.

Only taps (mouse clicks on keys and fields); a physical keyboard and a USB
scanner are the QTest key events they would be. Offscreen, with the real
window, store and search index. With ``KIOSK_SCREENSHOTS`` set, the desk
with its keyboard open is saved there at 1920x1080 in both languages.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from helpers.fakes import FakeClock
from helpers.gui import TEST_PIN, KioskUnderTest, cell, make_kiosk
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from checkin_protocol.models import utc
from kiosk.services.volunteer_search import refresh_index
from kiosk.store.roster_import import import_roster
from kiosk.ui.setup.page_coordinator import CoordinatorPage
from kiosk.ui.widgets.keyboard_keys import KEY_HEIGHT_PX
from kiosk.ui.widgets.touch_keyboard import TouchKeyboard, install_touch_keyboard

WAIT_MS = 20_000
SIZE = (1920, 1080)
ROSTER = (
    "volunteer_id,name,phone\n"
    "V000000001,雷彩霞,13812345678\nV000000002,王小明,13900001111\nV000000003,李静,13700002222\n"
)


def _desk_kiosk(tmp_path: Path, language: str) -> KioskUnderTest:
    data = tmp_path / "kiosk"
    data.mkdir()
    ui = make_kiosk(data, language=language, clock=FakeClock(wall=utc(2026, 11, 29, 1, 30)))
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    import_roster(ui.kiosk.store.writer, roster)
    refresh_index(ui.kiosk.store)
    return ui


@pytest.fixture(params=["en"])
def ui(request: pytest.FixtureRequest, qtbot: QtBot, tmp_path: Path) -> Iterator[KioskUnderTest]:
    under_test = _desk_kiosk(tmp_path, request.param)
    qtbot.addWidget(under_test.window)
    under_test.window.resize(*SIZE)
    under_test.window.start()
    under_test.window.activateWindow()  # taps give the focus only in the active window
    qtbot.waitUntil(under_test.window.isActiveWindow, timeout=WAIT_MS)
    yield under_test
    under_test.window.exit_kiosk()
    under_test.kiosk.close()


def _tap(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _open_desk(qtbot: QtBot, ui: KioskUnderTest, tab: str = "check_in") -> TouchKeyboard:
    window = ui.window
    _tap(qtbot, window.screen_kiosk.coordinator_button)
    for digit in TEST_PIN:
        _tap(qtbot, window.screen_pin.digit_buttons[digit])
    with qtbot.waitSignal(window.pin_answered, timeout=WAIT_MS):
        _tap(qtbot, window.screen_pin.ok_button)
    _tap(qtbot, window.desk.screen.tabs[tab])
    keyboard = window.desk.screen.findChild(TouchKeyboard)
    assert keyboard is not None, "the desk has no touch keyboard"
    return keyboard


def _type(qtbot: QtBot, keyboard: TouchKeyboard, keys: Iterable[str]) -> None:
    """Tap ``keys`` on the keyboard's layout shown (letters or digits)."""
    panel = keyboard.digits if keyboard.current_layout() == "digits" else keyboard.letters
    for key in keys:
        button = panel.buttons[key]
        assert button.isVisible(), f"the key {key!r} is not on the keyboard shown"
        _tap(qtbot, button)


def _candidate(keyboard: TouchKeyboard, text: str) -> QPushButton:
    for button in keyboard.candidate_bar.buttons:
        if button.isVisible() and button.text() == text:
            return button
    raise AssertionError(f"{text!r} is not offered; the candidates: {keyboard.candidate_bar.shown()}")


def _shot(qtbot: QtBot, ui: KioskUnderTest, tmp_path: Path, name: str) -> Path:
    folder = Path(os.environ.get("KIOSK_SCREENSHOTS", tmp_path))
    qtbot.wait(50)
    path = folder / name
    ui.window.grab().save(str(path))
    return path


def test_tapping_pinyin_initials_on_the_keys_finds_the_volunteer(qtbot: QtBot, ui: KioskUnderTest) -> None:
    keyboard = _open_desk(qtbot, ui)
    page = ui.window.desk.check_in_page
    assert not keyboard.is_open(), "the keys show only once a field is tapped"
    _tap(qtbot, page.search)
    assert keyboard.is_open() and keyboard.current_layout() == "letters"
    assert keyboard.target() is page.search
    assert all(b.height() >= 56 for b in keyboard.letters.buttons.values()), "keys under 56 px high"
    assert keyboard.geometry().bottom() >= ui.window.desk.screen.height() - 20, "docked at the bottom"
    _type(qtbot, keyboard, "lcx")
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=WAIT_MS)
    assert cell(page.table, 0, 1).text() == "雷彩霞"
    _type(qtbot, keyboard, ["backspace"] * 3)
    assert page.search.text() == ""


def test_a_name_typed_in_pinyin_is_a_candidate_and_fills_the_search(qtbot: QtBot, ui: KioskUnderTest) -> None:
    keyboard = _open_desk(qtbot, ui)
    page = ui.window.desk.check_in_page
    _tap(qtbot, page.search)
    _tap(qtbot, keyboard.letters.buttons["language"])
    assert keyboard.current_layout() == "chinese" and keyboard.candidate_bar.isVisible()
    _type(qtbot, keyboard, "wangxiao")
    assert keyboard.candidate_bar.pinyin_line.text() == "wangxiao"
    assert keyboard.candidate_bar.shown()[0] == "王小明", "the volunteers' names come first"
    _tap(qtbot, _candidate(keyboard, "王小明"))
    assert page.search.text() == "王小明" and keyboard.pinyin() == ""
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=WAIT_MS)
    assert cell(page.table, 0, 2).text() == "V000000002"


@pytest.mark.parametrize("ui", ["zh_CN"], indirect=True)
def test_a_chinese_reason_is_typed_by_its_pinyin_and_a_chip_fills_it_in_one_tap(
    qtbot: QtBot, ui: KioskUnderTest
) -> None:
    keyboard = _open_desk(qtbot, ui)
    page = ui.window.desk.check_in_page
    line = page.reason_box.lineEdit()
    assert line is not None
    _tap(qtbot, line)
    assert keyboard.is_open() and keyboard.current_layout() == "chinese", "a reason is typed in Chinese"
    _type(qtbot, keyboard, ["clear"])
    _type(qtbot, keyboard, "sjmd")
    _tap(qtbot, _candidate(keyboard, "手机没电"))  # a common reason, offered from its initials
    _type(qtbot, keyboard, "le")
    _tap(qtbot, _candidate(keyboard, "了"))
    assert page.reason_box.currentText() == "手机没电了"
    _type(qtbot, keyboard, ["clear"])
    _type(qtbot, keyboard, "xi'an")
    assert keyboard.candidate_bar.pinyin_line.text() == "xi'an"
    _tap(qtbot, _candidate(keyboard, "西"))
    assert keyboard.pinyin() == "an", "the syllables not yet turned into Chinese stay"
    _tap(qtbot, _candidate(keyboard, "安"))
    assert page.reason_box.currentText() == "西安"

    chip = next(c for c in page.reason_chips.chips if c.text() == "忘带志愿者证")
    assert chip.height() >= 48
    _tap(qtbot, chip)
    assert page.reason_box.currentText() == "忘带志愿者证"
    assert keyboard.target() is line, "a chip does not take the keyboard away from the field"


def test_a_physical_key_hides_the_keyboard_until_its_button_or_the_next_desk(
    qtbot: QtBot, ui: KioskUnderTest
) -> None:
    keyboard = _open_desk(qtbot, ui)
    page = ui.window.desk.check_in_page
    _tap(qtbot, page.search)
    assert keyboard.is_open()
    qtbot.keyClick(page.search, Qt.Key.Key_L)  # a person at a USB keyboard
    qtbot.waitUntil(lambda: not keyboard.is_open(), timeout=WAIT_MS)
    assert page.search.text() == "l"
    assert keyboard.open_button.isVisible(), "the Keyboard button brings it back"
    _tap(qtbot, page.table.viewport())
    _tap(qtbot, page.search)
    assert not keyboard.is_open(), "after a physical key, tapping a field does not open it"
    _tap(qtbot, keyboard.open_button)
    assert keyboard.is_open()
    _type(qtbot, keyboard, "cx")
    assert page.search.text() == "lcx"

    _tap(qtbot, ui.window.desk.screen.lock_button)
    assert not keyboard.isVisible()
    _open_desk(qtbot, ui)
    _tap(qtbot, page.search)
    assert keyboard.is_open(), "the next time the desk is opened, the keyboard comes by itself again"


def test_a_scanner_burst_into_the_search_keeps_the_keyboard(qtbot: QtBot, ui: KioskUnderTest) -> None:
    keyboard = _open_desk(qtbot, ui)
    page = ui.window.desk.check_in_page
    _tap(qtbot, page.search)
    now = [100.0]

    def scanner_clock() -> float:  # a wedge scanner's keys 3 ms apart, however busy this machine is
        now[0] += 0.003
        return now[0]

    keyboard.clock = scanner_clock
    qtbot.keyClicks(page.search, "V000000001")  # a code in a few ms, then Enter
    qtbot.keyClick(page.search, Qt.Key.Key_Return)
    now[0] += 1.0  # then nothing
    qtbot.waitUntil(lambda: not keyboard._settle.isActive(), timeout=WAIT_MS)
    assert keyboard.is_open(), "a scanner is not a person at a keyboard"
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=WAIT_MS)


def test_the_review_reason_has_the_keyboard_and_chips(qtbot: QtBot, ui: KioskUnderTest) -> None:
    keyboard = _open_desk(qtbot, ui, "review")
    review = ui.window.desk.review
    review.reason_edit.setEnabled(True)  # nothing to review in this roster: the field waits for an item
    _tap(qtbot, review.reason_edit)
    assert keyboard.is_open() and keyboard.current_layout() == "chinese"
    assert [c.height() >= 48 for c in review.reason_chips.chips] == [True] * 4
    _tap(qtbot, keyboard.letters.buttons["language"])
    _type(qtbot, keyboard, "ok")
    assert review.reason_edit.text() == "ok"
    _tap(qtbot, ui.window.desk.screen.tabs["check_in"])
    assert not keyboard.isVisible(), "the keyboard goes with its field"


def test_the_pin_fields_get_the_digits_and_the_keyboard_never_shows_a_pin(qtbot: QtBot) -> None:
    window = QWidget()
    layout = QVBoxLayout(window)
    page = CoordinatorPage()
    layout.addWidget(page)
    keyboard = install_touch_keyboard(window)
    qtbot.addWidget(window)
    window.resize(*SIZE)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT_MS)

    _tap(qtbot, page.name_edit)
    assert keyboard.current_layout() == "chinese", "a coordinator's name is typed in pinyin"
    _type(qtbot, keyboard, "wangfang")
    _tap(qtbot, _candidate(keyboard, "王"))
    _tap(qtbot, _candidate(keyboard, "芳"))
    assert page.name_edit.text() == "王芳"

    _tap(qtbot, page.pin_edit)
    assert keyboard.is_open() and keyboard.current_layout() == "digits"
    assert not keyboard.digits.buttons["letters"].isVisible(), "a PIN has only digits"
    assert not keyboard.candidate_bar.isVisible()
    _type(qtbot, keyboard, "246810")
    assert page.pin_edit.text() == "246810"
    shown = [w.text() for w in keyboard.findChildren(QLabel)] + [
        b.text() for b in keyboard.findChildren(QPushButton)
    ]
    assert not any("246810" in text or "2468" in text for text in shown), "the PIN shows on the keyboard"
    _tap(qtbot, page.again_edit)
    _type(qtbot, keyboard, "246810")
    added: list[tuple[str, str]] = []
    page.add_requested.connect(lambda name, pin: added.append((name, pin)))
    _tap(qtbot, page.add_button)
    assert added == [("王芳", "246810")]


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_screenshots_of_the_desk_search_with_the_keyboard(
    qtbot: QtBot, tmp_path: Path, language: str
) -> None:
    ui = _desk_kiosk(tmp_path, language)
    qtbot.addWidget(ui.window)
    ui.window.resize(*SIZE)
    ui.window.start()
    ui.window.activateWindow()
    qtbot.waitUntil(ui.window.isActiveWindow, timeout=WAIT_MS)
    keyboard = _open_desk(qtbot, ui)
    page = ui.window.desk.check_in_page
    _tap(qtbot, page.search)
    _type(qtbot, keyboard, "lcx")  # initials find the volunteer as they are typed
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=WAIT_MS)
    _tap(qtbot, keyboard.letters.buttons["language"])
    _type(qtbot, keyboard, "wang")  # and pinyin offers the names the kiosk knows first
    assert keyboard.candidate_bar.shown()[0] == "王小明"
    assert min(b.height() for b in keyboard.letters.buttons.values()) >= KEY_HEIGHT_PX
    path = _shot(qtbot, ui, tmp_path, f"desk-keyboard-{language}.png")
    assert path.stat().st_size > 0
    ui.window.exit_kiosk()
    ui.kiosk.close()
