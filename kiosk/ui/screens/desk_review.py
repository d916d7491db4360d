"""The review queue at the desk: forgotten check-outs, check-outs without check-in, long and overlapping visits.

Pick an item (a tap on its row), then keep it as it is or change its times,
with a reason (the common ones are chips: one tap). The two buttons say
which time is kept, with the times in their words: "Keep check-out 13:00"
or "Change check-out to 11:00" (保留签退时间 13:00 / 改为 11:00 签退).
Times are set with a finger: the day with a
:class:`~kiosk.ui.widgets.steppers.DateStepper` and the time with big steps
(:class:`~kiosk.ui.widgets.moment_stepper.MomentStepper`), never in the future.
The check-in is shown as recorded, with **Change check-in** to set it too;
a check-out without check-in asks for it straight away.
A volunteer's own answer to "when did you leave?" is shown and prefilled.
Corrections never delete: the kiosk records new events that replace the
wrong ones (see ``kiosk.services.review``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.services.review import ReviewItem
from kiosk.ui import theme
from kiosk.ui.theme import MIN_TOUCH_TARGET_PX, TOUCH_TARGET_PX
from kiosk.ui.widgets.moment_stepper import MomentStepper
from kiosk.ui.widgets.reason_chips import ReasonChips
from kiosk.ui.widgets.retranslating import RetranslatingFrame
from kiosk.ui.widgets.touch_keyboard import want_keyboard
from kiosk.ui.widgets.touch_table import touch_table

EARLIER_DAYS = 1
"""How many days before the visit's first recorded time a corrected time may go (a visit over midnight)."""


def _minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


