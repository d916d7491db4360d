"""Times and dates set with a finger: steps, chips, the range, and nothing under 48 px."""

from __future__ import annotations

from helpers.layout_audit import layout_problems
from PySide6.QtCore import QDate, Qt, QTime
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from kiosk.ui.widgets.steppers import DateStepper, TimeStepper


def _tap(qtbot: QtBot, button: QPushButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _shown(qtbot: QtBot, widget: QWidget) -> QWidget:
    window = QWidget()
    QVBoxLayout(window).addWidget(widget)
    qtbot.addWidget(window)
    window.resize(1280, 300)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_time_steps_by_five_minutes_and_an_hour_inside_its_range(qtbot: QtBot) -> None:
    stepper = TimeStepper()
    _window = _shown(qtbot, stepper)  # kept referenced: the stepper lives in it
    stepper.set_range(QTime(8, 0), QTime(10, 20))
    assert stepper.time() == QTime(10, 20) and stepper.value.text() == "10:20"
    assert not stepper.forward.isEnabled()  # not into the future
    with qtbot.waitSignal(stepper.time_changed) as changed:
        _tap(qtbot, stepper.back)
    assert changed.args == [QTime(10, 15)]
    _tap(qtbot, stepper.back_hour)
    _tap(qtbot, stepper.back_hour)
    assert stepper.time() == QTime(8, 15)
    _tap(qtbot, stepper.back_hour)  # past the earliest: stops there
    assert stepper.time() == QTime(8, 0) and not stepper.back.isEnabled()
    _tap(qtbot, stepper.forward)
    assert stepper.value.text() == "08:05"


def test_chips_pick_the_common_answers_and_now_follows_the_range(qtbot: QtBot) -> None:
    stepper = TimeStepper(allow_now=True)
    _window = _shown(qtbot, stepper)  # kept referenced: the stepper lives in it
    stepper.set_range(QTime(0, 0), QTime(9, 40))
    assert stepper.is_now() and stepper.now_chip.isChecked()
    _tap(qtbot, stepper.ago_chips[30])
    assert stepper.time() == QTime(9, 10) and not stepper.is_now()
    assert stepper.ago_chips[30].isChecked() and not stepper.now_chip.isChecked()
    _tap(qtbot, stepper.ago_chips[60])
    assert stepper.time() == QTime(8, 40)
    _tap(qtbot, stepper.now_chip)
    assert stepper.is_now()
    stepper.set_range(QTime(0, 0), QTime(9, 45))  # a minute later: "Now" moves with it
    assert stepper.time() == QTime(9, 45)


def test_an_hour_ago_just_after_midnight_is_midnight_not_yesterday(qtbot: QtBot) -> None:
    stepper = TimeStepper()
    _window = _shown(qtbot, stepper)  # kept referenced: the stepper lives in it
    stepper.set_range(QTime(0, 0), QTime(0, 20))
    _tap(qtbot, stepper.ago_chips[60])
    assert stepper.time() == QTime(0, 0)
    _tap(qtbot, stepper.back_hour)
    assert stepper.time() == QTime(0, 0)


def test_the_date_steps_by_a_day_and_today_is_one_tap(qtbot: QtBot) -> None:
    stepper = DateStepper()
    _window = _shown(qtbot, stepper)  # kept referenced: the stepper lives in it
    stepper.set_range(QDate(2026, 11, 1), QDate(2026, 11, 29), today=QDate(2026, 11, 29))
    stepper.set_date(QDate(2026, 11, 29))
    assert stepper.value.text().startswith("2026-11-29 ") and stepper.today_chip.isChecked()
    assert not stepper.next.isEnabled()
    _tap(qtbot, stepper.previous)
    assert stepper.date() == QDate(2026, 11, 28) and not stepper.today_chip.isChecked()
    _tap(qtbot, stepper.today_chip)
    assert stepper.date() == QDate(2026, 11, 29)
    stepper.set_date(QDate(2026, 10, 1))
    assert stepper.date() == QDate(2026, 11, 1) and not stepper.previous.isEnabled()


def test_every_target_is_large_enough_and_no_word_is_cut(qtbot: QtBot) -> None:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.addWidget(TimeStepper(allow_now=True))
    layout.addWidget(DateStepper())
    window = _shown(qtbot, box)
    assert layout_problems(window) == []
