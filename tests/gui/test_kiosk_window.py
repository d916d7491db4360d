"""The kiosk screen as a volunteer and a coordinator use it (offscreen, real store, real threads)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers.fakes import make_activity
from helpers.gui import TEST_PIN, KioskUnderTest, make_kiosk
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.services.outcome import Outcome, OutcomeKind
from kiosk.store.database import Store

WAIT_MS = 10_000


@pytest.fixture
def ui(qtbot: QtBot, tmp_path: Path) -> Iterator[KioskUnderTest]:
    under_test = make_kiosk(tmp_path)
    qtbot.addWidget(under_test.window)
    under_test.window.start()
    yield under_test
    under_test.window.exit_kiosk()
    under_test.kiosk.close()


def scan_with_scanner(qtbot: QtBot, ui: KioskUnderTest, text: str) -> Outcome:
    """Type ``text`` + Enter as a USB scanner does, and wait for the result card."""
    with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS) as blocker:
        qtbot.keyClicks(ui.window, text)
        qtbot.keyClick(ui.window, Qt.Key.Key_Return)
    outcome = blocker.args[0] if blocker.args else None
    assert isinstance(outcome, Outcome), outcome
    return outcome


def card_text(ui: KioskUnderTest) -> str:
    card = ui.window.screen_kiosk.result
    return " | ".join(w.text() for w in (card.title, card.name, card.detail, card.next_step) if w.isVisible())


def test_a_scanner_checks_a_volunteer_in_and_the_card_says_so(qtbot: QtBot, ui: KioskUnderTest) -> None:
    outcome = scan_with_scanner(qtbot, ui, ui.card())
    assert outcome.kind is OutcomeKind.CHECKED_IN
    assert ui.events() == [("V000000001", "in", "scanner")]
    text = card_text(ui)
    assert "Checked in" in text and "雷*霞" in text and "09:00" in text
    assert ui.window.screen_kiosk.panel.currentWidget() is ui.window.screen_kiosk.result
    assert ui.sounds.played[-1] == "success"


def test_a_person_typing_slowly_is_not_a_scan(qtbot: QtBot, ui: KioskUnderTest) -> None:
    for char in "V000000001":
        qtbot.keyClick(ui.window, char, delay=80)
    qtbot.keyClick(ui.window, Qt.Key.Key_Return, delay=80)
    qtbot.wait(300)
    assert ui.events() == []
    assert ui.window.screen_kiosk.panel.currentWidget() is ui.window.screen_kiosk.idle


def test_a_duplicate_offers_undo_and_check_out_now(qtbot: QtBot, ui: KioskUnderTest) -> None:
    card = ui.card()
    scan_with_scanner(qtbot, ui, card)
    ui.clock.advance(20)
    outcome = scan_with_scanner(qtbot, ui, card)
    assert outcome.kind is OutcomeKind.DUPLICATE
    result = ui.window.screen_kiosk.result
    assert "Already checked in at 09:00" in card_text(ui)
    assert result.undo_button.isVisible() and result.check_out_button.isVisible()

    with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(result.check_out_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].kind is OutcomeKind.CHECKED_OUT
    assert [e[1] for e in ui.events()] == ["in", "out"]

    ui.clock.advance(5)
    scan_again = scan_with_scanner(qtbot, ui, card)
    assert scan_again.kind is OutcomeKind.DUPLICATE
    with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(result.undo_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].kind is OutcomeKind.UNDONE
    assert [e[1] for e in ui.events()] == ["in", "out", "undo"]


def test_a_foreign_code_is_refused_with_what_to_do_and_nothing_is_written(
    qtbot: QtBot, ui: KioskUnderTest
) -> None:
    outcome = scan_with_scanner(qtbot, ui, "https://weixin.qq.com/r/not-a-volunteer-card")
    assert outcome.kind is OutcomeKind.REFUSED
    assert "Not a volunteer code" in card_text(ui) and "volunteer card" in card_text(ui)
    assert ui.events() == []
    assert ui.sounds.played[-1] == "error"


def test_the_card_goes_back_to_idle_after_a_few_seconds(qtbot: QtBot, ui: KioskUnderTest) -> None:
    ui.window.results.result_ms = lambda: 200  # type: ignore[method-assign]
    scan_with_scanner(qtbot, ui, ui.card())
    qtbot.waitUntil(
        lambda: ui.window.screen_kiosk.panel.currentWidget() is ui.window.screen_kiosk.idle, timeout=WAIT_MS
    )


def test_the_banner_shows_the_activity_and_who_is_on_site(qtbot: QtBot, ui: KioskUnderTest) -> None:
    banner = ui.window.screen_kiosk.banner
    assert banner.title.text() == "图书馆阅读推广志愿服务"
    assert "0 on site" in banner.detail.text()
    scan_with_scanner(qtbot, ui, ui.card())
    qtbot.waitUntil(lambda: "1 on site" in banner.detail.text(), timeout=WAIT_MS)
    qtbot.waitUntil(lambda: "1 record" in ui.window.screen_kiosk.status.sync_label.text(), timeout=WAIT_MS)


@contextmanager
def failing_commits(store: Store) -> Iterator[None]:
    """Every write transaction fails at COMMIT, as on a disk that just died."""
    original = Store.write

    @contextmanager
    def write_that_fails(self: Store):  # type: ignore[no-untyped-def]
        with original(self) as db:
            yield db
            raise sqlite3.OperationalError("disk I/O error")

    store.write = write_that_fails.__get__(store)  # type: ignore[method-assign]
    try:
        yield
    finally:
        del store.write


def test_a_check_in_is_only_shown_once_it_is_durable(qtbot: QtBot, ui: KioskUnderTest) -> None:
    with failing_commits(ui.kiosk.store):
        outcome = scan_with_scanner(qtbot, ui, ui.card())
    assert outcome.kind is OutcomeKind.FAILED and not outcome.confirmed
    text = card_text(ui)
    assert "NOT saved" in text and "Checked in" not in text
    assert ui.events() == []


def test_several_open_activities_let_the_volunteer_choose(qtbot: QtBot, tmp_path: Path) -> None:
    under_test = make_kiosk(tmp_path, make_activity("A1", title="读书会"), make_activity("A2", title="助老"))
    qtbot.addWidget(under_test.window)
    under_test.window.start()
    try:
        outcome = scan_with_scanner(qtbot, under_test, under_test.card())
        assert outcome.kind is OutcomeKind.CHOOSE_ACTIVITY
        choice = under_test.window.screen_kiosk.choice
        buttons = [
            b
            for b in choice.findChildren(type(under_test.window.screen_kiosk.language_button))
            if "助老" in b.text()
        ]
        with qtbot.waitSignal(under_test.window.result_shown, timeout=WAIT_MS) as blocker:
            qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
        assert blocker.args[0].kind is OutcomeKind.CHECKED_IN and blocker.args[0].activity_id == "A2"
    finally:
        under_test.window.exit_kiosk()
        under_test.kiosk.close()


def test_the_language_button_switches_to_chinese_and_back(qtbot: QtBot, ui: KioskUnderTest) -> None:
    screen = ui.window.screen_kiosk
    assert screen.idle.title.text() == "Hold your volunteer QR code up to the camera"
    qtbot.mouseClick(screen.language_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.idle.title.text() == "请将志愿者二维码对准摄像头", timeout=WAIT_MS)
    assert screen.language_button.text() == "English"
    assert "离线" in screen.status.sync_label.text()
    assert ui.window.windowTitle() == "志愿服务签到机"  # the title (taskbar, window list) follows too
    qtbot.mouseClick(screen.language_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.idle.title.text().startswith("Hold your"), timeout=WAIT_MS)
    assert screen.language_button.text() == "中文"
    assert ui.window.windowTitle() == "Volunteer kiosk"


def _enter_pin(qtbot: QtBot, ui: KioskUnderTest, pin: str) -> None:
    pad = ui.window.screen_pin
    for digit in pin:
        qtbot.mouseClick(pad.digit_buttons[digit], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(ui.window.pin_answered, timeout=WAIT_MS):
        qtbot.mouseClick(pad.ok_button, Qt.MouseButton.LeftButton)


def test_the_coordinator_pin_locks_after_five_wrong_tries_for_longer_each_time(
    qtbot: QtBot, ui: KioskUnderTest
) -> None:
    qtbot.mouseClick(ui.window.screen_kiosk.coordinator_button, Qt.MouseButton.LeftButton)
    assert ui.window.pages.currentWidget() is ui.window.screen_pin
    for _ in range(4):
        _enter_pin(qtbot, ui, "1111")
        assert "Wrong PIN" in ui.window.screen_pin.message.text()
    _enter_pin(qtbot, ui, "1111")
    assert "Try again in 5 minutes, at 09:05." in ui.window.screen_pin.message.text()
    _enter_pin(qtbot, ui, TEST_PIN)  # even the right PIN waits out the lock
    assert ui.window.pages.currentWidget() is ui.window.screen_pin
    ui.clock.advance(301)
    for _ in range(5):  # the next lock-out is longer
        _enter_pin(qtbot, ui, "1111")
    assert "Try again in 15 minutes, at 09:20." in ui.window.screen_pin.message.text()
    ui.clock.advance(15 * 60)
    _enter_pin(qtbot, ui, TEST_PIN)
    assert ui.window.pages.currentWidget() is ui.window.desk.screen


def test_scans_are_ignored_while_the_coordinator_is_in(qtbot: QtBot, ui: KioskUnderTest) -> None:
    qtbot.mouseClick(ui.window.screen_kiosk.coordinator_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(ui.window, ui.card())
    qtbot.keyClick(ui.window, Qt.Key.Key_Return)
    qtbot.wait(300)
    assert ui.events() == []


def test_lock_down_the_window_cannot_be_closed_without_the_pin(qtbot: QtBot, tmp_path: Path) -> None:
    under_test = make_kiosk(tmp_path, fullscreen=True)
    qtbot.addWidget(under_test.window)
    window = under_test.window
    window.start()
    try:
        assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
        screen = window.screen()
        # covers: the offscreen screen (800x800) is narrower than the window's minimum size (the desk's)
        assert screen is not None and window.geometry().contains(screen.geometry()), (
            "the kiosk must cover its screen"
        )
        assert window.geometry().topLeft() == screen.geometry().topLeft()
        assert not window.close(), "Alt+F4 / the window manager must not close the kiosk"
        assert window.isVisible()
        qtbot.keyClick(window, Qt.Key.Key_Escape)
        assert window.isVisible()
        qtbot.mouseClick(window.screen_kiosk.coordinator_button, Qt.MouseButton.LeftButton)
        _enter_pin(qtbot, under_test, TEST_PIN)
        assert window.pages.currentWidget() is window.desk.screen
        qtbot.mouseClick(window.screen_menu.exit_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=WAIT_MS)
    finally:
        window.exit_kiosk()
        under_test.kiosk.close()


def test_the_coordinator_opens_a_known_activity_and_closes_it(qtbot: QtBot, tmp_path: Path) -> None:
    from checkin_protocol.models import ActivityStatus

    under_test = make_kiosk(tmp_path, make_activity(status=ActivityStatus.SCHEDULED))
    qtbot.addWidget(under_test.window)
    window = under_test.window
    window.start()
    try:
        assert window.screen_kiosk.banner.title.text() == "No activity is open"
        qtbot.mouseClick(window.screen_kiosk.coordinator_button, Qt.MouseButton.LeftButton)
        _enter_pin(qtbot, under_test, TEST_PIN)
        [open_button] = window.screen_menu.open_buttons.values()
        assert open_button.text() == "Open"
        qtbot.mouseClick(open_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: len(window.screen_menu.close_buttons) == 1, timeout=WAIT_MS)
        actor = under_test.kiosk.store.writer.execute(
            "SELECT actor FROM audit_log WHERE action = 'activity.opened'"
        ).fetchone()
        assert actor == ("coordinator (c1)",), "the coordinator who opened it is recorded"
        qtbot.mouseClick(window.screen_menu.back_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(
            lambda: window.screen_kiosk.banner.title.text() == "图书馆阅读推广志愿服务", timeout=WAIT_MS
        )
        assert scan_with_scanner(qtbot, under_test, under_test.card()).kind is OutcomeKind.CHECKED_IN

        qtbot.mouseClick(window.screen_kiosk.coordinator_button, Qt.MouseButton.LeftButton)
        _enter_pin(qtbot, under_test, TEST_PIN)
        [close] = window.screen_menu.close_buttons.values()
        qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
        [close] = window.screen_menu.close_buttons.values()
        assert close.text() == "Tap again to close\n(1 still on site checked out)"
        qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not window.screen_menu.close_buttons, timeout=WAIT_MS)
        actions = under_test.events()
        assert [a for _, a, _ in actions] == ["in", "out"] and actions[1][2] == "manual"
    finally:
        window.exit_kiosk()
        under_test.kiosk.close()
