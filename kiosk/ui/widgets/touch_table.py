"""The desk's lists on a touch screen: readable rows, tick boxes a finger can hit, read-only cells."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QWidget

from kiosk.ui.theme import TOUCH_TARGET_PX
from kiosk.ui.widgets.tick_rows import tick_on_row_tap


def touch_table(columns: int, parent: QWidget | None = None) -> QTableWidget:
    """A read-only table with stretched columns, no row numbers and rows tall enough to touch.

    Its type, lines and finger-sized tick boxes come from the theme's style sheet; a tap anywhere
    on a row with a tick box in the first column toggles it (:mod:`kiosk.ui.widgets.tick_rows`).
    """
    table = QTableWidget(0, columns, parent)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(TOUCH_TARGET_PX * 2 // 3)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    tick_on_row_tap(table)
    return table
