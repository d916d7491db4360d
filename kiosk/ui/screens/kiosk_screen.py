"""The kiosk screen a volunteer sees: banner, live camera, instructions or the result card.

It only shows things; :mod:`kiosk.ui.main_window` wires it to the camera,
the scanner and the writer. Every text is re-set on a language change.

The camera and the panel beside it share the width half and half, whatever
the panel shows: a result card, the activity choice or a question never
pushes the preview aside (the panel's own size is ignored by the layout, so
the preview keeps its place and size from one state to the next).
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from checkin_protocol.models import Activity
from kiosk.ui import theme
from kiosk.ui.face_prompts import FacePrompt
from kiosk.ui.messages import ResultView
from kiosk.ui.theme import TOUCH_TARGET_PX
from kiosk.ui.widgets.activity_banner import ActivityBanner
from kiosk.ui.widgets.camera_view import CameraView
from kiosk.ui.widgets.idle_panel import IdlePanel as IdlePanel  # its old home
from kiosk.ui.widgets.leave_question import LeaveQuestionPanel
from kiosk.ui.widgets.result_card import ResultCard
from kiosk.ui.widgets.retranslating import RetranslatingFrame
from kiosk.ui.widgets.status_bar import KioskStatusBar


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
        # The layout gives the panel its share whatever it shows: the preview never moves.
        self.panel.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.camera.state_changed.connect(self.idle.set_camera_state)
        self.status = KioskStatusBar(kiosk_id)

        top = QHBoxLayout()
        top.addWidget(self.banner, 1)
        top.addWidget(self.language_button)
        top.addWidget(self.coordinator_button)
        middle = QHBoxLayout()
        middle.setContentsMargins(theme.SPACE_L, theme.SPACE_L, theme.SPACE_L, theme.SPACE_L)
        middle.setSpacing(theme.SPACE_L)
        middle.addWidget(self.camera, 1)
        middle.addWidget(self.panel, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(self.status)
        self.retranslate()

    def show_idle(self) -> None:
        self.panel.setCurrentWidget(self.idle)

    def show_result(self, view: ResultView, stays_ms: int = 0) -> None:
        """Show a result card; with ``stays_ms``, its bar shows how long it stays."""
        self.result.show_view(view)
        self.panel.setCurrentWidget(self.result)
        if stays_ms > 0:
            self.result.start_countdown(stays_ms)

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

    def show_face_prompt(self, prompt: FacePrompt | None) -> None:
        """A face prompt (``None``: none), in the same words on the panel and in the band over the preview."""
        self.camera.show_face_prompt(prompt)
        self.idle.show_face_prompt(prompt)

    def set_language(self, language: str) -> None:
        """The language button names the other language, in that language."""
        self.language_button.setText("English" if language == "zh_CN" else "中文")

    def retranslate(self) -> None:
        self.coordinator_button.setText("⚙ " + self.tr("Coordinator"))
