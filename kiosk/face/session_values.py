"""The values an identification session speaks in: its phases, refusals, updates and settings.

Kept apart from :mod:`kiosk.face.session` (the state machine) so the UI and
tests can name them without the machinery; :mod:`kiosk.face.session`
re-exports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from kiosk.face.engine import Box
from kiosk.face.guidance import Guidance
from kiosk.face.liveness_values import Challenge, LivenessResult


class FacePhase(StrEnum):
    """Where the session is, for the screen."""

    NO_GALLERY = "no_gallery"
    """Nobody is enrolled: face check-in is off, the task does nothing."""
    WAITING = "waiting"
    """No face in view."""
    LOOKING = "looking"
    """A face: its quality is checked and it is matched (see the guidance)."""
    CHALLENGE = "challenge"
    """Matched: the liveness challenge is running (see challenge and progress)."""
    CONFIRMING = "confirming"
    """The challenge passed: one more frontal look must match the same volunteer."""
    IDENTIFIED = "identified"
    """Done: ``volunteer_id`` is the volunteer to check in. Sent once per attempt."""
    REFUSED = "refused"
    """Not identified (see ``refusal``); a cool-down runs before a new attempt."""
    RESTING = "resting"
    """After an identification, while that volunteer stays in view."""


class Refusal(StrEnum):
    """Why an attempt ended without an identification."""

    WEAK_MATCH = "weak_match"
    """Ambiguous between two volunteers, or unknown but close to the threshold."""
    UNKNOWN = "unknown"
    """Nobody enrolled looks like this face."""
    NOT_LIVE = "not_live"
    """The liveness check failed (``liveness`` says how)."""
    CHANGED = "changed"
    """After the turn the face matched nobody, or someone else."""
    NO_FINAL_LOOK = "no_final_look"
    """No good frontal frame came after the turn in time."""


@dataclass(frozen=True)
class FaceUpdate:
    """What the session says after a frame. Immutable; ``at`` and ``seen_at`` do not count in equality.

    ``box`` is the face followed, in the pixels of a frame ``frame_size``
    (width, height). ``progress`` (0-1) and ``seconds_left`` belong to the
    challenge. ``volunteer_id`` is set only when ``phase`` is ``IDENTIFIED``,
    with ``distance`` / ``runner_up_distance`` of the match that was agreed
    and ``final_distance`` of the final look (``None`` with liveness off).
    ``seen_at`` is when this face was first seen (for timing).
    """

    phase: FacePhase
    guidance: Guidance = Guidance.NONE
    box: Box | None = None
    frame_size: tuple[int, int] = (0, 0)
    challenge: Challenge | None = None
    progress: float = 0.0
    seconds_left: float = 0.0
    refusal: Refusal | None = None
    liveness: LivenessResult | None = None
    volunteer_id: str | None = None
    distance: float | None = None
    runner_up_distance: float | None = None
    final_distance: float | None = None
    seen_at: float | None = field(default=None, compare=False)
    at: float = field(default=0.0, compare=False)


@dataclass(frozen=True)
class SessionSettings:
    """The session's rules; the defaults are the kiosk's. Times in seconds."""

    agreement_frames: int = 2
    """Good frames of one face pooled before the first decision (their descriptors' mean is matched)."""
    pool_frames: int = 4
    """The most good frames pooled: a weak match waits for more frames up to this many."""
    agreement_window_s: float = 1.5
    """Good frames further apart than this start the pool over."""
    weak_band: float = 0.1
    """An unknown match closer than the threshold plus this is weak ("use your QR code")."""
    unknown_frames: int = 3
    """Decisions matching nobody before "not recognised"."""
    similar_face_ratio: float = 0.6
    """A second face at least this share of the largest one's area: "one person at a time"."""
    refusal_s: float = 3.0
    """How long a refusal shows (no frame is processed) before a new attempt."""
    liveness_refusal_s: float = 5.0
    """...after a failed liveness check."""
    confirm_limit_s: float = 3.0
    """After the turn, the final look must succeed within this."""
    absent_s: float = 1.0
    """No face for this long: the identified volunteer has left."""
    repeat_after_s: float = 10.0
    """The same volunteer is not identified again within this, even after leaving."""
    resume_gap_s: float = 1.0
    """Frames further apart than this: the task was paused, an attempt starts over."""
    history_s: float = 1.0
    """Looking frames kept to give the liveness check its baseline at once."""
