"""Guided capture of a volunteer's face at the desk: 3 to 5 good, different frames become descriptors.

An :class:`EnrolmentCapture` is a face *task* (``kiosk/ui/face_worker.py``):
the face thread feeds it the newest camera frame whenever it is free, and
each :meth:`~EnrolmentCapture.feed` returns a :class:`CaptureUpdate` for the
screen (what to tell the volunteer, how many frames are kept, where the face
is). Per frame:

1. The faces in the frame. None: :attr:`Guidance.NO_FACE`. A second face of
   at least :data:`SECOND_FACE_AREA_RATIO` of the largest one's area:
   :attr:`Guidance.ONE_PERSON` (whose face would be enrolled is unclear);
   smaller faces far behind are ignored.
2. The largest face's quality against :data:`~kiosk.face.quality.ENROLMENT`:
   the first problem becomes the hint (move closer, too dark, backlit, look
   at the camera, hold still).
3. A good face is described (128 numbers) only when at least
   :data:`MIN_INTERVAL_S` have passed since the last kept frame, so the
   frames kept are spread over a few seconds of natural movement rather
   than five copies of one moment. A descriptor that repeats one already
   kept (:data:`DUPLICATE_DISTANCE`: the same picture again, a frozen
   camera) is not kept.
4. A descriptor farther than the matching threshold from the mean of those
   kept is another person (the volunteer changed places with someone): the
   frames kept so far are dropped and the capture starts over with the new
   face (:attr:`Guidance.STARTED_OVER`). When the last frame is in, the set
   is checked again as a whole.

The capture is done at ``target`` frames (5); :meth:`~EnrolmentCapture.stop`
ends it early and keeps what there is when that is at least ``minimum`` (3);
after ``timeout_s`` from the first frame it ends by itself
(:attr:`Guidance.TIMED_OUT`), keeping what there is likewise.

Nothing of a frame is kept: the task holds the descriptors, the last face's
box and a few numbers, never pixels. Safe to use from two threads: the face
thread feeds, the UI thread stops or reads the result.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from kiosk.face.engine import Box, Descriptor, Face, FaceEngine, Image, find_faces
from kiosk.face.guidance import crowded
from kiosk.face.matching import OPERATING_THRESHOLD
from kiosk.face.quality import ENROLMENT, QualityLimits, QualityProblem, assess

TARGET_FRAMES = 5
"""Frames an enrolment aims for (the store keeps 3 to 5 templates)."""
MINIMUM_FRAMES = 3
"""Frames an enrolment needs when it is stopped early or times out."""
MIN_INTERVAL_S = 0.5
"""Least time between two kept frames: the set spans a few seconds of small movements."""
DUPLICATE_DISTANCE = 0.01
"""A descriptor this close to one kept comes from the same picture (two frames of a live camera
differ by 0.03-0.07 from sensor noise alone, measured on frames rendered from the faces-dev photos)."""
SECOND_FACE_AREA_RATIO = 0.36
"""A second face of at least this fraction of the largest face's area (0.6 of its width) means two people
at the camera; stricter than the kiosk screen's (:attr:`~kiosk.face.session_values.SessionSettings`), as
an enrolment is kept."""
TIMEOUT_S = 30.0
"""The capture gives up this long after its first frame."""


class Guidance(StrEnum):
    """What the screen tells the volunteer after a frame."""

    NO_FACE = "no_face"
    ONE_PERSON = "one_person"
    MOVE_CLOSER = "move_closer"
    TOO_DARK = "too_dark"
    BACKLIT = "backlit"
    LOOK_AT_CAMERA = "look_at_camera"
    HOLD_STILL = "hold_still"
    GOOD = "good"
    """The face is good; frames are being kept."""
    STARTED_OVER = "started_over"
    """Another person's face: the frames kept before were dropped."""
    DONE = "done"
    TIMED_OUT = "timed_out"
    STOPPED = "stopped"


PROBLEM_GUIDANCE = {
    QualityProblem.TOO_SMALL: Guidance.MOVE_CLOSER,
    QualityProblem.TOO_DARK: Guidance.TOO_DARK,
    QualityProblem.BACKLIT: Guidance.BACKLIT,
    QualityProblem.NOT_FRONTAL: Guidance.LOOK_AT_CAMERA,
    QualityProblem.BLURRED: Guidance.HOLD_STILL,
}
"""The hint for each quality problem (the first problem of a face is shown)."""


@dataclass(frozen=True)
class CaptureUpdate:
    """The state of a capture after one frame (or after it was stopped)."""

    guidance: Guidance
    kept: int
    """Good, different frames kept so far (their descriptors, not the frames)."""
    target: int
    minimum: int
    finished: bool
    """No more frames are taken: done, stopped or timed out."""
    box: Box | None
    """The face the guidance is about, in the frame's pixels (None when there is none)."""
    frame_size: tuple[int, int]
    """``(width, height)`` of the frame ``box`` is in, to place it on a preview."""

    @property
    def done(self) -> bool:
        """The target was reached (or the capture was stopped or timed out with enough frames)."""
        return self.finished and self.kept >= self.minimum

    @property
    def enough(self) -> bool:
        """Enough frames are kept to enrol if the capture stopped now."""
        return self.kept >= self.minimum