class ReviewPage(RetranslatingFrame):
    """Lists the items; for the one picked, keep it or change its times, with a reason."""

    confirm_requested = Signal(str, str)  # subject event ID, reason
    correct_requested = Signal(
        str, object, object, str
    )  # subject, check-out (aware), check-in or None, reason

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._items: list[ReviewItem] = []
        self._tz: tzinfo | None = None
        self._now: datetime | None = None
        self._changing_in = False
        self.table = touch_table(5)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.itemSelectionChanged.connect(self._on_selection)
        # The list takes the height left over (at least its header and a row): the editors keep theirs.
        self.table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
        self.table.setMinimumHeight(TOUCH_TARGET_PX * 4 // 3)
        self.detail = theme.text_role(QLabel(), "body")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.in_label, self.out_label, self.reason_label = (
            theme.text_role(QLabel(), "body", strong=True) for _ in range(3)
        )
        self.in_recorded = theme.text_role(QLabel(), "large")
        self.change_in_button = theme.button_variant(QPushButton(), "secondary")
        self.change_in_button.setMinimumHeight(MIN_TOUCH_TARGET_PX + 8)
        self.change_in_button.clicked.connect(self._change_in)
        self.in_stepper = MomentStepper()
        self.out_stepper = MomentStepper()
        self.in_stepper.changed.connect(self._update_buttons)
        self.out_stepper.changed.connect(self._update_buttons)
        self.reason_edit = QLineEdit()
        self.reason_edit.setMinimumHeight(TOUCH_TARGET_PX * 2 // 3)
        want_keyboard(self.reason_edit, "chinese")
        self.reason_chips = ReasonChips()
        self.reason_chips.chosen.connect(self.reason_edit.setText)
        self.confirm_button = theme.button_variant(QPushButton(), "secondary")
        self.correct_button = theme.button_variant(QPushButton(), "primary")
        self.confirm_button.clicked.connect(self._confirm)
        self.correct_button.clicked.connect(self._correct)
        for button in (self.confirm_button, self.correct_button):
            button.setMinimumHeight(TOUCH_TARGET_PX)
        self.message = theme.text_role(QLabel(), "body")
        self.message.setWordWrap(True)
        self.message.setVisible(False)
        self._lay_out()
        self.retranslate()

    def _lay_out(self) -> None:
        recorded_in = QHBoxLayout()
        recorded_in.setContentsMargins(0, 0, 0, 0)
        recorded_in.addWidget(self.in_recorded)
        recorded_in.addSpacing(theme.SPACE_L)
        recorded_in.addWidget(self.change_in_button)
        recorded_in.addStretch()
        self.in_recorded_row = QWidget()
        self.in_recorded_row.setLayout(recorded_in)
        in_editor = QVBoxLayout()  # the check-in as recorded, or its stepper: one of the two is shown
        in_editor.setContentsMargins(0, 0, 0, 0)
        in_editor.addWidget(self.in_recorded_row)
        in_editor.addWidget(self.in_stepper)
        form = QGridLayout()
        form.setHorizontalSpacing(theme.SPACE_M)
        form.addWidget(self.in_label, 0, 0)
        form.addLayout(in_editor, 0, 1)
        form.addWidget(self.out_label, 1, 0)
        form.addWidget(self.out_stepper, 1, 1)
        form.addWidget(self.reason_label, 2, 0)
        form.addWidget(self.reason_edit, 2, 1)
        form.addWidget(self.reason_chips, 3, 1)
        form.setColumnStretch(1, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.confirm_button, 1)
        buttons.addWidget(self.correct_button, 1)
        top = QHBoxLayout()
        top.addWidget(self.table, 3)
        top.addWidget(self.detail, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)

    # -- what the desk sets ------------------------------------------------------------------------

    def set_items(self, items: list[ReviewItem], tz: tzinfo, now: datetime | None = None) -> None:
        """Show the queue (local times in ``tz``; no time after ``now`` can be set).

        The item picked stays picked, with the times set on it (a refused request, a refresh);
        otherwise the first item is picked.
        """
        kept = self._editing()
        self._items, self._tz = items, tz
        if now is not None:
            self._now = now.astimezone(tz)
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
        row = next((i for i, item in enumerate(items) if kept and item.subject_event_id == kept[0]), 0)
        if items:
            self.table.selectRow(row)
        self._on_selection()
        picked = self.selected()
        if kept is not None and picked is not None and picked.subject_event_id == kept[0]:
            self._restore(kept)

    def _editing(self) -> tuple[str, datetime, datetime, bool] | None:
        """The item picked and the times set on it: (subject, check-out, check-in, check-in changed)."""
        item = self.selected()
        if item is None or self._tz is None:
            return None
        out, check_in = self.out_stepper.moment(self._tz), self.in_stepper.moment(self._tz)
        return item.subject_event_id, out, check_in, self._changing_in

    def _restore(self, kept: tuple[str, datetime, datetime, bool]) -> None:
        _subject, out, check_in, changing_in = kept
        self.out_stepper.set_moment(out)
        self.in_stepper.set_moment(check_in)
        if changing_in:
            self._change_in()
        self._update_buttons()

    def selected(self) -> ReviewItem | None:
        """The item picked, if any."""
        rows = self.table.selectionModel().selectedRows()
        return self._items[rows[0].row()] if rows and rows[0].row() < len(self._items) else None

    def show_message(self, text: str, good: bool) -> None:
        """The answer to the last request, in plain words (green when saved, red when refused)."""
        theme.set_tone(self.message, "good" if good else "bad")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def common_reasons(self) -> list[str]:
        """The reasons offered as chips, in the language shown."""
        return [
            self.tr("Confirmed with the volunteer"),
            self.tr("As on the paper check-in sheet"),
            self.tr("Forgot to check out"),
            self.tr("The time was entered wrongly"),
        ]

    # -- the item picked ----------------------------------------------------------------------------

    def _local(self, moment: datetime) -> datetime:
        assert self._tz is not None
        return moment.astimezone(self._tz)

    def _when(self, moment: datetime | None) -> str:
        if moment is None or self._tz is None:
            return "—"
        return self._local(moment).strftime("%m-%d %H:%M")

    def _recorded(self, item: ReviewItem) -> tuple[datetime | None, datetime | None]:
        """The item's check-in and check-out as recorded, local, to the minute."""
        check_in = _minute(self._local(item.check_in.clock.wall_utc)) if item.check_in else None
        check_out = _minute(self._local(item.check_out.clock.wall_utc)) if item.check_out else None
        return check_in, check_out

    def _on_selection(self) -> None:
        item = self.selected()
        usable = item is not None and self._tz is not None
        for widget in (
            self.confirm_button,
            self.correct_button,
            self.change_in_button,
            self.in_stepper,
            self.out_stepper,
            self.reason_edit,
            self.reason_chips,
        ):
            widget.setEnabled(usable)
        self._changing_in = False
        if item is None or self._tz is None:
            self.detail.setText(self.tr("Nothing to review."))
            self.in_recorded.setText("—")
            self._show_editors(None)
            self._update_buttons()
            return
        anchor = item.check_in or item.check_out
        assert anchor is not None
        check_in, check_out = self._recorded(item)
        now = self._now or _minute(datetime.now(self._tz))
        first: date = self._local(anchor.clock.wall_utc).date() - timedelta(days=EARLIER_DAYS)
        latest = max(now, check_in or now, check_out or now)
        for stepper in (self.in_stepper, self.out_stepper):
            stepper.set_limits(first, latest)
        self.in_stepper.set_moment(check_in or check_out or now)
        proposed = _minute(self._local(item.proposed_out_utc)) if item.proposed_out_utc else None
        self.out_stepper.set_moment(proposed or check_out or check_in or now)
        self.in_recorded.setText(self._when(item.check_in.clock.wall_utc) if item.check_in else "—")
        answer = (
            self.tr("The volunteer says they left at %1.").replace("%1", self._when(item.proposed_out_utc))
            if item.proposed_out_utc
            else ""
        )
        self.detail.setText(f"{item.name} · {item.volunteer_id}\n{item.activity_title}\n{answer}".strip())
        self._show_editors(item)
        self._update_buttons()

    def _editing_in(self, item: ReviewItem | None) -> bool:
        """Whether the check-in is set here: it is missing, or "Change check-in" was tapped."""
        return item is not None and (item.check_in is None or self._changing_in)

    def _show_editors(self, item: ReviewItem | None) -> None:
        """The check-in as recorded (with "Change check-in"), or its stepper when it is changed or missing."""
        edit_in = self._editing_in(item)
        self.in_stepper.setVisible(edit_in)
        self.in_recorded_row.setVisible(not edit_in)

    def _change_in(self) -> None:
        self._changing_in = True
        self._show_editors(self.selected())
        self._update_buttons()

    def _chosen(self, item: ReviewItem) -> tuple[datetime, datetime | None]:
        """The check-out chosen, and the check-in if it is set here (None: the recorded one stays)."""
        assert self._tz is not None
        out = self.out_stepper.moment(self._tz)
        check_in = self.in_stepper.moment(self._tz) if self._editing_in(item) else None
        recorded_in, _ = self._recorded(item)
        if check_in is not None and recorded_in is not None and check_in == recorded_in:
            check_in = None  # set to what it was: not a change
        return out, check_in

    def _short(self, moment: datetime, day: date) -> str:
        """``HH:mm`` on ``day``, else ``MM-dd HH:mm``."""
        return moment.strftime("%H:%M" if moment.date() == day else "%m-%d %H:%M")

    def _update_buttons(self, *_: object) -> None:
        item = self.selected()
        if item is None or self._tz is None:
            self.confirm_button.setText(self.tr("Keep as it is"))
            self.correct_button.setText(self.tr("Change the times"))
            return
        check_in, check_out = self._recorded(item)
        out, new_in = self._chosen(item)
        day = (check_in or check_out or out).date()
        if check_out is not None:
            self.confirm_button.setText(
                self.tr("Keep check-out %1").replace("%1", self._short(check_out, day))
            )
        else:
            self.confirm_button.setText(self.tr("Keep as it is"))
        if new_in is not None:
            self.correct_button.setText(
                self.tr("Change to check-in %1, check-out %2")
                .replace("%1", self._short(new_in, day))
                .replace("%2", self._short(out, day))
            )
        else:
            self.correct_button.setText(
                self.tr("Change check-out to %1").replace("%1", self._short(out, day))
            )
        self.correct_button.setEnabled(new_in is not None or out != check_out)

    # -- the requests -------------------------------------------------------------------------------

    def _confirm(self) -> None:
        item = self.selected()
        if item is not None:
            self.confirm_requested.emit(item.subject_event_id, self.reason_edit.text())

    def _correct(self) -> None:
        item = self.selected()
        if item is None or self._tz is None:
            return
        out, check_in = self._chosen(item)
        self.correct_requested.emit(item.subject_event_id, out, check_in, self.reason_edit.text())

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
        self.change_in_button.setText(self.tr("Change check-in"))
        self.reason_edit.setPlaceholderText(self.tr("Why, in a few words (required)"))
        self.reason_chips.set_reasons(self.common_reasons())
        if self._items and self._tz is not None:
            self.set_items(self._items, self._tz)
        else:
            self._update_buttons()
