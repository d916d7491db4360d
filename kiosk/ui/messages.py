"""What the result card says for each outcome: words, figures, choices, icon, layout, tone and sound.

The services return enums; this module turns them into text through Qt's
translation (English source text, Chinese in ``resources/i18n``). Every
refusal says what happened and what to do next, and never accuses: a card
the kiosk cannot verify "cannot be verified" (the technical reason goes to
the log and the audit, not to the screen). Colour is never the only signal:
each view has a painted icon, a layout of its own for a check-in and a
check-out, and a sound. A length of time is written one way everywhere
(:func:`format_duration`: "2 h 15 min"), each figure on its own line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from PySide6.QtCore import QCoreApplication

from checkin_protocol.models import Action, Event, Method
from kiosk.services.outcome import Outcome, OutcomeKind, TotalSource
from kiosk.ui.widgets.pictograms import Pictogram

translate = QCoreApplication.translate  # lupdate finds translate("Result", "...") calls


class Tone(StrEnum):
    SUCCESS = "success"
    CHECK_OUT = "check_out"  # a success too, in its own colour: nobody takes a check-out for a check-in
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


PICTOGRAMS = {
    Tone.SUCCESS: Pictogram.CHECK_IN,
    Tone.CHECK_OUT: Pictogram.CHECK_OUT,
    Tone.INFO: Pictogram.INFO,
    Tone.WARNING: Pictogram.WARNING,
    Tone.ERROR: Pictogram.REFUSED,
}
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
    NOT_ME = "not_me"
    """A face check-in (or check-out) of someone else: undo it and ask for the QR code."""


class CardLayout(StrEnum):
    """How the card arranges what it says, so a check-in and a check-out differ at a glance."""

    WELCOME = "welcome"
    """A check-in: everything centred under a large tick, the time as one large figure."""
    RECEIPT = "receipt"
    """A check-out: the icon beside the word, then the visit's figures one per line."""
    NOTICE = "notice"
    """Anything else: the icon beside what happened, then what to do."""


@dataclass(frozen=True)
class Figure:
    """One figure on its own line: what it is, and its value (a time, a duration)."""

    label: str
    value: str


@dataclass(frozen=True)
class Choice:
    """A button on the card: what it does, its words, and whether it is the card's main action."""

    action: ResultAction
    label: str
    primary: bool = False


@dataclass(frozen=True)
class ResultView:
    """Everything the result card shows for one outcome."""

    tone: Tone
    title: str
    name: str = ""
    detail: str = ""
    next_step: str = ""
    choices: tuple[Choice, ...] = field(default=())
    sound: str = ""
    figures: tuple[Figure, ...] = field(default=())
    layout: CardLayout = CardLayout.NOTICE
    pictogram: Pictogram | None = None
    """The icon; ``None``: the tone's (a tick, a door, i, !, a cross)."""
    receipt_url: str = ""
    """A check-out's signed service receipt, as the URL its QR code holds (``""``: none)."""

    @property
    def icon(self) -> Pictogram:
        return self.pictogram or PICTOGRAMS[self.tone]

    @property
    def actions(self) -> tuple[ResultAction, ...]:
        return tuple(choice.action for choice in self.choices)


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
    # A card the kiosk cannot verify is not called forged in front of everyone: the log has the reason.
    "unknown_key": lambda: (
        translate("Result", "This volunteer card cannot be verified"),
        translate("Result", "Please ask the coordinator for help."),
    ),
    "not_provisioned": lambda: (
        translate("Result", "This kiosk cannot check cards yet"),
        translate("Result", "It is not connected to the platform yet. Please ask the coordinator."),
    ),
    "bad_signature": lambda: (
        translate("Result", "This volunteer card cannot be verified"),
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
    # A phone pass code (kiosk.services.pass_scan).
    "pass_stale": lambda: (
        translate("Result", "The code on your phone is out of date"),
        translate("Result", "Please refresh the check-in code on your phone."),
    ),
    "pass_replayed": lambda: (
        translate("Result", "This code has already been used"),
        translate(
            "Result",
            "If you just scanned it, you are recorded. If not, wait for the next code on your phone.",
        ),
    ),
    "pass_revoked": lambda: (
        translate("Result", "This phone pass is no longer in use"),
        translate("Result", "Please use the pass on your newest phone, or your volunteer card."),
    ),
    "pass_unknown": lambda: (
        translate("Result", "This kiosk does not know your phone pass yet"),
        translate("Result", "Please use your volunteer card this time."),
    ),
}


