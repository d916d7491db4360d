"""Face liveness: a randomised head-turn challenge read from five landmarks, plus passive cues.

The check is fed one camera frame at a time (:meth:`LivenessCheck.update`)
with what the face engine found in it: dlib's five landmarks, the face box,
the frame itself and its time. It needs no Qt, no clock and no randomness of
its own, so a test can drive it with hand-made landmark tracks.

The measurements (the pose read from dlib's five landmarks, the yaw ratio,
and the passive cues) are in :mod:`kiosk.face.liveness_cues`; the values the
check speaks in (challenge, result, phase, settings) in
:mod:`kiosk.face.liveness_values`, re-exported here.

**The challenge.** :class:`LivenessCheck` waits for a steady, roughly
frontal face (the baseline), asks for a turn to the person's left or right
(:func:`pick_challenge`: a recording made in advance has one chance in two),
and passes when the yaw moves :attr:`LivenessSettings.turn_threshold` (0.12,
about 20 degrees) past the baseline in the asked direction on two frames and
comes back or holds, within :attr:`LivenessSettings.time_limit_s`. Turning
the other way fails at once.

**What a flat picture can do.** A picture slides the nose between its eyes
only when tilted out of its plane: a tilt about both axes shears the face,
and perspective adds to it (how much depends only on the face's size in the
image, not on the picture's size). A print held up and tilted by up to 10
degrees moved the ratio by at most 0.074 (15 degree tilts reach about
0.11), below the threshold: it times out. A print tilted 35 degrees about a
diagonal on purpose reaches 0.10 to 0.28 and would pass on the yaw alone;
the passive cues are there for that. Of 66 such fakes (the eleven photos,
both directions, three noise seeds) 60 got past the yaw threshold; the
surroundings cue stopped 56 and the foreshortening cue the other 4 (with
the foreshortening cue off, the surroundings cue stops all 60); the stillness
cue stops a still picture early (each cue, and what it misses:
:mod:`kiosk.face.liveness_cues`).

Not covered: a video replay of the person turning the asked way (the
challenge only halves its chances), masks, and screens (no moiré or glare cue:
there are no recaptured screen images here to measure one on).

All numbers come from :mod:`kiosk.face.synthetic` renders of
``faces-dev/enroll`` read back with dlib (see that module for what such
renders can and cannot prove); they must be checked on real recordings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from kiosk.face.liveness_cues import (
    Box,
    Cue,
    CueReading,
    FaceGeometry,
    Image,
    Landmarks,
    Verdict,
    face_geometry,
    foreshortening_cue,
    stillness_cue,
    surroundings_cue,
)
from kiosk.face.liveness_values import (
    Challenge,
    LivenessResult,
    LivenessSettings,
    Phase,
    direction_sign,
    pick_challenge,
)

__all__ = [
    "Challenge",
    "LivenessCheck",
    "LivenessResult",
    "LivenessSettings",
    "LivenessStatus",
    "Phase",
    "direction_sign",
    "pick_challenge",
]


@dataclass(frozen=True)
class LivenessStatus:
    """What the check says after a frame: the phase, the result once decided, and how far the turn got.

    ``progress`` is the turn in the asked direction as a share of the threshold
    (0 to 1, for a progress bar); ``seconds_left`` counts down the current
    phase's limit; ``cues`` holds the latest reading of each cue computed so far.
    """

    phase: Phase
    challenge: Challenge
    result: LivenessResult | None = None
    progress: float = 0.0
    seconds_left: float = 0.0
    cues: tuple[CueReading, ...] = ()

    @property
    def done(self) -> bool:
        return self.result is not None


@dataclass
class _Frame:
    timestamp: float
    landmarks: Landmarks
    geometry: FaceGeometry
    box: Box | None
    frame: Image | None


@dataclass
class _Track:
    """What the check remembers between frames."""

    started: float | None = None
    saw_face: bool = False
    recent: list[_Frame] = field(default_factory=list)
    baseline: _Frame | None = None
    baseline_geometry: FaceGeometry | None = None
    challenged_at: float = 0.0
    last_face: _Frame | None = None
    since_challenge: list[Landmarks] = field(default_factory=list)
    since_challenge_at: list[float] = field(default_factory=list)
    moved_at_all: bool = False
    turned: list[FaceGeometry] = field(default_factory=list)
    turned_since: float | None = None
    surroundings: CueReading | None = None
    wrong_frames: int = 0


class LivenessCheck:
    """One liveness attempt: feed every frame to :meth:`update` until the status is done.

    ``challenge`` comes from :func:`pick_challenge` (the caller shows it once the
    phase is :attr:`Phase.TURNING`). Frames without a face are fed with
    ``landmarks=None``. ``box`` and ``frame`` feed the surroundings cue; without
    them it stays undecided. Timestamps are seconds on any steady clock.
    """

    def __init__(self, challenge: Challenge, settings: LivenessSettings | None = None) -> None:
        self.challenge = challenge
        self.settings = settings or LivenessSettings()
        self._sign = direction_sign(challenge, self.settings.frames_mirrored)
        self._track = _Track()
        self._phase = Phase.FINDING_FACE
        self._status = LivenessStatus(Phase.FINDING_FACE, challenge, seconds_left=self.settings.start_limit_s)
        self._cues: dict[Cue, CueReading] = {}

    @property
    def status(self) -> LivenessStatus:
        """The status after the last frame."""
        return self._status

    def update(
        self,
        timestamp: float,
        landmarks: Landmarks | None,
        box: Box | None = None,
        frame: Image | None = None,
    ) -> LivenessStatus:
        """Take one frame's face (or ``None``) and return the status; frames after the decision are ignored."""
        if self._status.done:
            return self._status
        track = self._track
        if track.started is None:
            track.started = timestamp
        observed = None
        if landmarks is not None:
            points = np.array(landmarks, dtype=np.float64)
            try:
                geometry = face_geometry(points)
            except ValueError:  # not five points, or both eyes on one spot: not a face to go by
                geometry = None
            if geometry is not None:
                observed = _Frame(timestamp, points, geometry, box, None if frame is None else frame.copy())
                track.saw_face = True
        if self._phase is Phase.FINDING_FACE:
            self._status = self._find_baseline(timestamp, observed)
        else:
            self._status = self._follow_turn(timestamp, observed)
        return self._status

    # --- finding a baseline -----------------------------------------------------------------------

    def _find_baseline(self, timestamp: float, observed: _Frame | None) -> LivenessStatus:
        settings = self.settings
        track = self._track
        assert track.started is not None
        elapsed = timestamp - track.started
        if observed is None or (track.recent and self._jumped(track.recent[-1], observed)):
            track.recent.clear()
        if observed is not None:
            track.recent.append(observed)
            track.recent = [f for f in track.recent if timestamp - f.timestamp <= settings.baseline_s * 2]
            baseline = self._steady_frontal(track.recent)
            if baseline is not None:
                return self._issue_challenge(timestamp, baseline)
        if elapsed > settings.start_limit_s:
            result = LivenessResult.NOT_FRONTAL if track.saw_face else LivenessResult.NO_FACE
            return self._finish(result, timestamp)
        return LivenessStatus(
            Phase.FINDING_FACE, self.challenge, seconds_left=settings.start_limit_s - elapsed
        )

    def _steady_frontal(self, frames: list[_Frame]) -> list[_Frame] | None:
        """The latest frames spanning the baseline time, if they are steady and roughly frontal."""
        settings = self.settings
        newest = frames[-1].timestamp
        window = [f for f in frames if newest - f.timestamp <= settings.baseline_s]
        if len(window) < settings.baseline_frames or newest - frames[0].timestamp < settings.baseline_s:
            return None
        yaws = [f.geometry.yaw for f in window]
        if max(yaws) - min(yaws) > settings.baseline_max_spread:
            return None
        if abs(float(np.median(yaws))) > settings.frontal_max_yaw:
            return None
        return window

    def _issue_challenge(self, timestamp: float, window: list[_Frame]) -> LivenessStatus:
        track = self._track
        track.baseline = window[-1]
        track.baseline_geometry = replace(
            window[-1].geometry,
            yaw=float(np.median([f.geometry.yaw for f in window])),
            foreshortening=float(np.median([f.geometry.foreshortening for f in window])),
        )
        track.recent.clear()
        track.challenged_at = timestamp
        track.last_face = window[-1]
        track.since_challenge = [window[-1].landmarks]
        track.since_challenge_at = [window[-1].timestamp]
        self._phase = Phase.TURNING
        return LivenessStatus(Phase.TURNING, self.challenge, seconds_left=self.settings.time_limit_s)

    # --- following the turn -----------------------------------------------------------------------

    def _follow_turn(self, timestamp: float, observed: _Frame | None) -> LivenessStatus:
        settings = self.settings
        track = self._track
        assert track.last_face is not None and track.baseline_geometry is not None
        left = settings.time_limit_s - (timestamp - track.challenged_at)
        if observed is None:
            if timestamp - track.last_face.timestamp > settings.max_face_gap_s:
                return self._finish(LivenessResult.FACE_LOST, timestamp)
            if left < 0:
                return self._timeout(timestamp)
            return self._progress(track.last_face, left)
        if self._jumped(track.last_face, observed):
            return self._finish(LivenessResult.FACE_LOST, timestamp)
        track.last_face = observed
        track.since_challenge.append(observed.landmarks)
        track.since_challenge_at.append(timestamp)
        moved = (observed.geometry.yaw - track.baseline_geometry.yaw) * self._sign
        if moved <= -settings.wrong_way_threshold:
            track.wrong_frames += 1
            if track.wrong_frames >= settings.min_turned_frames:
                return self._finish(LivenessResult.WRONG_DIRECTION, timestamp)
        else:
            track.wrong_frames = 0
        if settings.use_surroundings and moved >= settings.turn_threshold / 2:
            self._read_surroundings(observed)
        if moved >= settings.turn_threshold:
            track.turned.append(observed.geometry)
            if track.turned_since is None:
                track.turned_since = timestamp
            if len(track.turned) >= settings.min_turned_frames:
                self._phase = Phase.TURNED
        if self._phase is Phase.TURNED:
            assert track.turned_since is not None
            back = moved <= settings.turn_threshold * settings.return_fraction
            if back or timestamp - track.turned_since >= settings.hold_s:
                return self._decide(timestamp)
        if left < 0:
            return self._timeout(timestamp)
        if (
            settings.use_stillness
            and not track.moved_at_all
            and timestamp - track.challenged_at >= settings.still_window_s
        ):
            reading = stillness_cue(track.since_challenge_at, track.since_challenge, settings)
            self._cues[Cue.STILLNESS] = reading
            track.moved_at_all = reading.verdict is Verdict.LIVE
            if reading.verdict is Verdict.NOT_LIVE:
                return self._finish(LivenessResult.NO_MOTION, timestamp)
        return self._progress(observed, left)

    def _progress(self, latest: _Frame, left: float) -> LivenessStatus:
        assert self._track.baseline_geometry is not None
        moved = (latest.geometry.yaw - self._track.baseline_geometry.yaw) * self._sign
        progress = min(1.0, max(0.0, moved / self.settings.turn_threshold))
        if self._phase is Phase.TURNED:
            progress = 1.0
        return LivenessStatus(
            self._phase, self.challenge, None, progress, max(0.0, left), tuple(self._cues.values())
        )

    def _decide(self, timestamp: float) -> LivenessStatus:
        """The turn was made: the passive cues have the last word."""
        settings = self.settings
        track = self._track
        assert track.baseline_geometry is not None
        if settings.use_foreshortening:
            reading = foreshortening_cue(track.baseline_geometry, track.turned, self._sign, settings)
            self._cues[Cue.FORESHORTENING] = reading
            if reading.verdict is Verdict.NOT_LIVE:
                return self._finish(LivenessResult.FLAT_IMAGE, timestamp)
        if settings.use_surroundings:
            reading = track.surroundings or CueReading(Cue.SURROUNDINGS, 0.0, Verdict.UNDECIDED)
            self._cues[Cue.SURROUNDINGS] = reading
            if reading.verdict is Verdict.NOT_LIVE:
                return self._finish(LivenessResult.BACKGROUND_MOVES, timestamp)
        return self._finish(LivenessResult.PASSED, timestamp)

    def _read_surroundings(self, observed: _Frame) -> None:
        """Compare the surroundings of a turning frame with the baseline's; keep the least still reading.

        Every frame turned at least half way counts, not only the most turned:
        a held-up print can carry the face to the frame's edge (the ring out of
        view, undecided) in one frame and not in the next.
        """
        before = self._track.baseline
        assert before is not None
        if before.frame is None or before.box is None or observed.frame is None or observed.box is None:
            return
        reading = surroundings_cue(before.frame, before.box, observed.frame, observed.box, self.settings)
        kept = self._track.surroundings
        if (
            reading.verdict is not Verdict.UNDECIDED
            and (kept is None or kept.verdict is Verdict.UNDECIDED or reading.score < kept.score)
        ) or kept is None:
            self._track.surroundings = reading

    def _timeout(self, timestamp: float) -> LivenessStatus:
        """Out of time: say ``no_motion`` if nothing moved at all, else ``timeout``."""
        if self.settings.use_stillness and not self._track.moved_at_all:
            reading = stillness_cue(
                self._track.since_challenge_at, self._track.since_challenge, self.settings
            )
            self._cues[Cue.STILLNESS] = reading
            if reading.verdict is Verdict.NOT_LIVE:
                return self._finish(LivenessResult.NO_MOTION, timestamp)
        return self._finish(LivenessResult.TIMEOUT, timestamp)

    def _finish(self, result: LivenessResult, timestamp: float) -> LivenessStatus:
        self._phase = Phase.DONE
        progress = 1.0 if result is LivenessResult.PASSED else self._status.progress
        return LivenessStatus(Phase.DONE, self.challenge, result, progress, 0.0, tuple(self._cues.values()))

    def _jumped(self, previous: _Frame, current: _Frame) -> bool:
        a, b = previous.geometry, current.geometry
        step = math.hypot(b.centre[0] - a.centre[0], b.centre[1] - a.centre[1])
        return step > self.settings.max_jump * max(a.eye_distance, b.eye_distance)
