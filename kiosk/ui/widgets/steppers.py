"""Setting a time or a date with a finger: big steps and one-tap chips instead of 10 px spin arrows.

:class:`TimeStepper` shows the time large between "−" and "+" buttons (five
minutes and one hour a tap) with chips under it for the common answers
("Now", "15 min ago", "30 min ago", "1 h ago"), kept inside a range
(:meth:`TimeStepper.set_range`; a manual check-in cannot be in the future,
so the range ends now). With ``allow_now`` its "Now" chip stays chosen
until a step or another chip picks a time: :meth:`TimeStepper.is_now`.
Where "ago" means nothing (a time on another day, at the review),
``relative_chips=False`` leaves only the steps (and ``value_role="title"``
keeps the row as low as its buttons).

:class:`DateStepper` is the same for a day: the day and its weekday large,
"previous day" and "next day", and a "Today" chip (``today_chip=False``
where other chips already pick the days, or today is not a likely answer).

Both keep every target at least ``MIN_TOUCH_TARGET_PX`` and take their look
from the theme (button variants and text roles).
"""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt, QTime, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui.theme import MIN_TOUCH_TARGET_PX, TextRole, button_variant, text_role
from kiosk.ui.widgets.retranslating import RetranslatingFrame

STEP_BUTTON_PX = 64
"""The height of a step button and a chip: comfortably over the 48 px minimum."""
SMALL_STEP_MIN = 5
BIG_STEP_MIN = 60
CHIP_MINUTES_AGO = (15, 30, 60)


def _step_button(text: str, width: int = STEP_BUTTON_PX) -> QPushButton:
    button = button_variant(QPushButton(text), "secondary")
    button.setMinimumSize(max(width, MIN_TOUCH_TARGET_PX), STEP_BUTTON_PX)
    return button


def _chip() -> QPushButton:
    chip = button_variant(QPushButton(), "chip")
    chip.setCheckable(True)
    chip.setMinimumHeight(STEP_BUTTON_PX)
    return chip


