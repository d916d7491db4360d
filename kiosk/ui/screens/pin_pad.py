"""The coordinator PIN pad: big digit buttons, masked entry, lock-out message.

It only collects digits; checking them is the caller's (``PinGuard``), which
counts wrong tries and locks out after five.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.ui import theme
from kiosk.ui.theme import TOUCH_TARGET_PX
from kiosk.ui.widgets.retranslating import RetranslatingFrame

MAX_DIGITS = 8


class PinPad(RetranslatingFrame):
    """Emits ``submitted(pin)`` on OK and ``cancelled`` on Back."""

    submitted = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._digits = ""
        self.title = theme.text_role(QLabel(), "title")
        self.entry = theme.text_role(QLabel(), "display")
        self.entry.setObjectName("pinEntry")
        self.entry.setStyleSheet("letter-spacing: 12px; min-height: 64px;")  # the dots apart, the row kept
        self.message = theme.text_role(QLabel(), "body", tone="bad")
        self.message.setWordWrap(True)
        # Across the pad's width and centred: a lock-out's message ("try again in 15 minutes, at 09:20")
        # is a line long and must not wrap into a narrow column.
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        grid = QGridLayout()
        self.digit_buttons: dict[str, QPushButton] = {}
        for index, digit in enumerate("123456789"):
            self._add_button(grid, digit, index // 3, index % 3, lambda *_, d=digit: self._press(d))
        self.clear_button = self._add_button(grid, "⌫", 3, 0, lambda *_: self._backspace())
        self._add_button(grid, "0", 3, 1, lambda *_: self._press("0"))
        self.ok_button = self._add_button(grid, "OK", 3, 2, lambda *_: self._submit())
        self.back_button = QPushButton()
        self.back_button.setMinimumHeight(TOUCH_TARGET_PX)
        theme.button_variant(self.back_button, "secondary")
        self.back_button.clicked.connect(self._cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.entry, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.message)
        layout.addLayout(grid)
        layout.addWidget(self.back_button)
        self.retranslate()

    def _add_button(self, grid: QGridLayout, text: str, row: int, col: int, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.setMinimumSize(TOUCH_TARGET_PX * 2, TOUCH_TARGET_PX)
        theme.button_variant(button, "primary" if text == "OK" else "secondary", "title")
        button.clicked.connect(slot)
        grid.addWidget(button, row, col)
        if text.isdigit():
            self.digit_buttons[text] = button
        return button

    def reset(self, message: str = "") -> None:
        self._digits = ""
        self.entry.setText("")
        self.message.setText(message)

    def _press(self, digit: str) -> None:
        if len(self._digits) < MAX_DIGITS:
            self._digits += digit
            self.entry.setText("●" * len(self._digits))

    def _backspace(self) -> None:
        self._digits = self._digits[:-1]
        self.entry.setText("●" * len(self._digits))

    def _submit(self) -> None:
        pin, self._digits = self._digits, ""
        self.entry.setText("")
        self.submitted.emit(pin)

    def _cancel(self) -> None:
        self.reset()
        self.cancelled.emit()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Coordinator PIN"))
        self.back_button.setText(self.tr("Back to the kiosk"))
