"""Is a detected face good enough to enrol, or to identify? Pure numpy/OpenCV checks.

One face (its box and 5 landmarks from :mod:`kiosk.face.engine`) in one
frame is measured:

- ``face_px``: the box's width in frame pixels. dlib's descriptor works on a
  150 x 150 chip that holds the face with 25 % padding on every side, so a
  face 100 px wide fills the chip without being enlarged; below that the
  descriptor sees an upscaled, soft face. Problem :attr:`QualityProblem.TOO_SMALL`
  ("move closer").
- ``brightness``: the mean gray level (0-255) of the middle of the face
  (the box shrunk by a quarter on each side: skin, eyes, nose, no hair or
  background). :attr:`~QualityProblem.TOO_DARK`.
- ``background``: the gray level of the brighter part of a ring around the
  face (the 75th percentile of the box grown by half its size on each side,
  less the box, cut to the frame). When the face is dark and the background
  much brighter, the camera exposed for the window behind the volunteer:
  :attr:`~QualityProblem.BACKLIT` (reported instead of ``TOO_DARK``: the
  fix is to face the light, not to add some).
- ``sharpness``: the variance of the Laplacian of the face crop resized to
  :data:`SHARPNESS_SIZE` pixels square (so the measure does not depend on the
  face's size in pixels), its contrast first normalised (so a dim face is
  not taken for a blurred one). :attr:`~QualityProblem.BLURRED` ("hold still").
- ``yaw`` and ``roll_deg`` from the landmarks: ``roll_deg`` is the angle of
  the line through the two eyes; ``yaw`` is how far the nose sits from the
  middle between the eyes, along that line, in inter-eye distances (0 facing
  the camera; ``kit_harington/2``, a head turned about 20 degrees, measures
  0.16). :attr:`~QualityProblem.NOT_FRONTAL` ("look at the screen").

The limits are :class:`QualityLimits`: :data:`ENROLMENT` (stricter: the
templates are kept) and :data:`IDENTIFICATION`. They were set on the 11
faces-dev enrol photos (``../shared/datasets/faces-dev/enroll``, faces found
by :class:`~kiosk.face.engine.DlibEngine` as configured for the kiosk; the
tests check the same):

================  ====================  ==============================================
measure           the enrol photos      degraded copies of them (all 11 flagged)
================  ====================  ==============================================
face_px           137 .. 486            shrunk to a ~70 px face: 52 .. 90
brightness        100 .. 167            gray levels x 0.3: 30 .. 50
background-face   -96 .. +104           synthetic backlight: +97 .. +165, face 49 .. 83
sharpness         149 .. 1471           Gaussian blur, sigma = face/50: 7 .. 43
                                        (sigma = face/80: 20 .. 102, 9 flagged)
abs(yaw)          0.01 .. 0.16          (the turned background face of obama+biden: 0.27)
abs(roll_deg)     0 .. 12.3             rotated 35 degrees: 22 .. 42
================  ====================  ==============================================

A bright background alone is not backlight: ``alex_lacamoire/1`` (white
studio backdrop, +104) and the White House probes (face 98-100, background
223-224) are exposed for the face. The rule needs the face itself darker
than 90 as well as 80 levels below its surroundings. Darkening does not
lower ``sharpness``: the crop's contrast is normalised before the Laplacian.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum

import cv2
import numpy as np
from numpy.typing import NDArray

from kiosk.face.engine import ColourOrder, Face, Image

SHARPNESS_SIZE = 100
"""The side, in pixels, the face crop is resized to before measuring sharpness."""

BACKGROUND_PERCENTILE = 75
"""The background is the brighter part of the ring around the face: hair and shoulders fill
some of it, the bright window behind a backlit volunteer the rest."""

SHARPNESS_CONTRAST = 50.0
"""The standard deviation the face crop's gray levels are stretched to before measuring
sharpness, so that a dim or flat face is not taken for a blurred one."""


class QualityProblem(StrEnum):
    """Why a face is not good enough; the UI shows each as a hint."""

    TOO_SMALL = "too_small"
    """Move closer."""
    TOO_DARK = "too_dark"
    """Too dark: more light on the face."""
    BACKLIT = "backlit"
    """The light is behind the volunteer: the face is much darker than the background."""
    BLURRED = "blurred"
    """Hold still (or the camera is out of focus)."""
    NOT_FRONTAL = "not_frontal"
    """Look at the screen: the head is turned or tilted."""


@dataclass(frozen=True)
class QualityLimits:
    """The limits one use of a face is held to."""

    min_face_px: float
    """Smallest box width, in frame pixels."""
    min_brightness: float
    """Lowest mean gray level of the middle of the face."""
    max_backlight: float
    """Largest ``background - brightness`` (gray levels) ..."""
    backlight_face_below: float
    """... counted only when the face itself is darker than this."""
    min_sharpness: float
    """Lowest ``sharpness`` (see :func:`laplacian_variance`)."""
    max_yaw: float
    """Largest ``|yaw|`` (nose offset in inter-eye distances)."""
    max_roll_deg: float
    """Largest ``|roll|`` in degrees."""


ENROLMENT = QualityLimits(
    min_face_px=100.0,
    min_brightness=60.0,
    max_backlight=80.0,
    backlight_face_below=90.0,
    min_sharpness=60.0,
    max_yaw=0.25,
    max_roll_deg=20.0,
)
"""For the 3-5 frames that become a volunteer's templates."""

