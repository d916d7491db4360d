"""A tap anywhere on a row ticks it: the whole row is the target, not only its 36 px tick box.

The desk's tables with tick boxes (the check-in list, the roll-call) keep
the box in one column. :class:`RowTicker` watches taps on a table: a tap
that starts and ends on the same row toggles that row's box, wherever on
the row it lands. Qt still handles the tap first (its own tick box, the
``cellClicked`` a page may listen to); the ticker toggles only if nothing
else did, so a tap never ticks twice. A table whose rows have no tick box,
or whose tick column is hidden (the list of who is here outside a
roll-call), is left alone: a tap there picks the row as before.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

TICK_COLUMN = 0


class RowTicker(QObject):
    """Makes a tap anywhere on a row of ``table`` toggle the tick box in ``column`` of that row."""

    def __init__(self, table: QTableWidget, column: int = TICK_COLUMN) -> None:
        super().__init__(table)
        self._table = table
        self._column = column
        self._pressed_row = -1
        self._inside = False  # re-sending the release to the table: let it through
        table.viewport().installEventFilter(self)

    def tick_item(self, row: int) -> QTableWidgetItem | None:
        """The tick box of ``row``, or None if the row has none a finger may toggle now."""
        if row < 0 or self._table.isColumnHidden(self._column):
            return None
        item = self._table.item(row, self._column)
        if item is None:
            return None
        flags = item.flags()
        if not (flags & Qt.ItemFlag.ItemIsUserCheckable and flags & Qt.ItemFlag.ItemIsEnabled):
            return None
        return item

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Note the row a tap starts on; when it ends on the same row, tick it if Qt and the page did not."""
        if self._inside or not isinstance(event, QMouseEvent) or event.button() != Qt.MouseButton.LeftButton:
            return False
        row = self._table.rowAt(event.position().toPoint().y())
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            self._pressed_row = row
            return False
        if event.type() != QEvent.Type.MouseButtonRelease:
            return False
        pressed, self._pressed_row = self._pressed_row, -1
        item = self.tick_item(row)
        if item is None or row != pressed:
            return False
        before = item.checkState()
        self._inside = True
        try:
            QCoreApplication.sendEvent(watched, event)  # Qt's own handling first: its box, cellClicked
        finally:
            self._inside = False
        if self.tick_item(row) is item and item.checkState() == before:
            checked = before == Qt.CheckState.Checked
            item.setCheckState(Qt.CheckState.Unchecked if checked else Qt.CheckState.Checked)
        return True


def tick_on_row_tap(table: QTableWidget, column: int = TICK_COLUMN) -> RowTicker:
    """Make a tap anywhere on a row of ``table`` toggle its tick box in ``column`` (kept alive by the table)."""
    return RowTicker(table, column)
