"""The theme on real widgets: sizes follow ``[ui] text_scale``, tones colour text, cards show their tone.

Each test gives the application the theme and takes it away again, so the other GUI tests see the
application as the composition root leaves it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.gui import make_kiosk
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from kiosk.ui import theme
from kiosk.ui.messages import ResultView, Tone
from kiosk.ui.widgets.result_card import ResultCard


@pytest.fixture
def themed(qapp: QApplication) -> Iterator[QApplication]:
    palette, sheet = qapp.palette(), qapp.styleSheet()
    yield qapp
    qapp.setStyleSheet(sheet)
    qapp.setPalette(palette)


@pytest.mark.parametrize("text_scale", [1.0, 1.25, 1.5])
def test_a_title_is_as_large_as_the_text_scale_asks(
    qtbot: QtBot, themed: QApplication, text_scale: float
) -> None:
    theme.apply_theme(themed, text_scale)
    title = theme.text_role(QLabel("Coordinator"), "title")
    qtbot.addWidget(title)
    title.ensurePolished()
    assert title.font().pixelSize() == round(34 * text_scale)
    assert title.font().bold()


def test_a_tone_colours_the_text_and_can_change(qtbot: QtBot, themed: QApplication) -> None:
    theme.apply_theme(themed)
    label = theme.text_role(QLabel("Saved"), "body", tone="good")
    qtbot.addWidget(label)
    label.ensurePolished()
    assert label.palette().color(QPalette.ColorRole.WindowText) == QColor(theme.GOOD)
    theme.set_tone(label, "bad")
    assert label.palette().color(QPalette.ColorRole.WindowText) == QColor(theme.BAD)
    theme.set_tone(label, None)
    assert label.palette().color(QPalette.ColorRole.WindowText) == QColor(theme.TEXT)


def test_buttons_are_flat_and_the_main_action_stands_out(qtbot: QtBot, themed: QApplication) -> None:
    theme.apply_theme(themed)
    plain, main = QPushButton("Back"), theme.button_variant(QPushButton("Next"), "primary")
    for button in (plain, main):
        qtbot.addWidget(button)
        button.resize(200, theme.TOUCH_TARGET_PX)
    middle = (100, theme.TOUCH_TARGET_PX // 2 + 20)  # below the text
    assert QColor(plain.grab().toImage().pixel(*middle)) == QColor(theme.SURFACE_RAISED)
    assert QColor(main.grab().toImage().pixel(*middle)) == QColor(theme.PRIMARY)


def test_a_check_out_card_has_another_colour_than_a_check_in_card(qtbot: QtBot, themed: QApplication) -> None:
    theme.apply_theme(themed)
    card = ResultCard()
    qtbot.addWidget(card)
    card.resize(600, 500)
    fills = {}
    for tone in (Tone.SUCCESS, Tone.CHECK_OUT, Tone.ERROR):
        card.show_view(ResultView(tone, "Checked", "雷*霞", "at 09:00"))
        fills[tone] = QColor(card.grab().toImage().pixel(300, 480))  # inside the border, below the text
    assert fills[Tone.SUCCESS] == QColor(theme.GOOD_CONTAINER)
    assert fills[Tone.CHECK_OUT] == QColor(theme.CHECK_OUT_CONTAINER)
    assert fills[Tone.ERROR] == QColor(theme.BAD_CONTAINER)


def test_the_kiosk_window_is_built_with_the_theme_at_the_configured_text_scale(
    tmp_path: Path, qtbot: QtBot, themed: QApplication
) -> None:
    themed.setStyleSheet("")
    data = tmp_path / "data"
    data.mkdir()
    (data / "config.toml").write_text("[ui]\ntext_scale = 1.25\n", encoding="utf-8")
    ui = make_kiosk(data)
    qtbot.addWidget(ui.window)
    try:
        assert themed.styleSheet() == theme.app_style_sheet(1.25)
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()
