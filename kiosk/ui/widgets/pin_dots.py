"""How many digits of a PIN were typed, as dots: never the digits themselves.

A row of circles, painted: one filled per digit typed, hollow ones up to the
shortest PIN (6 digits), so the coordinator sees both what was typed and
that more is expected. Past six, each digit adds a filled dot (PINs have up
to 8). Painted rather than written with a "●" glyph: every font draws it the
same size.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.ui import theme

SLOTS = 6  # the shortest new PIN: hollow dots up to here
DOT_PX = 28
GAP_PX = theme.SPACE_L
RING_PX = 3
HEIGHT_PX = 64  # the row keeps its height, dots or not


class PinDots(QWidget):
    """One filled dot per digit typed, hollow ones up to :data:`SLOTS`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._count = 0
        self.setObjectName("pinDots")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setFixedHeight(HEIGHT_PX)

    def set_count(self, count: int) -> None:
        """Show ``count`` digits typed."""
        if count != self._count:
            self._count = count
            self.updateGeometry()
            self.update()

    def count(self) -> int:
        """The digits shown as typed."""
        return self._count

    def sizeHint(self) -> QSize:
        slots = max(SLOTS, self._count)
        return QSize(slots * DOT_PX + (slots - 1) * GAP_PX + 2 * RING_PX, HEIGHT_PX)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: QPaintEvent) -> None:
        slots = max(SLOTS, self._count)
        width = slots * DOT_PX + (slots - 1) * GAP_PX
        left = (self.width() - width) / 2
        top = (self.height() - DOT_PX) / 2
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            for index in range(slots):
                rect = QRectF(left + index * (DOT_PX + GAP_PX), top, DOT_PX, DOT_PX)
                if index < self._count:
                    painter.setPen(QPen(theme.qcolor(theme.TEXT), RING_PX))
                    painter.setBrush(theme.qcolor(theme.TEXT))
                else:
                    painter.setPen(QPen(theme.qcolor(theme.OUTLINE), RING_PX))
                    painter.setBrush(theme.qcolor(theme.SURFACE_RAISED))
                painter.drawEllipse(rect.adjusted(RING_PX / 2, RING_PX / 2, -RING_PX / 2, -RING_PX / 2))
        finally:
            painter.end()
