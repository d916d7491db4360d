"""Simple painted symbols the kiosk screen shows instead of words a volunteer must read.

Each :class:`Pictogram` is drawn on a 100 × 100 grid by :func:`paint_pictogram`,
in one colour, so it looks the same with any font (no emoji or symbol glyph
has to exist on the kiosk). A few move: ``phase`` (0 to 1, repeating) slides
the arrows, grows the face that should come closer and turns the "checking"
arc; :data:`ANIMATED` names them. Colours come from the caller (the theme).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from enum import StrEnum

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

GRID = 100.0
"""The drawings' own coordinates: a square GRID wide, scaled to the rectangle they are painted in."""


class Pictogram(StrEnum):
    """What a symbol says."""

    CHECK_IN = "check_in"
    """A tick: checked in."""
    CHECK_OUT = "check_out"
    """An arrow leaving through a door: checked out."""
    INFO = "info"
    WARNING = "warning"
    REFUSED = "refused"
    """A cross: not done."""
    QR_CODE = "qr_code"
    """Show your volunteer card's QR code."""
    SCANNER = "scanner"
    """A barcode under the scanner's line: use the barcode scanner."""
    FACE = "face"
    """Look at the camera."""
    TURN_LEFT = "turn_left"
    TURN_RIGHT = "turn_right"
    COME_CLOSER = "come_closer"
    TOO_DARK = "too_dark"
    """A sun: face the light."""
    BACKLIT = "backlit"
    """A head in front of a sun: the light is behind you."""
    ONE_PERSON = "one_person"
    CHECKING = "checking"
    """A turning arc: one moment."""


ANIMATED = frozenset({Pictogram.TURN_LEFT, Pictogram.TURN_RIGHT, Pictogram.COME_CLOSER, Pictogram.CHECKING})


def paint_pictogram(
    painter: QPainter, kind: Pictogram, rect: QRectF, colour: QColor, phase: float = 0.0
) -> None:
    """Paint ``kind`` in ``colour``, as large as fits in ``rect`` and centred in it."""
    side = min(rect.width(), rect.height())
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.translate(rect.center().x() - side / 2, rect.center().y() - side / 2)
    painter.scale(side / GRID, side / GRID)
    _DRAWINGS[kind](painter, colour, phase % 1.0)
    painter.restore()


def _pen(painter: QPainter, colour: QColor, width: float) -> None:
    pen = QPen(colour, width)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)


def _fill(painter: QPainter, colour: QColor) -> None:
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)


def _polyline(painter: QPainter, *points: tuple[float, float]) -> None:
    painter.drawPolyline([QPointF(x, y) for x, y in points])


def _swing(phase: float) -> float:
    """0 → 1 → 0 over one phase, smoothly."""
    return (1 - math.cos(phase * 2 * math.pi)) / 2


def _check_in(painter: QPainter, colour: QColor, phase: float) -> None:
    _pen(painter, colour, 12)
    _polyline(painter, (22, 52), (42, 72), (78, 30))


def _check_out(painter: QPainter, colour: QColor, phase: float) -> None:
    _pen(painter, colour, 9)
    _polyline(painter, (56, 32), (56, 16), (18, 16), (18, 84), (56, 84), (56, 68))
    _pen(painter, colour, 11)
    _polyline(painter, (38, 50), (84, 50))
    _polyline(painter, (68, 34), (84, 50), (68, 66))


def _info(painter: QPainter, colour: QColor, phase: float) -> None:
    _fill(painter, colour)
    painter.drawEllipse(QPointF(50, 24), 8, 8)
    painter.drawRoundedRect(QRectF(42, 40, 16, 42), 5, 5)


def _warning(painter: QPainter, colour: QColor, phase: float) -> None:
    _fill(painter, colour)
    painter.drawRoundedRect(QRectF(42, 16, 16, 48), 5, 5)
    painter.drawEllipse(QPointF(50, 78), 8, 8)


def _refused(painter: QPainter, colour: QColor, phase: float) -> None:
    _pen(painter, colour, 12)
    _polyline(painter, (28, 28), (72, 72))
    _polyline(painter, (72, 28), (28, 72))


def _qr_code(painter: QPainter, colour: QColor, phase: float) -> None:
    for left, top in ((10, 10), (62, 10), (10, 62)):
        _pen(painter, colour, 6)
        painter.drawRect(QRectF(left + 3, top + 3, 22, 22))
        _fill(painter, colour)
        painter.drawRect(QRectF(left + 9, top + 9, 10, 10))
    _fill(painter, colour)
    for left, top in (
        (62, 62),
        (80, 62),
        (71, 71),
        (62, 80),
        (80, 80),
        (44, 12),
        (44, 30),
        (12, 44),
        (30, 44),
    ):
        painter.drawRect(QRectF(left, top, 9, 9))


