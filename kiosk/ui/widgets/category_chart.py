"""A plain bar chart of hours by category, painted with QPainter (no chart library needed)."""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QWidget

from kiosk.ui import theme

BAR_COLOUR = theme.qcolor(theme.PRIMARY)
TEXT_COLOUR = theme.qcolor(theme.TEXT)
LABEL_WIDTH = 0.32  # share of the width for the category names
ROW_HEIGHT_PX = 44


class CategoryChart(QWidget):
    """Horizontal bars: one per category, longest first, with the hours written at the end."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[str, float]] = []
        self._empty_text = ""
        self.setMinimumHeight(ROW_HEIGHT_PX * 3)

    def set_rows(self, rows: list[tuple[str, float]], empty_text: str) -> None:
        """Set (category, hours) rows and the words shown when there are none."""
        self._rows = sorted(rows, key=lambda r: (-r[1], r[0]))
        self._empty_text = empty_text
        self.setMinimumHeight(ROW_HEIGHT_PX * max(3, len(self._rows)))
        self.update()

    def rows(self) -> list[tuple[str, float]]:
        return list(self._rows)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            font = painter.font()
            font.setPixelSize(theme.text_px("small"))
            painter.setFont(font)
            painter.setPen(TEXT_COLOUR)
            if not self._rows:
                painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self._empty_text)
                return
            self._paint_bars(painter)
        finally:
            painter.end()

    def _paint_bars(self, painter: QPainter) -> None:
        width = self.width()
        label_w = width * LABEL_WIDTH
        value_w = 110.0
        bar_space = max(10.0, width - label_w - value_w - 16)
        top = max(h for _, h in self._rows) or 1.0
        for index, (name, hours) in enumerate(self._rows):
            y = index * ROW_HEIGHT_PX
            label = QRectF(0, y, label_w - 8, ROW_HEIGHT_PX)
            painter.drawText(label, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, name)
            bar = QRectF(label_w, y + 8, bar_space * hours / top, ROW_HEIGHT_PX - 16)
            painter.fillRect(bar, BAR_COLOUR)
            value = QRectF(bar.right() + 8, y, value_w, ROW_HEIGHT_PX)
            painter.drawText(
                value, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, f"{hours:.1f} h"
            )
