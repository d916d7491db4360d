""" "You did not check out last time: when did you leave?", asked at a volunteer's next scan.

The answer (or "I don't remember") goes to the coordinator's review queue as
the volunteer's word; it changes no hours by itself.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui import theme
from kiosk.ui.theme import TOUCH_TARGET_PX
from kiosk.ui.widgets.retranslating import RetranslatingFrame

COLUMNS = 4


class LeaveQuestionPanel(RetranslatingFrame):
    """A question and big time buttons; emits ``answered(time or None)``."""

    answered = Signal(object)  # aware datetime, or None for "I don't remember"

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._name = ""
        self._activity = ""
        self._day: datetime | None = None
        self.title = theme.text_role(QLabel(), "title", tone="warn")
        self.title.setWordWrap(True)
        self.hint = theme.text_role(QLabel(), "body", tone="muted")
        self.hint.setWordWrap(True)
        self._grid = QGridLayout()
        self.unknown_button = theme.button_variant(QPushButton(), "secondary")
        self.unknown_button.setMinimumHeight(TOUCH_TARGET_PX)
        self.unknown_button.clicked.connect(lambda *_: self.answered.emit(None))
        self.time_buttons: list[QPushButton] = []
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addLayout(self._grid)
        layout.addWidget(self.unknown_button)
        layout.addStretch()
        self.retranslate()

    def set_question(self, name: str, activity_title: str, choices: list[datetime]) -> None:
        """Ask ``name`` about their visit to ``activity_title``, offering ``choices`` (local times)."""
        self._name, self._activity = name, activity_title
        self._day = choices[0] if choices else None
        for button in self.time_buttons:
            self._grid.removeWidget(button)
            button.deleteLater()
        self.time_buttons = []
        for index, moment in enumerate(choices):
            button = theme.button_variant(QPushButton(moment.strftime("%H:%M")), "secondary", "large")
            button.setMinimumHeight(TOUCH_TARGET_PX)
            button.clicked.connect(lambda *_, m=moment: self.answered.emit(m))
            self._grid.addWidget(button, index // COLUMNS, index % COLUMNS)
            self.time_buttons.append(button)
        self.retranslate()

    def retranslate(self) -> None:
        day = self._day.strftime("%m-%d") if self._day is not None else ""
        self.title.setText(
            self.tr("%1, you did not check out on %2 (%3).")
            .replace("%1", self._name)
            .replace("%2", day)
            .replace("%3", self._activity)
        )
        self.hint.setText(self.tr("When did you leave? Your coordinator will check it."))
        self.unknown_button.setText(self.tr("I don't remember"))