class EnrolmentCapture:
    """Keeps descriptors of good, different frames of one face; a face task for the face thread."""

    def __init__(
        self,
        engine: FaceEngine,
        *,
        target: int = TARGET_FRAMES,
        minimum: int = MINIMUM_FRAMES,
        limits: QualityLimits = ENROLMENT,
        timeout_s: float = TIMEOUT_S,
        min_interval_s: float = MIN_INTERVAL_S,
        same_person_distance: float = OPERATING_THRESHOLD,
    ) -> None:
        if not 1 <= minimum <= target:
            raise ValueError("need 1 <= minimum <= target")
        self.engine = engine
        self.target = target
        self.minimum = minimum
        self.limits = limits
        self.timeout_s = timeout_s
        self.min_interval_s = min_interval_s
        self.same_person_distance = same_person_distance
        self._lock = threading.Lock()
        self._descriptors: list[Descriptor] = []
        self._started_at: float | None = None
        self._last_kept_at: float | None = None
        self._finished: Guidance | None = None
        self.frames_seen = 0

    # -- the face thread ---------------------------------------------------------------------------

    def feed(self, frame: Image, at: float) -> CaptureUpdate | None:
        """Look at one BGR frame seen at ``at`` (monotonic seconds); None once the capture has finished."""
        with self._lock:
            if self._finished is not None:
                return None
            self.frames_seen += 1
            if self._started_at is None:
                self._started_at = at
            if at - self._started_at >= self.timeout_s:
                self._finished = Guidance.TIMED_OUT
                return self._update(Guidance.TIMED_OUT, None, frame)
            due = self._last_kept_at is None or at - self._last_kept_at >= self.min_interval_s
        # The engine's work (100-200 ms) runs outside the lock, so stop() never waits for it.
        guidance, face, descriptor = self._look(frame, describe=due)
        with self._lock:
            if self._finished is not None:
                return None  # stopped while this frame was being looked at
            if descriptor is not None:
                guidance = self._keep(descriptor, at)
            return self._update(guidance, face.box if face is not None else None, frame)

    def _look(self, frame: Image, describe: bool) -> tuple[Guidance, Face | None, Descriptor | None]:
        faces = find_faces(self.engine, frame)
        if not faces:
            return Guidance.NO_FACE, None, None
        face = faces[0]
        if crowded([f.box for f in faces], SECOND_FACE_AREA_RATIO):
            return Guidance.ONE_PERSON, face, None
        quality = assess(frame, face, self.limits)
        if not quality.ok:
            return PROBLEM_GUIDANCE[quality.problems[0]], face, None
        if not describe:
            return Guidance.GOOD, face, None
        return Guidance.GOOD, face, self.engine.describe(frame, face)

    def _keep(self, descriptor: Descriptor, at: float) -> Guidance:
        """Keep a good frame's descriptor (the lock is held); the guidance to show."""
        kept = self._descriptors
        if kept:
            distances = np.linalg.norm(np.stack(kept) - descriptor, axis=1)
            if float(distances.min()) < DUPLICATE_DISTANCE:
                return Guidance.GOOD  # the same picture again
            if _distance(descriptor, _mean(kept)) > self.same_person_distance:
                self._descriptors = [descriptor]
                self._last_kept_at = at
                return Guidance.STARTED_OVER
        kept.append(descriptor)
        self._last_kept_at = at
        if len(kept) < self.target:
            return Guidance.GOOD
        if not consistent(kept, self.same_person_distance):
            self._descriptors = []
            self._last_kept_at = None
            return Guidance.STARTED_OVER
        self._finished = Guidance.DONE
        return Guidance.DONE

    def _update(self, guidance: Guidance, box: Box | None, frame: Image) -> CaptureUpdate:
        height, width = frame.shape[:2]
        return CaptureUpdate(
            guidance,
            len(self._descriptors),
            self.target,
            self.minimum,
            self._finished is not None,
            box,
            (int(width), int(height)),
        )

    # -- the UI thread -----------------------------------------------------------------------------

    @property
    def finished(self) -> bool:
        """No more frames are taken."""
        with self._lock:
            return self._finished is not None

    @property
    def kept(self) -> int:
        """How many descriptors are kept."""
        with self._lock:
            return len(self._descriptors)

    def stop(self) -> bool:
        """End the capture now; whether enough frames are kept to enrol (see :meth:`descriptors`)."""
        with self._lock:
            if self._finished is None:
                self._finished = Guidance.STOPPED
            return len(self._descriptors) >= self.minimum

    def descriptors(self) -> list[Descriptor]:
        """Copies of the descriptors kept, once the capture has finished with enough; else empty."""
        with self._lock:
            if self._finished is None or len(self._descriptors) < self.minimum:
                return []
            return [d.copy() for d in self._descriptors]

    def discard(self) -> None:
        """Forget the descriptors (the capture was cancelled) and take no more frames."""
        with self._lock:
            self._finished = self._finished or Guidance.STOPPED
            self._descriptors = []


def consistent(descriptors: list[Descriptor], threshold: float = OPERATING_THRESHOLD) -> bool:
    """Whether every descriptor lies within ``threshold`` of their mean (all of one person)."""
    if not descriptors:
        return True
    mean = _mean(descriptors)
    return all(_distance(d, mean) <= threshold for d in descriptors)


def _mean(descriptors: list[Descriptor]) -> NDArray[np.float32]:
    return np.asarray(np.stack(descriptors).mean(axis=0), dtype=np.float32)


def _distance(a: NDArray[np.float32], b: NDArray[np.float32]) -> float:
    return float(np.linalg.norm(a - b))
