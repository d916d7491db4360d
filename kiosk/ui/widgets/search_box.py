"""The desk's search field: large type, a clear button, and the query once typing pauses."""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLineEdit, QWidget

from kiosk.ui.widgets.result_card import TOUCH_TARGET_PX

SEARCH_DELAY_MS = 120
"""How long typing must pause before the query is sent (a scanner types a whole card faster)."""


class SearchBox(QLineEdit):
    """A line edit that emits ``query_changed(text)`` :data:`SEARCH_DELAY_MS` after the last keystroke."""

    query_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumHeight(TOUCH_TARGET_PX * 3 // 4)
        self.setStyleSheet("font-size: 26px;")
        self.setClearButtonEnabled(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._emit_query)
        self.textChanged.connect(self._restart)

    def stop(self) -> None:
        """Stop the typing timer (the window is closing)."""
        self._timer.stop()

    def _restart(self, _text: str) -> None:
        self._timer.start()

    def _emit_query(self) -> None:
        self.query_changed.emit(self.text())
