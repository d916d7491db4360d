"""The live camera preview with a guide frame, or what to do when there is no camera.

With face check-in on, the preview also carries the face overlay
(:mod:`kiosk.ui.widgets.face_overlay`): the box around the face, the prompt,
and the line saying the QR code works too.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt, Signal
from PySide6.QtGui import QImage, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.camera.frame_source import CameraState
from kiosk.ui import theme
from kiosk.ui.face_prompts import FacePrompt, qr_line
from kiosk.ui.widgets.face_overlay import paint_face_overlay

GUIDE_COLOUR = theme.qcolor(theme.SCAN_GUIDE)
NO_CAMERA_STATE = "off"  # set_camera_state() of a kiosk set up with no camera (a USB scanner only)


class CameraView(QWidget):
    """Paints the newest preview frame scaled to fit, a square guide for the QR code, and the face overlay."""

    state_changed = Signal(str)  # the camera's state, when it changes (the kiosk's panel follows it)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._image: QImage | None = None
        self._state = str(CameraState.STARTING)
        self._face_on = False
        self._face_prompt: FacePrompt | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(320, 240)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        theme.text_role(self, "large")  # the message without a picture: read from a metre

    def show_frame(self, image: QImage) -> None:
        self._image = image
        self.update()

    @property
    def face_prompt(self) -> FacePrompt | None:
        """The face overlay shown now (``None``: no face prompt)."""
        return self._face_prompt

    def set_face_on(self, on: bool) -> None:
        """Face check-in is on (the QR line shows) or off (the preview looks as without faces)."""
        self._face_on = on
        if not on:
            self._face_prompt = None
        self.update()

    def show_face_prompt(self, prompt: FacePrompt | None) -> None:
        """Show the face's box and prompt (``None``: neither; the QR line stays while face check-in is on)."""
        self._face_prompt = prompt
        self.update()

    @property
    def camera_state(self) -> str:
        """The state last set (:class:`CameraState` values, or :data:`NO_CAMERA_STATE`)."""
        return self._state

    def set_camera_state(self, state: str) -> None:
        """Show what the camera is doing; without a picture, what to do instead (the barcode scanner)."""
        changed = state != self._state
        self._state = state
        if state != CameraState.LIVE:
            self._image = None
        self.update()
        if changed:
            self.state_changed.emit(state)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.update()
        super().changeEvent(event)

    def _message(self) -> str:
        if self._state == NO_CAMERA_STATE:
            return self.tr("No camera here.\nVolunteers scan their cards with the barcode scanner.")
        if self._state in (CameraState.DISCONNECTED, CameraState.RECONNECTING):
            return self.tr("Camera not connected, trying again…\nYou can also use the barcode scanner.")
        if self._state == CameraState.ENDED:
            return self.tr("The video has ended.\nYou can use the barcode scanner.")
        return self.tr("Starting the camera…")

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), theme.qcolor(theme.VIDEO_BACKDROP))
        if self._image is not None:
            scaled = self._image.size().scaled(self.size(), Qt.AspectRatioMode.KeepAspectRatio)
            x = (self.width() - scaled.width()) / 2
            y = (self.height() - scaled.height()) / 2
            target = QRectF(x, y, scaled.width(), scaled.height())
            painter.drawImage(target, self._image)
            self._paint_guide(painter)
            if self._face_on:
                paint_face_overlay(painter, target, self._face_prompt, qr_line(), self.font())
        else:
            painter.setPen(theme.qcolor(theme.ON_VIDEO))
            painter.setFont(self.font())
            margin = theme.SPACE_L
            area = self.rect().adjusted(margin, margin, -margin, -margin)
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._message())
        painter.end()

    def _paint_guide(self, painter: QPainter) -> None:
        side = min(self.width(), self.height()) * 0.6
        left = (self.width() - side) / 2
        top = (self.height() - side) / 2
        corner = side * 0.18
        pen = QPen(GUIDE_COLOUR, max(4.0, side / 60))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        for cx, dx in ((left, 1), (left + side, -1)):
            for cy, dy in ((top, 1), (top + side, -1)):
                painter.drawLine(int(cx), int(cy), int(cx + dx * corner), int(cy))
                painter.drawLine(int(cx), int(cy), int(cx), int(cy + dy * corner))
