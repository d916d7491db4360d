"""What a scan means: check in, check out, a duplicate, or a refusal.

:func:`decide` turns one recognised scan into a :class:`Decision`; the service
writes an event only for ``CHECK_IN`` and ``CHECK_OUT``. :func:`can_undo` says
whether an earlier event may still be undone. Both return enums, never text.

Negative elapsed time. Within one boot the monotonic clock never goes back, but
across a reboot only the wall clock is left, and it may have been set back.
A scan that seems to come *before* the last event is then treated as outside
every window (not a duplicate, not undoable), except within
:data:`NEGATIVE_ELAPSED_SLACK_S` of it, which only absorbs wall-clock jitter.
Otherwise a clock set back by an hour would turn every scan for an hour into
a "duplicate" and lock the volunteer out; the visit this produces is flagged
for review by the visit derivation instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from checkin_protocol.models import Action, Activity, ActivityStatus, ClockReading, Event, Method
from checkin_protocol.policy import AttendancePolicy
from kiosk.domain.auto_close import auto_close_due

NEGATIVE_ELAPSED_SLACK_S = 2.0
"""How far before an earlier event a reading may seem to be and still count as "just after" it."""


class DecisionKind(StrEnum):
    """The outcome of a scan."""

    CHECK_IN = "check_in"
    CHECK_OUT = "check_out"
    DUPLICATE = "duplicate"  # the same card again right after its last event: nothing to write
    REFUSED = "refused"


class RefusalReason(StrEnum):
    """Why a scan was refused."""

    CARD_REVOKED = "card_revoked"
    ACTIVITY_NOT_OPEN = "activity_not_open"  # scheduled, not opened on this kiosk yet
    ACTIVITY_CLOSED = "activity_closed"  # closed, or past the end plus the auto-close grace
    BEFORE_CHECKIN_WINDOW = "before_checkin_window"
    AFTER_CHECKIN_WINDOW = "after_checkin_window"
    NOT_SIGNED_UP = "not_signed_up"
    CAPACITY_REACHED = "capacity_reached"


class UndoRefusal(StrEnum):
    """Why an event cannot be undone."""

    TOO_LATE = "too_late"
    ALREADY_UNDONE = "already_undone"
    NOT_LATEST = "not_latest"
    NOT_UNDOABLE = "not_undoable"  # undo events and auto-close events


@dataclass(frozen=True, slots=True)
class ScanContext:
    """Everything :func:`decide` needs to know about one scan.

    ``last_event`` is this volunteer's latest effective check-in or check-out
    at this activity (not undone, not an undo), or ``None``. ``on_site_count``
    is how many volunteers are checked in at the activity right now.
    ``last_recorded`` is when that event was written, if not at its own
    reading (a coordinator entered an earlier time by hand): the duplicate
    window runs from when it was written.
    """

    volunteer_id: str
    activity: Activity
    now: ClockReading
    last_event: Event | None
    card_revoked: bool = False
    signed_up: bool = False
    on_site_count: int = 0
    last_recorded: ClockReading | None = None


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome of :func:`decide`.

    ``reason`` is set only for ``REFUSED``. ``previous`` is the check-in being
    closed for ``CHECK_OUT``, and the event scanned again for ``DUPLICATE``;
    otherwise ``None``.
    """

    kind: DecisionKind
    reason: RefusalReason | None = None
    previous: Event | None = None

    @property
    def action(self) -> Action | None:
        """The event action to write, or ``None`` when nothing is written."""
        if self.kind is DecisionKind.CHECK_IN:
            return Action.CHECK_IN
        if self.kind is DecisionKind.CHECK_OUT:
            return Action.CHECK_OUT
        return None


def _refuse(reason: RefusalReason) -> Decision:
    return Decision(DecisionKind.REFUSED, reason=reason)


