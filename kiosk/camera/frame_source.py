"""The frame source interface: where the kiosk's camera frames come from.

A source hands out one BGR ``uint8`` frame per :meth:`FrameSource.read` call, or
``None`` when no frame is available right now. Sources never sleep: the capture
thread paces them, at :attr:`FrameSource.fps` when the source gives a rate
(files, synthetic scenes) and as fast as frames come when it does not (a device
whose ``read`` waits for the next frame itself).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

import cv2
import numpy as np
from numpy.typing import NDArray

Frame = NDArray[np.uint8]
"""A frame: ``height x width x 3`` BGR, ``uint8``."""


class CameraState(StrEnum):
    """What a source is doing, for the kiosk screen's camera indicator."""

    STARTING = "starting"
    """Opened (or about to be) and no frame has come yet."""
    LIVE = "live"
    """The last read returned a frame."""
    DISCONNECTED = "disconnected"
    """The device or file is missing or failed; a device source retries later."""
    RECONNECTING = "reconnecting"
    """A lost device was opened again and has not delivered a frame yet."""
    ENDED = "ended"
    """A finite file that does not loop has no more frames."""


@runtime_checkable
class FrameSource(Protocol):
    """Anything the capture thread can read frames from."""

    @property
    def fps(self) -> float | None:
        """The rate to pace reads at, or ``None`` to read as fast as frames come."""
        ...

    @property
    def state(self) -> CameraState:
        """The source's state after the last call."""
        ...

    def read(self) -> Frame | None:
        """Return the next BGR frame, or ``None`` when none is available now; never raises."""
        ...

    def close(self) -> None:
        """Release the device or file; later reads return ``None``."""
        ...


def as_bgr(image: NDArray[Any]) -> Frame | None:
    """Return ``image`` as a BGR ``uint8`` frame (gray and BGRA are converted), or ``None``.

    ``None`` means the array cannot be a frame: empty, of another dtype, or of
    an unexpected shape.
    """
    if image.dtype != np.uint8 or image.size == 0:
        return None
    if image.ndim == 2:
        return np.asarray(cv2.cvtColor(image, cv2.COLOR_GRAY2BGR), dtype=np.uint8)
    if image.ndim != 3:
        return None
    channels = image.shape[2]
    if channels == 3:
        return np.asarray(image, dtype=np.uint8)
    if channels == 4:
        return np.asarray(cv2.cvtColor(image, cv2.COLOR_BGRA2BGR), dtype=np.uint8)
    if channels == 1:
        return np.asarray(cv2.cvtColor(image[:, :, 0], cv2.COLOR_GRAY2BGR), dtype=np.uint8)
    return None
