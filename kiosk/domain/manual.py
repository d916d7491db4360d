"""Times a coordinator enters by hand: which are allowed, and the clock reading they get.

A coordinator signs a volunteer in at 9:00 at 9:20 (the phone died), or
checks out at 12:00 someone who forgot at 15:00, or corrects a forgotten
check-out the next day. Such an event says when it *happened*, not when it
was typed: its :class:`ClockReading` is derived from a reading the kiosk
really took (:func:`reading_at`), so the visit's length comes out right from
the monotonic clock as for a scanned event. When it was typed, by whom and
why are kept beside it (``event_notes``, the audit log).

Bounds (:func:`check_in_problem`, :func:`check_out_problem`): never in the
future; a check-in not before the activity's check-in window opens and not
after it ends; a check-out not before its check-in.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from checkin_protocol.models import Activity, ClockReading

#: Boot ID suffix of a reading that lies before the boot of its reference reading.
BEFORE_BOOT_SUFFIX = "/before"
MAX_BOOT_ID = 64  # the sync protocol's limit


class ManualTimeProblem(StrEnum):
    """Why a time entered by hand is refused."""

    IN_FUTURE = "in_future"  # later than now
    BEFORE_CHECKIN_OPENS = "before_checkin_opens"  # a check-in before the activity's window opens
    AFTER_ACTIVITY_END = "after_activity_end"  # a check-in after the activity ended
    BEFORE_CHECK_IN = "before_check_in"  # a check-out before the visit's check-in
    AFTER_LIMIT = "after_limit"  # later than the latest allowed (e.g. when the kiosk closed the visit)


def check_in_problem(at: datetime, activity: Activity, now: datetime) -> ManualTimeProblem | None:
    """Whether ``at`` (UTC) is a time a volunteer can have arrived at ``activity``; None when it is."""
    if at > now:
        return ManualTimeProblem.IN_FUTURE
    if at < activity.checkin_opens_at:
        return ManualTimeProblem.BEFORE_CHECKIN_OPENS
    if at > activity.ends_at:
        return ManualTimeProblem.AFTER_ACTIVITY_END
    return None


def check_out_problem(
    at: datetime, check_in_at: datetime, now: datetime, latest: datetime | None = None
) -> ManualTimeProblem | None:
    """Whether ``at`` (UTC) can end a visit that began at ``check_in_at``; None when it can.

    ``latest``, when given, is a further upper bound (the moment the kiosk
    closed a forgotten check-out: the volunteer had left by then).
    """
    if at > now:
        return ManualTimeProblem.IN_FUTURE
    if at < check_in_at:
        return ManualTimeProblem.BEFORE_CHECK_IN
    if latest is not None and at > latest:
        return ManualTimeProblem.AFTER_LIMIT
    return None


def reading_at(at: datetime, reference: ClockReading) -> ClockReading:
    """The reading the clocks would have shown at ``at``, derived from a real ``reference`` reading.

    Same boot and UTC offset as ``reference``, the monotonic clock moved by
    ``at - reference.wall_utc``, so a visit between this reading and
    ``reference`` (or another reading derived from it) lasts exactly the wall
    difference. A time before the boot began (a negative monotonic reading)
    gets the boot ID with :data:`BEFORE_BOOT_SUFFIX` and monotonic 0: other
    boots are compared by wall time.
    """
    shift_ns = round((at - reference.wall_utc) / timedelta(microseconds=1)) * 1000
    monotonic_ns = reference.monotonic_ns + shift_ns
    if monotonic_ns < 0:
        boot = reference.boot_id
        if not boot.endswith(BEFORE_BOOT_SUFFIX):
            boot = boot[: MAX_BOOT_ID - len(BEFORE_BOOT_SUFFIX)] + BEFORE_BOOT_SUFFIX
        return ClockReading(at, reference.utc_offset_min, 0, boot)
    return ClockReading(at, reference.utc_offset_min, monotonic_ns, reference.boot_id)


def leave_time_choices(check_in: datetime, closed: datetime, most: int = 8) -> list[datetime]:
    """Times to offer a volunteer asked "when did you leave?": on the hour (or half hour) in between.

    From the first whole hour at least 30 minutes after ``check_in`` up to
    ``closed`` (when the kiosk closed the visit); half hours when that gives
    fewer than three choices; at most ``most``, evenly picked. Times keep the
    time zone of ``check_in``.
    """
    for step_min in (60, 30, 15):
        step = timedelta(minutes=step_min)
        first = check_in + timedelta(minutes=30)
        start = first.replace(minute=0, second=0, microsecond=0)
        while start < first:
            start += step
        times = []
        moment = start
        while moment <= closed:
            times.append(moment)
            moment += step
        if len(times) >= 3:
            break
    if len(times) > most:
        picks = [round(i * (len(times) - 1) / (most - 1)) for i in range(most)]
        times = [times[i] for i in picks]
    return times
