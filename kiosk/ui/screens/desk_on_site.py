"""Who is here now, per activity, and the evacuation roll-call: tick people off, save or print the list.

It works with no network: the list comes from the kiosk's own records. In
roll-call mode each row gets a tick box and the count of people accounted
for; "Save roll-call PDF" writes the list in one tap (to the USB stick if one
is in, else the data folder's ``exports``); "Print" prints it.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
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


class OnSitePage(RetranslatingFrame):
    """The people on site at the chosen activity; roll-call ticks; PDF and print requests."""

    activity_chosen = Signal(str)
    save_pdf_requested = Signal()
    print_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._people: list[OnSitePerson] = []
        self._roll_call = False
        self._message = ""
        self.activity_box = QComboBox()
        self.activity_box.setMinimumHeight(TOUCH_TARGET_PX * 3 // 4)
        theme.text_role(self.activity_box, "body")
        self.activity_box.currentIndexChanged.connect(self._on_activity_index)
        self.count_label = theme.text_role(QLabel(), "large", strong=True)
        self.table = touch_table(5)
        self.table.itemChanged.connect(self._update_count)
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
        """The activities to choose from (open ones first); keeps ``chosen`` selected."""
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
        """Show the people on site; roll-call ticks survive for people still listed."""
        ticked = self.ticked_ids()
        self._people = people
        self.table.blockSignals(True)
        self.table.setRowCount(len(people))
        for row, person in enumerate(people):
            tick = QTableWidgetItem()
            tick.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
            tick.setCheckState(
                Qt.CheckState.Checked if person.volunteer_id in ticked else Qt.CheckState.Unchecked
            )
            self.table.setItem(row, 0, tick)
            values = (
                person.name,
                person.volunteer_id,
                person.checked_in_local.strftime("%H:%M"),
                self.tr("%1 h %2 min")
                .replace("%1", str(person.minutes_on_site // 60))
                .replace("%2", str(person.minutes_on_site % 60)),
            )
            for column, value in enumerate(values, start=1):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.blockSignals(False)
        self._update_count()

    def set_expected(self, names: list[str]) -> None:
        """Signed up for the activity but not on site (yet): shown under the list."""
        self._expected = names
        self._render_expected()

    def _render_expected(self) -> None:
        if not self._expected:
            self.expected_label.setText("")
            return
        self.expected_label.setText(
            self.tr("Signed up, not here: %1").replace("%1", "、".join(self._expected))
        )

    def ticked_ids(self) -> set[str]:
        """Volunteer IDs ticked off in the roll-call."""
        ticked = set()
        for row, person in enumerate(self._people):
            item = self.table.item(row, 0)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                ticked.add(person.volunteer_id)
        return ticked

    def people(self) -> list[OnSitePerson]:
        """The people listed."""
        return list(self._people)

    def show_message(self, text: str, good: bool = True) -> None:
        """A line under the list: where the PDF went, or what failed."""
        self._message = text
        theme.set_tone(self.message_label, "good" if good else "bad")
        self.message_label.setText(text)

    # -- behaviour --------------------------------------------------------------------------------

    def _on_activity_index(self, _index: int) -> None:
        chosen = self.chosen_activity()
        if chosen is not None:
            self.activity_chosen.emit(chosen)

    def _on_roll_call_toggled(self, on: bool) -> None:
        self._roll_call = on
        self.table.setColumnHidden(0, not on)
        self._update_count()
        self.retranslate()

    def _update_count(self, *_: object) -> None:
        total = len(self._people)
        if self._roll_call:
            text = (
                self.tr("%1 of %2 accounted for")
                .replace("%1", str(len(self.ticked_ids())))
                .replace("%2", str(total))
            )
        else:
            text = self.tr("%n on site", "", total)
        self.count_label.setText(text)

    def retranslate(self) -> None:
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Here"),
                self.tr("Name"),
                self.tr("Volunteer ID"),
                self.tr("Checked in"),
                self.tr("On site"),
            ]
        )
        self.table.setColumnHidden(0, not self._roll_call)
        self.roll_call_button.setText(self.tr("End roll-call") if self._roll_call else self.tr("Roll-call"))
        self.pdf_button.setText(self.tr("Save roll-call PDF"))
        self.print_button.setText(self.tr("Print"))
        self._render_expected()
        self._update_count()
        if self._people:
            self.set_people(self._people)
