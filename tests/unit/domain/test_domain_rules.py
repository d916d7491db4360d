"""What a scan means: each decision and each refusal, and when an undo is allowed."""

from __future__ import annotations

from dataclasses import replace
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
from checkin_protocol.policy import AttendancePolicy
from kiosk.domain.rules import (
    Decision,
    DecisionKind,
    RefusalReason,
    ScanContext,
    UndoRefusal,
    can_undo,
    decide,
    within_window,
)

POLICY = AttendancePolicy()
STARTS = utc(2025, 3, 1, 1)  # 09:00 in UTC+8
ENDS = utc(2025, 3, 1, 4)  # 12:00 in UTC+8
ACTIVITY = Activity(
    activity_id="a1",
    title="Park clean-up",
    org_name="Riverside team",
    org_level=OrgLevel.VILLAGE,
    venue="North gate",
    starts_at=STARTS,
    ends_at=ENDS,
    category="environment",
    checkin_opens_before_min=30,
    checkin_closes_after_start_min=60,
    status=ActivityStatus.OPEN,
)
BOOT_START = STARTS - timedelta(hours=1)  # wall time when the monotonic clock read 0


def at(wall: datetime, boot: str = "b1", mono_s: float | None = None) -> ClockReading:
    """A reading at ``wall``; by default the monotonic clock agrees with the wall clock."""
    if mono_s is None:
        mono_s = (wall - BOOT_START).total_seconds()
    return ClockReading(wall_utc=wall, utc_offset_min=480, monotonic_ns=int(mono_s * 1e9), boot_id=boot)


def event(action: Action, clock: ClockReading, ref_event_id: str | None = None) -> Event:
    return Event("e1", "k1", 1, "v1", "a1", action, Method.QR, clock, ref_event_id=ref_event_id)


def scan(
    now: datetime | ClockReading,
    last: Event | None = None,
    activity: Activity = ACTIVITY,
    policy: AttendancePolicy = POLICY,
    card_revoked: bool = False,
    signed_up: bool = False,
    on_site_count: int = 0,
) -> Decision:
    clock = now if isinstance(now, ClockReading) else at(now)
    ctx = ScanContext("v1", activity, clock, last, card_revoked, signed_up, on_site_count)
    return decide(ctx, policy)


def refused(reason: RefusalReason) -> Decision:
    return Decision(DecisionKind.REFUSED, reason=reason)


# --- check-in -----------------------------------------------------------------------------


def test_first_scan_in_the_window_checks_in() -> None:
    assert scan(STARTS) == Decision(DecisionKind.CHECK_IN)
    assert scan(STARTS).action is Action.CHECK_IN


def test_check_in_window_opens_inclusive_and_closes_exclusive() -> None:
    opens = STARTS - timedelta(minutes=30)
    closes = STARTS + timedelta(minutes=60)
    assert scan(opens).kind is DecisionKind.CHECK_IN
    assert scan(opens - timedelta(seconds=1)) == refused(RefusalReason.BEFORE_CHECKIN_WINDOW)
    assert scan(closes - timedelta(seconds=1)).kind is DecisionKind.CHECK_IN
    assert scan(closes) == refused(RefusalReason.AFTER_CHECKIN_WINDOW)


def test_without_a_closing_time_check_in_stays_open_until_the_end() -> None:
    activity = replace(ACTIVITY, checkin_closes_after_start_min=None)
    assert scan(ENDS - timedelta(seconds=1), activity=activity).kind is DecisionKind.CHECK_IN
    assert scan(ENDS, activity=activity) == refused(RefusalReason.AFTER_CHECKIN_WINDOW)


def test_check_in_after_a_check_out_is_a_new_visit() -> None:
    out = event(Action.CHECK_OUT, at(STARTS))
    assert scan(STARTS + timedelta(minutes=10), last=out).kind is DecisionKind.CHECK_IN


# --- refusals -----------------------------------------------------------------------------


