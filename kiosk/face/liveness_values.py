"""The values a liveness check speaks in: the challenge, its results and phases, and its settings.

Kept apart from :mod:`kiosk.face.liveness` (the check's state machine) and
:mod:`kiosk.face.liveness_cues` (the measurements) so both can name them,
and so can the identification session and the UI without the machinery;
:mod:`kiosk.face.liveness` re-exports them.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Challenge(StrEnum):
    """What the person is asked to do, in their own terms (their left, not the screen's)."""

    TURN_LEFT = "turn_left"
    TURN_RIGHT = "turn_right"


# A nod is not offered: five points measure it only by the nose's height below
# the eyes, which a picture tilted about its horizontal axis also changes (a
# 25 degree tilt by about as much as a 20 degree nod), and the synthetic
# renders only turn heads, so a nod threshold could not be measured.


def pick_challenge(
    rng: random.Random | None = None, choices: Sequence[Challenge] = tuple(Challenge)
) -> Challenge:
    """One of ``choices`` at random (``rng``, or the module's generator; inject a seeded one in tests)."""
    if not choices:
        raise ValueError("no challenge to pick from")
    return (rng or random).choice(list(choices))


class LivenessResult(StrEnum):
    """Why a check ended (the UI translates these)."""

    PASSED = "passed"
    """The asked turn was made, and no cue objected."""
    TIMEOUT = "timeout"
    """The turn was not made within the time limit."""
    WRONG_DIRECTION = "wrong_direction"
    """The head turned the other way."""
    NO_FACE = "no_face"
    """No face was seen before the time allowed to start ran out."""
    NOT_FRONTAL = "not_frontal"
    """A face was seen but never held still and roughly frontal long enough to start."""
    FACE_LOST = "face_lost"
    """The face disappeared, or jumped (another face), during the challenge."""
    FLAT_IMAGE = "flat_image"
    """The nose moved but the eyes were not foreshortened like a turning head's: a tilted picture."""
    BACKGROUND_MOVES = "background_moves"
    """What surrounds the face moved with it: a held-up print or screen."""
    NO_MOTION = "no_motion"
    """Nothing moved at all: a picture lying still."""


class Phase(StrEnum):
    """Where a check is, for the screen's prompt."""

    FINDING_FACE = "finding_face"
    """No face yet, or not steady and frontal yet: "look at the camera"."""
    TURNING = "turning"
    """The challenge is out: "turn your head to your left/right"."""
    TURNED = "turned"
    """Turned far enough: "now look back" (passes on return or after holding)."""
    DONE = "done"
    """Decided; see :attr:`~kiosk.face.liveness.LivenessStatus.result`."""


@dataclass(frozen=True)
class LivenessSettings:
    """Everything a check can be tuned with; the defaults are the kiosk's.

    Distances are in eye distances (between the two eyes' centres), times in seconds.
    """

    turn_threshold: float = 0.12
    """How far the yaw ratio must move from the baseline in the asked direction: about 20 degrees on the
    synthetic heads (25 degrees read 0.13 to 0.27); prints tilted up to 10 degrees reached 0.074."""
    wrong_way_threshold: float = 0.12
    """Moving this far the other way fails with ``wrong_direction``."""
    return_fraction: float = 0.5
    """Passes once the yaw is back below this fraction of the threshold after turning."""
    hold_s: float = 0.4
    """...or after holding the turn this long."""
    min_turned_frames: int = 2
    """Frames past the threshold (not necessarily in a row: landmarks of a turned face jitter) before the
    turn counts; one frame could be a landmark glitch. Also the frames in a row the wrong way that fail."""
    time_limit_s: float = 6.0
    """From the challenge to the pass."""
    start_limit_s: float = 10.0
    """From the first frame to a baseline (``no_face`` / ``not_frontal`` after it)."""
    baseline_s: float = 0.5
    """How long the face must hold steady and frontal before the challenge is issued."""
    baseline_frames: int = 3
    """...over at least this many frames."""
    baseline_max_spread: float = 0.05
    """The yaw ratio may vary by this much across the baseline frames."""
    frontal_max_yaw: float = 0.3
    """The baseline's yaw ratio must be within this of zero (faces at rest measured -0.18 to +0.15)."""
    max_face_gap_s: float = 1.5
    """During the challenge, the face may be missing this long before ``face_lost`` (dlib's frontal
    detector loses some faces turned by more than about 20 degrees; they come back on the way back)."""
    max_jump: float = 1.5
    """A face whose eyes' midpoint moves more than this between frames (eye distances) is another face."""
    frames_mirrored: bool = False
    """True when the frames are mirror images (a mirrored camera); the kiosk's frames are not mirrored."""
    use_foreshortening: bool = True
    min_foreshortening: float = 0.3
    """The far eye's narrowing per unit of yaw a turn must show (synthetic turns: 0.78 to 2.37; a sheared
    picture: 0; prints tilted to fake a turn: 0.13 to 1.23); see
    :func:`~kiosk.face.liveness_cues.foreshortening_cue`."""
    use_surroundings: bool = True
    surroundings_min_correlation: float = 0.9
    """The face's surroundings must correlate at least this well between the baseline and the turning
    frames (synthetic turns: 0.994 or more; prints tilted to fake a turn: 0.76 or less); see
    :func:`~kiosk.face.liveness_cues.surroundings_cue`."""
    surroundings_min_texture: float = 6.0
    """Grey-level spread the surroundings need for a verdict (less: a plain wall, undecided)."""
    use_stillness: bool = True
    still_window_s: float = 3.0
    """Fails ``no_motion`` when the landmarks have not moved for this long after the challenge."""
    still_max_motion: float = 0.012
    """Smoothed landmark movement (eye distances) below which a track counts as not moving."""
    still_smoothing_s: float = 1.0
    """The stillness cue averages landmarks over windows this long."""


def direction_sign(challenge: Challenge, frames_mirrored: bool = False) -> int:
    """+1 when the challenge moves the nose to the image's right (yaw grows), -1 otherwise.

    On an unmirrored camera a person turning to *their* left turns the nose to the image's right.
    """
    sign = 1 if challenge is Challenge.TURN_LEFT else -1
    return -sign if frames_mirrored else sign