IDENTIFICATION = QualityLimits(
    min_face_px=80.0,
    min_brightness=45.0,
    max_backlight=80.0,
    backlight_face_below=80.0,
    min_sharpness=40.0,
    max_yaw=0.35,
    max_roll_deg=30.0,
)
"""For a frame to be matched against the gallery (a poor frame is skipped, never guessed)."""


@dataclass(frozen=True)
class Quality:
    """The measures of one face and the problems they show (empty when the face is good)."""

    problems: tuple[QualityProblem, ...]
    """Most useful hint first: too small, backlit or too dark, not frontal, blurred."""
    face_px: float
    brightness: float
    background: float
    sharpness: float
    yaw: float
    roll_deg: float

    @property
    def ok(self) -> bool:
        return not self.problems


def assess(
    frame: Image, face: Face, limits: QualityLimits = ENROLMENT, order: ColourOrder = "bgr"
) -> Quality:
    """Measure ``face`` in ``frame`` and list what is wrong with it against ``limits``."""
    gray = to_gray(frame, order)
    box = face.box
    face_px = float(box.width)
    inner = _crop(gray, box.left, box.top, box.right, box.bottom, shrink=0.25)
    brightness = float(inner.mean()) if inner.size else 0.0
    background = _ring_level(gray, box.left, box.top, box.right, box.bottom, grow=0.5)
    crop = _crop(gray, box.left, box.top, box.right, box.bottom, shrink=0.0)
    sharpness = laplacian_variance(crop)
    yaw, roll_deg = pose(face.landmarks)

    problems: list[QualityProblem] = []
    if face_px < limits.min_face_px:
        problems.append(QualityProblem.TOO_SMALL)
    if brightness < limits.backlight_face_below and background - brightness > limits.max_backlight:
        problems.append(QualityProblem.BACKLIT)  # the fix is not more light but turning from the window
    elif brightness < limits.min_brightness:
        problems.append(QualityProblem.TOO_DARK)
    if abs(yaw) > limits.max_yaw or abs(roll_deg) > limits.max_roll_deg:
        problems.append(QualityProblem.NOT_FRONTAL)
    if sharpness < limits.min_sharpness:
        problems.append(QualityProblem.BLURRED)  # last: moving closer or turning often blurs a frame
    return Quality(tuple(problems), face_px, brightness, background, sharpness, yaw, roll_deg)


