"""Following one face from frame to frame cheaply: detect near where it was, then everywhere.

While a volunteer turns their head for the liveness challenge only their
landmarks are needed, so each frame costs a detection and the 5-point model.
The HOG detector's cost grows with the pixels it searches; searching a region
around the last box (:func:`detect_near`, the box grown by ``margin`` box
sizes on each side) instead of the whole 640 x 480 frame cuts it to about a
third. Only when the face is not found there is the whole frame searched,
and a face found far from the last one is another face (:func:`continues`).
"""

from __future__ import annotations

import math

import numpy as np

from kiosk.face.engine import Box, FaceEngine, Image

TRACK_MARGIN = 0.5
"""The region searched around the last box: the box grown by this many box sizes on every side."""

MAX_STEP = 0.75
"""A face whose centre moved more than this many box widths since the last frame is another face."""


def region_around(box: Box, frame_shape: tuple[int, ...], margin: float = TRACK_MARGIN) -> Box:
    """``box`` grown by ``margin`` box sizes on every side, cut to the frame."""
    height, width = frame_shape[:2]
    size = max(box.width, box.height)
    grow = round(size * margin)
    return Box(
        max(0, box.left - grow),
        max(0, box.top - grow),
        min(width, box.right + grow),
        min(height, box.bottom + grow),
    )


def detect_near(engine: FaceEngine, frame: Image, last: Box, margin: float = TRACK_MARGIN) -> Box | None:
    """The largest face in the region around ``last``, in frame coordinates; None when none is there."""
    region = region_around(last, frame.shape, margin)
    if region.width < 32 or region.height < 32:
        return None
    crop = np.ascontiguousarray(frame[region.top : region.bottom, region.left : region.right])
    boxes = engine.detect(crop)
    if not boxes:
        return None
    found = boxes[0]
    return Box(
        found.left + region.left,
        found.top + region.top,
        found.right + region.left,
        found.bottom + region.top,
    )


def continues(last: Box, box: Box, max_step: float = MAX_STEP) -> bool:
    """Whether ``box`` can be the face of ``last`` one frame later (not a jump to another face)."""
    return _centre_distance(last, box) <= max_step * max(last.width, 1)


def follow(engine: FaceEngine, frame: Image, last: Box) -> Box | None:
    """The face of ``last`` in ``frame``: near it first, then anywhere if it continues ``last``."""
    box = detect_near(engine, frame, last)
    if box is not None and continues(last, box):
        return box
    nearby = [found for found in engine.detect(frame) if continues(last, found)]
    return min(nearby, key=lambda found: _centre_distance(last, found)) if nearby else None


def _centre_distance(a: Box, b: Box) -> float:
    return math.hypot((a.left + a.right - b.left - b.right) / 2, (a.top + a.bottom - b.top - b.bottom) / 2)
