"""The live camera picture during face enrolment, with a box around the face the capture is looking at.

The picture is only painted, never saved; :meth:`FacePreview.clear` drops it
when the capture ends, so no frame stays in memory after the volunteer left
the camera.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QFont, QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.face.engine import Box
from kiosk.ui import theme

GOOD_COLOUR = theme.qcolor(theme.FACE_GOOD)
HINT_COLOUR = theme.qcolor(theme.SCAN_GUIDE)


class FacePreview(QWidget):
    """Paints the newest preview scaled to fit, and the face box scaled with it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image: QImage | None = None
        self._box: Box | None = None
        self._frame_size = (0, 0)
        self._good = False
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(480, 360)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    @property
    def has_image(self) -> bool:
        return self._image is not None

    def show_frame(self, image: QImage) -> None:
        """Show the newest camera picture."""
        self._image = image
        self.update()

    def set_face(self, box: Box | None, frame_size: tuple[int, int], good: bool) -> None:
        """Where the face is in the frame (``frame_size`` = ``(width, height)``), and whether it is good."""
        self._box, self._frame_size, self._good = box, frame_size, good
        self.update()

    def clear(self) -> None:
        """Forget the picture and the box."""
        self._image, self._box = None, None
        self.update()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.update()
        super().changeEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), theme.qcolor(theme.VIDEO_BACKDROP))
        if self._image is None:
            painter.setPen(theme.qcolor(theme.ON_VIDEO))
            font = QFont(self.font())
            font.setPointSize(max(14, self.font().pointSize()))
            painter.setFont(font)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("Waiting for the camera…"))
        else:
            scaled = self._image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRectF(
                (self.width() - scaled.width()) / 2,
                (self.height() - scaled.height()) / 2,
                scaled.width(),
                scaled.height(),
            )
            painter.drawImage(target, self._image)
            self._paint_box(painter, target)
        painter.end()

    def _paint_box(self, painter: QPainter, target: QRectF) -> None:
        width, height = self._frame_size
        box = self._box
        if box is None or width <= 0 or height <= 0:
            return
        sx, sy = target.width() / width, target.height() / height
        rect = QRectF(
            target.left() + box.left * sx, target.top() + box.top * sy, box.width * sx, box.height * sy
        )
        pen = QPen(GOOD_COLOUR if self._good else HINT_COLOUR, max(3.0, target.width() / 160))
        painter.setPen(pen)
        painter.drawRoundedRect(rect, 8, 8)
