"""Identification on the kiosk screen: one face task that goes from a face in view to a volunteer ID.

:class:`IdentifySession` is the task the face thread feeds with the newest
camera frame (``feed(frame, at)``, ``at`` in monotonic seconds). It needs no
Qt and no clock of its own; a test feeds it rendered frames with their times.
Each frame returns a :class:`FaceUpdate` for the screen (or ``None`` when
nothing changed). The stages of one attempt:

1. **Looking** (every frame: detect, 5 landmarks, quality with the
   :data:`~kiosk.face.quality.IDENTIFICATION` limits). No face: nothing to
   say. Two faces of about the same size: "one person at a time". A poor
   frame is never matched; its first problem becomes the prompt (move
   closer, too dark, backlit, look at the screen, hold still). A good frame
   is described and pooled (:class:`~kiosk.face.evidence.FramePool`); from
   :attr:`SessionSettings.agreement_frames` good frames on, the *mean* of
   the pooled descriptors is searched, the likely candidates first
   (:meth:`set_candidates`, :class:`~kiosk.face.matching.Candidates`), and
   only an *accepted* match (threshold and the candidate's margin,
   :mod:`kiosk.face.matching`) counts. A weak match (ambiguous, or unknown
   within :attr:`SessionSettings.weak_band` of the threshold) waits for more
   frames until the pool holds :attr:`SessionSettings.pool_frames`, then
   ends the attempt with "use your QR code"; a face matching nobody, after
   :attr:`SessionSettings.unknown_frames` decisions, with "not recognised".
2. **Challenge** (liveness on): :class:`~kiosk.face.liveness.LivenessCheck`
   with a random challenge, fed only detections near the last box and
   landmarks: no descriptor, so a frame costs about a third of a looking
   frame and the turn is followed at the camera's pace. The frames of the
   last second of looking are replayed into the check first, so its
   baseline (a steady frontal face) is usually there at once. A failed check
   ends the attempt with a refusal.
3. **Final look**: after the turn, one good frame of the same face must
   have the same volunteer nearest, within the threshold (the face that
   turned is the face that was identified); a frame accepted as someone
   else ends the attempt.
4. **Identified**: the update carries the volunteer ID and the distances.
   The same volunteer is not identified again while they stay in view (until
   no face was seen for :attr:`SessionSettings.absent_s`) nor within
   :attr:`SessionSettings.repeat_after_s`, like :class:`~kiosk.camera.ScanGate`
   for a card; someone else stepping up is identified as usual.

A refusal is shown for a cool-down (:attr:`SessionSettings.refusal_s`,
longer after a failed liveness check) during which frames are not
processed, then a new attempt starts with a new random challenge. Frames
further apart than :attr:`SessionSettings.resume_gap_s` mean the task was
paused (a result card was shown): an attempt in progress starts over.

An empty gallery makes the task answer ``NO_GALLERY`` and do nothing else.
The gallery can be swapped from another thread with :meth:`set_gallery`
(enrolments changed), and the candidates with :meth:`set_candidates` (who
is on site or signed up changed): a frame reads each once.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass, replace
from enum import StrEnum

import numpy as np
from numpy.typing import NDArray

from kiosk.face.engine import Box, Face, FaceEngine, Image
from kiosk.face.evidence import FramePool
from kiosk.face.guidance import Guidance, crowded, guidance_for
from kiosk.face.liveness import (
    Challenge,
    LivenessCheck,
    LivenessResult,
    LivenessSettings,
    LivenessStatus,
    Phase,
    pick_challenge,
)
from kiosk.face.matching import Candidates, Decision, Gallery, Match
from kiosk.face.quality import IDENTIFICATION, QualityLimits, assess
from kiosk.face.session_values import FacePhase, FaceUpdate, Refusal, SessionSettings
from kiosk.face.tracking import continues, follow

__all__ = ["FacePhase", "FaceUpdate", "IdentifySession", "Refusal", "SessionSettings"]


class _Stage(StrEnum):
    LOOKING = "looking"
    CHALLENGE = "challenge"
    CONFIRMING = "confirming"
    COOLING = "cooling"


@dataclass(frozen=True)
class _Seen:
    at: float
    face: Face
    frame: Image


@dataclass
class _Misses:
    """Frames not accepted in the current attempt."""

    unknown: int = 0


class IdentifySession:
    """The kiosk screen's face task (see the module's docstring)."""

    def __init__(
        self,
        engine: FaceEngine,
        gallery: Gallery,
        *,
        liveness: LivenessSettings | None = None,
        rng: random.Random | None = None,
        settings: SessionSettings | None = None,
        limits: QualityLimits = IDENTIFICATION,
    ) -> None:
        self.engine = engine
        self.liveness = liveness
        """The challenge's settings; ``None`` turns the challenge off (identification alone)."""
        self.settings = settings or SessionSettings()
        self.limits = limits
        self._gallery = gallery
        self._rng = rng or random.SystemRandom()  # an attacker must not predict the challenge
        self._pool = FramePool(
            self.settings.agreement_frames, self.settings.pool_frames, self.settings.agreement_window_s
        )
        self._candidates: Candidates | None = None
        self._stage = _Stage.LOOKING
        self._history: deque[_Seen] = deque()
        self._box: Box | None = None
        self._candidate: Match | None = None
        self._check: LivenessCheck | None = None
        self._stage_started = 0.0
        self._misses = _Misses()
        self._first_seen: float | None = None
        self._absent_since: float | None = None
        self._resting_on: str | None = None
        self._identified_at: dict[str, float] = {}
        self._cooling_until = 0.0
        self._refusal: FaceUpdate | None = None
        self._last_at: float | None = None
        self._published: FaceUpdate | None = None

    @property
    def gallery(self) -> Gallery:
        return self._gallery

    @property
    def stage(self) -> str:
        """What the next frame is for: ``looking``, ``challenge``, ``confirming`` or ``cooling`` (for measurements)."""
        return self._stage.value

    def set_gallery(self, gallery: Gallery) -> None:
        """Search ``gallery`` from the next frame on (safe from another thread)."""
        self._gallery = gallery

    @property
    def candidates(self) -> Candidates | None:
        return self._candidates

    def set_candidates(self, candidates: Candidates | None) -> None:
        """Search these likely volunteers first from the next frame on (safe from another thread)."""
        self._candidates = candidates

    def feed(self, frame: Image, at: float) -> FaceUpdate | None:
        """Process one BGR frame seen at ``at``; the new update, or ``None`` when it says the same."""
        settings = self.settings
        if self._last_at is not None and at - self._last_at > settings.resume_gap_s:
            self._published = None  # the screen dropped what it showed while the task was paused
            if self._stage is not _Stage.COOLING:
                self._reset_attempt()
        self._last_at = at
        if not len(self._gallery):
            self._reset_attempt()
            self._resting_on = None
            return self._publish(FaceUpdate(FacePhase.NO_GALLERY), frame, at)
        if self._stage is _Stage.COOLING:
            if at < self._cooling_until and self._refusal is not None:
                return self._publish(self._refusal, frame, at)
            self._reset_attempt()
        if self._stage is _Stage.CHALLENGE:
            update = self._follow_challenge(frame, at)
        elif self._stage is _Stage.CONFIRMING:
            update = self._confirm(frame, at)
        else:
            update = self._look(frame, at)
        return self._publish(update, frame, at)

    # --- looking ---------------------------------------------------------------------------------

    def _look(self, frame: Image, at: float) -> FaceUpdate:
        boxes = self.engine.detect(frame)
        if not boxes:
            return self._no_face(at)
        self._absent_since = None
        resting = self._resting_on is not None
        phase = FacePhase.RESTING if resting else FacePhase.LOOKING
        if crowded(boxes, self.settings.similar_face_ratio):
            self._reset_attempt()
            return FaceUpdate(phase, Guidance.ONE_AT_A_TIME, box=boxes[0])
        box = boxes[0]
        if self._box is not None and not continues(self._box, box):
            self._reset_attempt()  # another face took the place: a new attempt
        self._box = box
        if self._first_seen is None:
            self._first_seen = at
        face = Face(box, self.engine.landmarks(frame, box))
        self._remember(_Seen(at, face, frame))
        quality = assess(frame, face, self.limits)
        if not quality.ok:
            return FaceUpdate(phase, Guidance.NONE if resting else guidance_for(quality.problems), box=box)
        self._pool.add(self.engine.describe(frame, face), at)
        if not self._pool.ready:
            return FaceUpdate(phase, Guidance.NONE if resting else Guidance.CHECKING, box=box)
        match = self._gallery.identify(self._pool.combined(), self._candidates)
        if not match.accepted:
            return self._not_accepted(match, at, box, phase)
        self._misses = _Misses()
        agreed = match.volunteer_id
        assert agreed is not None
        if resting and agreed == self._resting_on:
            self._pool.reset()
            return FaceUpdate(FacePhase.RESTING, box=box)
        self._pool.reset()
        if self._suppressed(agreed, at):
            self._resting_on = agreed
            return FaceUpdate(FacePhase.RESTING, box=box)
        self._candidate = match
        if self.liveness is None:
            return self._identified(match, None, at, box)
        return self._start_challenge(self.liveness, at)

    def _not_accepted(self, match: Match, at: float, box: Box, phase: FacePhase) -> FaceUpdate:
        settings = self.settings
        weak = (
            match.decision is Decision.AMBIGUOUS
            or match.distance < self._gallery.threshold + settings.weak_band
        )
        misses = self._misses
        if weak:
            if self._pool.full:
                return self._refuse(Refusal.WEAK_MATCH, at)  # more frames would add no evidence
        else:
            misses.unknown += 1
        if misses.unknown >= settings.unknown_frames:
            return self._refuse(Refusal.UNKNOWN, at)
        return FaceUpdate(phase, Guidance.NONE if phase is FacePhase.RESTING else Guidance.CHECKING, box=box)

    def _no_face(self, at: float) -> FaceUpdate:
        if self._absent_since is None:
            self._absent_since = at
        elif at - self._absent_since >= self.settings.absent_s:
            self._resting_on = None  # they left: the next time they come, they are identified again
        self._reset_attempt()
        return FaceUpdate(FacePhase.RESTING if self._resting_on else FacePhase.WAITING)

    def _suppressed(self, volunteer_id: str, at: float) -> bool:
        """Whether this volunteer was identified just now (still in view, or within the repeat time)."""
        horizon = at - self.settings.repeat_after_s
        self._identified_at = {v: t for v, t in self._identified_at.items() if t > horizon}
        return volunteer_id == self._resting_on or volunteer_id in self._identified_at

    def _remember(self, seen: _Seen) -> None:
        self._history.append(seen)
        while self._history and self._history[0].at < seen.at - self.settings.history_s:
            self._history.popleft()

    # --- the challenge and the final look ------------------------------------------------------

    def _start_challenge(self, liveness: LivenessSettings, at: float) -> FaceUpdate:
        check = LivenessCheck(pick_challenge(self._rng), liveness)
        status = check.status
        for seen in self._history:
            status = check.update(seen.at, _points(seen.face), _corners(seen.face.box), seen.frame)
        self._history.clear()
        self._check = check
        self._stage, self._stage_started = _Stage.CHALLENGE, at
        return self._after_liveness(status, at, None, None)

    def _follow_challenge(self, frame: Image, at: float) -> FaceUpdate:
        assert self._check is not None and self._box is not None
        box = follow(self.engine, frame, self._box)
        if box is None:
            return self._after_liveness(self._check.update(at, None), at, None, None)
        self._box = box
        face = Face(box, self.engine.landmarks(frame, box))
        status = self._check.update(at, _points(face), _corners(box), frame)
        return self._after_liveness(status, at, frame, face)

    def _after_liveness(
        self, status: LivenessStatus, at: float, frame: Image | None, face: Face | None
    ) -> FaceUpdate:
        if not status.done:
            return FaceUpdate(
                FacePhase.CHALLENGE,
                _challenge_guidance(status),
                box=self._box,
                challenge=None if status.phase is Phase.FINDING_FACE else status.challenge,
                progress=status.progress,
                seconds_left=status.seconds_left,
            )
        if status.result is not LivenessResult.PASSED:
            return self._refuse(Refusal.NOT_LIVE, at, status.result)
        self._stage, self._stage_started = _Stage.CONFIRMING, at
        if frame is not None and face is not None:
            return self._final_look(frame, face, at)
        return FaceUpdate(FacePhase.CONFIRMING, Guidance.LOOK_AT_SCREEN, box=self._box)

    def _confirm(self, frame: Image, at: float) -> FaceUpdate:
        if at - self._stage_started > self.settings.confirm_limit_s:
            return self._refuse(Refusal.NO_FINAL_LOOK, at)
        box = follow(self.engine, frame, self._box) if self._box is not None else None
        if box is None:
            return FaceUpdate(FacePhase.CONFIRMING, Guidance.LOOK_AT_SCREEN, box=self._box)
        self._box = box
        return self._final_look(frame, Face(box, self.engine.landmarks(frame, box)), at)

    def _final_look(self, frame: Image, face: Face, at: float) -> FaceUpdate:
        """The same volunteer again on a good frame after the turn: identified; anyone else: refused."""
        candidate = self._candidate
        assert candidate is not None
        quality = assess(frame, face, self.limits)
        if not quality.ok:
            return FaceUpdate(FacePhase.CONFIRMING, guidance_for(quality.problems), box=face.box)
        match = self._gallery.identify(self.engine.describe(frame, face), self._candidates)
        if match.candidate == candidate.volunteer_id and match.distance < self._gallery.threshold:
            return self._identified(candidate, match, at, face.box)
        if match.accepted:
            return self._refuse(Refusal.CHANGED, at)
        return FaceUpdate(FacePhase.CONFIRMING, Guidance.CHECKING, box=face.box)  # a soft frame: another

    # --- endings -------------------------------------------------------------------------------

    def _identified(self, agreed: Match, final: Match | None, at: float, box: Box) -> FaceUpdate:
        volunteer_id = agreed.volunteer_id
        assert volunteer_id is not None
        update = FaceUpdate(
            FacePhase.IDENTIFIED,
            box=box,
            volunteer_id=volunteer_id,
            distance=agreed.distance,
            runner_up_distance=agreed.runner_up_distance,
            final_distance=None if final is None else final.distance,
            seen_at=self._first_seen,
        )
        self._identified_at[volunteer_id] = at
        self._resting_on = volunteer_id
        self._reset_attempt()
        self._box = box
        return update

    def _refuse(self, refusal: Refusal, at: float, liveness: LivenessResult | None = None) -> FaceUpdate:
        guidance = {
            Refusal.UNKNOWN: Guidance.NOT_RECOGNISED,
            Refusal.NOT_LIVE: Guidance.NOT_CONFIRMED,
        }.get(refusal, Guidance.USE_QR_CODE)
        update = FaceUpdate(
            FacePhase.REFUSED,
            guidance,
            box=self._box,
            refusal=refusal,
            liveness=liveness,
            seen_at=self._first_seen,
        )
        pause = self.settings.liveness_refusal_s if refusal is Refusal.NOT_LIVE else self.settings.refusal_s
        self._reset_attempt()
        self._resting_on = None
        self._stage, self._cooling_until, self._refusal = _Stage.COOLING, at + pause, update
        return update

    def _reset_attempt(self) -> None:
        """Forget the attempt in progress (not who was identified lately)."""
        self._pool.reset()
        self._history.clear()
        self._box = None
        self._candidate = None
        self._check = None
        self._misses = _Misses()
        self._first_seen = None
        self._stage = _Stage.LOOKING
        self._refusal = None

    def _publish(self, update: FaceUpdate, frame: Image, at: float) -> FaceUpdate | None:
        update = replace(update, frame_size=(int(frame.shape[1]), int(frame.shape[0])), at=at)
        if update.seen_at is None and self._first_seen is not None:
            update = replace(update, seen_at=self._first_seen)
        if update == self._published:
            return None
        self._published = update
        return update


def _points(face: Face) -> NDArray[np.float64]:
    return np.asarray(face.landmarks, dtype=np.float64)


def _corners(box: Box) -> tuple[float, float, float, float]:
    return (float(box.left), float(box.top), float(box.right), float(box.bottom))


def _challenge_guidance(status: LivenessStatus) -> Guidance:
    if status.phase is Phase.TURNING:
        return Guidance.TURN_LEFT if status.challenge is Challenge.TURN_LEFT else Guidance.TURN_RIGHT
    if status.phase is Phase.TURNED:
        return Guidance.LOOK_BACK
    return Guidance.LOOK_AT_SCREEN
