"""Visits derived from events: pairing, undo, flags, review reasons, ordering."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, timedelta

from checkin_protocol.models import Action, ClockReading, Event, Method, utc
from checkin_protocol.policy import AttendancePolicy, RoundingMode, RoundingPolicy
from checkin_protocol.visits import (
    FlaggedEvent,
    FlagReason,
    Ledger,
    ReviewReason,
    derive_visits,
    event_sort_key,
    order_events,
)

POLICY = AttendancePolicy()
T0 = utc(2025, 3, 1, 1)  # 09:00 in UTC+8
IN, OUT, UNDO = Action.CHECK_IN, Action.CHECK_OUT, Action.UNDO


class Kiosk:
    """A tiny event factory: one kiosk with a wall clock and a monotonic clock."""

    def __init__(self, kiosk_id: str = "k1", wall: datetime = T0) -> None:
        self.kiosk_id = kiosk_id
        self.wall = wall
        self.mono_ns = 1_000_000_000
        self.boot = 1
        self.seq = 0

    def wait(self, seconds: float) -> None:
        self.wall += timedelta(seconds=seconds)
        self.mono_ns += int(seconds * 1e9)

    def jump_wall(self, seconds: float) -> None:
        self.wall += timedelta(seconds=seconds)

    def reboot(self) -> None:
        self.boot += 1
        self.mono_ns = 1_000_000_000

    def clock(self) -> ClockReading:
        return ClockReading(self.wall, 480, self.mono_ns, f"{self.kiosk_id}-boot{self.boot}")

    def emit(
        self,
        action: Action,
        volunteer: str = "v1",
        activity: str = "a1",
        ref: Event | None = None,
        credit_seconds: int | None = None,
    ) -> Event:
        self.seq += 1
        auto = credit_seconds is not None
        return Event(
            event_id=f"{self.kiosk_id}-{self.seq}",
            kiosk_id=self.kiosk_id,
            seq=self.seq,
            volunteer_id=volunteer,
            activity_id=activity,
            action=action,
            method=Method.AUTO if auto else Method.QR,
            clock=self.clock(),
            ref_event_id=None if ref is None else ref.event_id,
            auto_closed=auto,
            credit_seconds=credit_seconds,
        )


def assert_accounted_once(events: list[Event], ledger: Ledger) -> None:
    places: list[str] = [e.event_id for e in ledger.undos]
    places += [e.event_id for e in ledger.undone]
    places += [f.event.event_id for f in ledger.flagged]
    for visit in ledger.visits:
        places.append(visit.check_in.event_id)
        if visit.check_out is not None:
            places.append(visit.check_out.event_id)
    assert sorted(places) == sorted(e.event_id for e in events)


def test_in_then_out_is_one_visit() -> None:
    k = Kiosk()
    check_in = k.emit(IN)
    k.wait(3600)
    check_out = k.emit(OUT)
    ledger = derive_visits([check_out, check_in], POLICY)
    [visit] = ledger.visits
    assert (visit.check_in, visit.check_out) == (check_in, check_out)
    assert visit.raw_seconds == 3600
    assert visit.credited_seconds == 3600
    assert not visit.needs_review
    assert not visit.is_open
    assert ledger.total_credited_seconds("v1") == 3600
    assert ledger.open_visits() == []
    assert ledger.flagged == []


def test_open_visit_means_on_site() -> None:
    k = Kiosk()
    check_in = k.emit(IN)
    ledger = derive_visits([check_in], POLICY)
    [visit] = ledger.visits
    assert visit.is_open and not visit.needs_review
    assert visit.raw_seconds is None and visit.credited_seconds == 0
    assert ledger.on_site("a1") == [visit]
    assert ledger.on_site("a2") == []


def test_visit_across_midnight_counts_to_the_first_day() -> None:
    k = Kiosk(wall=utc(2025, 3, 1, 14))  # 22:00 local
    events = [k.emit(IN)]
    k.wait(4 * 3600)  # 02:00 local the next day
    events.append(k.emit(OUT))
    [visit] = derive_visits(events, POLICY).visits
    assert visit.credited_seconds == 4 * 3600
    assert visit.service_date == date(2025, 3, 1)
    assert not visit.needs_review


def test_wall_clock_jump_within_a_boot_credits_monotonic_time_and_flags() -> None:
    k = Kiosk()
    events = [k.emit(IN)]
    k.wait(1800)
    k.jump_wall(2 * 3600 - 1800)  # the wall clock now reads 2 h later than the check-in
    events.append(k.emit(OUT))
    [visit] = derive_visits(events, POLICY).visits
    assert visit.credited_seconds == 1800
    assert visit.review_reasons == (ReviewReason.CLOCK_JUMP,)


def test_small_drift_is_within_tolerance() -> None:
    k = Kiosk()
    events = [k.emit(IN)]
    k.wait(1800)
    k.jump_wall(100)
    events.append(k.emit(OUT))
    assert not derive_visits(events, POLICY).visits[0].needs_review


def test_clock_back_across_a_reboot_gives_zero_and_is_flagged() -> None:
    k = Kiosk()
    events = [k.emit(IN)]
    k.wait(600)
    k.reboot()
    k.jump_wall(-3600)
    events.append(k.emit(OUT))
    [visit] = derive_visits(events, POLICY).visits
    assert visit.raw_seconds is not None and visit.raw_seconds < 0
    assert visit.credited_seconds == 0
    assert visit.review_reasons == (ReviewReason.CLOCK_JUMP, ReviewReason.NEGATIVE_DURATION)


def test_across_a_reboot_forward_wall_time_is_trusted() -> None:
    k = Kiosk()
    events = [k.emit(IN)]
    k.wait(600)
    k.reboot()
    k.wait(600)
    events.append(k.emit(OUT))
    [visit] = derive_visits(events, POLICY).visits
    assert visit.credited_seconds == 1200
    assert not visit.needs_review


def test_long_visit_is_capped_and_flagged() -> None:
    k = Kiosk()
    events = [k.emit(IN)]
    k.wait(13 * 3600)
    events.append(k.emit(OUT))
    [visit] = derive_visits(events, POLICY).visits
    assert visit.credited_seconds == 12 * 3600
    assert visit.review_reasons == (ReviewReason.CAPPED,)


def test_rounding_applies_to_visits() -> None:
    policy = AttendancePolicy(rounding=RoundingPolicy(15, RoundingMode.DOWN))
    k = Kiosk()
    events = [k.emit(IN)]
    k.wait(44 * 60 + 59)
    events.append(k.emit(OUT))
    assert derive_visits(events, policy).visits[0].credited_seconds == 30 * 60


def test_check_out_credit_overrides_the_clocks() -> None:
    k = Kiosk()
    events = [k.emit(IN)]
    k.wait(5 * 3600)
    events.append(k.emit(OUT, credit_seconds=3 * 3600 + 7))
    [visit] = derive_visits(events, AttendancePolicy(rounding=RoundingPolicy(5))).visits
    assert visit.raw_seconds == 5 * 3600
    assert visit.credited_seconds == 3 * 3600
    assert visit.review_reasons == (ReviewReason.AUTO_CLOSED,)


def test_override_credit_is_capped_and_never_negative() -> None:
    k = Kiosk()
    check_in = k.emit(IN)
    big = k.emit(OUT, credit_seconds=20 * 3600)
    assert derive_visits([check_in, big], POLICY).visits[0].credited_seconds == 12 * 3600
    negative = replace(big, credit_seconds=-50)
    assert derive_visits([check_in, negative], POLICY).visits[0].credited_seconds == 0


def test_second_check_in_supersedes_the_first() -> None:
    k = Kiosk()
    first = k.emit(IN)
    k.wait(60)
    second = k.emit(IN)
    k.wait(60)
    out = k.emit(OUT)
    ledger = derive_visits([first, second, out], POLICY)
    superseded, closed = ledger.visits
    assert superseded.check_in == first and superseded.check_out is None
    assert superseded.review_reasons == (ReviewReason.SUPERSEDED_CHECK_IN,)
    assert superseded.credited_seconds == 0 and not superseded.is_open
    assert (closed.check_in, closed.check_out) == (second, out)
    assert ledger.open_visits() == []


def test_check_out_without_check_in_is_flagged() -> None:
    out = Kiosk().emit(OUT)
    ledger = derive_visits([out], POLICY)
    assert ledger.visits == []
    assert ledger.flagged == [FlaggedEvent(out, FlagReason.OUT_WITHOUT_IN)]


def test_visits_are_per_volunteer_and_activity() -> None:
    k = Kiosk()
    events = [k.emit(IN, "v1", "a1"), k.emit(IN, "v2", "a1"), k.emit(IN, "v1", "a2")]
    k.wait(600)
    events += [k.emit(OUT, "v1", "a2"), k.emit(OUT, "v1", "a1")]
    ledger = derive_visits(events, POLICY)
    assert len(ledger.visits) == 3
    assert [v.volunteer_id for v in ledger.on_site("a1")] == ["v2"]
    assert ledger.total_credited_seconds("v1") == 1200


def test_undone_check_out_reopens_the_visit() -> None:
    k = Kiosk()
    check_in = k.emit(IN)
    k.wait(600)
    out = k.emit(OUT)
    undo = k.emit(UNDO, ref=out)
    events = [check_in, out, undo]
    ledger = derive_visits(events, POLICY)
    [visit] = ledger.visits
    assert visit.is_open
    assert ledger.undos == [undo] and ledger.undone == [out]
    assert_accounted_once(events, ledger)


def test_undone_check_in_leaves_nothing() -> None:
    k = Kiosk()
    check_in = k.emit(IN)
    undo = k.emit(UNDO, ref=check_in)
    ledger = derive_visits([check_in, undo], POLICY)
    assert ledger.visits == [] and ledger.flagged == []


def test_bad_undos_are_flagged() -> None:
    k = Kiosk()
    check_in = k.emit(IN)
    undo = k.emit(UNDO, ref=check_in)
    again = k.emit(UNDO, ref=check_in)
    of_undo = k.emit(UNDO, ref=undo)
    unknown = replace(k.emit(UNDO), ref_event_id="elsewhere-9")
    no_ref = k.emit(UNDO)
    events = [check_in, undo, again, of_undo, unknown, no_ref]
    ledger = derive_visits(events, POLICY)
    assert ledger.flagged == [
        FlaggedEvent(again, FlagReason.UNDO_REPEATED),
        FlaggedEvent(of_undo, FlagReason.UNDO_OF_UNDO),
        FlaggedEvent(unknown, FlagReason.UNDO_TARGET_UNKNOWN),
        FlaggedEvent(no_ref, FlagReason.UNDO_TARGET_UNKNOWN),
    ]
    assert_accounted_once(events, ledger)


def test_a_second_copy_of_an_event_is_flagged_not_counted() -> None:
    k = Kiosk()
    check_in = k.emit(IN)
    k.wait(600)
    out = k.emit(OUT)
    ledger = derive_visits([check_in, out, out], POLICY)
    assert len(ledger.visits) == 1
    assert ledger.flagged == [FlaggedEvent(out, FlagReason.DUPLICATE_EVENT_ID)]


def test_one_kiosk_is_ordered_by_seq_even_when_its_clock_went_back() -> None:
    k = Kiosk()
    check_in = k.emit(IN)
    k.wait(600)
    k.jump_wall(-3600)
    out = k.emit(OUT)
    assert order_events([out, check_in]) == [check_in, out]
    [visit] = derive_visits([out, check_in], POLICY).visits
    assert visit.credited_seconds == 600


def test_kiosks_are_merged_by_wall_time_keeping_each_kiosks_order() -> None:
    a, b = Kiosk("ka"), Kiosk("kb")
    a1 = a.emit(IN)
    b.wait(300)
    b1 = b.emit(OUT)  # the volunteer checked out at another kiosk
    a.wait(600)
    a.jump_wall(-3600)  # ka's clock went back: its own order must still hold
    a2 = a.emit(IN, "v2")
    # a2's wall time is before a1's, yet it stays after a1; b1 is merged by wall time
    assert a2.clock.wall_utc < a1.clock.wall_utc < b1.clock.wall_utc
    assert order_events([b1, a2, a1]) == [a1, a2, b1]
    [visit, open_visit] = derive_visits([b1, a2, a1], POLICY).visits
    assert (visit.check_in, visit.check_out) == (a1, b1)
    assert open_visit.check_in == a2 and open_visit.is_open


def test_sort_key_is_wall_then_kiosk_then_seq() -> None:
    a, b = Kiosk("ka"), Kiosk("kb")
    events = [b.emit(IN), a.emit(IN), a.emit(OUT)]
    assert sorted(events, key=event_sort_key) == [events[1], events[2], events[0]]


def test_order_does_not_depend_on_input_order() -> None:
    kiosks = [Kiosk("ka"), Kiosk("kb"), Kiosk("kc")]
    events = []
    rng = random.Random(7)
    for n in range(60):
        k = rng.choice(kiosks)
        k.wait(rng.randint(0, 100))
        events.append(k.emit(rng.choice([IN, OUT]), f"v{n % 4}"))
    expected = derive_visits(events, POLICY)
    for _ in range(5):
        rng.shuffle(events)
        assert derive_visits(events, POLICY) == expected
    assert_accounted_once(events, expected)
