"""Try decoders on a frame, cheapest attempt first, until one reads a code.

An attempt is a decoder plus the preprocessing steps to run before it (see
:mod:`kiosk.camera.preprocess`). The frame is converted to gray once;
preprocessed images are shared between attempts that start with the same steps.
Each attempt runs only when every earlier one found nothing, so the cost of a
frame that the first attempt reads is the cost of that attempt alone.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

from kiosk.camera.decoders import Decoded, QrDecoder, ZbarDecoder, ZxingDecoder, usable_gray
from kiosk.camera.preprocess import STEPS, Gray, Step


@dataclass(frozen=True)
class Attempt:
    """One decoder after zero or more preprocessing steps (names from :data:`STEPS`)."""

    decoder: QrDecoder
    steps: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = [name for name in self.steps if name not in STEPS]
        if unknown:
            raise ValueError(f"unknown preprocessing steps {unknown}; known: {sorted(STEPS)}")

    @property
    def label(self) -> str:
        """``decoder`` or ``decoder+step+step``, for logs and tables."""
        return "+".join([self.decoder.name, *self.steps])


@dataclass
class ChainTrace:
    """What one :meth:`DecoderChain.trace` call did: the results and each attempt's time."""

    results: list[Decoded]
    winner: int | None
    """Index of the attempt that read the code, or ``None``."""
    seconds: list[float | None] = field(default_factory=list)
    """Per attempt: seconds spent, or ``None`` when it did not run (skipped or not reached)."""


class DecoderChain:
    """An ordered list of attempts; :meth:`decode` stops at the first that reads something."""

    def __init__(self, attempts: Sequence[Attempt]) -> None:
        self._attempts = [a for a in attempts if getattr(a.decoder, "available", True)]

    @property
    def attempts(self) -> list[Attempt]:
        """The attempts in order, without those whose decoder is unavailable."""
        return list(self._attempts)

    def decode(self, frame: NDArray[Any]) -> list[Decoded]:
        """Return the codes in a BGR, BGRA or gray ``uint8`` frame; ``[]`` when none (never raises)."""
        return self.trace(frame, timed=False).results

    def trace(self, frame: NDArray[Any], timed: bool = True) -> ChainTrace:
        """Like :meth:`decode`, and report which attempt succeeded and how long each took."""
        seconds: list[float | None] = [None] * len(self._attempts)
        gray = to_gray(frame)
        if gray is None:
            return ChainTrace([], None, seconds)
        cache: dict[tuple[str, ...], Gray | None] = {(): gray}
        for index, attempt in enumerate(self._attempts):
            started = time.perf_counter() if timed else 0.0
            image = _prepared(cache, attempt.steps)
            results = _unique(attempt.decoder.decode(image)) if image is not None else []
            if timed:
                seconds[index] = time.perf_counter() - started if image is not None else None
            if results:
                return ChainTrace(results, index, seconds)
        return ChainTrace([], None, seconds)


def to_gray(frame: object) -> Gray | None:
    """One conversion of a BGR / BGRA / gray ``uint8`` frame to gray; ``None`` for anything else."""
    if not isinstance(frame, np.ndarray) or frame.dtype != np.uint8 or frame.size == 0:
        return None
    if frame.ndim == 3 and frame.shape[2] == 3:
        return np.asarray(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY), dtype=np.uint8)
    if frame.ndim == 3 and frame.shape[2] == 4:
        return np.asarray(cv2.cvtColor(frame, cv2.COLOR_BGRA2GRAY), dtype=np.uint8)
    return usable_gray(frame)


def _prepared(cache: dict[tuple[str, ...], Gray | None], steps: tuple[str, ...]) -> Gray | None:
    """The image after ``steps``, computing only the prefixes not cached yet."""
    if steps in cache:
        return cache[steps]
    before = _prepared(cache, steps[:-1])
    step: Step = STEPS[steps[-1]]
    result = step(before) if before is not None else None
    cache[steps] = result
    return result


def _unique(results: list[Decoded]) -> list[Decoded]:
    seen: set[bytes] = set()
    unique = []
    for result in results:
        if result.raw not in seen:
            seen.add(result.raw)
            unique.append(result)
    return unique


def default_chain() -> DecoderChain:
    """The kiosk's chain, ordered by measurement on ``../shared/datasets/qr-photos`` (179 images).

    Measured with ``python bench/qr.py ../shared/datasets/qr-photos --repeat 5`` on
    the 2-core machine (zxing-cpp 3.1.1, ZBar 0.23.92, OpenCV 5.0). "new" is the
    images an attempt decoded that every earlier attempt missed; "ms/image" is
    its time averaged over all 179 images (it runs only on the images the
    earlier attempts missed):

    ====================  ===  =====  ======  ========
    attempt               new  total  ran on  ms/image
    ====================  ===  =====  ======  ========
    zxing                 166    166     179      0.35
    zxing+upscale           3    169      13      0.07
    zxing-global+smooth     1    170      10      0.02
    zxing+flatten           4    174       8      0.17
    ====================  ===  =====  ======  ========

    Chain: 174/179 at a mean of 0.6-0.9 ms and p95 3-4.5 ms per image (zxing-cpp
    alone: 166/179, 0.4-0.5 ms; ZBar alone: 156/179, 3.6-5.2 ms); 3-5 ms
    on a 640x480 frame with no code, where every attempt runs. Of the five
    misses, qrcode-2/13's label differs from the code ("photograph" where the
    code says "photography": both decoders agree) and qrcode-4/30-33 are codes
    printed on folded cloth that no attempt measured here reads.

    Candidates measured and left out because they decoded nothing the chain
    above misses: ZBar with each step, inversion (zxing-cpp's ``try_invert``
    already covers light-on-dark codes), CLAHE, Otsu and adaptive thresholds,
    sharpening, halving, a white border, downscaling (two images here are
    large) and a 45-degree rotation (zxing-cpp's ``try_rotate`` covers 90-degree
    turns; skewed codes are read as they are).

    ZBar would cost about 15 ms on every textured 640x480 frame with no code
    (most frames at a kiosk) for no gain here, so it only stands in when
    zxing-cpp cannot be loaded.
    """
    zxing = ZxingDecoder()
    if zxing.available:
        return DecoderChain(
            [
                Attempt(zxing),
                Attempt(zxing, ("upscale",)),
                Attempt(ZxingDecoder(binarizer="global"), ("smooth",)),
                Attempt(zxing, ("flatten",)),
            ]
        )
    zbar = ZbarDecoder()
    return DecoderChain([Attempt(zbar), Attempt(zbar, ("flatten",))])