def test_revoked_card_is_refused_first() -> None:
    closed = replace(ACTIVITY, status=ActivityStatus.CLOSED)
    assert scan(STARTS, activity=closed, card_revoked=True) == refused(RefusalReason.CARD_REVOKED)
    check_in = event(Action.CHECK_IN, at(STARTS))
    later = STARTS + timedelta(hours=1)
    assert scan(later, last=check_in, card_revoked=True) == refused(RefusalReason.CARD_REVOKED)


def test_scheduled_activity_is_not_open() -> None:
    scheduled = replace(ACTIVITY, status=ActivityStatus.SCHEDULED)
    assert scan(STARTS, activity=scheduled) == refused(RefusalReason.ACTIVITY_NOT_OPEN)


def test_closed_activity_refuses_even_a_check_out() -> None:
    closed = replace(ACTIVITY, status=ActivityStatus.CLOSED)
    check_in = event(Action.CHECK_IN, at(STARTS))
    later = STARTS + timedelta(hours=1)
    assert scan(later, last=check_in, activity=closed) == refused(RefusalReason.ACTIVITY_CLOSED)


def test_open_activity_closes_at_end_plus_grace() -> None:
    check_in = event(Action.CHECK_IN, at(STARTS))
    grace_end = ENDS + timedelta(minutes=30)
    assert scan(grace_end - timedelta(seconds=1), last=check_in).kind is DecisionKind.CHECK_OUT
    assert scan(grace_end, last=check_in) == refused(RefusalReason.ACTIVITY_CLOSED)
    assert scan(grace_end) == refused(RefusalReason.ACTIVITY_CLOSED)


def test_sign_up_required() -> None:
    activity = replace(ACTIVITY, signup_required=True)
    assert scan(STARTS, activity=activity) == refused(RefusalReason.NOT_SIGNED_UP)
    assert scan(STARTS, activity=activity, signed_up=True).kind is DecisionKind.CHECK_IN


def test_capacity() -> None:
    activity = replace(ACTIVITY, capacity=2)
    assert scan(STARTS, activity=activity, on_site_count=1).kind is DecisionKind.CHECK_IN
    assert scan(STARTS, activity=activity, on_site_count=2) == refused(RefusalReason.CAPACITY_REACHED)
    unlimited = replace(ACTIVITY, capacity=None)
    assert scan(STARTS, activity=unlimited, on_site_count=10_000).kind is DecisionKind.CHECK_IN


def test_full_activity_still_lets_people_check_out() -> None:
    activity = replace(ACTIVITY, capacity=1)
    check_in = event(Action.CHECK_IN, at(STARTS))
    decision = scan(STARTS + timedelta(hours=1), last=check_in, activity=activity, on_site_count=1)
    assert decision.kind is DecisionKind.CHECK_OUT


# --- check-out and duplicates -------------------------------------------------------------


def test_scan_after_check_in_checks_out() -> None:
    check_in = event(Action.CHECK_IN, at(STARTS))
    decision = scan(STARTS + timedelta(hours=2), last=check_in)
    assert decision == Decision(DecisionKind.CHECK_OUT, previous=check_in)
    assert decision.action is Action.CHECK_OUT


def test_check_out_is_allowed_after_the_window_and_after_the_end() -> None:
    check_in = event(Action.CHECK_IN, at(STARTS))
    assert scan(STARTS + timedelta(hours=2), last=check_in).kind is DecisionKind.CHECK_OUT
    assert scan(ENDS + timedelta(minutes=10), last=check_in).kind is DecisionKind.CHECK_OUT


def test_same_card_right_after_check_in_is_a_duplicate() -> None:
    check_in = event(Action.CHECK_IN, at(STARTS))
    decision = scan(STARTS + timedelta(seconds=119), last=check_in)
    assert decision == Decision(DecisionKind.DUPLICATE, previous=check_in)
    assert decision.action is None
    assert scan(STARTS + timedelta(seconds=120), last=check_in).kind is DecisionKind.CHECK_OUT


def test_same_card_right_after_check_out_is_a_duplicate() -> None:
    check_out = event(Action.CHECK_OUT, at(STARTS))
    assert scan(STARTS + timedelta(seconds=5), last=check_out) == Decision(
        DecisionKind.DUPLICATE, previous=check_out
    )


