"""Who is here now, per activity, and the evacuation roll-call: tick people off, save or print the list.

It works with no network: the list comes from the kiosk's own records. Each
person's time on site runs: the page asks for the list again every
:data:`REFRESH_MS` while it is shown (``refresh_due``).

In roll-call mode (**Roll-call** here, or **Roll-call** on the PIN pad) the
people not yet ticked come first, in red, with the last 4 digits of their
phone; a tap anywhere on a row ticks that person and moves them down to the
people accounted for (another tap unticks). The count at the top says how
many are still missing. The ticks are the screen's only: never stored, kept
until **End roll-call**. "Save roll-call PDF" writes the list in one tap (to
the USB stick if one is in, else the data folder's ``exports``); "Print"
prints it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFont, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from checkin_protocol.models import Activity
from kiosk.services.on_site import OnSitePerson
from kiosk.ui import theme
from kiosk.ui.theme import TOUCH_TARGET_PX
from kiosk.ui.widgets.retranslating import RetranslatingFrame
from kiosk.ui.widgets.touch_table import touch_table

REFRESH_MS = 30_000  # the running times move at least once a minute
TICK, NAME, PHONE, VOLUNTEER_ID, CHECKED_IN, ON_SITE = range(6)
TICK_COLUMN_PX = TOUCH_TARGET_PX  # room for the finger-sized tick box, not a share of the width
_NUMBER = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class OnSitePage(RetranslatingFrame):
    """The people on site at the chosen activity; the roll-call's ticks; PDF and print requests."""

    activity_chosen = Signal(str)
    save_pdf_requested = Signal()
    print_requested = Signal()
    refresh_due = Signal()  # the running times are a minute older: read the list again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._people: list[OnSitePerson] = []
        self._shown: list[str] = []  # the volunteer ID on each row, in the order shown
        self._ticked: set[str] = set()
        self._roll_call = False
        self.activity_box = QComboBox()
        self.activity_box.setMinimumHeight(TOUCH_TARGET_PX * 3 // 4)
        theme.text_role(self.activity_box, "body")
        self.activity_box.currentIndexChanged.connect(self._on_activity_index)
        self.count_label = theme.text_role(QLabel(), "large", strong=True)
        self.count_label.setObjectName("onSiteCount")
        self.table = touch_table(6)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.cellClicked.connect(self._on_row_tapped)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TICK, QHeaderView.ResizeMode.Fixed)
        header.resizeSection(TICK, TICK_COLUMN_PX)
        self.roll_call_button = QPushButton()
        self.roll_call_button.setCheckable(True)
        self.roll_call_button.toggled.connect(self._on_roll_call_toggled)
        self.pdf_button = QPushButton()
        self.pdf_button.clicked.connect(self.save_pdf_requested)
        self.print_button = QPushButton()
        self.print_button.clicked.connect(self.print_requested)
        for button in (self.roll_call_button, self.pdf_button, self.print_button):
            button.setMinimumHeight(TOUCH_TARGET_PX)
            theme.button_variant(button, "secondary")
        self.expected_label = theme.text_role(QLabel(), "small", tone="warn")
        self.expected_label.setWordWrap(True)
        self._expected: list[str] = []
        self.message_label = theme.text_role(QLabel(), "small", tone="good")
        self.message_label.setWordWrap(True)
        self.refresh_timer = QTimer(self)
        self.refresh_timer.setInterval(REFRESH_MS)
        self.refresh_timer.timeout.connect(self.refresh_due)
        top = QHBoxLayout()
        top.addWidget(self.activity_box, 1)
        top.addWidget(self.count_label)
        actions = QHBoxLayout()
        actions.addWidget(self.roll_call_button)
        actions.addStretch()
        actions.addWidget(self.pdf_button)
        actions.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.expected_label)
        layout.addWidget(self.message_label)
        layout.addLayout(actions)
        self.retranslate()

    # -- data -------------------------------------------------------------------------------------

    def set_activities(self, activities: list[Activity], chosen: str | None) -> None:
        """The activities to choose from (open ones first); keeps ``chosen`` selected (else the first)."""
        self.activity_box.blockSignals(True)
        self.activity_box.clear()
        for activity in activities:
            self.activity_box.addItem(activity.title, activity.activity_id)
        index = self.activity_box.findData(chosen) if chosen else 0
        self.activity_box.setCurrentIndex(max(index, 0))
        self.activity_box.blockSignals(False)

    def chosen_activity(self) -> str | None:
        """The activity ID chosen, or None when there is none."""
        value = self.activity_box.currentData()
        return str(value) if value is not None else None

    def set_people(self, people: list[OnSitePerson]) -> None:
        """Show the people on site (earliest first); roll-call ticks survive for people still listed."""
        self._people = list(people)
        self._render()

    def set_expected(self, names: list[str]) -> None:
        """Signed up for the activity but not on site (yet): shown under the list."""
        self._expected = names
        self._render_expected()

    def start_roll_call(self) -> None:
        """The roll-call asked for on the PIN pad: roll-call mode at the first activity (the first open one).

        A roll-call already under way keeps its ticks.
        """
        self.activity_box.blockSignals(True)
        self.activity_box.clear()  # the desk fills it again when the page is shown, choosing the first
        self.activity_box.blockSignals(False)
        self.roll_call_button.setChecked(True)

    def ticked_ids(self) -> set[str]:
        """Volunteer IDs ticked off in the roll-call, of the people listed."""
        return {p.volunteer_id for p in self._people if p.volunteer_id in self._ticked}

    def missing_ids(self) -> list[str]:
        """Volunteer IDs not ticked off yet, in the order shown (earliest check-in first)."""
        return [p.volunteer_id for p in self._people if p.volunteer_id not in self._ticked]

    def row_ids(self) -> list[str]:
        """The volunteer ID on each row, top to bottom."""
        return list(self._shown)

    def roll_call_on(self) -> bool:
        """Whether the page is in roll-call mode."""
        return self._roll_call

    def people(self) -> list[OnSitePerson]:
        """The people listed, earliest check-in first."""
        return list(self._people)

    def show_message(self, text: str, good: bool = True) -> None:
        """A line under the list: where the PDF went, or what failed."""
        theme.set_tone(self.message_label, "good" if good else "bad")
        self.message_label.setText(text)

    # -- the table --------------------------------------------------------------------------------

    def _ordered(self) -> list[OnSitePerson]:
        """In roll-call mode the missing first, then the people accounted for; else earliest first."""
        if not self._roll_call:
            return list(self._people)
        missing = [p for p in self._people if p.volunteer_id not in self._ticked]
        present = [p for p in self._people if p.volunteer_id in self._ticked]
        return missing + present

    def _render(self) -> None:
        ordered = self._ordered()
        self._shown = [p.volunteer_id for p in ordered]
        self.table.setRowCount(len(ordered))
        for row, person in enumerate(ordered):
            missing = self._roll_call and person.volunteer_id not in self._ticked
            for column, item in enumerate(self._row_items(person, missing)):
                self.table.setItem(row, column, item)
        self._update_count()

    def _row_items(self, person: OnSitePerson, missing: bool) -> list[QTableWidgetItem]:
        tick = QTableWidgetItem()
        tick.setFlags(Qt.ItemFlag.ItemIsEnabled)  # the row takes the tap, not the box (no double toggle)
        tick.setCheckState(
            Qt.CheckState.Checked if person.volunteer_id in self._ticked else Qt.CheckState.Unchecked
        )
        tick.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
        items = [
            tick,
            QTableWidgetItem(person.name),
            QTableWidgetItem(person.phone_tail or "—"),
            QTableWidgetItem(person.volunteer_id),
            QTableWidgetItem(person.checked_in_local.strftime("%H:%M")),
            QTableWidgetItem(self._duration(person.minutes_on_site)),
        ]
        for column in (PHONE, CHECKED_IN, ON_SITE):
            items[column].setTextAlignment(_NUMBER)
        for item in items:
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            if missing:
                item.setForeground(theme.qcolor(theme.BAD))
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
        return items

    def _duration(self, minutes: int) -> str:
        """Time on site in hours and minutes (``2 h 15 min``); under an hour, minutes only."""
        if minutes < 60:
            return self.tr("%1 min").replace("%1", str(minutes))
        return self.tr("%1 h %2 min").replace("%1", str(minutes // 60)).replace("%2", str(minutes % 60))

    def _render_expected(self) -> None:
        if not self._expected:
            self.expected_label.setText("")
            return
        self.expected_label.setText(
            self.tr("Signed up, not here: %1").replace("%1", "、".join(self._expected))
        )

    # -- behaviour --------------------------------------------------------------------------------

    def _on_activity_index(self, _index: int) -> None:
        chosen = self.chosen_activity()
        if chosen is not None:
            self.activity_chosen.emit(chosen)

    def _on_row_tapped(self, row: int, _column: int) -> None:
        """Roll-call: a tap anywhere on a row ticks the person (or unticks them)."""
        if not self._roll_call or not 0 <= row < len(self._shown):
            return
        self._ticked ^= {self._shown[row]}
        self._render()

    def _on_roll_call_toggled(self, on: bool) -> None:
        self._roll_call = on
        if not on:
            self._ticked.clear()  # the next roll-call starts from no one
        self.retranslate()

    def _update_count(self) -> None:
        total = len(self._people)
        if not self._roll_call:
            theme.set_tone(self.count_label, None)
            self.count_label.setText(self.tr("%n on site", "", total))
            return
        missing = total - len(self.ticked_ids())
        if missing:
            theme.set_tone(self.count_label, "bad")
            self.count_label.setText(self.tr("%n not accounted for yet", "", missing))
        elif total:
            theme.set_tone(self.count_label, "good")
            self.count_label.setText(self.tr("Everyone is accounted for (%n)", "", total))
        else:
            theme.set_tone(self.count_label, None)
            self.count_label.setText(self.tr("No one is on site"))

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh_timer.start()
        super().showEvent(event)

    def hideEvent(self, event: QHideEvent) -> None:
        self.refresh_timer.stop()
        super().hideEvent(event)

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Here"),
                self.tr("Name"),
                self.tr("Phone (last 4)"),
                self.tr("Volunteer ID"),
                self.tr("Checked in"),
                self.tr("On site"),
            ]
        )
        for column in (PHONE, CHECKED_IN, ON_SITE):  # over right-aligned figures, right-aligned
            header_item = self.table.horizontalHeaderItem(column)
            if header_item is not None:
                header_item.setTextAlignment(_NUMBER)
        self.table.setColumnHidden(TICK, not self._roll_call)
        self.table.setColumnHidden(PHONE, not self._roll_call)
        self.table.setColumnHidden(VOLUNTEER_ID, self._roll_call)
        self.roll_call_button.setText(self.tr("End roll-call") if self._roll_call else self.tr("Roll-call"))
        self.pdf_button.setText(self.tr("Save roll-call PDF"))
        self.print_button.setText(self.tr("Print"))
        self._render_expected()
        self._render()
