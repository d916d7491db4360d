"""The desk's report page offers only days a report can be made of (2000-01-01..2099-12-31), set by taps."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from kiosk.ui.screens.desk_reports_page import ReportsPage


def test_the_day_steppers_stop_at_the_ends_of_the_report_range(qtbot: QtBot) -> None:
    window = QWidget()
    page = ReportsPage()
    QVBoxLayout(window).addWidget(page)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    asked: list[tuple[date, date]] = []
    page.report_requested.connect(lambda first, last, _activity: asked.append((first, last)))
    page.set_range(date(2026, 11, 29), date(2026, 11, 29), [], None)

    page.last_day.set_date(QDate(9999, 12, 31))
    page.first_day.set_date(QDate(1752, 9, 14))

    first, last, _ = page.chosen()
    assert (first, last) == (date(2000, 1, 1), date(2099, 12, 31))
    assert asked and all(date(2000, 1, 1) <= first <= last <= date(2099, 12, 31) for first, last in asked)
    assert not page.first_day.previous.isEnabled() and not page.last_day.next.isEnabled()

    qtbot.mouseClick(page.first_day.next, Qt.MouseButton.LeftButton)
    assert page.chosen()[0] == date(2000, 1, 2) and page.first_day.previous.isEnabled()
    assert page.range_line.text().startswith("2000-01-02 ")
