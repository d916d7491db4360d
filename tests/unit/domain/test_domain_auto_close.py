"""Closing forgotten check-outs at the end of an activity, in each mode."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from checkin_protocol.models import (
    Action,
    Activity,
    ActivityStatus,
    ClockReading,
    Event,
    Method,
    OrgLevel,
    utc,
)
from checkin_protocol.policy import AttendancePolicy, AutoCloseMode
from kiosk.domain.auto_close import AutoCloseItem, auto_close_at, auto_close_due, plan_auto_close

STARTS = utc(2025, 3, 1, 1)
ENDS = utc(2025, 3, 1, 4)
ACTIVITY = Activity(
    activity_id="a1",
    title="Library reading hour",
    org_name="Township team",
    org_level=OrgLevel.TOWNSHIP,
    venue="Library",
    starts_at=STARTS,
    ends_at=ENDS,
    category="education",
    status=ActivityStatus.OPEN,
)


def reading(wall: datetime) -> ClockReading:
    return ClockReading(wall, 480, 0, "b1")


def check_in(wall: datetime, n: int = 1, action: Action = Action.CHECK_IN, activity: str = "a1") -> Event:
    return Event(f"e{n}", "k1", n, f"v{n}", activity, action, Method.QR, reading(wall))


def test_due_at_end_plus_grace() -> None:
    policy = AttendancePolicy(auto_close_grace_min=30)
    assert auto_close_at(ACTIVITY, policy) == ENDS + timedelta(minutes=30)
    assert not auto_close_due(ACTIVITY, reading(ENDS + timedelta(minutes=29, seconds=59)), policy)
    assert auto_close_due(ACTIVITY, reading(ENDS + timedelta(minutes=30)), policy)
    assert auto_close_due(ACTIVITY, reading(ENDS), AttendancePolicy(auto_close_grace_min=0))


def test_scheduled_end_credits_up_to_the_end() -> None:
    ins = [check_in(STARTS, 1), check_in(ENDS - timedelta(minutes=20), 2), check_in(ENDS + timedelta(1), 3)]
    plan = plan_auto_close(ACTIVITY, ins, AttendancePolicy(auto_close_mode=AutoCloseMode.SCHEDULED_END))
    assert plan == [
        AutoCloseItem(ins[0], 3 * 3600),
        AutoCloseItem(ins[1], 20 * 60),
        AutoCloseItem(ins[2], 0),  # checked in after the end
    ]


def test_nothing_credits_zero() -> None:
    ins = [check_in(STARTS)]
    plan = plan_auto_close(ACTIVITY, ins, AttendancePolicy(auto_close_mode=AutoCloseMode.NOTHING))
    assert plan == [AutoCloseItem(ins[0], 0)]


def test_fixed_credits_fixed_minutes_but_not_beyond_the_end() -> None:
    policy = AttendancePolicy(auto_close_mode=AutoCloseMode.FIXED, auto_close_fixed_min=120)
    ins = [check_in(STARTS, 1), check_in(ENDS - timedelta(minutes=45), 2), check_in(ENDS, 3)]
    assert [item.credit_seconds for item in plan_auto_close(ACTIVITY, ins, policy)] == [7200, 2700, 0]


def test_nothing_open_plans_nothing() -> None:
    assert plan_auto_close(ACTIVITY, [], AttendancePolicy()) == []


@pytest.mark.parametrize(
    "event", [check_in(STARTS, action=Action.CHECK_OUT), check_in(STARTS, activity="a2")]
)
def test_only_check_ins_at_this_activity_are_closed(event: Event) -> None:
    with pytest.raises(ValueError, match="not a check-in"):
        plan_auto_close(ACTIVITY, [event], AttendancePolicy())
