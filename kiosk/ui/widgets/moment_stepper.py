"""A day and a time of day set with a finger, side by side: for a check-in or check-out on an earlier day.

:class:`MomentStepper` puts a :class:`~kiosk.ui.widgets.steppers.DateStepper`
(no "Today" chip) beside a :class:`~kiosk.ui.widgets.steppers.TimeStepper`
(steps only: "15 min ago" means nothing for yesterday). It stays inside its
limits (:meth:`MomentStepper.set_limits`): days from a first one to the
latest's, and on the latest's day no time after it (never in the future).
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from PySide6.QtCore import QDate, QTime, Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from kiosk.ui import theme
from kiosk.ui.widgets.retranslating import RetranslatingFrame
from kiosk.ui.widgets.steppers import DateStepper, TimeStepper

MAX_WIDTH_PX = theme.TOUCH_TARGET_PX * 14
"""The widest it grows (1120 px): on a 1920 px screen the arrows stay near the day and the time."""


def _qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


class MomentStepper(RetranslatingFrame):
    """A local date and time between limits; emits ``changed`` after every step."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._latest: datetime | None = None
        self.day = DateStepper(today_chip=False)
        self.clock = TimeStepper(relative_chips=False, value_role="title")
        self.day.date_changed.connect(self._on_day)
        self.clock.time_changed.connect(lambda *_: self.changed.emit())
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.SPACE_L)
        layout.addWidget(self.day, 2)
        layout.addWidget(self.clock, 3)
        self.setMaximumWidth(MAX_WIDTH_PX)

    def set_limits(self, first: date, latest: datetime) -> None:
        """Days from ``first`` to ``latest``'s day; on that day, times up to ``latest`` (local)."""
        self._latest = latest
        self.day.set_range(_qdate(first), _qdate(latest.date()))
        self._limit_time()

    def set_moment(self, moment: datetime) -> None:
        """Show ``moment`` (its local date and time, to the minute), kept inside the limits."""
        self.day.blockSignals(True)
        self.day.set_date(_qdate(moment.date()))
        self.day.blockSignals(False)
        self._limit_time()
        self.clock.set_time(QTime(moment.hour, moment.minute))

    def moment(self, tz: tzinfo) -> datetime:
        """The chosen local date and time, as an aware datetime in ``tz``."""
        day, clock = self.day.date(), self.clock.time()
        return datetime(day.year(), day.month(), day.day(), clock.hour(), clock.minute(), tzinfo=tz)

    def _limit_time(self) -> None:
        latest = self._latest
        on_latest_day = latest is not None and self.day.date() == _qdate(latest.date())
        end = QTime(latest.hour, latest.minute) if latest is not None and on_latest_day else QTime(23, 59)
        self.clock.set_range(QTime(0, 0), end)

    def _on_day(self, _day: QDate) -> None:
        self._limit_time()
        self.changed.emit()
