"""The layout audit finds what a finger and an eye would: it is only worth its word if it can fail."""

from __future__ import annotations

from helpers.layout_audit import MIN_TARGET_PX, layout_problems
from PySide6.QtWidgets import QCheckBox, QLabel, QPushButton, QSpinBox, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot


def _window(qtbot: QtBot, *children: QWidget, size: tuple[int, int] = (600, 400)) -> QWidget:
    window = QWidget()
    layout = QVBoxLayout(window)
    for child in children:
        layout.addWidget(child)
    layout.addStretch()
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    return window


def _big(widget: QWidget) -> QWidget:
    widget.setMinimumSize(MIN_TARGET_PX * 4, MIN_TARGET_PX)
    return widget


def test_a_screen_with_room_for_everything_has_no_problems(qtbot: QtBot) -> None:
    label = QLabel("Check in")
    window = _window(qtbot, label, _big(QPushButton("Back to the kiosk")))
    assert layout_problems(window) == []


def test_a_button_too_narrow_for_its_words_is_cut_off(qtbot: QtBot) -> None:
    button = QPushButton("Back to the kiosk, then exit the kiosk program")
    button.setFixedSize(120, MIN_TARGET_PX)
    problems = layout_problems(_window(qtbot, button))
    assert [p.kind for p in problems] == ["cut-off"]
    assert "Back to the kiosk" in problems[0].widget


def test_a_one_line_label_wider_than_its_room_is_cut_off(qtbot: QtBot) -> None:
    label = QLabel("签到成功，欢迎参加图书馆阅读推广志愿服务")
    label.setFixedWidth(80)
    assert [p.kind for p in layout_problems(_window(qtbot, label))] == ["cut-off"]


def test_a_small_button_and_a_small_check_box_are_small_targets(qtbot: QtBot) -> None:
    button = QPushButton("OK")
    button.setFixedSize(60, 30)
    now = QCheckBox("Now")
    problems = layout_problems(_window(qtbot, button, now))
    assert sorted(p.kind for p in problems) == ["small-target", "small-target"]


def test_spin_box_arrows_are_judged_on_their_own(qtbot: QtBot) -> None:
    spin = QSpinBox()
    spin.setMinimumSize(MIN_TARGET_PX * 4, MIN_TARGET_PX * 2)
    problems = layout_problems(_window(qtbot, spin))
    assert len(problems) == 1 and "arrows" in problems[0].detail


def test_a_widget_past_the_window_edge_is_off_the_window(qtbot: QtBot) -> None:
    window = _window(qtbot)
    stray = QPushButton("Exit", window)
    stray.setGeometry(550, 10, 200, MIN_TARGET_PX)
    stray.show()
    assert [p.kind for p in layout_problems(window)] == ["off-window"]
