"""The second tap of a destructive action: what will happen, in words, and two equal answers.

A screen shows the panel in place of its buttons when a coordinator taps
"End activity…", "Exit the kiosk program…" or "Set up this kiosk again…":
a question, what it means, the action's own button (red) and **Cancel**, both
the same size, side by side, so neither is a nudge. Nothing happens until the
second tap; an unanswered panel cancels itself after :data:`CONFIRM_MS`.
No dialog window: a kiosk may run without a window manager.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui import theme
from kiosk.ui.widgets.retranslating import RetranslatingFrame

CONFIRM_MS = 20_000
"""How long the panel waits for its answer before it cancels itself (the desk locks after two minutes)."""
MAX_WIDTH_PX = theme.TOUCH_TARGET_PX * 15
"""The panel's widest (1200 px): on a 1920 px screen the two answers stay near each other and the words."""


class ConfirmPanel(RetranslatingFrame):
    """Asks once more; emits ``confirmed(key)`` or ``cancelled(key)`` for the action it was asked about."""

    confirmed = Signal(str)
    cancelled = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confirmPanel")
        self._key = ""
        self.question = theme.text_role(QLabel(), "title")
        self.question.setWordWrap(True)
        self.detail = theme.text_role(QLabel(), "large")
        self.detail.setWordWrap(True)
        self.confirm_button = theme.button_variant(QPushButton(), "destructive", "large")
        self.cancel_button = theme.button_variant(QPushButton(), "secondary", "large")
        for button in (self.confirm_button, self.cancel_button):
            button.setMinimumSize(theme.TOUCH_TARGET_PX * 3, theme.TOUCH_TARGET_PX)
        self.confirm_button.clicked.connect(self._on_confirm)
        self.cancel_button.clicked.connect(self.cancel)
        self._timeout = QTimer(self)
        self._timeout.setSingleShot(True)
        self._timeout.setInterval(CONFIRM_MS)
        self._timeout.timeout.connect(self.cancel)
        answers = QHBoxLayout()
        answers.setSpacing(theme.SPACE_L)
        answers.addWidget(self.confirm_button, 1)  # equal stretch: the same weight
        answers.addWidget(self.cancel_button, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(theme.SPACE_XL, theme.SPACE_XL, theme.SPACE_XL, theme.SPACE_XL)
        layout.setSpacing(theme.SPACE_L)
        layout.addWidget(self.question)
        layout.addWidget(self.detail)
        layout.addSpacing(theme.SPACE_L)
        layout.addLayout(answers)
        self.setMaximumWidth(MAX_WIDTH_PX)
        self.retranslate()

    @property
    def key(self) -> str:
        """The action asked about ("" when nothing is asked)."""
        return self._key

    def ask(self, key: str, question: str, detail: str, action: str) -> None:
        """Ask about the action ``key``: ``question`` large, ``detail`` under it, ``action`` on the red button."""
        self._key = key
        self.question.setText(question)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        self.confirm_button.setText(action)
        self._timeout.start()

    def cancel(self) -> None:
        """Answer "no" (Cancel, the time-out, or the screen left): emits ``cancelled`` if something was asked."""
        self._timeout.stop()
        key, self._key = self._key, ""
        if key:
            self.cancelled.emit(key)

    def _on_confirm(self) -> None:
        self._timeout.stop()
        key, self._key = self._key, ""
        if key:  # one action per question, however fast the taps
            self.confirmed.emit(key)

    @staticmethod
    def centred(panel: ConfirmPanel) -> QWidget:
        """``panel`` in the middle of a page of its own (what a screen shows in place of its buttons)."""
        page = QWidget()
        rows = QVBoxLayout(page)
        rows.addStretch(1)
        line = QHBoxLayout()
        line.addStretch(1)
        line.addWidget(panel, 100)
        line.addStretch(1)
        rows.addLayout(line)
        rows.addStretch(2)
        return page

    def retranslate(self) -> None:
        self.cancel_button.setText(self.tr("Cancel"))
