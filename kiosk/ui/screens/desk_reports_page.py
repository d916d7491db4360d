"""Reports at the desk: today's numbers and hours by category, and the report of a day, range or activity.

The dashboard is today at this kiosk. Beside it the coordinator picks the
days (the chips today, the last 7 days, this month, or a first and a last
day with two :class:`~kiosk.ui.widgets.steppers.DateStepper`) and optionally
one activity, sees the totals and the volunteers' hours, and saves the
report as CSV, Excel or PDF (to the USB stick if one is in) or prints it.

The range chosen is always in sight: the chip it matches stays lit, and a
line says the days ("2026-11-23 至 2026-11-29（7 天）"). The first day cannot
pass the last: stepping one past the other takes the other along. The
steppers offer the days ``kiosk report`` accepts, 2000-01-01 to 2099-12-31
(:mod:`checkin_protocol.report_days`), so no pick can be a typo like year
9999. Counts and hours are right-aligned, headers included, so they line up.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
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
from kiosk.ui.widgets.steppers import DateStepper
from kiosk.ui.widgets.touch_table import touch_table

NUMBER_COLUMNS = (1, 2, 3)
"""Visits, hours and to-review: right-aligned, so the figures line up."""
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
STEPPER_MIN_WIDTH_PX, STEPPER_MAX_WIDTH_PX = TOUCH_TARGET_PX * 5, TOUCH_TARGET_PX * 7
"""A day stepper's width: room around the day (400 px), and its arrows near it on a 1920 px screen (560 px)."""


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
            button.setCheckable(True)  # lit while the range chosen is this one
            button.clicked.connect(lambda *_, k=key: self._quick_range(k))
        self.range_line = theme.text_role(QLabel(), "large", tone="primary", strong=True)
        self.first_label = theme.text_role(QLabel(), "body")
        self.last_label = theme.text_role(QLabel(), "body")
        self.first_day, self.last_day = DateStepper(today_chip=False), DateStepper(today_chip=False)
        for stepper in (self.first_day, self.last_day):
            # A day outside this range is refused by the reports' CLI too; the steppers stop at it.
            stepper.set_range(_qdate(FIRST_REPORT_DAY), _qdate(LAST_REPORT_DAY))
            stepper.setMinimumWidth(STEPPER_MIN_WIDTH_PX)
            stepper.setMaximumWidth(STEPPER_MAX_WIDTH_PX)
        self.first_day.date_changed.connect(self._on_first_day)
        self.last_day.date_changed.connect(self._on_last_day)
        self.activity_label = theme.text_role(QLabel(), "body")
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
        for button in self.range_buttons.values():
            button.setMinimumHeight(TOUCH_TARGET_PX * 2 // 3)
            theme.button_variant(button, "chip", "small")
        for button in (*self.save_buttons.values(), self.print_button):
            button.setMinimumHeight(TOUCH_TARGET_PX * 2 // 3)
            theme.button_variant(button, "secondary", "small")
        self.activity_box.setMinimumHeight(TOUCH_TARGET_PX * 2 // 3)
        theme.text_role(self.activity_box, "small")

        left = QVBoxLayout()
        left.addLayout(figures)
        left.addWidget(self.chart_title)
        left.addWidget(self.chart, 1)
        controls = QHBoxLayout()
        for button in self.range_buttons.values():
            controls.addWidget(button)
        # From and to on rows of their own: two steppers side by side do not fit 1280 px in English.
        choices = QGridLayout()
        choices.addWidget(self.first_label, 0, 0)
        choices.addWidget(self.first_day, 0, 1)
        choices.addWidget(self.last_label, 1, 0)
        choices.addWidget(self.last_day, 1, 1)
        choices.addWidget(self.activity_label, 2, 0)
        choices.addWidget(self.activity_box, 2, 1, 1, 2)
        choices.setColumnStretch(2, 1)  # the room left over, right of the steppers
        saves = QHBoxLayout()
        for button in (*self.save_buttons.values(), self.print_button):
            saves.addWidget(button)
        right = QVBoxLayout()
        right.addLayout(controls)
        right.addWidget(self.range_line)
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
        self._mark_range()  # "today" may have moved on

    def set_range(self, first: date, last: date, activities: list[Activity], chosen: str | None) -> None:
        """Set the days and activity choices without asking for a report."""
        self._set_days(first, last)
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
            _pydate(self.first_day.date()),
            _pydate(self.last_day.date()),
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
                    item.setTextAlignment(RIGHT)
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

    def _presets(self) -> dict[str, tuple[date, date]]:
        """The days of each quick choice, as of the kiosk's today."""
        today = _pydate(QDate.currentDate()) if self._today is None else self._today.day
        return {
            "today": (today, today),
            "week": (today - timedelta(days=6), today),
            "month": (today.replace(day=1), today),
        }

    def _quick_range(self, key: str) -> None:
        self._set_days(*self._presets()[key])
        self._emit_request()

    def _set_days(self, first: date, last: date) -> None:
        """Show ``first``..``last`` in the steppers, the chips and the range line (no report asked)."""
        for stepper, day in ((self.first_day, first), (self.last_day, last)):
            stepper.blockSignals(True)
            stepper.set_date(_qdate(day))
            stepper.blockSignals(False)
        self._mark_range()

    def _on_first_day(self, day: QDate) -> None:
        if day > self.last_day.date():  # the first day takes the last one along
            self._set_days(_pydate(day), _pydate(day))
        self._mark_range()
        self._emit_request()

    def _on_last_day(self, day: QDate) -> None:
        if day < self.first_day.date():  # and the last day the first one
            self._set_days(_pydate(day), _pydate(day))
        self._mark_range()
        self._emit_request()

    def _mark_range(self) -> None:
        """Light the chip of the range chosen (none for other days) and say the days in words."""
        first, last, _ = self.chosen()
        for key, preset in self._presets().items():
            self.range_buttons[key].setChecked(preset == (first, last))
        if first == last:
            self.range_line.setText(first.isoformat())
        else:
            days = (last - first).days + 1
            self.range_line.setText(
                self.tr("%1 to %2 (%n days)", "", days)
                .replace("%1", first.isoformat())
                .replace("%2", last.isoformat())
            )

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
        by_category = " · ".join(
            f"{g.name} " + self.tr("%1 h").replace("%1", f"{hours(g.credited_seconds):.1f}")
            for g in report.categories
        )
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
        self.first_label.setText(self.tr("From"))
        self.last_label.setText(self.tr("To"))
        self.activity_label.setText(self.tr("Activity"))
        self.table.setHorizontalHeaderLabels(
            [self.tr("Name"), self.tr("Visits"), self.tr("Hours"), self.tr("To review")]
        )
        for column in NUMBER_COLUMNS:
            header = self.table.horizontalHeaderItem(column)
            if header is not None:
                header.setTextAlignment(RIGHT)
        self._mark_range()
        if self._today is not None:
            self.set_today(self._today)
        self._render_totals()