def within_window(now: ClockReading, earlier: ClockReading, window_s: float) -> bool:
    """Whether ``now`` is less than ``window_s`` seconds after ``earlier``.

    Elapsed time comes from :meth:`ClockReading.seconds_since`. A negative
    elapsed time counts as inside only within :data:`NEGATIVE_ELAPSED_SLACK_S`.
    """
    elapsed = now.seconds_since(earlier)
    return -NEGATIVE_ELAPSED_SLACK_S <= elapsed < window_s


def _check_last_event(ctx: ScanContext) -> None:
    last = ctx.last_event
    if last is None:
        return
    if last.action is Action.UNDO:
        raise ValueError("last_event must be a check-in or check-out, not an undo")
    if last.volunteer_id != ctx.volunteer_id or last.activity_id != ctx.activity.activity_id:
        raise ValueError("last_event belongs to another volunteer or activity")


def decide(ctx: ScanContext, policy: AttendancePolicy) -> Decision:
    """Decide what a recognised volunteer's scan at an activity means.

    In order: a revoked card is refused; an activity that is not open, closed,
    or past its end plus the auto-close grace is refused. If the last event is
    recent (within ``duplicate_window_s``) the scan is a duplicate. After a
    check-in the scan is a check-out, allowed even after the check-in window
    and the scheduled end (until auto-close). Otherwise it is a check-in, which
    must fall within the check-in window (wall time, opens inclusive, closes
    exclusive), have a sign-up when the activity needs one, and find room.
    """
    _check_last_event(ctx)
    activity = ctx.activity
    now = ctx.now
    if ctx.card_revoked:
        return _refuse(RefusalReason.CARD_REVOKED)
    if activity.status is ActivityStatus.CLOSED:
        return _refuse(RefusalReason.ACTIVITY_CLOSED)
    if activity.status is ActivityStatus.SCHEDULED:
        return _refuse(RefusalReason.ACTIVITY_NOT_OPEN)
    if auto_close_due(activity, now, policy):
        return _refuse(RefusalReason.ACTIVITY_CLOSED)

    last = ctx.last_event
    if last is not None:
        if within_window(now, ctx.last_recorded or last.clock, policy.duplicate_window_s):
            return Decision(DecisionKind.DUPLICATE, previous=last)
        if last.action is Action.CHECK_IN:
            return Decision(DecisionKind.CHECK_OUT, previous=last)

    if now.wall_utc < activity.checkin_opens_at:
        return _refuse(RefusalReason.BEFORE_CHECKIN_WINDOW)
    if now.wall_utc >= activity.checkin_closes_at:
        return _refuse(RefusalReason.AFTER_CHECKIN_WINDOW)
    if activity.signup_required and not ctx.signed_up:
        return _refuse(RefusalReason.NOT_SIGNED_UP)
    if activity.capacity is not None and ctx.on_site_count >= activity.capacity:
        return _refuse(RefusalReason.CAPACITY_REACHED)
    return Decision(DecisionKind.CHECK_IN)


def is_undoable(event: Event) -> bool:
    """Whether an event is of a kind that can ever be undone (not an undo, not an auto-close)."""
    return event.action is not Action.UNDO and not event.auto_closed and event.method is not Method.AUTO


def can_undo(
    target: Event,
    now: ClockReading,
    policy: AttendancePolicy,
    already_undone: bool,
    is_latest: bool,
) -> UndoRefusal | None:
    """Why ``target`` cannot be undone now, or ``None`` if it can.

    ``is_latest`` says whether ``target`` is still the volunteer's latest
    effective event at its activity (undoing an older one would leave the
    visits inconsistent). The undo window is measured like the duplicate
    window, so a reading that seems to be before the target (clock set back
    across a reboot) is too late.
    """
    if not is_undoable(target):
        return UndoRefusal.NOT_UNDOABLE
    if already_undone:
        return UndoRefusal.ALREADY_UNDONE
    if not is_latest:
        return UndoRefusal.NOT_LATEST
    elapsed = now.seconds_since(target.clock)
    if not -NEGATIVE_ELAPSED_SLACK_S <= elapsed <= policy.undo_window_s:
        return UndoRefusal.TOO_LATE
    return None
