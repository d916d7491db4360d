"""A camera showing a faces-dev person: frames rendered from an enrol photo, played in a loop.

The photo is read in place (``tests/helpers/faces.py``) and rendered as a
640 x 480 camera would see the person sitting still in front of it
(:func:`kiosk.face.synthetic.still_sequence`: centred, sensor noise, a
little blur); the frames live in memory only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

import cv2
import numpy as np

from helpers.faces import FACES
from helpers.images import read_image
from kiosk.camera.frame_source import CameraState, Frame
from kiosk.face import synthetic


class LoopingFrames:
    """A :class:`~kiosk.camera.frame_source.FrameSource` that plays ``frames`` over and over at ``fps``."""

    def __init__(self, frames: Sequence[Frame], fps: float = 10.0) -> None:
        self._frames = list(frames)
        self._fps = fps
        self._index = 0
        self._state = CameraState.STARTING

    def play(self, frames: Sequence[Frame]) -> None:
        """Show other frames from now on (the scene changed); safe from another thread."""
        self._frames = list(frames)

    @property
    def fps(self) -> float | None:
        return self._fps

    @property
    def state(self) -> CameraState:
        return self._state

    def read(self) -> Frame | None:
        if self._state is CameraState.DISCONNECTED or not self._frames:
            return None
        frame = self._frames[self._index % len(self._frames)]
        self._index += 1
        self._state = CameraState.LIVE
        return frame

    def close(self) -> None:
        self._state = CameraState.DISCONNECTED


@cache
def person_frames(person: str, photo: str = "1.jpg", count: int = 20) -> tuple[Frame, ...]:
    """``count`` frames of ``enroll/<person>/<photo>`` seen by the kiosk's camera (a face ~180 px wide)."""
    path = FACES / "enroll" / person / photo
    image = read_image(path)
    face = synthetic.FaceReader().read(image)
    assert face is not None, path
    sequence = synthetic.still_sequence(image, face, seconds=count / 10, fps=10, eye_distance_px=72)
    return tuple(frame.image for frame in sequence)


def darkened(frames: Sequence[Frame], factor: float = 0.3) -> tuple[Frame, ...]:
    """The same frames in a dim room."""
    return tuple(np.asarray(cv2.convertScaleAbs(f, alpha=factor), dtype=np.uint8) for f in frames)


def camera_of(frames: Sequence[Frame]) -> Callable[[], LoopingFrames]:
    """A frame-source factory for ``make_kiosk``: each camera start plays ``frames`` from the first."""
    return lambda: LoopingFrames(frames)


def has_image_magic(head: bytes) -> bool:
    """Whether a file starting with ``head`` is a JPEG, PNG, GIF, WebP or TIFF picture."""
    signatures: tuple[bytes, ...] = (b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"II*\x00", b"MM\x00*")
    return head.startswith(signatures) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
