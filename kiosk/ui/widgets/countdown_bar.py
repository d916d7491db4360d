"""A thin bar that empties while a result card stays: how long until the screen is ready again.

:meth:`CountdownBar.start` with the card's time; the bar is full then and
empty when the card goes. It is a second signal beside the words, painted
in the card's colour on a pale track (decoration: no text is on it). It
repaints only while it runs and is visible.
"""

from __future__ import annotations

from PySide6.QtCore import QElapsedTimer, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QHideEvent, QPainter, QPaintEvent, QShowEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.ui import theme

FRAME_MS = 50
BAR_PX = theme.SPACE_S + theme.SPACE_XS
"""12 px: seen at a glance, small beside the card's words."""


class CountdownBar(QWidget):
    """Full at :meth:`start`, empty after its milliseconds; hidden until started."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedHeight(BAR_PX)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._total_ms = 0
        self._clock = QElapsedTimer()
        self._colour = theme.qcolor(theme.PRIMARY)
        self._track = theme.qcolor(theme.DIVIDER)
        self._timer = QTimer(self)
        self._timer.setInterval(FRAME_MS)
        self._timer.timeout.connect(self._tick)
        self.hide()

    @property
    def total_ms(self) -> int:
        """The time the bar was started with (0: not started)."""
        return self._total_ms

    def set_colour(self, colour: QColor) -> None:
        """The colour of the part still to run (the card's accent)."""
        self._colour = QColor(colour)
        self.update()

    def start(self, total_ms: int) -> None:
        """Fill the bar and let it run empty over ``total_ms``."""
        self._total_ms = max(1, total_ms)
        self._clock.restart()
        self.show()
        self._timer.start()
        self.update()

    def stop(self) -> None:
        """Stop and hide the bar."""
        self._timer.stop()
        self._total_ms = 0
        self.hide()

    def remaining(self) -> float:
        """The share of the time still to run, 1.0 (just started) to 0.0."""
        if not self._total_ms or not self._clock.isValid():
            return 0.0
        return max(0.0, 1.0 - self._clock.elapsed() / self._total_ms)

    def _tick(self) -> None:
        if self.remaining() <= 0.0:
            self._timer.stop()
        self.update()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._total_ms and self.remaining() > 0.0:
            self._timer.start()

    def hideEvent(self, event: QHideEvent) -> None:
        self._timer.stop()
        super().hideEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        radius = self.height() / 2
        track = QRectF(self.rect())
        painter.setBrush(self._track)
        painter.drawRoundedRect(track, radius, radius)
        left = track.width() * self.remaining()
        if left > 0:
            painter.setBrush(self._colour)
            painter.drawRoundedRect(QRectF(track.left(), track.top(), left, track.height()), radius, radius)
        painter.end()
