"""Times entered by hand: the bounds, and the readings derived from real ones."""

from __future__ import annotations

from datetime import timedelta

from helpers.fakes import make_activity
from hypothesis import given
from hypothesis import strategies as st

from checkin_protocol.models import ClockReading, utc
from kiosk.domain.manual import (
    BEFORE_BOOT_SUFFIX,
    ManualTimeProblem,
    check_in_problem,
    check_out_problem,
    reading_at,
)

ACTIVITY = make_activity()  # 01:00-05:00 UTC, check-in opens 30 min before
NOW = utc(2026, 11, 29, 3, 0)
REAL = ClockReading(NOW, 480, 7_200 * 10**9, "boot-1")  # booted at 01:00


def test_a_check_in_time_must_lie_in_the_activity_and_not_ahead() -> None:
    assert check_in_problem(utc(2026, 11, 29, 0, 40), ACTIVITY, NOW) is None
    assert check_in_problem(utc(2026, 11, 29, 0, 29), ACTIVITY, NOW) is ManualTimeProblem.BEFORE_CHECKIN_OPENS
    assert check_in_problem(NOW + timedelta(minutes=1), ACTIVITY, NOW) is ManualTimeProblem.IN_FUTURE
    late = NOW + timedelta(hours=5)
    assert check_in_problem(utc(2026, 11, 29, 5, 1), ACTIVITY, late) is ManualTimeProblem.AFTER_ACTIVITY_END


def test_a_check_out_time_lies_between_its_check_in_and_now_and_any_limit() -> None:
    start = utc(2026, 11, 29, 1, 0)
    assert check_out_problem(utc(2026, 11, 29, 2, 0), start, NOW) is None
    assert check_out_problem(start - timedelta(seconds=1), start, NOW) is ManualTimeProblem.BEFORE_CHECK_IN
    assert check_out_problem(NOW + timedelta(seconds=1), start, NOW) is ManualTimeProblem.IN_FUTURE
    limit = utc(2026, 11, 29, 2, 30)
    assert check_out_problem(utc(2026, 11, 29, 2, 31), start, NOW, limit) is ManualTimeProblem.AFTER_LIMIT


@given(st.integers(min_value=-7_000, max_value=7_000), st.integers(min_value=-7_000, max_value=7_000))
def test_two_readings_derived_from_one_last_exactly_their_wall_difference(a_s: int, b_s: int) -> None:
    first = reading_at(NOW + timedelta(seconds=a_s), REAL)
    second = reading_at(NOW + timedelta(seconds=b_s), REAL)
    assert first.boot_id == second.boot_id == "boot-1"
    assert second.seconds_since(first) == b_s - a_s
    assert first.wall_utc == NOW + timedelta(seconds=a_s)


def test_a_time_before_the_boot_gets_a_boot_of_its_own_and_is_compared_by_wall_time() -> None:
    before = reading_at(utc(2026, 11, 29, 0, 40), REAL)
    assert before.boot_id == "boot-1" + BEFORE_BOOT_SUFFIX and before.monotonic_ns == 0
    assert REAL.seconds_since(before) == 2 * 3600 + 20 * 60
    assert len(reading_at(utc(2026, 1, 1), ClockReading(NOW, 0, 0, "b" * 64)).boot_id) == 64


def test_leave_times_offered_are_whole_hours_between_arrival_and_the_close() -> None:
    from datetime import timezone

    from kiosk.domain.manual import leave_time_choices

    china = timezone(timedelta(hours=8))
    arrived = utc(2026, 11, 29, 1, 10).astimezone(china)  # 09:10
    closed = utc(2026, 11, 29, 5, 31).astimezone(china)  # 13:31
    assert [t.strftime("%H:%M") for t in leave_time_choices(arrived, closed)] == [
        "10:00",
        "11:00",
        "12:00",
        "13:00",
    ]
    short = leave_time_choices(arrived, utc(2026, 11, 29, 2, 45).astimezone(china))  # closed 10:45
    assert [t.strftime("%H:%M") for t in short] == ["09:45", "10:00", "10:15", "10:30", "10:45"]
    long = leave_time_choices(arrived, arrived + timedelta(hours=20))
    assert len(long) == 8 and long[0].strftime("%H:%M") == "10:00"