def to_gray(frame: Image, order: ColourOrder = "bgr") -> NDArray[np.uint8]:
    """``frame`` in gray levels (a gray frame is returned as it is)."""
    if frame.ndim == 2:
        return frame
    if frame.ndim == 3 and frame.shape[2] == 3:
        code = cv2.COLOR_RGB2GRAY if order == "rgb" else cv2.COLOR_BGR2GRAY
        return np.asarray(cv2.cvtColor(frame, code), dtype=np.uint8)
    if frame.ndim == 3 and frame.shape[2] == 4:
        code = cv2.COLOR_RGBA2GRAY if order == "rgb" else cv2.COLOR_BGRA2GRAY
        return np.asarray(cv2.cvtColor(frame, code), dtype=np.uint8)
    raise ValueError(f"a frame must be h x w, h x w x 3 or h x w x 4, not {frame.shape}")


def laplacian_variance(gray: NDArray[np.uint8]) -> float:
    """Sharpness: the variance of the Laplacian of ``gray`` resized to :data:`SHARPNESS_SIZE` square,
    its contrast first stretched to a standard deviation of :data:`SHARPNESS_CONTRAST`."""
    if gray.size == 0:
        return 0.0
    resized = cv2.resize(gray, (SHARPNESS_SIZE, SHARPNESS_SIZE), interpolation=cv2.INTER_AREA)
    pixels = resized.astype(np.float64)
    spread = float(pixels.std())
    if spread < 1e-6:
        return 0.0
    normalised = (pixels - pixels.mean()) * (SHARPNESS_CONTRAST / spread)
    return float(cv2.Laplacian(normalised, cv2.CV_64F).var())


def pose(landmarks: NDArray[np.float32]) -> tuple[float, float]:
    """``(yaw, roll_deg)`` from dlib's 5 landmarks (see the module's docstring).

    ``yaw`` is positive when the nose is towards the image's right."""
    points = np.asarray(landmarks, dtype=np.float64)
    if points.shape != (5, 2):
        raise ValueError(f"5 landmarks are needed, not {points.shape}")
    right_eye = points[0:2].mean(axis=0)  # the eye on the image's right
    left_eye = points[2:4].mean(axis=0)
    axis = right_eye - left_eye
    eye_distance = float(np.hypot(axis[0], axis[1]))
    if eye_distance < 1e-6:
        return math.inf, 0.0
    roll_deg = math.degrees(math.atan2(axis[1], axis[0]))
    middle = (right_eye + left_eye) / 2
    offset = points[4] - middle
    yaw = float(offset @ axis) / eye_distance**2
    return yaw, roll_deg


def _crop(
    gray: NDArray[np.uint8], left: int, top: int, right: int, bottom: int, shrink: float
) -> NDArray[np.uint8]:
    dx = round((right - left) * shrink)
    dy = round((bottom - top) * shrink)
    height, width = gray.shape[:2]
    x0, x1 = max(0, left + dx), min(width, right - dx)
    y0, y1 = max(0, top + dy), min(height, bottom - dy)
    if x1 <= x0 or y1 <= y0:
        return np.zeros((0, 0), np.uint8)
    return gray[y0:y1, x0:x1]


def _ring_level(gray: NDArray[np.uint8], left: int, top: int, right: int, bottom: int, grow: float) -> float:
    """The :data:`BACKGROUND_PERCENTILE` gray level of the ring around the box (the box itself left out)."""
    height, width = gray.shape[:2]
    dx = round((right - left) * grow)
    dy = round((bottom - top) * grow)
    x0, x1 = max(0, left - dx), min(width, right + dx)
    y0, y1 = max(0, top - dy), min(height, bottom + dy)
    if x1 <= x0 or y1 <= y0:
        return 0.0
    ring = np.ones((y1 - y0, x1 - x0), bool)
    fx0, fx1 = max(x0, left), min(x1, right)
    fy0, fy1 = max(y0, top), min(y1, bottom)
    if fx1 > fx0 and fy1 > fy0:
        ring[fy0 - y0 : fy1 - y0, fx0 - x0 : fx1 - x0] = False
    values = gray[y0:y1, x0:x1][ring]
    return float(np.percentile(values, BACKGROUND_PERCENTILE)) if values.size else 0.0
