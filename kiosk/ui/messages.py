"""What the result card says for each outcome: words, icon, tone and sound.

The services return enums; this module turns them into text through Qt's
translation (English source text, Chinese in ``resources/i18n``). Every
refusal says what happened and what to do next. Colour is never the only
signal: each view has an icon glyph and a sound as well.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from PySide6.QtCore import QCoreApplication

from checkin_protocol.models import Action, Method
from kiosk.services.outcome import Outcome, OutcomeKind

translate = QCoreApplication.translate  # lupdate finds translate("Result", "...") calls


class Tone(StrEnum):
    SUCCESS = "success"
    CHECK_OUT = "check_out"  # a success too, in its own colour: nobody takes a check-out for a check-in
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


ICONS = {Tone.SUCCESS: "✔", Tone.CHECK_OUT: "✔", Tone.INFO: "ℹ", Tone.WARNING: "!", Tone.ERROR: "✖"}
SOUNDS = {
    Tone.SUCCESS: "success",
    Tone.CHECK_OUT: "checkout",
    Tone.INFO: "notice",
    Tone.WARNING: "notice",
    Tone.ERROR: "error",
}


class ResultAction(StrEnum):
    UNDO = "undo"
    CHECK_OUT_NOW = "check_out_now"


@dataclass(frozen=True)
class ResultView:
    """Everything the result card shows for one outcome."""

    tone: Tone
    title: str
    name: str = ""
    detail: str = ""
    next_step: str = ""
    actions: tuple[ResultAction, ...] = field(default=())
    sound: str = ""

    @property
    def icon(self) -> str:
        return ICONS[self.tone]


# (what happened, what to do now) per reason; lambdas so the text is translated when shown.
_REASONS: dict[str, Callable[[], tuple[str, str]]] = {
    "foreign": lambda: (
        translate("Result", "Not a volunteer code"),
        translate("Result", "Please show your volunteer card's QR code."),
    ),
    "malformed": lambda: (
        translate("Result", "The code could not be read"),
        translate("Result", "Hold the card still in the frame and try again."),
    ),
    "unsupported_version": lambda: (
        translate("Result", "This code is newer than this kiosk"),
        translate("Result", "Please ask the coordinator to update the kiosk."),
    ),
    "unknown_key": lambda: (
        translate("Result", "This code was not issued by our platform"),
        translate("Result", "Please ask the coordinator for help."),
    ),
    "not_provisioned": lambda: (
        translate("Result", "This kiosk cannot check cards yet"),
        translate("Result", "It is not connected to the platform yet. Please ask the coordinator."),
    ),
    "bad_signature": lambda: (
        translate("Result", "This code is not genuine"),
        translate("Result", "Please ask the coordinator for help."),
    ),
    "expired": lambda: (
        translate("Result", "This card has expired"),
        translate("Result", "Please renew your card on the volunteer platform."),
    ),
    "revoked": lambda: (
        translate("Result", "This card has been cancelled"),
        translate("Result", "Please use your newest card."),
    ),
    "card_revoked": lambda: (
        translate("Result", "This card has been cancelled"),
        translate("Result", "Please use your newest card."),
    ),
    "wrong_kind": lambda: (
        translate("Result", "Not a volunteer code"),
        translate("Result", "Please show your volunteer card's QR code."),
    ),
    "activity_not_open": lambda: (
        translate("Result", "This activity is not open yet"),
        translate("Result", "Please ask the coordinator to open it."),
    ),
    "activity_closed": lambda: (
        translate("Result", "This activity has ended"),
        translate("Result", "Please ask the coordinator for help."),
    ),
    "before_checkin_window": lambda: (
        translate("Result", "Check-in has not started yet"),
        translate("Result", "Please come back when check-in opens."),
    ),
    "after_checkin_window": lambda: (
        translate("Result", "Check-in has closed"),
        translate("Result", "Please ask the coordinator for help."),
    ),
    "not_signed_up": lambda: (
        translate("Result", "You are not on the sign-up list"),
        translate("Result", "Please sign up on the volunteer platform or ask the coordinator."),
    ),
    "capacity_reached": lambda: (
        translate("Result", "This activity is full"),
        translate("Result", "Please ask the coordinator for help."),
    ),
    "no_open_activity": lambda: (
        translate("Result", "No activity is open"),
        translate("Result", "Please ask the coordinator to scan the activity code."),
    ),
    "unknown_activity": lambda: (
        translate("Result", "Unknown activity"),
        translate("Result", "Please ask the coordinator for help."),
    ),
    "not_checked_in": lambda: (
        translate("Result", "You are not checked in"),
        translate("Result", "Scan your card to check in."),
    ),
    "storage_full": lambda: (
        translate("Result", "NOT saved: the kiosk's storage is full"),
        translate("Result", "Your scan was not recorded. Please tell the coordinator."),
    ),
    "storage_error": lambda: (
        translate("Result", "NOT saved: the kiosk could not store this"),
        translate("Result", "Your scan was not recorded. Please tell the coordinator."),
    ),
    "too_late": lambda: (
        translate("Result", "Too late to undo"),
        translate("Result", "Please ask the coordinator to correct it."),
    ),
    "already_undone": lambda: (translate("Result", "Already undone"), ""),
    "not_latest": lambda: (translate("Result", "Only the latest scan can be undone"), ""),
    "not_undoable": lambda: (
        translate("Result", "This cannot be undone"),
        translate("Result", "Please ask the coordinator to correct it."),
    ),
    "unknown_event": lambda: (translate("Result", "Nothing to undo"), ""),
}


# A face is not a card: a volunteer refused as revoked by face is not told to use a newer card.
_FACE_REASONS: dict[str, Callable[[], tuple[str, str]]] = {
    "card_revoked": lambda: (
        translate("Result", "Face check-in is not available for you"),
        translate("Result", "Please ask the coordinator for help."),
    ),
}


def format_duration(seconds: int) -> str:
    """2 h 15 min, 45 min."""
    hours, minutes = divmod(max(0, seconds) // 60, 60)
    if hours:
        return translate("Result", "%1 h %2 min").replace("%1", str(hours)).replace("%2", str(minutes))
    return translate("Result", "%1 min").replace("%1", str(minutes))


def format_hours(seconds: int) -> str:
    return translate("Result", "%1 h").replace("%1", f"{seconds / 3600:.1f}")


def _by_face(detail: str) -> str:
    """A check-in or check-out the kiosk screen made from a face says so (the volunteer can tell)."""
    return translate("Result", "%1 (recognised by face)").replace("%1", detail)


def result_view(outcome: Outcome, method: Method | None = None) -> ResultView:
    """The card for an outcome (``CHOOSE_ACTIVITY`` is handled by its own screen).

    ``method`` is how the request was made (a face identification refused
    for a revoked volunteer is told so in words that fit a face, not a card).
    """
    name = outcome.display_name or ""
    at = outcome.event.clock.local.strftime("%H:%M") if outcome.event else ""
    by_face = outcome.event is not None and outcome.event.method is Method.FACE
    kind = outcome.kind
    if kind is OutcomeKind.CHECKED_IN:
        detail = translate("Result", "Checked in at %1").replace("%1", at)
        if by_face:
            detail = _by_face(detail)
        return ResultView(
            Tone.SUCCESS,
            translate("Result", "Checked in"),
            name,
            detail,
            translate("Result", "Welcome! Thank you for serving."),
            (),
            "success",
        )
    if kind is OutcomeKind.CHECKED_OUT:
        detail = (
            translate("Result", "Checked out at %1, visit %2, total %3")
            .replace("%1", at)
            .replace("%2", format_duration(outcome.visit_seconds or 0))
            .replace("%3", format_hours(outcome.total_seconds or 0))
        )
        if by_face:
            detail = _by_face(detail)
        return ResultView(
            Tone.CHECK_OUT,
            translate("Result", "Checked out"),
            name,
            detail,
            translate("Result", "Thank you! See you next time."),
            (),
            "checkout",
        )
    if kind is OutcomeKind.DUPLICATE and outcome.previous is not None:
        when = outcome.previous.clock.local.strftime("%H:%M")
        if outcome.previous.action is Action.CHECK_IN:
            detail = translate("Result", "Already checked in at %1").replace("%1", when)
            actions: tuple[ResultAction, ...] = (ResultAction.UNDO, ResultAction.CHECK_OUT_NOW)
        else:
            detail = translate("Result", "Already checked out at %1").replace("%1", when)
            actions = (ResultAction.UNDO,)
        return ResultView(
            Tone.INFO,
            translate("Result", "Already recorded"),
            name,
            detail,
            translate("Result", "Nothing else to do."),
            actions,
            "notice",
        )
    if kind is OutcomeKind.UNDONE:
        return ResultView(
            Tone.INFO,
            translate("Result", "Undone"),
            name,
            translate("Result", "The last scan was cancelled."),
            "",
            (),
            "notice",
        )
    if kind is OutcomeKind.ACTIVITY_OPENED:
        return ResultView(
            Tone.SUCCESS,
            translate("Result", "Activity open"),
            "",
            translate("Result", "Volunteers can check in now."),
            "",
            (),
            "success",
        )
    reasons = _FACE_REASONS if method is Method.FACE else {}
    what, next_step = {**_REASONS, **reasons}.get(
        outcome.reason or "",
        lambda: (
            translate("Result", "Not recorded"),
            translate("Result", "Please ask the coordinator for help."),
        ),
    )()
    tone = Tone.ERROR
    return ResultView(tone, what, name, "", next_step, (), SOUNDS[tone])
