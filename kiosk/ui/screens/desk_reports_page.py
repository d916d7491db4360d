"""Reports at the desk: today's numbers and hours by category, and the report of a day, range or activity.

The dashboard is today at this kiosk. Below it the coordinator picks the
days (today, the last 7 days, this month, or from/to) and optionally one
activity, sees the totals and the volunteers' hours, and saves the report as
CSV, Excel or PDF (to the USB stick if one is in) or prints it. The date
pickers offer the days ``kiosk report`` accepts, 2000-01-01 to 2099-12-31
(:mod:`checkin_protocol.report_days`), so no pick can be a typo like year 9999.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from checkin_protocol.models import Activity
from checkin_protocol.report_days import FIRST_REPORT_DAY, LAST_REPORT_DAY
from kiosk.services.desk_reports import DeskReport, TodaySummary, VolunteerRow, hours
from kiosk.ui import theme
from kiosk.ui.theme import TOUCH_TARGET_PX
from kiosk.ui.widgets.category_chart import CategoryChart
from kiosk.ui.widgets.retranslating import RetranslatingFrame
from kiosk.ui.widgets.touch_table import touch_table

NUMBER_COLUMNS = (1, 2, 3)
"""Visits, hours and to-review: right-aligned, so the figures line up."""


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class ReportsPage(RetranslatingFrame):
    """Dashboard, range and activity choice, the report's table, and save/print requests."""

    report_requested = Signal(object, object, object)  # first date, last date, activity ID or None
    save_requested = Signal(str)  # "csv", "xlsx" or "pdf"
    print_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today: TodaySummary | None = None
        self._report: DeskReport | None = None
        self._message = ("", True)
        self.figures = {key: QLabel() for key in ("checked_in", "on_site", "hours")}
        self.figure_names = {key: QLabel() for key in self.figures}
        figures = QGridLayout()
        for column, key in enumerate(self.figures):
            theme.text_role(self.figures[key], "display", tone="primary")
            theme.text_role(self.figure_names[key], "small", tone="muted")
            figures.addWidget(self.figures[key], 0, column)
            figures.addWidget(self.figure_names[key], 1, column)
        self.chart_title = theme.text_role(QLabel(), "body", strong=True)
        self.chart = CategoryChart()

        self.range_buttons = {key: QPushButton() for key in ("today", "week", "month")}
        for key, button in self.range_buttons.items():
            button.clicked.connect(lambda *_, k=key: self._quick_range(k))
        self.first_edit, self.last_edit = QDateEdit(), QDateEdit()
        for edit in (self.first_edit, self.last_edit):
            edit.setDisplayFormat("yyyy-MM-dd")
            # A day outside this range is refused by the reports' CLI too; Qt clamps to it.
            edit.setDateRange(_qdate(FIRST_REPORT_DAY), _qdate(LAST_REPORT_DAY))
            edit.dateChanged.connect(self._emit_request)
        self.activity_box = QComboBox()
        self.activity_box.currentIndexChanged.connect(self._emit_request)
        self.totals = theme.text_role(QLabel(), "body")
        self.totals.setWordWrap(True)
        self.table = touch_table(4)
        self.save_buttons = {key: QPushButton() for key in ("csv", "xlsx", "pdf")}
        for key, button in self.save_buttons.items():
            button.clicked.connect(lambda *_, k=key: self.save_requested.emit(k))
        self.print_button = QPushButton()
        self.print_button.clicked.connect(self.print_requested)
        self.message = theme.text_role(QLabel(), "caption")
        self.message.setWordWrap(True)
        for button in (*self.range_buttons.values(), *self.save_buttons.values(), self.print_button):
            button.setMinimumHeight(TOUCH_TARGET_PX * 2 // 3)
            theme.button_variant(button, "chip", "small")
        for widget in (self.first_edit, self.last_edit, self.activity_box):
            widget.setMinimumHeight(TOUCH_TARGET_PX * 2 // 3)
            theme.text_role(widget, "small")

        left = QVBoxLayout()
        left.addLayout(figures)
        left.addWidget(self.chart_title)
        left.addWidget(self.chart, 1)
        controls = QHBoxLayout()
        for button in self.range_buttons.values():
            controls.addWidget(button)
        # The dates on the activity's row: one row of five controls does not fit 1280 px with larger text.
        choices = QHBoxLayout()
        choices.addWidget(self.first_edit)
        choices.addWidget(self.last_edit)
        choices.addWidget(self.activity_box, 1)
        saves = QHBoxLayout()
        for button in (*self.save_buttons.values(), self.print_button):
            saves.addWidget(button)
        right = QVBoxLayout()
        right.addLayout(controls)
        right.addLayout(choices)
        right.addWidget(self.totals)
        right.addWidget(self.table, 1)
        right.addLayout(saves)
        right.addWidget(self.message)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addLayout(right, 3)
        self.retranslate()

    # -- data -------------------------------------------------------------------------------------

    def set_today(self, today: TodaySummary) -> None:
        """Today's numbers and hours by category."""
        self._today = today
        self.figures["checked_in"].setText(str(today.checked_in))
        self.figures["on_site"].setText(str(today.on_site))
        self.figures["hours"].setText(f"{hours(today.credited_seconds):.1f}")
        self.chart.set_rows(
            [(g.name, hours(g.credited_seconds)) for g in today.by_category], self.tr("No hours yet today")
        )

    def set_range(self, first: date, last: date, activities: list[Activity], chosen: str | None) -> None:
        """Set the days and activity choices without asking for a report."""
        for edit, day in ((self.first_edit, first), (self.last_edit, last)):
            edit.blockSignals(True)
            edit.setDate(_qdate(day))
            edit.blockSignals(False)
        self.activity_box.blockSignals(True)
        self.activity_box.clear()
        self.activity_box.addItem(self.tr("All activities"), None)
        for activity in activities:
            self.activity_box.addItem(activity.title, activity.activity_id)
        index = self.activity_box.findData(chosen) if chosen else 0
        self.activity_box.setCurrentIndex(max(index, 0))
        self.activity_box.blockSignals(False)

    def chosen(self) -> tuple[date, date, str | None]:
        """The days and activity chosen."""
        value = self.activity_box.currentData()
        return (
            _pydate(self.first_edit.date()),
            _pydate(self.last_edit.date()),
            (str(value) if value else None),
        )

    def set_report(self, report: DeskReport) -> None:
        """Show a report's totals and the volunteers' rows."""
        self._report = report
        self.table.setRowCount(len(report.volunteers))
        for row, volunteer in enumerate(report.volunteers):
            values = (
                volunteer.name,
                str(volunteer.visits),
                self._hours_text(volunteer),
                str(volunteer.to_review or ""),
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column in NUMBER_COLUMNS:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)
        self._render_totals()

    def _hours_text(self, volunteer: VolunteerRow) -> str:
        """Counted hours; a volunteer still on site says so instead of a bare 0.00."""
        counted = f"{hours(volunteer.credited_seconds):.2f}"
        if not volunteer.on_site:
            return counted
        if volunteer.credited_seconds == 0:
            return self.tr("on site")
        return self.tr("%1 + on site").replace("%1", counted)

    def show_message(self, text: str, good: bool) -> None:
        self._message = (text, good)
        theme.set_tone(self.message, "good" if good else "bad")
        self.message.setText(text)

    # -- behaviour --------------------------------------------------------------------------------

    def _quick_range(self, key: str) -> None:
        today = _pydate(QDate.currentDate()) if self._today is None else self._today.day
        first = {"today": today, "week": today - timedelta(days=6), "month": today.replace(day=1)}[key]
        self.first_edit.blockSignals(True)
        self.first_edit.setDate(_qdate(first))
        self.first_edit.blockSignals(False)
        self.last_edit.setDate(_qdate(today))
        self._emit_request()

    def _emit_request(self, *_: object) -> None:
        first, last, activity = self.chosen()
        if last < first:
            self.show_message(self.tr("The last day is before the first."), False)
            return
        self.report_requested.emit(first, last, activity)

    def _render_totals(self) -> None:
        report = self._report
        if report is None:
            self.totals.setText("")
            return
        seconds = sum(v.credited_seconds for v in report.volunteers)
        text = (
            self.tr("%1 visits by %2 volunteers, %3 hours")
            .replace("%1", str(sum(v.visits for v in report.volunteers)))
            .replace("%2", str(len(report.volunteers)))
            .replace("%3", f"{hours(seconds):.1f}")
        )
        by_category = " · ".join(f"{g.name} {hours(g.credited_seconds):.1f} h" for g in report.categories)
        self.totals.setText(f"{text}\n{by_category}" if by_category else text)

    def retranslate(self) -> None:
        names = {
            "checked_in": self.tr("checked in today"),
            "on_site": self.tr("on site now"),
            "hours": self.tr("hours today"),
        }
        for key, label in self.figure_names.items():
            label.setText(names[key])
        self.chart_title.setText(self.tr("Hours by category today"))
        self.range_buttons["today"].setText(self.tr("Today"))
        self.range_buttons["week"].setText(self.tr("7 days"))
        self.range_buttons["month"].setText(self.tr("This month"))
        self.save_buttons["csv"].setText(self.tr("Save CSV"))
        self.save_buttons["xlsx"].setText(self.tr("Save Excel"))
        self.save_buttons["pdf"].setText(self.tr("Save PDF"))
        self.print_button.setText(self.tr("Print"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("Visits"), self.tr("Hours"), self.tr("To review")]
        )
        if self._today is not None:
            self.set_today(self._today)
        self._render_totals()
