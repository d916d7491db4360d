"""The coordinator PIN pad: big digit keys, dots for the digits typed, the lock-out counting down.

It only collects digits; checking them is the caller's (``PinGuard``, on the
writer thread), which counts wrong tries and locks out after five. While a
lock-out lasts (:meth:`PinPad.show_lock`) the keys are off and the pad shows
the time left, counting down with each :meth:`PinPad.tick`, and when it ends.

**Roll-call** (checkable) asks for the evacuation roll-call instead of the
desk's first page: the same PIN, then straight to the list of who is here.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from checkin_protocol.models import ClockReading
from kiosk.ui import theme
from kiosk.ui.pin_lock import PinLock, countdown_text
from kiosk.ui.theme import TOUCH_TARGET_PX
from kiosk.ui.widgets.pin_dots import PinDots
from kiosk.ui.widgets.retranslating import RetranslatingFrame

MAX_DIGITS = 8
KEY_WIDTH_PX = 2 * TOUCH_TARGET_PX  # 160 x 88: a fingertip anywhere on it
KEY_HEIGHT_PX = TOUCH_TARGET_PX + theme.SPACE_S
PAD_WIDTH_PX = 3 * KEY_WIDTH_PX * 3 // 2  # keys 240 px wide on a wide screen, centred, not the window's width


class PinPad(RetranslatingFrame):
    """Emits ``submitted(pin)`` on 确定 / OK and ``cancelled`` on Back; ``roll_call`` says what the PIN is for."""

    submitted = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._digits = ""
        self._lock: PinLock | None = None
        self._seconds_left = 0
        self.title = theme.text_role(QLabel(), "title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.dots = PinDots()
        self.countdown = theme.text_role(QLabel(), "display", tone="bad")
        self.countdown.setObjectName("pinCountdown")
        self.countdown.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.countdown.setFixedHeight(self.dots.height())
        self.countdown.hide()
        self.message = theme.text_role(QLabel(), "body", tone="bad")
        self.message.setWordWrap(True)
        # Across the pad's width and centred: a lock-out's message is a line long.
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.digit_buttons: dict[str, QPushButton] = {}
        grid = QGridLayout()
        grid.setSpacing(theme.SPACE_M)
        for index, digit in enumerate("123456789"):
            self._key(grid, digit, index // 3, index % 3, "secondary", lambda *_, d=digit: self._press(d))
        self.clear_button = self._key(grid, "⌫", 3, 0, "secondary", lambda *_: self._backspace())
        self._key(grid, "0", 3, 1, "secondary", lambda *_: self._press("0"))
        self.ok_button = self._key(grid, "", 3, 2, "primary", lambda *_: self._submit())
        self.back_button = theme.button_variant(QPushButton(), "secondary")
        self.back_button.clicked.connect(self._cancel)
        self.roll_call_button = theme.button_variant(QPushButton(), "secondary")
        self.roll_call_button.setObjectName("pinRollCall")
        self.roll_call_button.setCheckable(True)
        self.roll_call_button.toggled.connect(lambda *_: self.retranslate())
        bottom = QHBoxLayout()
        bottom.setSpacing(theme.SPACE_M)
        for button in (self.back_button, self.roll_call_button):
            button.setMinimumHeight(TOUCH_TARGET_PX)
            bottom.addWidget(button, 1)

        column = QWidget()
        column.setMaximumWidth(PAD_WIDTH_PX)
        inner = QVBoxLayout(column)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(theme.SPACE_M)
        inner.addWidget(self.title)
        inner.addWidget(self.dots)
        inner.addWidget(self.countdown)
        inner.addWidget(self.message)
        inner.addLayout(grid)
        inner.addSpacing(theme.SPACE_S)
        inner.addLayout(bottom)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column, 10)  # as wide as it may be, up to PAD_WIDTH_PX
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.retranslate()

    def _key(
        self, grid: QGridLayout, text: str, row: int, col: int, variant: theme.ButtonVariant, slot: object
    ) -> QPushButton:
        button = theme.button_variant(QPushButton(text), variant, "title")
        button.setMinimumSize(KEY_WIDTH_PX, KEY_HEIGHT_PX)
        button.clicked.connect(slot)
        grid.addWidget(button, row, col)
        if text.isdigit():
            self.digit_buttons[text] = button
        return button

    # -- what the window tells it ---------------------------------------------------------------------

    def begin(self) -> None:
        """A fresh opening from the kiosk screen: nothing typed, no message, for the desk (not the roll-call)."""
        self.roll_call_button.setChecked(False)
        self._lock = None
        self._show_locked(False)
        self.reset()

    def reset(self, message: str = "") -> None:
        """Forget the digits typed and show ``message`` (why the last PIN was refused, or nothing)."""
        self._digits = ""
        self.dots.set_count(0)
        self.message.setText(message)

    def roll_call(self) -> bool:
        """Whether the PIN is asked for the evacuation roll-call (else the desk)."""
        return self.roll_call_button.isChecked()

    def show_lock(self, lock: PinLock, now: ClockReading) -> None:
        """Locked out: keys off, the time left counting down, and when it ends."""
        self._lock = lock
        self._digits = ""
        self.dots.set_count(0)
        self._show_locked(True)
        self.tick(now)

    def tick(self, now: ClockReading) -> None:
        """Count the lock-out down to ``now``; at zero the keys come back."""
        if self._lock is None:
            return
        left = self._lock.seconds_left(now)
        if left <= 0:
            self._lock = None
            self._show_locked(False)
            self.message.setText("")
            return
        self._seconds_left = left
        self._render_lock()

    def locked(self) -> bool:
        """Whether the pad shows a lock-out now."""
        return self._lock is not None

    # -- behaviour ---------------------------------------------------------------------------------

    def _show_locked(self, locked: bool) -> None:
        for button in (*self.digit_buttons.values(), self.clear_button, self.ok_button):
            button.setEnabled(not locked)
        self.roll_call_button.setEnabled(not locked)
        self.dots.setVisible(not locked)
        self.countdown.setVisible(locked)

    def _render_lock(self) -> None:
        if self._lock is None:
            return
        self.countdown.setText(self.tr("%1 left").replace("%1", countdown_text(self._seconds_left)))
        self.message.setText(
            self.tr("Too many wrong PINs. The keys are locked until %1.").replace("%1", self._lock.until_text)
        )

    def _press(self, digit: str) -> None:
        if len(self._digits) < MAX_DIGITS:
            self._digits += digit
            self.dots.set_count(len(self._digits))

    def _backspace(self) -> None:
        self._digits = self._digits[:-1]
        self.dots.set_count(len(self._digits))

    def _submit(self) -> None:
        pin, self._digits = self._digits, ""
        self.dots.set_count(0)
        self.submitted.emit(pin)

    def _cancel(self) -> None:
        self.begin()
        self.cancelled.emit()

    def retranslate(self) -> None:
        if self.roll_call():
            self.title.setText(self.tr("Roll-call: enter a coordinator PIN"))
        else:
            self.title.setText(self.tr("Coordinator PIN"))
        self.ok_button.setText(self.tr("OK"))
        self.clear_button.setAccessibleName(self.tr("Delete the last digit"))
        self.back_button.setText(self.tr("Back to the kiosk"))
        self.roll_call_button.setText(self.tr("Roll-call"))
        self._render_lock()
