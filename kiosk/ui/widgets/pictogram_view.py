"""A widget showing one :class:`~kiosk.ui.widgets.pictograms.Pictogram`, moving if it is one that moves.

The owner gives it a size and the theme colours (``theme.qcolor`` values):
the symbol's colour and, for a badge, the colour of the round disc behind
it. The animation runs only while the widget is visible and the symbol is
one of :data:`~kiosk.ui.widgets.pictograms.ANIMATED`; a hidden icon costs
nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QRectF, QTimer
from PySide6.QtGui import QColor, QHideEvent, QPainter, QPaintEvent, QShowEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.ui.widgets.pictograms import ANIMATED, Pictogram, paint_pictogram

FRAME_MS = 40
"""About 25 pictures a second while a symbol moves."""
PERIOD_MS = 1400
"""One slide of an arrow, one breath of the face that should come closer, one turn of the arc."""
BADGE_INSET = 0.22
"""On a badge, the symbol keeps this share of the disc's width clear on each side."""


class PictogramView(QWidget):
    """Paints a pictogram in a colour, optionally on a round disc of another colour."""

    def __init__(self, side: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedSize(side, side)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self._kind: Pictogram | None = None
        self._colour = QColor()
        self._disc: QColor | None = None
        self._clock = QElapsedTimer()
        self._clock.start()
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self.update)

    @property
    def kind(self) -> Pictogram | None:
        """The symbol shown (``None``: nothing yet)."""
        return self._kind

    def show_pictogram(self, kind: Pictogram, colour: QColor, disc: QColor | None = None) -> None:
        """Show ``kind`` in ``colour``; with ``disc``, on a round disc of that colour."""
        if kind is not self._kind:
            self._clock.restart()
        self._kind, self._colour, self._disc = kind, QColor(colour), None if disc is None else QColor(disc)
        self._run_if_needed()
        self.update()

    @property
    def animating(self) -> bool:
        """Whether the symbol is moving now."""
        return self._timer.isActive()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._run_if_needed()

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def _run_if_needed(self) -> None:
        if self._kind in ANIMATED and self.isVisible():
            if not self._timer.isActive():
                self._timer.start()
        else:
            self._timer.stop()

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._kind is None:
            return
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        area = QRectF(self.rect())
        if self._disc is not None:
            painter.setPen(self._disc)
            painter.setBrush(self._disc)
            painter.drawEllipse(area.adjusted(1, 1, -1, -1))
            inset = area.width() * BADGE_INSET
            area = area.adjusted(inset, inset, -inset, -inset)
        phase = (self._clock.elapsed() % PERIOD_MS) / PERIOD_MS if self._kind in ANIMATED else 0.0
        paint_pictogram(painter, self._kind, area, self._colour, phase)
        painter.end()
