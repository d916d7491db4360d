"""What the kiosk screen tells a volunteer in front of the camera, as values (the UI words them).

:class:`Guidance` is one short prompt; :func:`guidance_for` picks it from the
quality problems of a frame (:mod:`kiosk.face.quality`), most useful first;
:func:`crowded` says when two faces are so alike in size that the kiosk cannot
tell whom it is meant to check in.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from kiosk.face.engine import Box
from kiosk.face.quality import QualityProblem


class Guidance(StrEnum):
    """The prompt on the camera preview (``NONE``: none)."""

    NONE = "none"
    MOVE_CLOSER = "move_closer"
    TOO_DARK = "too_dark"
    BACKLIT = "backlit"
    LOOK_AT_SCREEN = "look_at_screen"
    HOLD_STILL = "hold_still"
    ONE_AT_A_TIME = "one_at_a_time"
    CHECKING = "checking"
    """A good face is being matched: "one moment"."""
    TURN_LEFT = "turn_left"
    """The challenge: turn the head to the person's own left."""
    TURN_RIGHT = "turn_right"
    LOOK_BACK = "look_back"
    """Turned far enough: look at the screen again."""
    USE_QR_CODE = "use_qr_code"
    """A weak or ambiguous match, or a face that changed: the QR code, please."""
    NOT_RECOGNISED = "not_recognised"
    """Nobody enrolled looks like this face: the QR code, please."""
    NOT_CONFIRMED = "not_confirmed"
    """The liveness check failed: the QR code, please."""


_PROBLEM_GUIDANCE = {
    QualityProblem.TOO_SMALL: Guidance.MOVE_CLOSER,
    QualityProblem.TOO_DARK: Guidance.TOO_DARK,
    QualityProblem.BACKLIT: Guidance.BACKLIT,
    QualityProblem.NOT_FRONTAL: Guidance.LOOK_AT_SCREEN,
    QualityProblem.BLURRED: Guidance.HOLD_STILL,
}


def guidance_for(problems: Sequence[QualityProblem]) -> Guidance:
    """The prompt for a frame's quality problems: the first one's (they come most useful first)."""
    return _PROBLEM_GUIDANCE[problems[0]] if problems else Guidance.NONE


def crowded(boxes: Sequence[Box], similar_ratio: float) -> bool:
    """Whether the second largest face is at least ``similar_ratio`` of the largest one's area.

    A face much smaller than the largest is someone further back in the queue
    and is ignored; two faces of about the same size are two people at the
    screen, and the kiosk asks for one at a time rather than guess.
    """
    if len(boxes) < 2:
        return False
    largest, second = sorted((box.area for box in boxes), reverse=True)[:2]
    return largest > 0 and second >= similar_ratio * largest