def _scanner(painter: QPainter, colour: QColor, phase: float) -> None:
    _fill(painter, colour)
    x = 8.0  # ten bars, 52 wide with nine gaps of 3.5: centred
    for width in (4, 8, 3, 6, 3, 10, 4, 3, 7, 4):
        painter.drawRect(QRectF(x, 26, width, 48))
        x += width + 3.5
    _pen(painter, colour, 4)
    _polyline(painter, (3, 50), (97, 50))


def _face_at(painter: QPainter, colour: QColor, centre: QPointF, radius: float) -> None:
    _pen(painter, colour, max(4.0, radius / 6))
    painter.drawEllipse(centre, radius, radius)
    _fill(painter, colour)
    eye = radius * 0.13
    for dx in (-0.35, 0.35):
        painter.drawEllipse(QPointF(centre.x() + dx * radius, centre.y() - 0.18 * radius), eye, eye)
    _pen(painter, colour, max(3.0, radius / 8))
    mouth = QRectF(centre.x() - radius * 0.4, centre.y() - radius * 0.1, radius * 0.8, radius * 0.55)
    painter.drawArc(mouth, 200 * 16, 140 * 16)


def _face(painter: QPainter, colour: QColor, phase: float) -> None:
    _face_at(painter, colour, QPointF(50, 50), 38)


def _arrow(painter: QPainter, colour: QColor, phase: float, towards: int) -> None:
    """A thick arrow pointing ``towards`` -1 (left) or 1 (right), sliding that way and back."""
    shift = towards * 12 * _swing(phase)
    tip = 50 + towards * 36 + shift
    tail = 50 - towards * 34 + shift
    _pen(painter, colour, 13)
    _polyline(painter, (tail, 50), (tip, 50))
    _polyline(painter, (tip - towards * 22, 28), (tip, 50), (tip - towards * 22, 72))


def _come_closer(painter: QPainter, colour: QColor, phase: float) -> None:
    _pen(painter, colour, 6)
    for x, y, dx, dy in ((6, 6, 1, 1), (94, 6, -1, 1), (6, 94, 1, -1), (94, 94, -1, -1)):
        _polyline(painter, (x + dx * 16, y), (x, y), (x, y + dy * 16))
    _face_at(painter, colour, QPointF(50, 50), 20 + 16 * _swing(phase))


def _sun_at(painter: QPainter, colour: QColor, centre: QPointF, radius: float) -> None:
    _fill(painter, colour)
    painter.drawEllipse(centre, radius, radius)
    _pen(painter, colour, max(3.0, radius / 2.4))
    for step in range(8):
        angle = step * math.pi / 4
        inner, outer = radius * 1.6, radius * 2.4
        _polyline(
            painter,
            (centre.x() + inner * math.cos(angle), centre.y() + inner * math.sin(angle)),
            (centre.x() + outer * math.cos(angle), centre.y() + outer * math.sin(angle)),
        )


def _too_dark(painter: QPainter, colour: QColor, phase: float) -> None:
    _sun_at(painter, colour, QPointF(50, 50), 17)


def _person_at(painter: QPainter, colour: QColor, x: float, head_y: float, size: float) -> None:
    _fill(painter, colour)
    painter.drawEllipse(QPointF(x, head_y), size, size)
    body = QPainterPath()
    body.moveTo(x - size * 1.9, 100)
    body.cubicTo(
        x - size * 1.9, head_y + size * 1.3, x + size * 1.9, head_y + size * 1.3, x + size * 1.9, 100
    )
    body.closeSubpath()
    painter.drawPath(body)


def _backlit(painter: QPainter, colour: QColor, phase: float) -> None:
    _sun_at(painter, colour, QPointF(72, 26), 9)
    _person_at(painter, colour, 40, 52, 15)


def _one_person(painter: QPainter, colour: QColor, phase: float) -> None:
    _person_at(painter, colour, 50, 34, 17)


def _checking(painter: QPainter, colour: QColor, phase: float) -> None:
    _pen(painter, colour, 10)
    start = round(-phase * 360 * 16)
    painter.drawArc(QRectF(16, 16, 68, 68), start, 270 * 16)


_DRAWINGS: dict[Pictogram, Callable[[QPainter, QColor, float], None]] = {
    Pictogram.CHECK_IN: _check_in,
    Pictogram.CHECK_OUT: _check_out,
    Pictogram.INFO: _info,
    Pictogram.WARNING: _warning,
    Pictogram.REFUSED: _refused,
    Pictogram.QR_CODE: _qr_code,
    Pictogram.SCANNER: _scanner,
    Pictogram.FACE: _face,
    Pictogram.TURN_LEFT: lambda p, c, t: _arrow(p, c, t, -1),
    Pictogram.TURN_RIGHT: lambda p, c, t: _arrow(p, c, t, 1),
    Pictogram.COME_CLOSER: _come_closer,
    Pictogram.TOO_DARK: _too_dark,
    Pictogram.BACKLIT: _backlit,
    Pictogram.ONE_PERSON: _one_person,
    Pictogram.CHECKING: _checking,
}
