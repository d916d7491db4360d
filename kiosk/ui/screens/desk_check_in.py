"""Find volunteers and check them in or out by hand: one, or a ticked group, now or at an earlier time.

Results come as you type (name, pinyin, pinyin initials, last phone digits,
volunteer ID) or when a card is scanned on this page. A reason is required;
the common ones are one tap away. What happened to each person is listed
after the request, in plain words.
"""

from __future__ import annotations

from datetime import time

from PySide6.QtCore import Qt, QTime, Signal, SignalInstance
from PySide6.QtWidgets import (
    QAbstractItemView,
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
from kiosk.services.desk import ManualResult
from kiosk.services.volunteer_search import VolunteerMatch
from kiosk.ui import theme
from kiosk.ui.widgets.reason_chips import ReasonChips
from kiosk.ui.widgets.result_card import TOUCH_TARGET_PX
from kiosk.ui.widgets.retranslating import RetranslatingFrame
from kiosk.ui.widgets.search_box import SearchBox
from kiosk.ui.widgets.steppers import TimeStepper
from kiosk.ui.widgets.touch_keyboard import want_keyboard
from kiosk.ui.widgets.touch_table import touch_table


class CheckInPage(RetranslatingFrame):
    """Search, tick, choose activity, time and reason; emits the check-in or check-out request."""

    query_changed = Signal(str)
    # (volunteer IDs, activity ID, local time or None for now, reason)
    check_in_requested = Signal(list, str, object, str)
    check_out_requested = Signal(list, str, object, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._matches: list[VolunteerMatch] = []
        self._on_site: set[str] = set()
        self._results: list[tuple[str, ManualResult]] = []
        self.search = SearchBox()
        self.search.query_changed.connect(self.query_changed)
        self.table = touch_table(5)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.cellClicked.connect(self._toggle_row)
        self.table.itemChanged.connect(self._update_buttons)

        self.activity_box = QComboBox()
        self.time_stepper = TimeStepper(allow_now=True)  # "Now", or an earlier time by steps and chips
        self.reason_box = QComboBox()
        self.reason_box.setEditable(True)
        want_keyboard(self.reason_box, "chinese")
        self.reason_chips = ReasonChips()
        self.reason_chips.chosen.connect(self.reason_box.setEditText)
        self.check_in_button = QPushButton()
        self.check_out_button = QPushButton()
        self.check_in_button.clicked.connect(lambda *_: self._request(self.check_in_requested))
        self.check_out_button.clicked.connect(lambda *_: self._request(self.check_out_requested))
        for widget in (self.activity_box, self.reason_box):
            widget.setMinimumHeight(TOUCH_TARGET_PX * 2 // 3)
            theme.text_role(widget, "body")
        for button in (self.check_in_button, self.check_out_button):
            button.setMinimumHeight(TOUCH_TARGET_PX)
        theme.button_variant(self.check_in_button, "primary", "large")  # one main action
        theme.button_variant(self.check_out_button, "secondary", "large")
        self.activity_label, self.time_label, self.reason_label = QLabel(), QLabel(), QLabel()
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        theme.text_role(self.hint, "caption", tone="muted")
        self.results_label = QLabel()
        self.results_label.setWordWrap(True)
        theme.text_role(self.results_label, "small")
        self.results_label.setTextFormat(Qt.TextFormat.PlainText)
        self.results_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

        form = QGridLayout()
        form.addWidget(self.activity_label, 0, 0)
        form.addWidget(self.activity_box, 0, 1, 1, 2)
        form.addWidget(self.time_label, 1, 0, Qt.AlignmentFlag.AlignTop)
        form.addWidget(self.time_stepper, 1, 1, 1, 2)
        form.addWidget(self.reason_label, 2, 0)
        form.addWidget(self.reason_box, 2, 1, 1, 2)
        form.addWidget(self.reason_chips, 3, 1, 1, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_in_button)
        buttons.addWidget(self.check_out_button)
        left = QVBoxLayout()
        left.addWidget(self.search)
        left.addWidget(self.hint)
        left.addWidget(self.table, 1)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addLayout(buttons)
        right.addWidget(self.results_label, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addLayout(right, 2)
        self.retranslate()

    # -- data -------------------------------------------------------------------------------------

    def set_activities(self, activities: list[Activity]) -> None:
        """The open activities people can be checked in to; keeps the choice."""
        chosen = self.chosen_activity()
        self.activity_box.clear()
        for activity in activities:
            self.activity_box.addItem(activity.title, activity.activity_id)
        index = self.activity_box.findData(chosen) if chosen else 0
        self.activity_box.setCurrentIndex(max(index, 0))
        self._update_buttons()

    def chosen_activity(self) -> str | None:
        value = self.activity_box.currentData()
        return str(value) if value is not None else None

    def set_matches(self, matches: list[VolunteerMatch], on_site: set[str]) -> None:
        """Show search results; people ticked before stay ticked (and listed) for a group."""
        ticked = {m.volunteer_id: m for m in self._matches if m.volunteer_id in self.ticked_ids()}
        merged = list(ticked.values()) + [m for m in matches if m.volunteer_id not in ticked]
        self._matches, self._on_site = merged, on_site
        self.table.blockSignals(True)
        self.table.setRowCount(len(merged))
        for row, match in enumerate(merged):
            tick = QTableWidgetItem()
            tick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            tick.setCheckState(
                Qt.CheckState.Checked if match.volunteer_id in ticked else Qt.CheckState.Unchecked
            )
            self.table.setItem(row, 0, tick)
            here = self.tr("on site") if match.volunteer_id in on_site else ""
            if not match.active:
                here = self.tr("inactive")
            values = (match.name, match.volunteer_id, match.org_name or "", here)
            for column, value in enumerate(values, start=1):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.blockSignals(False)
        self._update_buttons()

    def tick(self, volunteer_id: str) -> None:
        """Tick one listed person (a scanned card)."""
        for row, match in enumerate(self._matches):
            item = self.table.item(row, 0)
            if match.volunteer_id == volunteer_id and item is not None:
                item.setCheckState(Qt.CheckState.Checked)

    def ticked_ids(self) -> list[str]:
        """The volunteers ticked, in list order."""
        ids = []
        for row, match in enumerate(self._matches):
            item = self.table.item(row, 0)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                ids.append(match.volunteer_id)
        return ids

    def chosen_time(self) -> time | None:
        """The local time entered, or None for "now"."""
        if self.time_stepper.is_now():
            return None
        value: QTime = self.time_stepper.time()
        return time(value.hour(), value.minute())

    def set_time_range(self, earliest: QTime, latest: QTime) -> None:
        """Limit the time entry (e.g. from the check-in window's opening to now)."""
        self.time_stepper.set_range(earliest, latest)
        self.time_stepper.choose_now()

    def show_results(self, results: list[ManualResult], names: dict[str, str]) -> None:
        """What became of each person of the last request."""
        self._results = [(names.get(r.volunteer_id, r.volunteer_id), r) for r in results]
        self._render_results()
        done = {r.volunteer_id for r in results if r.ok}
        for row, match in enumerate(self._matches):
            item = self.table.item(row, 0)
            if item is not None and match.volunteer_id in done:
                item.setCheckState(Qt.CheckState.Unchecked)

    def stop(self) -> None:
        """Stop the typing timer (the window is closing)."""
        self.search.stop()

    def common_reasons(self) -> list[str]:
        """The reasons offered in the reason box and as chips, in the language shown."""
        return [
            self.tr("Phone battery dead"),
            self.tr("Forgot the card"),
            self.tr("The card does not scan"),
            self.tr("Checked in on paper"),
            self.tr("Forgot to check out"),
        ]

    # -- behaviour --------------------------------------------------------------------------------

    def _toggle_row(self, row: int, column: int) -> None:
        item = self.table.item(row, 0)
        if item is None or column == 0:
            return
        checked = item.checkState() == Qt.CheckState.Checked
        item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)

    def _update_buttons(self, *_: object) -> None:
        count = len(self.ticked_ids())
        usable = count > 0 and self.chosen_activity() is not None
        self.check_in_button.setEnabled(usable)
        self.check_out_button.setEnabled(usable)
        self.check_in_button.setText(self.tr("Check in (%n)", "", count))
        self.check_out_button.setText(self.tr("Check out (%n)", "", count))

    def _request(self, signal: SignalInstance) -> None:
        activity = self.chosen_activity()
        ids = self.ticked_ids()
        if activity is None or not ids:
            return
        signal.emit(ids, activity, self.chosen_time(), self.reason_box.currentText())

    def _refusal_words(self, refusal: str) -> str:
        words = {
            "already_on_site": self.tr("already on site"),
            "not_on_site": self.tr("not on site"),
            "card_revoked": self.tr("card revoked: ask the platform"),
            "volunteer_inactive": self.tr("not active in the roster"),
            "capacity_full": self.tr("the activity is full"),
            "activity_not_open": self.tr("the activity is not open"),
            "unknown_activity": self.tr("unknown activity"),
            "reason_missing": self.tr("give a reason"),
            "storage_error": self.tr("not saved: the kiosk cannot write its records"),
            "in_future": self.tr("that time is still to come"),
            "before_checkin_opens": self.tr("before check-in opened"),
            "after_activity_end": self.tr("after the activity ended"),
            "before_check_in": self.tr("before they checked in"),
        }
        return words.get(refusal, refusal)

    def _render_results(self) -> None:
        lines = []
        for name, result in self._results:
            if result.ok:
                lines.append("✔ " + self.tr("%1: done").replace("%1", name))
            else:
                lines.append("✘ " + f"{name}: {self._refusal_words(result.refusal or '')}")
        self.results_label.setText("\n".join(lines))

    def retranslate(self) -> None:
        self.search.setPlaceholderText(self.tr("Name, pinyin initials, last phone digits or ID"))
        self.hint.setText(self.tr("Or scan the volunteer's card. Tick several people to check in a group."))
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Pick"),
                self.tr("Name"),
                self.tr("Volunteer ID"),
                self.tr("Organisation"),
                self.tr("Status"),
            ]
        )
        self.activity_label.setText(self.tr("Activity"))
        self.time_label.setText(self.tr("Time"))
        self.reason_label.setText(self.tr("Reason"))
        reasons = self.common_reasons()
        current = self.reason_box.currentText()
        self.reason_box.clear()
        self.reason_box.addItems(reasons)
        self.reason_chips.set_reasons(reasons)
        if current and current not in reasons:
            self.reason_box.setEditText(current)
        self._update_buttons()
        self._render_results()
