"""Flatten a bent card: a code printed on cloth, a curled sticker, a badge on a lanyard.

When a light card with a code on it lies against a dark background, its outline
shows how the card is bent. :func:`flatten_card` finds that outline, splits it
into four sides at the corners, and maps the patch they enclose onto a square
with a Coons patch (the surface that blends the four side curves). Curvature
that a perspective warp cannot undo, and that makes zxing-cpp and ZBar misread
modules, is largely removed. It does nothing for codes on a light background.
"""

from __future__ import annotations

from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

Gray = NDArray[np.uint8]
Points = NDArray[np.float64]

MIN_AREA_SHARE = 0.05
"""The card must cover at least this share of the image..."""
MAX_AREA_SHARE = 0.9
"""...and at most this share, or there is no outline to follow."""
MIN_SOLIDITY = 0.85
"""Area over convex-hull area: a bent card is nearly convex; a patch of light background is not."""
MIN_RECT_FILL = 0.75
"""Area over its minimum-area rectangle's area: a card is nearly rectangular."""
MAX_ASPECT = 2.0
"""A code's card is not a long strip."""
MAX_SIDE = 640
"""The flattened image's side is capped here (the time grows with its square)."""


def flatten_card(gray: Gray) -> Gray | None:
    """Return the light card in ``gray`` flattened onto a square, or ``None`` if there is no such card."""
    outline = _card_outline(gray)
    if outline is None:
        return None
    sides = _four_sides(outline)
    if sides is None:
        return None
    length = max(float(np.linalg.norm(np.diff(side, axis=0), axis=1).sum()) for side in sides)
    size = int(min(max(length, 64.0), MAX_SIDE))
    top, right, bottom, left = (
        _resample(side, size).astype(np.float32)
        for side in (sides[0], sides[1], sides[2][::-1], sides[3][::-1])
    )
    u = np.linspace(0.0, 1.0, size, dtype=np.float32)[None, :, None]
    v = np.linspace(0.0, 1.0, size, dtype=np.float32)[:, None, None]
    # Coons patch: two ruled surfaces between opposite sides, minus the bilinear corner surface.
    corners = (
        (1 - u) * (1 - v) * top[0] + u * (1 - v) * top[-1] + (1 - u) * v * bottom[0] + u * v * bottom[-1]
    )
    patch = (1 - v) * top[None] + v * bottom[None] + (1 - u) * left[:, None] + u * right[:, None] - corners
    map_x = np.ascontiguousarray(patch[..., 0], dtype=np.float32)
    map_y = np.ascontiguousarray(patch[..., 1], dtype=np.float32)
    flat = cv2.remap(gray, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255)
    return np.asarray(flat, dtype=np.uint8)


def _card_outline(gray: Gray) -> Points | None:
    """The largest light region's outline, clockwise on screen, lightly smoothed; or ``None``."""
    short = min(gray.shape[:2])
    if short < 32:
        return None
    blurred = cv2.GaussianBlur(gray, (5, 5), 0)
    _, mask = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)
    close = max(3, short // 16) | 1  # bridges the code's dark modules that touch the card's edge
    mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((close, close), np.uint8))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    if not contours:
        return None
    contour = max(contours, key=cv2.contourArea)
    share = cv2.contourArea(contour) / float(gray.shape[0] * gray.shape[1])
    if not MIN_AREA_SHARE <= share <= MAX_AREA_SHARE or len(contour) < 40:
        return None
    if not _card_shaped(contour):
        return None
    if cv2.contourArea(contour, oriented=True) > 0:
        contour = contour[::-1]  # one winding, so the flattened code is not mirrored
    points = contour[:, 0, :].astype(np.float64)
    k = max(2, len(points) // 80)  # smooth over ~1/80 of the perimeter: pixel steps, not bends
    wrapped = np.concatenate([points[-k:], points, points[:k]])
    kernel = np.ones(2 * k + 1) / (2 * k + 1)
    return np.stack([np.convolve(wrapped[:, i], kernel, mode="valid") for i in (0, 1)], axis=1)


def _card_shaped(contour: NDArray[Any]) -> bool:
    area = cv2.contourArea(contour)
    hull_area = cv2.contourArea(cv2.convexHull(contour))
    (_, _), (width, height), _ = cv2.minAreaRect(contour)
    if hull_area <= 0 or width <= 0 or height <= 0:
        return False
    return (
        area / hull_area >= MIN_SOLIDITY
        and area / (width * height) >= MIN_RECT_FILL
        and max(width, height) / min(width, height) <= MAX_ASPECT
    )


def _four_sides(outline: Points) -> list[Points] | None:
    """Split the outline at the points nearest the corners of its minimum-area rectangle."""
    box = cv2.boxPoints(cv2.minAreaRect(outline.astype(np.float32)))
    cuts = sorted(int(np.argmin(np.linalg.norm(outline - corner, axis=1))) for corner in box)
    if len(set(cuts)) < 4:
        return None
    sides = []
    for start, end in zip(cuts, [*cuts[1:], cuts[0]], strict=True):
        side = (
            outline[start : end + 1] if end > start else np.concatenate([outline[start:], outline[: end + 1]])
        )
        if len(side) < 8:
            return None
        sides.append(side)
    return sides


def _resample(points: Points, count: int) -> Points:
    """``count`` points evenly spaced by arc length along a polyline."""
    steps = np.linalg.norm(np.diff(points, axis=0), axis=1)
    along = np.concatenate([[0.0], np.cumsum(steps)])
    if along[-1] == 0:
        return np.repeat(points[:1], count, axis=0)
    targets = np.linspace(0.0, along[-1], count)
    return np.stack([np.interp(targets, along, points[:, i]) for i in (0, 1)], axis=1)
