"""What the kiosk screen says to a volunteer in front of the camera: words and a symbol per face guidance.

The session (:mod:`kiosk.face.session`) returns values; this module turns
them into a :class:`FacePrompt`. One prompt, one message: the big panel
shows it with a large symbol (:attr:`FacePrompt.pictogram`, an arrow that
moves for a turn) and a line under it (:func:`prompt_hint`), and the band
over the preview shows the same words (the words are looked up when shown,
so a language change applies at once). The QR code always works beside face
check-in, and the preview says so on a line of its own (:func:`qr_line`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QCoreApplication

from kiosk.face.engine import Box
from kiosk.face.guidance import Guidance
from kiosk.face.session import FacePhase, FaceUpdate
from kiosk.ui.widgets.pictograms import Pictogram

translate = QCoreApplication.translate  # lupdate finds translate("FacePrompt", "...") calls


class PromptTone(StrEnum):
    """How the prompt is coloured (never the only signal: the words say it)."""

    NEUTRAL = "neutral"
    """A face is being looked at, or told how to do better."""
    ACTION = "action"
    """The challenge: do this now."""
    SUCCESS = "success"
    """Identified."""
    REFUSAL = "refusal"
    """Not identified: use the QR code."""


@dataclass(frozen=True)
class FacePrompt:
    """One state of the face overlay: the face's box, the guidance and, for the challenge, its progress."""

    guidance: Guidance
    tone: PromptTone
    box: Box | None = None
    frame_size: tuple[int, int] = (0, 0)
    progress: float | None = None
    """0 to 1 while the challenge asks for a turn; ``None`` otherwise."""

    @property
    def text(self) -> str:
        return prompt_text(self.guidance)

    @property
    def hint(self) -> str:
        return prompt_hint(self.guidance)

    @property
    def pictogram(self) -> Pictogram:
        """The large symbol of the prompt on the panel."""
        return PICTOGRAMS.get(self.guidance, Pictogram.FACE)

    @property
    def arrow(self) -> str:
        """An arrow towards the side the volunteer is asked to turn to (their left is the screen's left)."""
        return {Guidance.TURN_LEFT: "←", Guidance.TURN_RIGHT: "→"}.get(self.guidance, "")


PICTOGRAMS = {
    Guidance.MOVE_CLOSER: Pictogram.COME_CLOSER,
    Guidance.TOO_DARK: Pictogram.TOO_DARK,
    Guidance.BACKLIT: Pictogram.BACKLIT,
    Guidance.ONE_AT_A_TIME: Pictogram.ONE_PERSON,
    Guidance.CHECKING: Pictogram.CHECKING,
    Guidance.TURN_LEFT: Pictogram.TURN_LEFT,
    Guidance.TURN_RIGHT: Pictogram.TURN_RIGHT,
    Guidance.USE_QR_CODE: Pictogram.QR_CODE,
    Guidance.NOT_RECOGNISED: Pictogram.QR_CODE,
    Guidance.NOT_CONFIRMED: Pictogram.QR_CODE,
}
"""The symbol per guidance; the others (look at the screen, hold still, look back) show a face."""

_REFUSALS = frozenset({Guidance.USE_QR_CODE, Guidance.NOT_RECOGNISED, Guidance.NOT_CONFIRMED})
_ACTIONS = frozenset({Guidance.TURN_LEFT, Guidance.TURN_RIGHT, Guidance.LOOK_BACK})


def face_prompt(update: FaceUpdate) -> FacePrompt | None:
    """The overlay for a session's update; ``None`` when there is nothing to show (no face, no gallery)."""
    if update.phase in (FacePhase.NO_GALLERY, FacePhase.WAITING):
        return None
    if update.phase is FacePhase.RESTING and update.box is None:
        return None
    if update.phase is FacePhase.IDENTIFIED:
        tone = PromptTone.SUCCESS
    elif update.guidance in _REFUSALS:
        tone = PromptTone.REFUSAL
    elif update.guidance in _ACTIONS:
        tone = PromptTone.ACTION
    else:
        tone = PromptTone.NEUTRAL
    progress = update.progress if update.guidance in (Guidance.TURN_LEFT, Guidance.TURN_RIGHT) else None
    return FacePrompt(update.guidance, tone, update.box, update.frame_size, progress)


def prompt_text(guidance: Guidance) -> str:
    """The words for one guidance, in the current language ("" for none)."""
    texts = {
        Guidance.MOVE_CLOSER: lambda: translate("FacePrompt", "Please come a little closer"),
        Guidance.TOO_DARK: lambda: translate("FacePrompt", "Too dark: please face the light"),
        Guidance.BACKLIT: lambda: translate(
            "FacePrompt", "Too much light behind you: please turn from the window"
        ),
        Guidance.LOOK_AT_SCREEN: lambda: translate("FacePrompt", "Please look at the screen"),
        Guidance.HOLD_STILL: lambda: translate("FacePrompt", "Please hold still"),
        Guidance.ONE_AT_A_TIME: lambda: translate("FacePrompt", "One person at a time, please"),
        Guidance.CHECKING: lambda: translate("FacePrompt", "Checking your face…"),
        Guidance.TURN_LEFT: lambda: translate("FacePrompt", "Please turn your head to your left"),
        Guidance.TURN_RIGHT: lambda: translate("FacePrompt", "Please turn your head to your right"),
        Guidance.LOOK_BACK: lambda: translate("FacePrompt", "Now look at the screen again"),
        Guidance.USE_QR_CODE: lambda: translate("FacePrompt", "Please use your QR code to check in"),
        Guidance.NOT_RECOGNISED: lambda: translate(
            "FacePrompt", "Face not recognised: please use your QR code"
        ),
        Guidance.NOT_CONFIRMED: lambda: translate(
            "FacePrompt", "Could not confirm it is you: please use your QR code"
        ),
    }
    text = texts.get(guidance)
    return text() if text is not None else ""


def prompt_hint(guidance: Guidance) -> str:
    """The line under a prompt on the panel: how to do it, or the QR code for a refusal ("" for none)."""
    if guidance in _REFUSALS:
        return translate(
            "FacePrompt", "Hold your volunteer card's QR code up to the camera, or use the scanner."
        )
    if guidance in (Guidance.TURN_LEFT, Guidance.TURN_RIGHT):
        return translate("FacePrompt", "Slowly, until the bar on the picture is full.")
    if guidance is Guidance.MOVE_CLOSER:
        return translate("FacePrompt", "About half a metre from the screen is best.")
    if guidance is Guidance.NONE:
        return ""
    return qr_line()


def qr_line() -> str:
    """The line that stays on the preview while face check-in is on: the QR code works too."""
    return translate("FacePrompt", "Or show your QR code")
