"""Service time: from two clock readings to credited seconds.

All results are whole seconds and never negative. Rounding works on whole
seconds (fractions are dropped first), so ties are exact: with a 5-minute step
and :attr:`~checkin_protocol.policy.RoundingMode.NEAREST`, 7 min 30 s becomes
10 min and 7 min 29.9 s becomes 5 min (half up).
"""

from __future__ import annotations

import math

from checkin_protocol.models import Event
from checkin_protocol.policy import AttendancePolicy, RoundingMode, RoundingPolicy


def round_seconds(seconds: float, rounding: RoundingPolicy) -> int:
    """Round a duration to the policy's step; negative durations become 0."""
    if seconds <= 0 or math.isnan(seconds):
        return 0
    whole = math.floor(seconds)
    step = rounding.step_seconds
    if step == 0:
        return whole
    if rounding.mode is RoundingMode.NEAREST:
        return (whole + step // 2) // step * step
    return whole // step * step


def credited_seconds(raw_seconds: float, policy: AttendancePolicy) -> int:
    """The seconds a visit of ``raw_seconds`` credits: rounded, then capped, never negative."""
    return min(round_seconds(raw_seconds, policy.rounding), policy.cap_per_visit_s)


def visit_raw_seconds(check_in: Event, check_out: Event) -> float:
    """Elapsed seconds between a check-in and its check-out, as the clocks tell.

    Within one boot this is the monotonic difference, so a wall-clock jump or a
    visit across midnight changes nothing; across a reboot only the wall clock
    is left. The result may be negative when the wall clock went back across a
    reboot; :func:`credited_seconds` turns that into 0.
    """
    return check_out.clock.seconds_since(check_in.clock)


def hours(seconds: float) -> float:
    """Seconds as hours, unrounded (how many decimals to show is for the UI)."""
    return seconds / 3600
