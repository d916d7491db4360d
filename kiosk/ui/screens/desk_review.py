"""The review queue at the desk: forgotten check-outs, check-outs without check-in, long and overlapping visits.

Pick an item, then confirm it as it is or correct its times, with a reason
(the common ones are chips: one tap).
A volunteer's own answer to "when did you leave?" is shown and prefilled.
Corrections never delete: the kiosk records new events that replace the
wrong ones (see ``kiosk.services.review``).
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateTimeEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.services.review import ReviewItem
from kiosk.ui.widgets.reason_chips import ReasonChips
from kiosk.ui.widgets.result_card import TOUCH_TARGET_PX
from kiosk.ui.widgets.retranslating import RetranslatingFrame
from kiosk.ui.widgets.touch_keyboard import want_keyboard
from kiosk.ui.widgets.touch_table import touch_table

TIME_FORMAT = "MM-dd HH:mm"


def _qt(moment: datetime, tz: tzinfo) -> QDateTime:
    local = moment.astimezone(tz)
    return QDateTime(local.year, local.month, local.day, local.hour, local.minute, 0)


def from_qt(value: QDateTime, tz: tzinfo) -> datetime:
    """A local date and time from the editor, as an aware datetime in ``tz``."""
    date, clock = value.date(), value.time()
    return datetime(date.year(), date.month(), date.day(), clock.hour(), clock.minute(), tzinfo=tz)


class ReviewPage(RetranslatingFrame):
    """Lists the items; for the one picked, confirm or correct with a reason."""

    confirm_requested = Signal(str, str)  # subject event ID, reason
    correct_requested = Signal(
        str, object, object, str
    )  # subject, check-out (aware), check-in or None, reason

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[ReviewItem] = []
        self._tz: tzinfo | None = None
        self.table = touch_table(5)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setStyleSheet("font-size: 20px;")
        self.in_label, self.out_label, self.reason_label = QLabel(), QLabel(), QLabel()
        self.in_edit = QDateTimeEdit()
        self.out_edit = QDateTimeEdit()
        for edit in (self.in_edit, self.out_edit):
            edit.setDisplayFormat(TIME_FORMAT)
            edit.setCalendarPopup(False)
        self.reason_edit = QLineEdit()
        want_keyboard(self.reason_edit, "chinese")
        self.reason_chips = ReasonChips()
        self.reason_chips.chosen.connect(self.reason_edit.setText)
        self.confirm_button = QPushButton()
        self.correct_button = QPushButton()
        self.confirm_button.clicked.connect(self._confirm)
        self.correct_button.clicked.connect(self._correct)
        for widget in (self.in_edit, self.out_edit, self.reason_edit):
            widget.setMinimumHeight(TOUCH_TARGET_PX * 2 // 3)
            widget.setStyleSheet("font-size: 22px;")
        for button in (self.confirm_button, self.correct_button):
            button.setMinimumHeight(TOUCH_TARGET_PX)
            button.setStyleSheet("font-size: 24px; padding: 0 20px;")
        self.message = QLabel()
        self.message.setWordWrap(True)
        form = QGridLayout()
        form.addWidget(self.in_label, 0, 0)
        form.addWidget(self.in_edit, 0, 1)
        form.addWidget(self.out_label, 1, 0)
        form.addWidget(self.out_edit, 1, 1)
        form.addWidget(self.reason_label, 2, 0)
        form.addWidget(self.reason_edit, 2, 1)
        form.addWidget(self.reason_chips, 3, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.correct_button)
        right = QVBoxLayout()
        right.addWidget(self.detail)
        right.addLayout(form)
        right.addLayout(buttons)
        right.addWidget(self.message)
        right.addStretch()
        layout = QHBoxLayout(self)
        layout.addWidget(self.table, 3)
        layout.addLayout(right, 2)
        self.retranslate()

    def set_items(self, items: list[ReviewItem], tz: tzinfo) -> None:
        """Show the queue (local times in ``tz``); the first item is picked."""
        self._items, self._tz = items, tz
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            values = (
                item.name,
                item.activity_title,
                self._when(item.check_in.clock.wall_utc if item.check_in else None),
                self._when(item.check_out.clock.wall_utc if item.check_out else None),
                ", ".join(self._reason_words(r) for r in item.reasons),
            )
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        if items:
            self.table.selectRow(0)
        self._on_selection()

    def selected(self) -> ReviewItem | None:
        rows = self.table.selectionModel().selectedRows()
        return self._items[rows[0].row()] if rows and rows[0].row() < len(self._items) else None

    def show_message(self, text: str, good: bool) -> None:
        self.message.setStyleSheet(f"font-size: 20px; color: {'#1B5E20' if good else '#B71C1C'};")
        self.message.setText(text)

    def _when(self, moment: datetime | None) -> str:
        if moment is None or self._tz is None:
            return "—"
        return moment.astimezone(self._tz).strftime("%m-%d %H:%M")

    def _on_selection(self) -> None:
        item = self.selected()
        usable = item is not None and self._tz is not None
        for widget in (
            self.confirm_button,
            self.correct_button,
            self.in_edit,
            self.out_edit,
            self.reason_edit,
            self.reason_chips,
        ):
            widget.setEnabled(usable)
        if item is None or self._tz is None:
            self.detail.setText(self.tr("Nothing to review."))
            return
        anchor = item.check_in or item.check_out
        assert anchor is not None
        self.in_edit.setDateTime(_qt(anchor.clock.wall_utc, self._tz))
        out = item.proposed_out_utc or (
            item.check_out.clock.wall_utc if item.check_out else anchor.clock.wall_utc
        )
        self.out_edit.setDateTime(_qt(out, self._tz))
        answer = (
            self.tr("The volunteer says they left at %1.").replace("%1", self._when(item.proposed_out_utc))
            if item.proposed_out_utc
            else ""
        )
        self.detail.setText(f"{item.name} · {item.volunteer_id}\n{item.activity_title}\n{answer}".strip())

    def _reason(self) -> str:
        return self.reason_edit.text()

    def common_reasons(self) -> list[str]:
        """The reasons offered as chips, in the language shown."""
        return [
            self.tr("Confirmed with the volunteer"),
            self.tr("As on the paper check-in sheet"),
            self.tr("Forgot to check out"),
            self.tr("The time was entered wrongly"),
        ]

    def _confirm(self) -> None:
        item = self.selected()
        if item is not None:
            self.confirm_requested.emit(item.subject_event_id, self._reason())

    def _correct(self) -> None:
        item = self.selected()
        if item is None or self._tz is None:
            return
        check_in = from_qt(self.in_edit.dateTime(), self._tz)
        original = item.check_in.clock.wall_utc.astimezone(self._tz) if item.check_in else None
        changed_in = (
            None
            if original is not None and check_in == original.replace(second=0, microsecond=0)
            else check_in
        )
        out = from_qt(self.out_edit.dateTime(), self._tz)
        self.correct_requested.emit(item.subject_event_id, out, changed_in, self._reason())

    def _reason_words(self, reason: str) -> str:
        words = {
            "auto_closed": self.tr("forgot to check out"),
            "out_without_in": self.tr("checked out without checking in"),
            "long": self.tr("very long"),
            "overlap": self.tr("overlaps another activity"),
            "capped": self.tr("over the daily limit"),
            "clock_jump": self.tr("the clock changed"),
            "negative_duration": self.tr("ends before it starts"),
            "superseded_check_in": self.tr("checked in twice"),
        }
        return words.get(reason, reason)

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Name"),
                self.tr("Activity"),
                self.tr("Checked in"),
                self.tr("Checked out"),
                self.tr("Why"),
            ]
        )
        self.in_label.setText(self.tr("Checked in"))
        self.out_label.setText(self.tr("Checked out"))
        self.reason_label.setText(self.tr("Reason"))
        self.reason_edit.setPlaceholderText(self.tr("Why, in a few words (required)"))
        self.reason_chips.set_reasons(self.common_reasons())
        self.confirm_button.setText(self.tr("Confirm as it is"))
        self.correct_button.setText(self.tr("Save the corrected times"))
        if self._items and self._tz is not None:
            self.set_items(self._items, self._tz)