def test_duplicate_window_follows_the_monotonic_clock_within_a_boot() -> None:
    check_in = event(Action.CHECK_IN, at(STARTS))
    # the wall clock jumped two hours ahead, but only 30 s passed
    jumped = at(STARTS + timedelta(hours=2), mono_s=(STARTS - BOOT_START).total_seconds() + 30)
    assert scan(jumped, last=check_in).kind is DecisionKind.DUPLICATE


def test_clock_set_back_across_a_reboot_is_not_a_duplicate_forever() -> None:
    check_out = event(Action.CHECK_OUT, at(STARTS + timedelta(minutes=30)))
    # after a reboot the wall clock reads 20 minutes earlier than the check-out
    back = at(STARTS + timedelta(minutes=10), boot="b2", mono_s=5)
    assert scan(back, last=check_out).kind is DecisionKind.CHECK_IN
    # jitter of a second is still "just after"
    jitter = at(STARTS + timedelta(minutes=30) - timedelta(seconds=1), boot="b2", mono_s=5)
    assert scan(jitter, last=check_out).kind is DecisionKind.DUPLICATE


def test_zero_duplicate_window_never_reports_duplicates() -> None:
    check_in = event(Action.CHECK_IN, at(STARTS))
    policy = AttendancePolicy(duplicate_window_s=0)
    assert scan(STARTS, last=check_in, policy=policy).kind is DecisionKind.CHECK_OUT


def test_within_window_bounds() -> None:
    base = at(STARTS)
    assert within_window(at(STARTS), base, 10)
    assert not within_window(at(STARTS + timedelta(seconds=10)), base, 10)
    assert within_window(at(STARTS, mono_s=(STARTS - BOOT_START).total_seconds() - 2), base, 10)
    assert not within_window(at(STARTS, mono_s=(STARTS - BOOT_START).total_seconds() - 3), base, 10)


def test_last_event_must_match_the_scan() -> None:
    undo = event(Action.UNDO, at(STARTS), ref_event_id="e0")
    with pytest.raises(ValueError, match="undo"):
        scan(STARTS, last=undo)
    other = replace(event(Action.CHECK_IN, at(STARTS)), volunteer_id="v2")
    with pytest.raises(ValueError, match="another"):
        scan(STARTS, last=other)


# --- undo ---------------------------------------------------------------------------------


def test_undo_within_the_window() -> None:
    target = event(Action.CHECK_IN, at(STARTS))
    later = at(STARTS + timedelta(seconds=120))
    assert can_undo(target, later, POLICY, already_undone=False, is_latest=True) is None


def test_undo_too_late() -> None:
    target = event(Action.CHECK_IN, at(STARTS))
    later = at(STARTS + timedelta(seconds=121))
    assert can_undo(target, later, POLICY, already_undone=False, is_latest=True) is UndoRefusal.TOO_LATE


def test_undo_when_the_clock_went_back_across_a_reboot_is_too_late() -> None:
    target = event(Action.CHECK_IN, at(STARTS))
    back = at(STARTS - timedelta(minutes=5), boot="b2", mono_s=1)
    assert can_undo(target, back, POLICY, already_undone=False, is_latest=True) is UndoRefusal.TOO_LATE


def test_undo_refusals() -> None:
    now = at(STARTS + timedelta(seconds=10))
    check_in = event(Action.CHECK_IN, at(STARTS))
    undo = event(Action.UNDO, at(STARTS), ref_event_id="e0")
    auto = replace(
        event(Action.CHECK_OUT, at(STARTS)), method=Method.AUTO, auto_closed=True, credit_seconds=60
    )
    assert can_undo(undo, now, POLICY, False, True) is UndoRefusal.NOT_UNDOABLE
    assert can_undo(auto, now, POLICY, False, True) is UndoRefusal.NOT_UNDOABLE
    assert can_undo(check_in, now, POLICY, True, True) is UndoRefusal.ALREADY_UNDONE
    assert can_undo(check_in, now, POLICY, False, False) is UndoRefusal.NOT_LATEST
