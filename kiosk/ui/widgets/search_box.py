"""The desk's search field: the theme's large type, a clear button a finger can hit, and the query once typing pauses.

Qt's own clear button is a 16 px icon; this one is a ✕ button inside the
field's right end, at least ``MIN_TOUCH_TARGET_PX`` square, shown while
there is text to clear.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLineEdit, QPushButton, QWidget

from kiosk.ui import theme
from kiosk.ui.theme import MIN_TOUCH_TARGET_PX, TOUCH_TARGET_PX

SEARCH_DELAY_MS = 120
"""How long typing must pause before the query is sent (a scanner types a whole card faster)."""
CLEAR_INSET_PX = 4
"""The clear button's gap to the field's edge."""


class SearchBox(QLineEdit):
    """A line edit that emits ``query_changed(text)`` :data:`SEARCH_DELAY_MS` after the last keystroke."""

    query_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(TOUCH_TARGET_PX * 3 // 4)
        theme.text_role(self, "large")
        self.clear_button = theme.button_variant(QPushButton("✕", self), "secondary")
        self.clear_button.setFocusPolicy(
            Qt.FocusPolicy.NoFocus
        )  # the field keeps the focus (and its keyboard)
        self.clear_button.setCursor(Qt.CursorShape.ArrowCursor)
        self.clear_button.clicked.connect(self.clear)
        self.clear_button.hide()
        self._retranslate()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._emit_query)
        self.textChanged.connect(self._restart)

    def stop(self) -> None:
        """Stop the typing timer (the window is closing)."""
        self._timer.stop()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Keep the clear button square at the right end, and the text clear of it."""
        super().resizeEvent(event)
        side = max(MIN_TOUCH_TARGET_PX, self.height() - 2 * CLEAR_INSET_PX)
        self.clear_button.setGeometry(
            self.width() - side - CLEAR_INSET_PX, (self.height() - side) // 2, side, side
        )
        self.setTextMargins(0, 0, side + CLEAR_INSET_PX, 0)

    def changeEvent(self, event: QEvent) -> None:
        """The language changed: the clear button's name follows."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _retranslate(self) -> None:
        self.clear_button.setAccessibleName(self.tr("Clear the search"))
        self.clear_button.setToolTip(self.tr("Clear the search"))

    def _restart(self, text: str) -> None:
        self.clear_button.setVisible(bool(text))
        self._timer.start()

    def _emit_query(self) -> None:
        self.query_changed.emit(self.text())
