"""Step 1: the language of the kiosk (Chinese or English), chosen with two big buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from kiosk.ui import theme
from kiosk.ui.setup.style import big_button, choice_button, hint_label, title_label
from kiosk.ui.widgets.retranslating import RetranslatingFrame

LANGUAGE_NAMES = {"zh_CN": "中文（简体）", "en": "English"}


class LanguagePage(RetranslatingFrame):
    """Emits ``language_chosen(code)`` on a tap and ``next_requested`` on Next."""

    language_chosen = Signal(str)
    next_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title_label()
        self.hint = hint_label()
        group = QButtonGroup(self)
        group.setExclusive(True)
        choices = QHBoxLayout()
        choices.setSpacing(32)
        self.language_buttons: dict[str, QPushButton] = {}
        for code, name in LANGUAGE_NAMES.items():
            button = choice_button()
            button.setText(name)
            button.setMinimumHeight(160)
            theme.text_role(button, "headline")
            button.clicked.connect(lambda *_, c=code: self.language_chosen.emit(c))
            group.addButton(button)
            choices.addWidget(button)
            self.language_buttons[code] = button
        self.next_button = big_button(primary=True)
        self.next_button.clicked.connect(self.next_requested)
        bottom = QHBoxLayout()
        bottom.addStretch()
        bottom.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 32, 48, 32)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addStretch()
        layout.addLayout(choices)
        layout.addStretch()
        layout.addLayout(bottom)
        self.title.setAlignment(Qt.AlignmentFlag.AlignLeft)
        self.retranslate()

    def set_language(self, language: str) -> None:
        """Mark ``language`` as the chosen one."""
        self.language_buttons[language].setChecked(True)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Welcome! Let's set up this check-in kiosk"))
        self.hint.setText(
            self.tr(
                "A few short steps: the language, the connection to the platform, the camera and the "
                "coordinator's PIN; then the kiosk is ready. Choose the language the kiosk speaks "
                "(the button at the top switches it on every page)."
            )
        )
        self.next_button.setText(self.tr("Next"))
