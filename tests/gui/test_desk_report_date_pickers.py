"""The desk's report page offers only days a report can be made of (2000-01-01..2099-12-31)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot

from kiosk.ui.screens.desk_reports_page import ReportsPage


def test_the_date_pickers_stop_at_the_ends_of_the_report_range(qtbot: QtBot) -> None:
    page = ReportsPage()
    qtbot.addWidget(page)
    asked: list[tuple[date, date]] = []
    page.report_requested.connect(lambda first, last, _activity: asked.append((first, last)))
    page.set_range(date(2026, 11, 29), date(2026, 11, 29), [], None)

    page.last_edit.setDate(QDate(9999, 12, 31))
    page.first_edit.setDate(QDate(1752, 9, 14))

    first, last, _ = page.chosen()
    assert (first, last) == (date(2000, 1, 1), date(2099, 12, 31))
    assert asked and all(date(2000, 1, 1) <= first <= last <= date(2099, 12, 31) for first, last in asked)
    assert page.first_edit.minimumDate() == QDate(2000, 1, 1)
    assert page.last_edit.maximumDate() == QDate(2099, 12, 31)
