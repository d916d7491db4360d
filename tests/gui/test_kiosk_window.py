"""The kiosk screen as a volunteer and a coordinator use it (offscreen, real store, real threads)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers.fakes import make_activity
from helpers.gui import TEST_PIN, TODAY, KioskUnderTest, make_kiosk
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from checkin_protocol.codes.issuer import Issuer, generate_signing_key
from kiosk.camera.frame_source import CameraState
from kiosk.services.outcome import Outcome, OutcomeKind
from kiosk.store.database import Store
from kiosk.ui.messages import CardLayout
from kiosk.ui.widgets.pictograms import Pictogram

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
    """Every line the card shows, figures included ("Check-in time 09:00")."""
    card = ui.window.screen_kiosk.result
    figures = [
        f"{label.text()} {value.text()}"
        for label, value in zip(card.figures.labels, card.figures.values, strict=True)
        if value.isVisible()
    ]
    lines = [w.text() for w in (card.title, card.name) if w.isVisible()]
    lines += figures + [w.text() for w in (card.detail, card.next_step) if w.isVisible()]
    return " | ".join(lines)


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
    # the choices say what they do; checking out is the main one
    assert result.check_out_button.text() == "Check out now"
    assert result.check_out_button.property("variant") == "primary"
    assert result.undo_button.text() == "Undo the 09:00 check-in"
    assert result.undo_button.property("variant") == "secondary"

    with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(result.check_out_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].kind is OutcomeKind.CHECKED_OUT
    assert [e[1] for e in ui.events()] == ["in", "out"]

    ui.clock.advance(5)
    scan_again = scan_with_scanner(qtbot, ui, card)
    assert scan_again.kind is OutcomeKind.DUPLICATE
    assert result.undo_button.text() == "Undo the 09:00 check-out" and not result.check_out_button.isVisible()
    with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS) as blocker:
        qtbot.mouseClick(result.undo_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0].kind is OutcomeKind.UNDONE
    assert [e[1] for e in ui.events()] == ["in", "out", "undo"]


def test_the_camera_preview_keeps_its_place_whatever_the_panel_shows(
    qtbot: QtBot, ui: KioskUnderTest
) -> None:
    window, screen = ui.window, ui.window.screen_kiosk
    window.resize(1280, 800)
    qtbot.wait(50)
    preview = screen.camera.geometry()
    card = ui.card()
    places = {"idle": screen.camera.geometry()}
    scan_with_scanner(qtbot, ui, card)
    places["checked in"] = screen.camera.geometry()
    ui.clock.advance(20)
    scan_with_scanner(qtbot, ui, card)  # the duplicate, with its two big buttons
    places["duplicate"] = screen.camera.geometry()
    ui.clock.advance(3600)
    scan_with_scanner(qtbot, ui, card)
    places["checked out"] = screen.camera.geometry()
    scan_with_scanner(qtbot, ui, "https://weixin.qq.com/r/not-a-volunteer-card")
    places["refused"] = screen.camera.geometry()
    assert places == dict.fromkeys(places, preview)
    assert preview.width() == screen.panel.width()  # half and half


def test_a_card_shows_how_long_it_stays(qtbot: QtBot, ui: KioskUnderTest) -> None:
    result = ui.window.screen_kiosk.result
    card = ui.card()
    scan_with_scanner(qtbot, ui, card)
    assert result.countdown.isVisible() and result.countdown.total_ms == ui.window.results.result_ms()
    first = result.countdown.remaining()
    qtbot.waitUntil(lambda: result.countdown.remaining() < first, timeout=WAIT_MS)
    ui.clock.advance(20)
    scan_with_scanner(qtbot, ui, card)  # with choices, twice as long
    assert result.countdown.total_ms == 2 * ui.window.results.result_ms()


def test_check_in_and_check_out_cards_differ_in_icon_layout_and_colour(
    qtbot: QtBot, ui: KioskUnderTest
) -> None:
    result = ui.window.screen_kiosk.result
    card = ui.card()
    scan_with_scanner(qtbot, ui, card)
    checked_in = (result.icon.kind, result.property("cardTone"), result.view.layout if result.view else None)
    assert not result.not_me_button.isVisible()  # a card was scanned: nobody else's face was taken for it
    ui.clock.advance(2 * 3600 + 15 * 60)
    scan_with_scanner(qtbot, ui, card)
    checked_out = (result.icon.kind, result.property("cardTone"), result.view.layout if result.view else None)
    assert checked_in == (Pictogram.CHECK_IN, "success", CardLayout.WELCOME)
    assert checked_out == (Pictogram.CHECK_OUT, "check_out", CardLayout.RECEIPT)
    # the action is the largest word; each figure on a line of its own, in one way of writing time
    assert result.title.text() == "Checked out" and result.title.property("textRole") == "figure"
    assert "Check-out time 11:15 | This visit 2 h 15 min | Total at this kiosk 2 h 15 min" in card_text(ui)
    assert all(not value.wordWrap() for value in result.figures.values)


def test_without_a_camera_the_panel_says_to_use_the_barcode_scanner(qtbot: QtBot, ui: KioskUnderTest) -> None:
    idle = ui.window.screen_kiosk.idle  # no camera could be opened in the tests: "not connected"
    assert idle.title.text() == "Scan your volunteer card with the barcode scanner"
    assert "ask the coordinator" in idle.hint.text() and "camera" not in idle.title.text()
    symbols = [idle.icon.kind]
    ui.window.screen_kiosk.camera.set_camera_state(str(CameraState.LIVE))
    assert idle.title.text() == "Hold your volunteer QR code up to the camera"
    symbols.append(idle.icon.kind)
    assert symbols == [Pictogram.SCANNER, Pictogram.QR_CODE]


def test_a_card_that_cannot_be_verified_is_refused_without_an_accusation(
    qtbot: QtBot, ui: KioskUnderTest
) -> None:
    forger = Issuer(generate_signing_key(), "test1")  # the right key ID, the wrong key
    outcome = scan_with_scanner(qtbot, ui, forger.issue_card("V000000002", "王*", issued_on=TODAY))
    assert outcome.kind is OutcomeKind.REFUSED and outcome.reason == "bad_signature"
    text = card_text(ui)
    assert text == "This volunteer card cannot be verified | Please ask the coordinator for help."
    assert not any(word in text.lower() for word in ("forged", "genuine", "fake"))
    [detail] = ui.kiosk.store.writer.execute(
        "SELECT detail FROM audit_log WHERE action = 'token.refused'"
    ).fetchone()
    assert "bad_signature" in detail  # the technical reason is kept, off the screen
    assert ui.events() == []


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
    screen.camera.set_camera_state(str(CameraState.LIVE))  # with a camera, the panel speaks of the camera
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
    pad = ui.window.screen_pin
    assert "locked until 09:05." in pad.message.text() and pad.countdown.text() == "5:00 left"
    assert not pad.ok_button.isEnabled()  # even the right PIN waits out the lock: the keys are off
    ui.clock.advance(301)
    qtbot.waitUntil(lambda: pad.ok_button.isEnabled(), timeout=WAIT_MS)  # the pad's count reached zero
    for _ in range(5):  # the next lock-out is longer
        _enter_pin(qtbot, ui, "1111")
    assert "locked until 09:20." in pad.message.text() and pad.countdown.text() == "15:00 left"
    ui.clock.advance(15 * 60)
    qtbot.waitUntil(lambda: pad.ok_button.isEnabled(), timeout=WAIT_MS)
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
        assert window.isVisible(), "exiting asks once more"
        qtbot.mouseClick(window.screen_menu.confirm_panel.confirm_button, Qt.MouseButton.LeftButton)
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
        assert open_button.text() == "Open check-in"
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
        panel = window.screen_menu.confirm_panel
        assert panel.detail.text().endswith("everyone still on site (1) is checked out.")
        qtbot.mouseClick(panel.confirm_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not window.screen_menu.close_buttons, timeout=WAIT_MS)
        actions = under_test.events()
        assert [a for _, a, _ in actions] == ["in", "out"] and actions[1][2] == "manual"
    finally:
        window.exit_kiosk()
        under_test.kiosk.close()
