"""Service time: rounding, the cap, and durations across midnight and clock jumps."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from checkin_protocol.hours import credited_seconds, hours, round_seconds, visit_raw_seconds
from checkin_protocol.models import Action, ClockReading, Event, Method, utc
from checkin_protocol.policy import AttendancePolicy, RoundingMode, RoundingPolicy

DOWN = RoundingMode.DOWN
NEAREST = RoundingMode.NEAREST


def _min(minutes: float) -> float:
    return minutes * 60


@pytest.mark.parametrize(
    ("seconds", "step", "mode", "expected"),
    [
        # no rounding: whole seconds, fractions dropped
        (_min(7.5), 0, DOWN, 450),
        (450.9, 0, NEAREST, 450),
        # 1-minute steps
        (_min(7) + 29, 1, DOWN, _min(7)),
        (_min(7) + 29, 1, NEAREST, _min(7)),
        (_min(7) + 30, 1, NEAREST, _min(8)),  # half up
        (_min(7) + 59.9, 1, DOWN, _min(7)),
        # 5-minute steps: 7 min 30 s is the tie
        (_min(7.5), 5, DOWN, _min(5)),
        (_min(7.5), 5, NEAREST, _min(10)),
        (_min(7.5) - 0.1, 5, NEAREST, _min(5)),
        (_min(10), 5, DOWN, _min(10)),
        (_min(2), 5, NEAREST, 0),
        # 10-minute steps
        (_min(14) + 59, 10, DOWN, _min(10)),
        (_min(14) + 59, 10, NEAREST, _min(10)),
        (_min(15), 10, NEAREST, _min(20)),
        # 15-minute steps
        (_min(52.5), 15, NEAREST, _min(60)),
        (_min(52.5), 15, DOWN, _min(45)),
        (_min(59), 15, DOWN, _min(45)),
        # nothing or less
        (0, 15, NEAREST, 0),
        (-_min(30), 15, NEAREST, 0),
        (-1, 0, DOWN, 0),
    ],
)
def test_rounding_table(seconds: float, step: int, mode: RoundingMode, expected: float) -> None:
    assert round_seconds(seconds, RoundingPolicy(step_min=step, mode=mode)) == expected


def test_rounding_of_nan_is_zero() -> None:
    assert round_seconds(float("nan"), RoundingPolicy()) == 0


def test_credit_is_capped_after_rounding() -> None:
    policy = AttendancePolicy(cap_per_visit_min=60, rounding=RoundingPolicy(15, NEAREST))
    assert credited_seconds(_min(59), policy) == _min(60)
    assert credited_seconds(_min(70), policy) == _min(60)  # rounds to 75, capped to 60
    assert credited_seconds(_min(500), policy) == _min(60)


def test_negative_time_credits_nothing() -> None:
    assert credited_seconds(-3600, AttendancePolicy()) == 0


def test_hours_is_seconds_over_3600() -> None:
    assert hours(5400) == 1.5
    assert hours(0) == 0


def _event(seq: int, action: Action, wall: datetime, mono_s: float, boot: str = "b1") -> Event:
    clock = ClockReading(wall_utc=wall, utc_offset_min=480, monotonic_ns=int(mono_s * 1e9), boot_id=boot)
    return Event(f"e{seq}", "k1", seq, "v1", "a1", action, Method.QR, clock)


def test_visit_across_midnight_is_four_hours() -> None:
    # 22:00 -> 02:00 local (UTC+8)
    check_in = _event(1, Action.CHECK_IN, utc(2025, 3, 1, 14), 1000)
    check_out = _event(2, Action.CHECK_OUT, utc(2025, 3, 1, 18), 1000 + 4 * 3600)
    assert visit_raw_seconds(check_in, check_out) == 4 * 3600


def test_wall_clock_jump_within_a_boot_does_not_change_the_duration() -> None:
    start = utc(2025, 3, 1, 1)
    check_in = _event(1, Action.CHECK_IN, start, 50)
    check_out = _event(2, Action.CHECK_OUT, start + timedelta(hours=2, minutes=30), 50 + 1800)
    assert visit_raw_seconds(check_in, check_out) == 1800


def test_across_a_reboot_the_wall_clock_is_used() -> None:
    start = utc(2025, 3, 1, 1)
    check_in = _event(1, Action.CHECK_IN, start, 99_999, boot="b1")
    check_out = _event(2, Action.CHECK_OUT, start + timedelta(hours=1), 5, boot="b2")
    assert visit_raw_seconds(check_in, check_out) == 3600
