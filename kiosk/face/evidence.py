"""Several good frames of one face, combined into the one descriptor that is matched.

One frame's descriptor carries that frame's noise: the camera's grain, a
blink, the head a little turned. The mean of the descriptors of a few good
frames of the same face is steadier, so the kiosk decides on the mean
(:class:`FramePool`), not on any single frame, and waits for more frames
while the evidence is weak rather than refusing at once.

The frames must belong to one face: the session starts a new pool when the
tracked box jumps (someone else stepped in), and :meth:`FramePool.add`
starts over when a frame's descriptor is far from the pool's mean (a
different face under the same box) or comes after a gap.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from kiosk.face.engine import Descriptor

SAME_FACE_DISTANCE = 0.45
"""A frame further than this from the pool's mean is another face (dlib's frames of one face lie within ~0.3)."""


class FramePool:
    """The descriptors of the last good frames of one face, and their mean.

    ``frames`` is how many a decision needs, ``most`` how many are kept (the
    oldest goes), ``window`` the longest gap between two frames (seconds, or
    any clock that grows) before the pool starts over.
    """

    def __init__(self, frames: int = 2, most: int = 4, window: float = 1.5) -> None:
        if frames < 1 or most < frames or window < 0:
            raise ValueError("frames >= 1, most >= frames and window >= 0 are needed")
        self.frames = frames
        self.most = most
        self.window = window
        self._descriptors: deque[Descriptor] = deque(maxlen=most)
        self._last_at: float | None = None

    def __len__(self) -> int:
        return len(self._descriptors)

    @property
    def ready(self) -> bool:
        """Whether enough frames are pooled for a decision."""
        return len(self._descriptors) >= self.frames

    @property
    def full(self) -> bool:
        """Whether the pool holds as many frames as it keeps: more frames add no new evidence."""
        return len(self._descriptors) >= self.most

    def reset(self) -> None:
        """Forget every frame (another face, another attempt)."""
        self._descriptors.clear()
        self._last_at = None

    def add(self, descriptor: Descriptor, at: float) -> None:
        """Pool one good frame's descriptor seen at ``at`` (starting over after a gap or for another face)."""
        vector = np.asarray(descriptor, dtype=np.float32)
        if self._last_at is not None and (at - self._last_at > self.window or at < self._last_at):
            self.reset()
        if self._descriptors and float(np.linalg.norm(vector - self.combined())) > SAME_FACE_DISTANCE:
            self.reset()
        self._descriptors.append(vector)
        self._last_at = at

    def combined(self) -> Descriptor:
        """The mean of the pooled descriptors (raises ``ValueError`` when the pool is empty)."""
        if not self._descriptors:
            raise ValueError("no frame is pooled")
        mean: Descriptor = np.mean(np.stack(self._descriptors), axis=0).astype(np.float32)
        return mean
