"""Painting the face overlay on the camera preview: the box, the prompt band, the progress, the QR line.

Only a painter and the rectangle the preview image fills are needed, so the
camera view calls :func:`paint_face_overlay` at the end of its paint. Sizes
follow the preview's height so the prompt stays readable from a metre at any
window size (about 30 px type in a 500 px preview). The band's words are the
prompt's own, the same the kiosk's big panel shows beside the preview with
its symbol (:mod:`kiosk.ui.widgets.idle_panel`): the two never disagree.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QPainter, QPen

from kiosk.ui import theme
from kiosk.ui.face_prompts import FacePrompt, PromptTone

TONE_COLOURS = {
    PromptTone.NEUTRAL: (theme.qcolor(theme.ON_OVERLAY), theme.qcolor(theme.PROMPT_NEUTRAL)),
    PromptTone.ACTION: (theme.qcolor(theme.FACE_ACTION), theme.qcolor(theme.PROMPT_ACTION)),
    PromptTone.SUCCESS: (theme.qcolor(theme.FACE_SUCCESS), theme.qcolor(theme.PROMPT_SUCCESS)),
    PromptTone.REFUSAL: (theme.qcolor(theme.FACE_REFUSAL), theme.qcolor(theme.PROMPT_REFUSAL)),
}
"""Per tone: the box's colour and the prompt band's background."""

QR_LINE_BACKGROUND = theme.qcolor(theme.QR_LINE)
TEXT_COLOUR = theme.qcolor(theme.ON_OVERLAY)


def paint_face_overlay(
    painter: QPainter, target: QRectF, prompt: FacePrompt | None, qr_line: str, base_font: QFont
) -> None:
    """Paint ``prompt`` (may be ``None``) and the permanent ``qr_line`` over the preview in ``target``."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    if prompt is not None:
        _paint_box(painter, target, prompt)
        if prompt.text:
            _paint_prompt(painter, target, prompt, base_font)
    if qr_line:
        _paint_qr_line(painter, target, qr_line, base_font)
    painter.restore()


def _paint_box(painter: QPainter, target: QRectF, prompt: FacePrompt) -> None:
    box, (width, height) = prompt.box, prompt.frame_size
    if box is None or width <= 0 or height <= 0:
        return
    sx, sy = target.width() / width, target.height() / height
    rect = QRectF(
        target.left() + box.left * sx, target.top() + box.top * sy, box.width * sx, box.height * sy
    ).intersected(target)
    colour, _ = TONE_COLOURS[prompt.tone]
    pen = QPen(colour, max(3.0, target.height() / 120))
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    radius = rect.width() * 0.12
    painter.drawRoundedRect(rect, radius, radius)


def _paint_prompt(painter: QPainter, target: QRectF, prompt: FacePrompt, base_font: QFont) -> None:
    band_height = max(64.0, target.height() * 0.2)
    band = QRectF(target.left(), target.top(), target.width(), band_height)
    _, background = TONE_COLOURS[prompt.tone]
    painter.fillRect(band, background)
    font = QFont(base_font)
    font.setBold(True)
    font.setPixelSize(max(20, round(band_height * 0.3)))
    painter.setFont(font)
    painter.setPen(TEXT_COLOUR)
    text_area = band.adjusted(16, 6, -16, -(band_height * 0.25 if prompt.progress is not None else 6))
    text = prompt.text
    if prompt.arrow:
        arrow_font = QFont(font)
        arrow_font.setPixelSize(round(band_height * 0.55))
        painter.setFont(arrow_font)
        left_side = prompt.arrow == "←"
        align = Qt.AlignmentFlag.AlignLeft if left_side else Qt.AlignmentFlag.AlignRight
        painter.drawText(text_area, align | Qt.AlignmentFlag.AlignVCenter, prompt.arrow)
        painter.setFont(font)
        margin = band_height * 0.55
        text_area = text_area.adjusted(margin if left_side else 0, 0, 0 if left_side else -margin, 0)
    painter.drawText(text_area, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, text)
    if prompt.progress is not None:
        _paint_progress(painter, band, prompt.progress)


def _paint_progress(painter: QPainter, band: QRectF, progress: float) -> None:
    bar_height = max(8.0, band.height() * 0.1)
    track = QRectF(
        band.left() + band.width() * 0.2,
        band.bottom() - bar_height * 2,
        band.width() * 0.6,
        bar_height,
    )
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(theme.qcolor(theme.PROGRESS_TRACK))
    painter.drawRoundedRect(track, bar_height / 2, bar_height / 2)
    filled = QRectF(track.left(), track.top(), track.width() * min(1.0, max(0.0, progress)), bar_height)
    painter.setBrush(TEXT_COLOUR)
    painter.drawRoundedRect(filled, bar_height / 2, bar_height / 2)


def _paint_qr_line(painter: QPainter, target: QRectF, text: str, base_font: QFont) -> None:
    line_height = max(40.0, target.height() * 0.1)
    band = QRectF(target.left(), target.bottom() - line_height, target.width(), line_height)
    painter.fillRect(band, QR_LINE_BACKGROUND)
    font = QFont(base_font)
    font.setPixelSize(max(16, round(line_height * 0.45)))
    painter.setFont(font)
    painter.setPen(TEXT_COLOUR)
    painter.drawText(band, Qt.AlignmentFlag.AlignCenter, "▣  " + text)