# A face is not a card: a volunteer refused as revoked by face is not told to use a newer card.
_FACE_REASONS: dict[str, Callable[[], tuple[str, str]]] = {
    "card_revoked": lambda: (
        translate("Result", "Face check-in is not available for you"),
        translate("Result", "Please ask the coordinator for help."),
    ),
}


def format_duration(seconds: int) -> str:
    """2 h 15 min, 134 h 30 min, 45 min: the one way the card writes a length of time."""
    hours, minutes = divmod(max(0, seconds) // 60, 60)
    if hours:
        return translate("Result", "%1 h %2 min").replace("%1", str(hours)).replace("%2", str(minutes))
    return translate("Result", "%1 min").replace("%1", str(minutes))


def _month_name(month: int) -> str:
    """A month's short name ("Dec"; in Chinese "12月"), for a date on the card."""
    names = (
        translate("Result", "Jan"),
        translate("Result", "Feb"),
        translate("Result", "Mar"),
        translate("Result", "Apr"),
        translate("Result", "May"),
        translate("Result", "Jun"),
        translate("Result", "Jul"),
        translate("Result", "Aug"),
        translate("Result", "Sep"),
        translate("Result", "Oct"),
        translate("Result", "Nov"),
        translate("Result", "Dec"),
    )
    return names[month - 1]


def total_label(outcome: Outcome) -> str:
    """What the total figure is: the platform's ("Total so far"), as of an old date, or this kiosk's alone.

    The date is the kiosk's local date of ``total_as_of``, on a line of its
    own under the label (the figure's column stays wide enough for the value
    on a small screen); its year is written only when it is not the year of
    the check-out (or scan) shown.
    """
    if outcome.total_source is TotalSource.KIOSK:
        return translate("Result", "Total at this kiosk")
    as_of = outcome.total_as_of
    if as_of is None:
        return translate("Result", "Total so far")
    this_year = outcome.event is None or outcome.event.clock.local.year == as_of.year
    if this_year:
        label = translate("Result", "Total so far\n(as of %1 %2)")
    else:
        label = translate("Result", "Total so far\n(as of %1 %2 %3)").replace("%3", str(as_of.year))
    return label.replace("%1", str(as_of.day)).replace("%2", _month_name(as_of.month))


def _total_figure(outcome: Outcome) -> Figure:
    return Figure(total_label(outcome), format_duration(outcome.total_seconds or 0))


def _clock(event: Event | None) -> str:
    return event.clock.local.strftime("%H:%M") if event is not None else ""


def _by_face_line(event: Event | None) -> str:
    """A check-in or check-out the kiosk screen made from a face says so (the volunteer can tell)."""
    return (
        translate("Result", "Recognised by face") if event is not None and event.method is Method.FACE else ""
    )


def _not_me(event: Event | None) -> tuple[Choice, ...]:
    """A face may be taken for someone else's: their card offers "Not me"."""
    if event is None or event.method is not Method.FACE:
        return ()
    return (Choice(ResultAction.NOT_ME, translate("Result", "Not me")),)


# A phone pass is not a card: a refusal of its code speaks of the phone.
_PASS_REASONS: dict[str, Callable[[], tuple[str, str]]] = {
    "bad_signature": lambda: (
        translate("Result", "The code on this phone cannot be verified"),
        translate("Result", "Please ask the coordinator for help."),
    ),
    "malformed": lambda: (
        translate("Result", "The code could not be read"),
        translate("Result", "Hold the phone still in the frame and try again."),
    ),
    # Every card of the volunteer revoked, or the volunteer inactive: not a matter of a newer card.
    "card_revoked": lambda: (
        translate("Result", "You cannot check in with this phone pass"),
        translate("Result", "Please ask the coordinator for help."),
    ),
}


def result_view(outcome: Outcome, method: Method | None = None, *, pass_code: bool = False) -> ResultView:
    """The card for an outcome (``CHOOSE_ACTIVITY`` is handled by its own screen).

    ``method`` is how the request was made (a face identification refused
    for a revoked volunteer is told so in words that fit a face, not a card);
    ``pass_code``: the scan was a phone pass code (its refusals speak of the phone).
    """
    name = outcome.display_name or ""
    kind = outcome.kind
    if kind is OutcomeKind.CHECKED_IN:
        return ResultView(
            Tone.SUCCESS,
            translate("Result", "Checked in"),
            name,
            _by_face_line(outcome.event),
            translate("Result", "Welcome! Thank you for serving."),
            _not_me(outcome.event),
            "success",
            (Figure(translate("Result", "Check-in time"), _clock(outcome.event)),),
            CardLayout.WELCOME,
        )
    if kind is OutcomeKind.CHECKED_OUT:
        figures = (
            Figure(translate("Result", "Check-out time"), _clock(outcome.event)),
            Figure(translate("Result", "This visit"), format_duration(outcome.visit_seconds or 0)),
            _total_figure(outcome),
        )
        return ResultView(
            Tone.CHECK_OUT,
            translate("Result", "Checked out"),
            name,
            _by_face_line(outcome.event),
            translate("Result", "Thank you! See you next time."),
            _not_me(outcome.event),
            "checkout",
            figures,
            CardLayout.RECEIPT,
        )
    if kind is OutcomeKind.DUPLICATE and outcome.previous is not None:
        return _duplicate_view(outcome, outcome.previous)
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
            layout=CardLayout.WELCOME,
        )
    reasons = _FACE_REASONS if method is Method.FACE else _PASS_REASONS if pass_code else {}
    what, next_step = {**_REASONS, **reasons}.get(
        outcome.reason or "",
        lambda: (
            translate("Result", "Not recorded"),
            translate("Result", "Please ask the coordinator for help."),
        ),
    )()
    tone = Tone.ERROR
    return ResultView(tone, what, name, "", next_step, (), SOUNDS[tone])


