"""Reading a service receipt's QR code off the kiosk's screen, as a volunteer's phone camera would.

- :func:`grab_bgr`: the kiosk window as it is painted (BGR, one pixel per screen pixel).
- :func:`phone_view`: a region of that screen seen by a phone held at arm's length: tilted in
  perspective, a little out of focus, with sensor noise, over a dim room, in a 1280×720 frame.
- :func:`read_receipt_urls`: the ``/R/VR1:`` URLs the kiosk's own decoder chain
  (:func:`kiosk.camera.decoder_chain.default_chain`) reads in an image.
"""

from __future__ import annotations

import cv2
import numpy as np
from numpy.typing import NDArray
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from kiosk.camera.decoder_chain import DecoderChain, default_chain

PHONE_FRAME = (1280, 720)

_chain: DecoderChain | None = None


def grab_bgr(widget: QWidget) -> NDArray[np.uint8]:
    """``widget`` as painted, a BGR array the size of the widget."""
    image = widget.grab().toImage().convertToFormat(QImage.Format.Format_BGR888)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    raw = np.frombuffer(image.constBits(), dtype=np.uint8, count=stride * height).reshape(height, stride)
    return (
        raw[:, : width * 3].reshape(height, width, 3).copy()
    )  # the QImage (and its buffer) goes with this call


def phone_view(
    screen: NDArray[np.uint8], region: tuple[int, int, int, int], seed: int, fill: float = 0.8
) -> NDArray[np.uint8]:
    """``region`` (x, y, w, h) of ``screen`` as a phone camera frames it: ``fill`` of the frame's height.

    The phone is tilted (one side of the region nearer than the other), slightly turned,
    the focus a little soft, the sensor noisy, and the screen's light dimmer than white paper.
    """
    rng = np.random.default_rng(seed)
    width, height = PHONE_FRAME
    x, y, w, h = region
    scale = fill * height / h
    out_w, out_h = w * scale, h * scale
    left, top = (width - out_w) / 2 + rng.uniform(-40, 40), (height - out_h) / 2 + rng.uniform(-20, 20)
    lean = rng.uniform(0.05, 0.10) * out_w
    turn = rng.uniform(-0.06, 0.06) * out_h
    corners = np.array(
        [
            [left + lean, top + turn],
            [left + out_w - lean, top - turn],
            [left + out_w, top + out_h],
            [left, top + out_h],
        ],
        dtype=np.float32,
    )
    source = np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], dtype=np.float32)
    homography = cv2.getPerspectiveTransform(source, corners)
    warped = cv2.warpPerspective(
        screen.astype(np.float32),
        homography,
        PHONE_FRAME,
        flags=cv2.INTER_AREA,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=(40, 40, 45),
    )
    dimmed = np.asarray(warped, dtype=np.float32) * np.float32(rng.uniform(0.75, 0.9))
    blurred = np.asarray(cv2.GaussianBlur(dimmed, (0, 0), rng.uniform(0.8, 1.4)), dtype=np.float32)
    frame = blurred + rng.normal(0, 6, size=blurred.shape).astype(np.float32)
    return np.asarray(np.clip(frame, 0, 255), dtype=np.uint8)


def read_receipt_urls(image: NDArray[np.uint8]) -> list[str]:
    """The receipt URLs the kiosk's decoder chain reads in ``image``."""
    global _chain
    if _chain is None:
        _chain = default_chain()
    return [found.text for found in _chain.decode(image) if "/R/VR1:" in found.text.upper()]
