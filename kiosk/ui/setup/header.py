"""The setup's header: where the coordinator is among the five steps, the language switch, and Exit."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from kiosk.services.first_run import STEPS
from kiosk.ui import theme
from kiosk.ui.theme import TOUCH_TARGET_PX
from kiosk.ui.widgets.retranslating import RetranslatingFrame


class SetupHeader(RetranslatingFrame):
    """Numbered steps (the current one highlighted); emits ``language_toggled`` and ``exit_requested``."""

    language_toggled = Signal()
    exit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("setupHeader")  # the theme's header band
        self._current = 0
        self.step_labels = [theme.text_role(QLabel(), "small") for _ in STEPS]
        self.language_button = QPushButton()
        self.exit_button = QPushButton()
        for button in (self.language_button, self.exit_button):
            button.setMinimumSize(TOUCH_TARGET_PX * 2, TOUCH_TARGET_PX * 3 // 4)
            theme.button_variant(button, "secondary")
        self.language_button.clicked.connect(self.language_toggled)
        self.exit_button.clicked.connect(self.exit_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        for label in self.step_labels:
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            layout.addWidget(label)
        layout.addStretch()
        layout.addWidget(self.language_button)
        layout.addWidget(self.exit_button)
        self.retranslate()

    def set_step(self, step: str) -> None:
        """Highlight ``step`` (one of :data:`kiosk.services.first_run.STEPS`)."""
        self._current = STEPS.index(step)
        self.retranslate()

    def set_language(self, language: str) -> None:
        """The language button names the other language, in that language."""
        self.language_button.setText("English" if language == "zh_CN" else "中文")

    def retranslate(self) -> None:
        names = (
            self.tr("Language"),
            self.tr("Connect"),
            self.tr("Camera"),
            self.tr("Coordinator"),
            self.tr("Ready"),
        )
        for index, (label, name) in enumerate(zip(self.step_labels, names, strict=True)):
            mark = "✓" if index < self._current else str(index + 1)
            label.setText(f"{mark}  {name}")
            step = "now" if index == self._current else "done" if index < self._current else "later"
            theme.set_style_property(label, "step", step)  # the theme colours a step by where it stands
        self.exit_button.setText(self.tr("Exit setup"))
