"""The kiosk screen a volunteer sees: banner, live camera, instructions or the result card.

It only shows things; :mod:`kiosk.ui.main_window` wires it to the camera,
the scanner and the writer. Every text is re-set on a language change.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from checkin_protocol.models import Activity
from kiosk.ui import theme
from kiosk.ui.messages import ResultView
from kiosk.ui.theme import TOUCH_TARGET_PX
from kiosk.ui.widgets.activity_banner import ActivityBanner
from kiosk.ui.widgets.camera_view import CameraView
from kiosk.ui.widgets.leave_question import LeaveQuestionPanel
from kiosk.ui.widgets.result_card import ResultCard
from kiosk.ui.widgets.retranslating import RetranslatingFrame
from kiosk.ui.widgets.status_bar import KioskStatusBar


class IdlePanel(RetranslatingFrame):
    """What to do, in a few big words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("idlePanel")
        self.icon = theme.text_role(QLabel("▣"), "hero")
        self.icon.setObjectName("idleIcon")
        self.title = theme.text_role(QLabel(), "headline")
        self.title.setObjectName("idleTitle")
        self.title.setWordWrap(True)
        self.hint = theme.text_role(QLabel(), "large", tone="muted")
        self.hint.setObjectName("idleHint")
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addStretch()
        for label in (self.icon, self.title, self.hint):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)
        layout.addStretch()
        self._face_on = False
        self.retranslate()

    def set_face_on(self, on: bool) -> None:
        """With face check-in on, the title invites the volunteer to look at the camera too."""
        self._face_on = on
        self.retranslate()

    def retranslate(self) -> None:
        if self._face_on:
            self.title.setText(self.tr("Look at the camera, or show your volunteer QR code"))
        else:
            self.title.setText(self.tr("Hold your volunteer QR code up to the camera"))
        self.hint.setText(
            self.tr("Scan once to check in, again when you leave to check out. A barcode scanner works too.")
        )


class ActivityChoicePanel(RetranslatingFrame):
    """With several activities open, the volunteer taps the one they came for."""

    chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = theme.text_role(QLabel(), "title")
        self.title.setWordWrap(True)
        self._buttons = QVBoxLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self._buttons)
        layout.addStretch()
        self._name = ""
        self.retranslate()

    def set_choices(self, name: str, activities: list[Activity]) -> None:
        self._name = name
        while self._buttons.count():
            item = self._buttons.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()  # type: ignore[union-attr]
        for activity in activities:
            button = QPushButton(f"{activity.title}\n{activity.org_name} · {activity.venue}")
            button.setMinimumHeight(TOUCH_TARGET_PX + 20)
            theme.button_variant(button, "choice", "large")
            button.clicked.connect(lambda *_, a=activity.activity_id: self.chosen.emit(a))
            self._buttons.addWidget(button)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("%1, which activity are you here for?").replace("%1", self._name))


class KioskScreen(RetranslatingFrame):
    """The whole kiosk screen; the right-hand panel is idle, a result, or a choice."""

    language_toggled = Signal()
    coordinator_requested = Signal()

    def __init__(self, kiosk_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.banner = ActivityBanner()
        self.language_button = QPushButton()
        self.coordinator_button = QPushButton()
        for button in (self.language_button, self.coordinator_button):
            button.setMinimumSize(TOUCH_TARGET_PX * 2, TOUCH_TARGET_PX)
            theme.button_variant(button, "secondary")
        self.language_button.clicked.connect(self.language_toggled)
        self.coordinator_button.clicked.connect(self.coordinator_requested)
        self.camera = CameraView()
        self.idle = IdlePanel()
        self.result = ResultCard()
        self.choice = ActivityChoicePanel()
        self.question = LeaveQuestionPanel()
        self.panel = QStackedWidget()
        for page in (self.idle, self.result, self.choice, self.question):
            self.panel.addWidget(page)
        self.status = KioskStatusBar(kiosk_id)

        top = QHBoxLayout()
        top.addWidget(self.banner, 1)
        top.addWidget(self.language_button)
        top.addWidget(self.coordinator_button)
        middle = QHBoxLayout()
        middle.setContentsMargins(theme.SPACE_L, theme.SPACE_L, theme.SPACE_L, theme.SPACE_L)
        middle.setSpacing(theme.SPACE_L)
        middle.addWidget(self.camera, 5)
        middle.addWidget(self.panel, 4)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(self.status)
        self.retranslate()

    def show_idle(self) -> None:
        self.panel.setCurrentWidget(self.idle)

    def show_result(self, view: ResultView) -> None:
        self.result.show_view(view)
        self.panel.setCurrentWidget(self.result)

    def show_choice(self, name: str, activities: list[Activity]) -> None:
        self.choice.set_choices(name, activities)
        self.panel.setCurrentWidget(self.choice)

    def show_question(self, name: str, activity_title: str, choices: list[datetime]) -> None:
        """Ask the volunteer when they left after a forgotten check-out."""
        self.question.set_question(name, activity_title, choices)
        self.panel.setCurrentWidget(self.question)

    def set_face_on(self, on: bool) -> None:
        """Face check-in on or off: the idle title, the QR line and the face prompts on the preview."""
        self.idle.set_face_on(on)
        self.camera.set_face_on(on)

    def set_language(self, language: str) -> None:
        """The language button names the other language, in that language."""
        self.language_button.setText("English" if language == "zh_CN" else "中文")

    def retranslate(self) -> None:
        self.coordinator_button.setText("⚙ " + self.tr("Coordinator"))