class TimeStepper(RetranslatingFrame):
    """A time of day between an earliest and a latest, set by steps and chips; emits ``time_changed``."""

    time_changed = Signal(QTime)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        allow_now: bool = False,
        relative_chips: bool = True,
        value_role: TextRole = "figure",
    ) -> None:
        super().__init__(parent)
        self._earliest, self._latest = QTime(0, 0), QTime(23, 59)
        self._time = QTime(self._latest)
        self._now = allow_now
        self.value = text_role(QLabel(), value_role)  # "title" where room is short: no taller than a step
        self.back_hour, self.back, self.forward, self.forward_hour = (
            _step_button(""),
            _step_button(""),
            _step_button(""),
            _step_button(""),
        )
        self.back_hour.clicked.connect(lambda *_: self._step(-BIG_STEP_MIN))
        self.back.clicked.connect(lambda *_: self._step(-SMALL_STEP_MIN))
        self.forward.clicked.connect(lambda *_: self._step(SMALL_STEP_MIN))
        self.forward_hour.clicked.connect(lambda *_: self._step(BIG_STEP_MIN))
        self.now_chip = _chip()
        self.now_chip.clicked.connect(lambda *_: self.choose_now())
        self.ago_chips = {minutes: _chip() for minutes in CHIP_MINUTES_AGO}
        for minutes, chip in self.ago_chips.items():
            chip.clicked.connect(lambda *_, m=minutes: self._choose_ago(m))

        steps = QHBoxLayout()
        steps.addWidget(self.back_hour)
        steps.addWidget(self.back)
        steps.addStretch()
        steps.addWidget(self.value)
        steps.addStretch()
        steps.addWidget(self.forward)
        steps.addWidget(self.forward_hour)
        self.chips_row = QWidget()
        chips = QHBoxLayout(self.chips_row)
        chips.setContentsMargins(0, 0, 0, 0)
        chips.addWidget(self.now_chip)
        for chip in self.ago_chips.values():
            chips.addWidget(chip)
        chips.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(steps)
        layout.addWidget(self.chips_row)
        self.now_chip.setVisible(allow_now)  # after the layout: shown without a parent it would be a window
        for chip in self.ago_chips.values():
            chip.setVisible(relative_chips)
        self.chips_row.setVisible(allow_now or relative_chips)  # no chips: no empty row under the steps
        self.retranslate()
        self._show()

    # -- the value -------------------------------------------------------------------------------

    def time(self) -> QTime:
        """The chosen time (the latest of the range while "Now" is chosen)."""
        return QTime(self._latest) if self._now else QTime(self._time)

    def is_now(self) -> bool:
        """True while the "Now" chip is chosen (only with ``allow_now``)."""
        return self._now

    def set_range(self, earliest: QTime, latest: QTime) -> None:
        """Times outside ``earliest``..``latest`` cannot be chosen; the time moves inside if it must."""
        self._earliest, self._latest = QTime(earliest), QTime(latest)
        self._set(self._time)

    def set_time(self, value: QTime) -> None:
        """Choose ``value`` (kept inside the range); "Now" is no longer chosen."""
        self._now = False
        self._set(value)

    # -- taps --------------------------------------------------------------------------------------

    def _step(self, minutes: int) -> None:
        start = self.time()
        self._now = False
        self._set(start.addSecs(minutes * 60) if self._fits(start, minutes) else self._edge(minutes))

    def choose_now(self) -> None:
        """Choose "Now" (with ``allow_now``): the time follows the range's latest."""
        self._now = True
        self._set(self._latest)

    def _choose_ago(self, minutes: int) -> None:
        self._now = False
        latest_minutes = self._latest.hour() * 60 + self._latest.minute()
        self._set(self._latest.addSecs(-minutes * 60) if latest_minutes >= minutes else self._earliest)

    def _fits(self, start: QTime, minutes: int) -> bool:
        """Whether ``start`` moved by ``minutes`` stays on the same day (QTime wraps at midnight)."""
        total = start.hour() * 60 + start.minute() + minutes
        return 0 <= total < 24 * 60

    def _edge(self, minutes: int) -> QTime:
        return self._latest if minutes > 0 else self._earliest

    def _set(self, value: QTime) -> None:
        clamped = min(max(value, self._earliest), self._latest)
        changed = clamped != self._time
        self._time = QTime(clamped)
        self._show()
        if changed:
            self.time_changed.emit(self.time())

    def _show(self) -> None:
        shown = self.time()
        self.value.setText(shown.toString("HH:mm"))
        self.back_hour.setEnabled(shown > self._earliest)
        self.back.setEnabled(shown > self._earliest)
        self.forward.setEnabled(shown < self._latest)
        self.forward_hour.setEnabled(shown < self._latest)
        self.now_chip.setChecked(self._now)
        for minutes, chip in self.ago_chips.items():
            chip.setChecked(not self._now and self._latest.addSecs(-minutes * 60) == self._time)

    def retranslate(self) -> None:
        self.back_hour.setText(self.tr("−1 h"))
        self.back.setText(self.tr("−5 min"))
        self.forward.setText(self.tr("+5 min"))
        self.forward_hour.setText(self.tr("+1 h"))
        self.now_chip.setText(self.tr("Now"))
        for minutes, chip in self.ago_chips.items():
            if minutes % 60 == 0:
                chip.setText(self.tr("%n h ago", "", minutes // 60))
            else:
                chip.setText(self.tr("%n min ago", "", minutes))


class DateStepper(RetranslatingFrame):
    """A day between a first and a last, set by "previous day", "next day" and "Today"; emits ``date_changed``."""

    date_changed = Signal(QDate)

    def __init__(self, parent: QWidget | None = None, *, today_chip: bool = True) -> None:
        super().__init__(parent)
        self._first, self._last = QDate(2000, 1, 1), QDate(2099, 12, 31)
        self._today = QDate.currentDate()
        self._date = QDate(self._today)
        self._weekdays: tuple[str, ...] = ()
        self.value = text_role(QLabel(), "large", strong=True)
        self.value.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.previous = _step_button("◀", STEP_BUTTON_PX)
        self.next = _step_button("▶", STEP_BUTTON_PX)
        self.today_chip = _chip()
        self.previous.clicked.connect(lambda *_: self.set_date(self._date.addDays(-1)))
        self.next.clicked.connect(lambda *_: self.set_date(self._date.addDays(1)))
        self.today_chip.clicked.connect(lambda *_: self.set_date(self._today))
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.previous, 0, 0)
        layout.addWidget(self.value, 0, 1)
        layout.addWidget(self.next, 0, 2)
        layout.addWidget(self.today_chip, 0, 3)
        layout.setColumnStretch(1, 1)
        self.today_chip.setVisible(today_chip)  # after the layout, like the time's "Now"
        self.retranslate()

    def date(self) -> QDate:
        """The chosen day."""
        return QDate(self._date)

    def set_range(self, first: QDate, last: QDate, today: QDate | None = None) -> None:
        """Days outside ``first``..``last`` cannot be chosen; ``today`` is what the chip picks."""
        self._first, self._last = QDate(first), QDate(last)
        if today is not None:
            self._today = QDate(today)
        self.set_date(self._date)

    def set_date(self, value: QDate) -> None:
        """Choose ``value``, kept inside the range."""
        clamped = min(max(value, self._first), self._last)
        changed = clamped != self._date
        self._date = QDate(clamped)
        self._show()
        if changed:
            self.date_changed.emit(self.date())

    def _show(self) -> None:
        weekday = self._weekdays[self._date.dayOfWeek() - 1]
        self.value.setText(f"{self._date.toString('yyyy-MM-dd')} {weekday}")
        self.previous.setEnabled(self._date > self._first)
        self.next.setEnabled(self._date < self._last)
        self.today_chip.setChecked(self._date == self._today)
        self.today_chip.setEnabled(self._first <= self._today <= self._last)

    def retranslate(self) -> None:
        self.previous.setToolTip(self.tr("Previous day"))
        self.next.setToolTip(self.tr("Next day"))
        self.today_chip.setText(self.tr("Today"))
        self._weekdays = (
            self.tr("Mon"),
            self.tr("Tue"),
            self.tr("Wed"),
            self.tr("Thu"),
            self.tr("Fri"),
            self.tr("Sat"),
            self.tr("Sun"),
        )
        self._show()
