"""A webcam read through OpenCV that survives being unplugged.

The source opens the device lazily: the first read opens it (and returns
``None``, state STARTING), the reads after that return frames (LIVE). When a
read fails (the cable was pulled, the driver hiccuped) it releases the device,
reports DISCONNECTED and tries to open it again once a back-off has passed on
the injected clock: 0.5 s, doubling with every failure up to 8 s, back to 0.5 s
after a frame. A successful reopen shows RECONNECTING until its first frame.
A read never waits for the back-off and does at most one open attempt or one
device read, so the capture thread stays responsive to being stopped.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

import cv2

from kiosk.camera.frame_source import CameraState, Frame, as_bgr

log = logging.getLogger(__name__)

FIRST_RETRY_S = 0.5
MAX_RETRY_S = 8.0


class Capture(Protocol):
    """The part of ``cv2.VideoCapture`` the device source uses (a fake stands in for tests)."""

    def isOpened(self) -> bool:
        """True when the device was opened."""
        ...

    def read(self) -> tuple[bool, Any]:
        """Grab and return the next frame."""
        ...

    def set(self, prop_id: int, value: float, /) -> bool:
        """Set a capture property."""
        ...

    def release(self) -> None:
        """Close the device."""
        ...


CaptureFactory = Callable[[int | str], Capture]


def open_video_capture(device: int | str) -> Capture:
    """``cv2.VideoCapture`` for a device index, or for a path / stream URL."""
    if isinstance(device, int):
        return cv2.VideoCapture(device)
    return cv2.VideoCapture(device)


class OpenCVDeviceSource:
    """A camera device (index or URL/path) with automatic reconnection.

    ``capture_factory`` and ``clock`` are injectable so tests can unplug a fake
    device and move time by hand.
    """

    def __init__(
        self,
        device: int | str,
        width: int = 640,
        height: int = 480,
        capture_factory: CaptureFactory = open_video_capture,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._device = device
        self._width = width
        self._height = height
        self._factory = capture_factory
        self._clock = clock
        self._capture: Capture | None = None
        self._state = CameraState.STARTING
        self._ever_live = False
        self._retry_delay = FIRST_RETRY_S
        self._next_attempt_at: float | None = None
        self._closed = False
        self._lock = threading.Lock()

    @property
    def fps(self) -> float | None:
        """``None``: a device's own ``read`` waits for the next frame."""
        return None

    @property
    def state(self) -> CameraState:
        """Starting, live, disconnected (waiting to retry) or reconnecting."""
        return self._state

    @property
    def retry_delay(self) -> float:
        """The back-off that the next failure will wait, in seconds."""
        return self._retry_delay

    def read(self) -> Frame | None:
        """Return a frame, or ``None`` while the device is missing or waiting to be retried."""
        with self._lock:
            if self._closed:
                return None
            if self._capture is None:
                # Opening is this call's one attempt; the next call reads.
                self._try_open()
                return None
            try:
                ok, image = self._capture.read()
            except Exception:  # a driver error must not kill the capture thread
                log.exception("camera %s: read raised", self._device)
                ok, image = False, None
            frame = as_bgr(image) if ok and image is not None else None
            if frame is None:
                self._fail("read failed")
                return None
            self._state = CameraState.LIVE
            self._ever_live = True
            self._retry_delay = FIRST_RETRY_S
            return frame

    def close(self) -> None:
        """Release the device; later reads return ``None``."""
        with self._lock:
            self._closed = True
            self._release()
            self._state = CameraState.DISCONNECTED

    def _try_open(self) -> None:
        now = self._clock()
        if self._next_attempt_at is not None and now < self._next_attempt_at:
            return
        try:
            capture = self._factory(self._device)
        except Exception:
            log.exception("camera %s: opening raised", self._device)
            self._schedule_retry(now)
            return
        if not capture.isOpened():
            self._capture = capture
            self._fail("could not open")
            return
        self._capture = capture
        try:
            capture.set(cv2.CAP_PROP_FRAME_WIDTH, self._width)
            capture.set(cv2.CAP_PROP_FRAME_HEIGHT, self._height)
        except Exception:  # a device may refuse sizes; it still delivers frames
            log.warning("camera %s: could not set %dx%d", self._device, self._width, self._height)
        self._state = CameraState.RECONNECTING if self._ever_live else CameraState.STARTING
        log.info("camera %s: opened", self._device)

    def _fail(self, why: str) -> None:
        self._release()
        log.warning("camera %s: %s; retrying in %.1f s", self._device, why, self._retry_delay)
        self._schedule_retry(self._clock())

    def _schedule_retry(self, now: float) -> None:
        self._state = CameraState.DISCONNECTED
        self._next_attempt_at = now + self._retry_delay
        self._retry_delay = min(self._retry_delay * 2, MAX_RETRY_S)

    def _release(self) -> None:
        if self._capture is not None:
            try:
                self._capture.release()
            except Exception:
                log.exception("camera %s: release raised", self._device)
            self._capture = None
