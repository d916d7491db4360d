"""Image steps the decoder chain can run before a decoder: each takes and returns a gray image.

A step returns ``None`` when it does not apply to this image (upscaling an image
that is already large, say), and the chain then skips the attempt rather than
decode the same pixels twice. Steps are plain functions, registered by name in
:data:`STEPS` so a chain can be described (and benchmarked) as text.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
import numpy as np
from numpy.typing import NDArray

from kiosk.camera.dewarp import flatten_card

Gray = NDArray[np.uint8]
Step = Callable[[Gray], Gray | None]

UPSCALE_BELOW = 480
"""Images whose short side is below this many pixels are upscaled 2x."""
DOWNSCALE_ABOVE = 1024
"""Images whose long side is above this many pixels are downscaled to it."""

_CLAHE = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8))
_OPEN_KERNEL = np.ones((3, 3), np.uint8)


def _gray(image: object) -> Gray:
    return np.asarray(image, dtype=np.uint8)


def original(gray: Gray) -> Gray | None:
    """The image as it is."""
    return gray


def upscale(gray: Gray) -> Gray | None:
    """2x bicubic upscale of a small image (short side below :data:`UPSCALE_BELOW`); small modules gain edges."""
    if min(gray.shape[:2]) >= UPSCALE_BELOW:
        return None
    return _gray(cv2.resize(gray, None, fx=2.0, fy=2.0, interpolation=cv2.INTER_CUBIC))


def downscale(gray: Gray) -> Gray | None:
    """Area-average a large image down to :data:`DOWNSCALE_ABOVE` px on its long side (faster, less noise)."""
    longest = max(gray.shape[:2])
    if longest <= DOWNSCALE_ABOVE:
        return None
    factor = DOWNSCALE_ABOVE / longest
    return _gray(cv2.resize(gray, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA))


def halve(gray: Gray) -> Gray | None:
    """Half size by area averaging: merges print texture and noise inside modules."""
    if min(gray.shape[:2]) < 64:
        return None
    return _gray(cv2.resize(gray, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA))


def invert(gray: Gray) -> Gray | None:
    """Light-on-dark codes (a phone in dark mode) become dark-on-light."""
    return _gray(cv2.bitwise_not(gray))


def clahe(gray: Gray) -> Gray | None:
    """Local contrast (CLAHE): evens out glare and shadow across the code."""
    return _gray(_CLAHE.apply(gray))


def otsu(gray: Gray) -> Gray | None:
    """One global black/white threshold (Otsu)."""
    return _gray(cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1])


def adaptive_threshold(gray: Gray) -> Gray | None:
    """A threshold that follows local brightness (Gaussian-weighted mean of a 31 px window)."""
    return _gray(cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, 31, 5))


def sharpen(gray: Gray) -> Gray | None:
    """Unsharp mask: restores edges softened by focus blur."""
    blurred = cv2.GaussianBlur(gray, (0, 0), 2.0)
    return _gray(cv2.addWeighted(gray, 1.8, blurred, -0.8, 0))


def smooth(gray: Gray) -> Gray | None:
    """A light Gaussian blur: removes sensor noise and print dots that break module edges."""
    return _gray(cv2.GaussianBlur(gray, (5, 5), 0))


def open_dark(gray: Gray) -> Gray | None:
    """Grey-level opening (3x3): thin bright specks inside dark modules vanish."""
    return _gray(cv2.morphologyEx(gray, cv2.MORPH_OPEN, _OPEN_KERNEL))


def pad(gray: Gray) -> Gray | None:
    """A white border of 10 % on each side: gives a code cropped to its edge its quiet zone back."""
    border = max(8, min(gray.shape[:2]) // 10)
    return _gray(cv2.copyMakeBorder(gray, border, border, border, border, cv2.BORDER_CONSTANT, value=255))


def flatten(gray: Gray) -> Gray | None:
    """Flatten a bent card (a code printed on cloth or curved paper): see :func:`flatten_card`."""
    return flatten_card(gray)


STEPS: dict[str, Step] = {
    "original": original,
    "upscale": upscale,
    "downscale": downscale,
    "halve": halve,
    "invert": invert,
    "clahe": clahe,
    "otsu": otsu,
    "adaptive": adaptive_threshold,
    "sharpen": sharpen,
    "smooth": smooth,
    "open": open_dark,
    "pad": pad,
    "flatten": flatten,
}
"""Every step by name; a chain attempt names the steps it runs, in order."""
