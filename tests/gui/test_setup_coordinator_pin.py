"""The setup's coordinator page asks for a PIN of 6 to 8 digits, and says so when it gets fewer."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.ui.setup.page_coordinator import CoordinatorPage


def _fill(qtbot: QtBot, page: CoordinatorPage, pin: str) -> list[tuple[str, str]]:
    added: list[tuple[str, str]] = []
    page.add_requested.connect(lambda name, typed: added.append((name, typed)))
    qtbot.keyClicks(page.name_edit, "Wang Fang")
    qtbot.keyClicks(page.pin_edit, pin)
    qtbot.keyClicks(page.again_edit, pin)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    return added


def test_a_four_digit_pin_is_refused_with_the_rule(qtbot: QtBot) -> None:
    page = CoordinatorPage()
    qtbot.addWidget(page)
    assert "6 to 8 digits" in page.hint.text()
    assert _fill(qtbot, page, "2468") == []
    assert page.message.text() == "The PIN must be 6 to 8 digits."


def test_a_six_digit_pin_is_taken(qtbot: QtBot) -> None:
    page = CoordinatorPage()
    qtbot.addWidget(page)
    assert _fill(qtbot, page, "246810") == [("Wang Fang", "246810")]
    assert page.message.text() == ""
