"""Closing forgotten check-outs when an activity is over.

When the wall clock passes the scheduled end plus the grace period, the kiosk
writes a check-out for every volunteer still on site. These functions decide
*when* and *how much credit*; the service writes the events (method AUTO,
``auto_closed=True``, ``credit_seconds`` set) and the visit derivation then
applies rounding and the cap and flags the visits for review.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from checkin_protocol.models import Action, Activity, ClockReading, Event
from checkin_protocol.policy import AttendancePolicy, AutoCloseMode


@dataclass(frozen=True, slots=True)
class AutoCloseItem:
    """One check-out to write: close ``check_in`` and credit ``credit_seconds``."""

    check_in: Event
    credit_seconds: int


def auto_close_at(activity: Activity, policy: AttendancePolicy) -> datetime:
    """The wall time (UTC) from which the activity's open visits are closed."""
    return activity.ends_at + timedelta(minutes=policy.auto_close_grace_min)


def auto_close_due(activity: Activity, now: ClockReading, policy: AttendancePolicy) -> bool:
    """Whether the scheduled end plus the grace period has passed on the wall clock."""
    return now.wall_utc >= auto_close_at(activity, policy)


def _seconds_until_end(activity: Activity, check_in: Event) -> int:
    # The check-in's wall time may be off if the clock was wrong then; the
    # visit derivation flags clock jumps, so we take the wall time as written.
    remaining = (activity.ends_at - check_in.clock.wall_utc).total_seconds()
    return max(0, math.floor(remaining))


def plan_auto_close(
    activity: Activity, open_check_ins: Sequence[Event], policy: AttendancePolicy
) -> list[AutoCloseItem]:
    """The check-outs to write for the check-ins still open at ``activity``.

    - ``SCHEDULED_END``: credit from the check-in to the scheduled end
      (0 if the check-in was after the end).
    - ``NOTHING``: credit 0.
    - ``FIXED``: credit ``auto_close_fixed_min``, but never beyond the scheduled end.

    Raises :class:`ValueError` if an event is not a check-in at this activity.
    """
    items: list[AutoCloseItem] = []
    for check_in in open_check_ins:
        if check_in.action is not Action.CHECK_IN or check_in.activity_id != activity.activity_id:
            raise ValueError(f"event {check_in.event_id} is not a check-in at {activity.activity_id}")
        until_end = _seconds_until_end(activity, check_in)
        if policy.auto_close_mode is AutoCloseMode.SCHEDULED_END:
            credit = until_end
        elif policy.auto_close_mode is AutoCloseMode.NOTHING:
            credit = 0
        else:
            credit = min(policy.auto_close_fixed_min * 60, until_end)
        items.append(AutoCloseItem(check_in=check_in, credit_seconds=credit))
    return items
