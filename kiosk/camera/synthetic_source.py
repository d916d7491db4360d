"""A camera with no camera: QR cards rendered into a moving, noisy scene.

Demos, integration tests and the frozen bundle's self-test run on this. Each
text becomes a QR code (segno, error level M) on a white card that appears in a
textured scene under a random perspective, with moderate blur, sensor noise and
slowly changing light. Cards are shown one after the other, in order, each for
``dwell_frames`` frames, with ``gap_frames`` empty frames between them, forever.
The same ``seed`` gives the same frames; :attr:`SyntheticSource.current_text`
tells a test what the last frame showed.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import cv2
import numpy as np
import segno
from numpy.typing import NDArray

from kiosk.camera.frame_source import CameraState, Frame

QUIET_MODULES = 4
"""The QR standard's quiet zone, in modules."""
CARD_MARGIN_MODULES = 2
"""White card around the quiet zone."""
RENDER_MODULE_PX = 6
"""Module size of the cached card image, before the warp scales it."""
NOISE_FIELDS = 8
"""Precomputed noise images, picked per frame (drawing fresh noise costs ~10 ms a frame)."""


class SyntheticSource:
    """Frames showing QR cards of ``texts`` in turn; an endless, deterministic scene."""

    def __init__(
        self,
        texts: Sequence[str],
        size: tuple[int, int] = (640, 480),
        fps: float = 15.0,
        seed: int = 0,
        dwell_frames: int = 20,
        gap_frames: int = 10,
        noise_sigma: float = 6.0,
    ) -> None:
        if dwell_frames < 1 or gap_frames < 0:
            raise ValueError("dwell_frames must be at least 1 and gap_frames at least 0")
        self._texts = list(texts)
        self._width, self._height = size
        self._fps = fps
        self._seed = seed
        self._dwell = dwell_frames
        self._period = dwell_frames + gap_frames
        self._cards: dict[str, NDArray[np.uint8]] = {}
        self._frame_index = 0
        self._showing_index = -1
        self._homography: NDArray[np.float64] = np.eye(3)
        self._blur_sigma = 1.0
        self._current: str | None = None
        self._state = CameraState.STARTING
        rng = np.random.default_rng(seed)
        self._background = _background(rng, self._width, self._height)
        self._noise_up, self._noise_down = _noise_bank(rng, self._width, self._height, noise_sigma)
        self._light_phase = rng.uniform(0, 2 * math.pi, size=2)
        self._ramp = np.arange(256, dtype=np.float32)

    @property
    def fps(self) -> float | None:
        """The configured frame rate."""
        return self._fps

    @property
    def state(self) -> CameraState:
        """STARTING before the first read, LIVE after it, DISCONNECTED once closed."""
        return self._state

    @property
    def current_text(self) -> str | None:
        """The text of the card in the last frame returned, or ``None`` for an empty scene."""
        return self._current

    @property
    def frame_index(self) -> int:
        """How many frames have been read."""
        return self._frame_index

    def read(self) -> Frame | None:
        """Render and return the next frame (``None`` once closed)."""
        if self._state is CameraState.DISCONNECTED:
            return None
        index = self._frame_index
        self._frame_index += 1
        frame = self._background.copy()
        text = self._text_at(index)
        if text is not None:
            self._prepare_showing(index // self._period, text)
            card = self._card(text)
            drift = _translation(2.5 * math.sin(index * 0.35), 2.0 * math.cos(index * 0.27))
            cv2.warpPerspective(
                card,
                drift @ self._homography,
                (self._width, self._height),
                dst=frame,
                flags=cv2.INTER_LINEAR,
                borderMode=cv2.BORDER_TRANSPARENT,
            )
            cv2.GaussianBlur(frame, (5, 5), self._blur_sigma, dst=frame)
        else:
            cv2.GaussianBlur(frame, (5, 5), 0.8, dst=frame)
        pick = (index * 5 + self._seed) % NOISE_FIELDS
        cv2.add(frame, self._noise_up[pick], dst=frame)
        cv2.subtract(frame, self._noise_down[pick], dst=frame)
        frame = self._light(frame, index)
        self._current = text
        self._state = CameraState.LIVE
        return frame

    def close(self) -> None:
        """Stop; later reads return ``None``."""
        self._state = CameraState.DISCONNECTED
        self._current = None

    def _text_at(self, index: int) -> str | None:
        if not self._texts:
            return None
        position = index % (self._period * len(self._texts))
        if position % self._period >= self._dwell:
            return None
        return self._texts[position // self._period]

    def _card(self, text: str) -> NDArray[np.uint8]:
        card = self._cards.get(text)
        if card is None:
            card = self._cards[text] = _render_card(text)
        return card

    def _prepare_showing(self, showing: int, text: str) -> None:
        """Draw this showing's pose and blur (once per showing, from its own seeded stream)."""
        if showing == self._showing_index:
            return
        self._showing_index = showing
        rng = np.random.default_rng([self._seed, showing])
        card_side = self._card(text).shape[0]
        modules = card_side // RENDER_MODULE_PX
        short = min(self._width, self._height)
        side = min(modules * rng.uniform(3.4, 5.5), 0.8 * short)
        angle = math.radians(rng.uniform(-30, 30))
        reach = side * 0.72  # half-diagonal of the card plus a little perspective
        cx = rng.uniform(reach, self._width - reach) if self._width > 2 * reach else self._width / 2
        cy = rng.uniform(reach, self._height - reach) if self._height > 2 * reach else self._height / 2
        half = side / 2
        corners = np.array([[-half, -half], [half, -half], [half, half], [-half, half]])
        corners += rng.uniform(-0.07, 0.07, size=(4, 2)) * side
        rotation = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
        target = corners @ rotation.T + [cx, cy]
        source = np.array([[0, 0], [card_side, 0], [card_side, card_side], [0, card_side]], dtype=np.float32)
        self._homography = np.asarray(
            cv2.getPerspectiveTransform(source, target.astype(np.float32)), dtype=np.float64
        )
        self._blur_sigma = float(rng.uniform(0.6, 1.2))

    def _light(self, frame: Frame, index: int) -> Frame:
        """Slowly drifting contrast and brightness, applied through one lookup table."""
        contrast = 0.92 + 0.12 * math.sin(index * 2 * math.pi / 150 + self._light_phase[0])
        brightness = 18.0 * math.sin(index * 2 * math.pi / 220 + self._light_phase[1])
        table = np.clip(self._ramp * contrast + brightness, 0, 255).astype(np.uint8)
        return np.asarray(cv2.LUT(frame, table), dtype=np.uint8)


def _render_card(text: str) -> NDArray[np.uint8]:
    """The white card with the code, as a BGR image (cached per text by the source)."""
    code = segno.make(text, error="m", micro=False, boost_error=False)
    border = QUIET_MODULES + CARD_MARGIN_MODULES
    modules = np.array(list(code.matrix_iter(scale=1, border=border)), dtype=bool)
    gray = np.where(modules, 20, 245).astype(np.uint8)
    big = np.repeat(np.repeat(gray, RENDER_MODULE_PX, axis=0), RENDER_MODULE_PX, axis=1)
    return np.asarray(cv2.cvtColor(big, cv2.COLOR_GRAY2BGR), dtype=np.uint8)


def _background(rng: np.random.Generator, width: int, height: int) -> Frame:
    """A room-like textured scene: smooth colour blotches, a few shapes and fine grain."""
    coarse = rng.uniform(60, 200, size=(6, 8, 3)).astype(np.float32)
    scene = cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC)
    for _ in range(6):
        x0, y0 = int(rng.integers(0, width)), int(rng.integers(0, height))
        x1, y1 = x0 + int(rng.integers(20, width // 3)), y0 + int(rng.integers(20, height // 3))
        colour = tuple(float(c) for c in rng.uniform(30, 220, size=3))
        cv2.rectangle(scene, (x0, y0), (x1, y1), colour, thickness=-1)
    grain = rng.normal(0, 6, size=(height, width, 1)).astype(np.float32)
    scene = cv2.GaussianBlur(scene, (0, 0), 3.0) + grain
    return np.asarray(np.clip(scene, 0, 255), dtype=np.uint8)


def _noise_bank(
    rng: np.random.Generator, width: int, height: int, sigma: float
) -> tuple[list[Frame], list[Frame]]:
    """Gaussian noise split into its positive and negative parts, for two saturating adds."""
    ups, downs = [], []
    for _ in range(NOISE_FIELDS):
        noise = rng.standard_normal(size=(height, width, 3), dtype=np.float32) * np.float32(sigma)
        ups.append(np.clip(noise, 0, 255).astype(np.uint8))
        downs.append(np.clip(-noise, 0, 255).astype(np.uint8))
    return ups, downs


def _translation(dx: float, dy: float) -> NDArray[np.float64]:
    return np.array([[1.0, 0.0, dx], [0.0, 1.0, dy], [0.0, 0.0, 1.0]])
