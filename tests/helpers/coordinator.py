"""Reaching the coordinator's screens on a kiosk window the way a coordinator does: taps only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from helpers.gui import TEST_PIN, KioskUnderTest

WAIT_MS = 20_000


def open_coordinator_menu(qtbot: QtBot, ui: KioskUnderTest) -> None:
    """⚙ Coordinator, the test PIN digit by digit, OK: the desk shows, with the menu's buttons."""
    window = ui.window
    qtbot.mouseClick(window.screen_kiosk.coordinator_button, Qt.MouseButton.LeftButton)
    for digit in TEST_PIN:
        qtbot.mouseClick(window.screen_pin.digit_buttons[digit], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.pin_answered, timeout=WAIT_MS):
        qtbot.mouseClick(window.screen_pin.ok_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.desk.screen


def open_from_menu(qtbot: QtBot, ui: KioskUnderTest, button: QWidget, page: QWidget) -> None:
    """From the kiosk screen, through the PIN, tap ``button`` of the menu: ``page`` shows."""
    open_coordinator_menu(qtbot, ui)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert ui.window.pages.currentWidget() is page
