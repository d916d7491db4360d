"""Frame sources backed by files: a video file and a folder of images.

Both are for demos, tests and the bundle's self-test. A missing path is not an
error: the source reports :attr:`CameraState.DISCONNECTED` and reads return
``None``, so a kiosk configured with a wrong path shows "no camera" rather than
crashing.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from kiosk.camera.device_source import Capture
from kiosk.camera.frame_source import CameraState, Frame, as_bgr

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg"})


class VideoFileSource:
    """Frames of a video file, at the file's own frame rate, looping by default."""

    def __init__(
        self,
        path: str | Path,
        loop: bool = True,
        capture_factory: Callable[[str], Capture] = cv2.VideoCapture,
    ) -> None:
        self._path = Path(path)
        self._loop = loop
        self._factory = capture_factory
        self._capture: Capture | None = None
        self._fps: float | None = None
        self._state = CameraState.STARTING
        self._frames_since_open = 0
        if not self._open():
            self._state = CameraState.DISCONNECTED

    @property
    def fps(self) -> float | None:
        """The file's frame rate, or ``None`` when the file does not say."""
        return self._fps

    @property
    def state(self) -> CameraState:
        """LIVE while frames come, ENDED at the end of a non-looping file, DISCONNECTED if unreadable."""
        return self._state

    def read(self) -> Frame | None:
        """Return the next frame; at the end, start again (``loop``) or return ``None`` (ENDED)."""
        if self._capture is None:
            return None
        frame = self._read_one()
        if frame is None and self._loop and self._frames_since_open > 0 and self._open():
            frame = self._read_one()
        if frame is None:
            self._release()
            self._state = CameraState.ENDED if self._frames_since_open > 0 else CameraState.DISCONNECTED
            return None
        self._state = CameraState.LIVE
        return frame

    def close(self) -> None:
        """Release the file; later reads return ``None``."""
        self._release()
        self._state = CameraState.DISCONNECTED

    def _open(self) -> bool:
        self._release()
        if not self._path.is_file():
            log.warning("video file %s does not exist", self._path)
            return False
        try:
            capture = self._factory(str(self._path))
        except Exception:
            log.exception("video file %s: opening raised", self._path)
            return False
        if not capture.isOpened():
            log.warning("video file %s cannot be opened", self._path)
            capture.release()
            return False
        self._capture = capture
        self._frames_since_open = 0
        fps = _capture_fps(capture)
        self._fps = fps if fps and 0 < fps < 1000 else None
        return True

    def _read_one(self) -> Frame | None:
        assert self._capture is not None
        try:
            ok, image = self._capture.read()
        except Exception:
            log.exception("video file %s: read raised", self._path)
            return None
        frame = as_bgr(image) if ok and image is not None else None
        if frame is not None:
            self._frames_since_open += 1
        return frame

    def _release(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


def _capture_fps(capture: Any) -> float | None:
    try:
        return float(capture.get(cv2.CAP_PROP_FPS))
    except Exception:  # fakes may not implement get()
        return None


class ImageFolderSource:
    """The ``*.png`` / ``*.jpg`` files of a folder in name order, at ``fps``, looping by default.

    Files that cannot be read are skipped with one warning each, never raised.
    The folder is listed once, when the source is made.
    """

    def __init__(self, folder: str | Path, fps: float = 5.0, loop: bool = True) -> None:
        self._folder = Path(folder)
        self._fps = fps
        self._loop = loop
        self._next = 0
        self._bad: set[Path] = set()
        self._files: list[Path] = []
        if self._folder.is_dir():
            self._files = sorted(
                p for p in self._folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file()
            )
            self._state = CameraState.STARTING if self._files else CameraState.DISCONNECTED
        else:
            log.warning("image folder %s does not exist", self._folder)
            self._state = CameraState.DISCONNECTED
        self._closed = False

    @property
    def fps(self) -> float | None:
        """The configured rate."""
        return self._fps

    @property
    def state(self) -> CameraState:
        """LIVE while images come, ENDED after the last one (no loop), DISCONNECTED if none is readable."""
        return self._state

    @property
    def files(self) -> list[Path]:
        """The image files found, in the order they are shown."""
        return list(self._files)

    def read(self) -> Frame | None:
        """Return the next readable image as a BGR frame, or ``None`` (ENDED / DISCONNECTED)."""
        if self._closed or not self._files:
            return None
        for _ in range(len(self._files)):
            if self._next >= len(self._files):
                if not self._loop:
                    self._state = CameraState.ENDED
                    return None
                self._next = 0
            path = self._files[self._next]
            self._next += 1
            if path in self._bad:
                continue
            frame = _load(path)
            if frame is None:
                self._bad.add(path)
                log.warning("image %s cannot be read; skipped", path)
                continue
            self._state = CameraState.LIVE
            return frame
        if self._next >= len(self._files) and not self._loop:
            self._state = CameraState.ENDED
        elif len(self._bad) == len(self._files):
            self._state = CameraState.DISCONNECTED
        return None

    def close(self) -> None:
        """Stop; later reads return ``None``."""
        self._closed = True
        self._state = CameraState.DISCONNECTED


def _load(path: Path) -> Frame | None:
    # np.fromfile + imdecode rather than imread: imread cannot open non-ASCII paths on Windows.
    try:
        data = np.fromfile(path, dtype=np.uint8)
        image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    except (OSError, cv2.error):
        return None
    return as_bgr(image) if image is not None else None
