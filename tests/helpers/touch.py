"""A finger on the desk: tap a button, type on the touch keyboard (mouse events only, never key events)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QWidget
from pytestqt.qtbot import QtBot

from kiosk.ui.widgets.touch_keyboard import TouchKeyboard


def tap(qtbot: QtBot, button: QAbstractButton) -> None:
    """Tap ``button``, which must be on screen and enabled."""
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_on_the_keys(qtbot: QtBot, screen: QWidget, field: QWidget, keys: str) -> None:
    """Tap ``field``, then the keys of ``screen``'s touch keyboard (digits and capitals too), then Hide."""
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    keyboard = screen.findChild(TouchKeyboard)
    assert keyboard is not None and keyboard.is_open() and keyboard.target() is field
    for key in keys:
        if key.isdigit() and keyboard.current_layout() != "digits":
            tap(qtbot, keyboard.letters.buttons["digits"])
        elif not key.isdigit() and keyboard.current_layout() == "digits":
            tap(qtbot, keyboard.digits.buttons["letters"])
        panel = keyboard.digits if key.isdigit() else keyboard.letters
        if key.isupper():
            tap(qtbot, panel.buttons["shift"])  # one-shot: the next letter only
        tap(qtbot, panel.buttons[key.lower()])
    panel = keyboard.digits if keyboard.current_layout() == "digits" else keyboard.letters
    tap(qtbot, panel.buttons["hide"])