def _duplicate_view(outcome: Outcome, previous: Event) -> ResultView:
    """Scanned again soon: the choices say what each does ("undo the 09:00 check-in", "check out now")."""
    when = _clock(previous)
    if previous.action is Action.CHECK_IN:
        detail = translate("Result", "Already checked in at %1").replace("%1", when)
        choices: tuple[Choice, ...] = (
            Choice(ResultAction.CHECK_OUT_NOW, translate("Result", "Check out now"), primary=True),
            Choice(ResultAction.UNDO, translate("Result", "Undo the %1 check-in").replace("%1", when)),
        )
    else:
        detail = translate("Result", "Already checked out at %1").replace("%1", when)
        choices = (
            Choice(ResultAction.UNDO, translate("Result", "Undo the %1 check-out").replace("%1", when)),
        )
    return ResultView(
        Tone.INFO,
        translate("Result", "Already recorded"),
        outcome.display_name or "",
        detail,
        translate("Result", "Scanned twice by mistake? Then there is nothing else to do."),
        choices,
        "notice",
    )


def not_me_view(outcome: Outcome) -> ResultView:
    """After "Not me" undid a face check-in (or check-out): nothing is recorded, the QR code works."""
    if outcome.kind is not OutcomeKind.UNDONE:
        return result_view(outcome)  # too late, or not saved: the refusal says so
    checked_out = outcome.previous is not None and outcome.previous.action is Action.CHECK_OUT
    if checked_out:
        title = translate("Result", "Please scan your volunteer card's QR code")
        detail = translate("Result", "The check-out by face was cancelled.")
    else:
        title = translate("Result", "Please check in with your volunteer card's QR code")
        detail = translate("Result", "The check-in by face was cancelled.")
    return ResultView(
        Tone.INFO,
        title,
        "",
        detail,
        translate("Result", "Hold it up to the camera, or use the barcode scanner."),
        (),
        "notice",
        pictogram=Pictogram.QR_CODE,
    )
