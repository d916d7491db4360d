"""Property tests: a kiosk driven by the rules never produces inconsistent hours.

A simulated kiosk plays a random session: volunteers scan, the last scan is
undone, the wall clock jumps (sometimes across a reboot, which restarts the
monotonic clock), time passes, and the activity is auto-closed at the end.
Each scan goes through :func:`decide`, each undo through :func:`can_undo`, the
auto-close through :func:`plan_auto_close`, and only the events they allow are
written. The visits derived from those events must then be consistent.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from hypothesis import event as note
from hypothesis import given, settings
from hypothesis import strategies as st

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
from checkin_protocol.policy import AttendancePolicy, AutoCloseMode, RoundingMode, RoundingPolicy
from checkin_protocol.visits import Ledger, ReviewReason, derive_visits
from kiosk.domain.auto_close import auto_close_at, auto_close_due, plan_auto_close
from kiosk.domain.rules import ScanContext, can_undo, decide

STARTS = utc(2025, 3, 1, 1)
VOLUNTEERS = ("v1", "v2", "v3")

POLICIES = st.builds(
    AttendancePolicy,
    duplicate_window_s=st.sampled_from([0, 120]),
    undo_window_s=st.sampled_from([0, 120, 600]),
    rounding=st.builds(
        RoundingPolicy, step_min=st.sampled_from([0, 1, 5, 15]), mode=st.sampled_from(list(RoundingMode))
    ),
    cap_per_visit_min=st.sampled_from([60, 720]),
    auto_close_grace_min=st.sampled_from([0, 30]),
    auto_close_mode=st.sampled_from(list(AutoCloseMode)),
    auto_close_fixed_min=st.sampled_from([0, 120]),
)
ACTIVITIES = st.builds(
    Activity,
    activity_id=st.just("a1"),
    title=st.just("Riverbank clean-up"),
    org_name=st.just("Village team"),
    org_level=st.just(OrgLevel.VILLAGE),
    venue=st.just("Bridge"),
    starts_at=st.just(STARTS),
    ends_at=st.sampled_from([STARTS + timedelta(hours=1), STARTS + timedelta(hours=4)]),
    category=st.just("environment"),
    capacity=st.sampled_from([None, 1, 2]),
    checkin_closes_after_start_min=st.sampled_from([None, 30]),
    status=st.just(ActivityStatus.OPEN),
)
SECONDS = st.one_of(st.integers(0, 30), st.integers(0, 300), st.integers(0, 3 * 3600))
OPERATIONS = st.lists(
    st.one_of(
        st.tuples(st.just("scan"), st.sampled_from(VOLUNTEERS), SECONDS),
        st.tuples(st.just("scan twice"), st.sampled_from(VOLUNTEERS), st.integers(0, 200)),
        st.tuples(st.just("undo"), SECONDS),
        st.tuples(st.just("jump"), st.integers(-3 * 3600, 3 * 3600), st.booleans()),
        st.tuples(st.just("wait"), SECONDS),
    ),
    max_size=40,
)


@dataclass
class SimulatedKiosk:
    """One kiosk's clocks and event log, driven only through the rules."""

    activity: Activity
    policy: AttendancePolicy
    wall: datetime = STARTS - timedelta(minutes=35)
    mono_ns: int = 10**9
    boot: int = 1
    events: list[Event] = field(default_factory=list)

    def clock(self) -> ClockReading:
        return ClockReading(self.wall, 480, self.mono_ns, f"boot{self.boot}")

    def wait(self, seconds: int) -> None:
        self.wall += timedelta(seconds=seconds)
        self.mono_ns += seconds * 10**9

    def jump(self, seconds: int, reboot: bool) -> None:
        self.wall += timedelta(seconds=seconds)
        if reboot:
            self.boot += 1
            self.mono_ns = 5 * 10**9

    def emit(
        self,
        volunteer: str,
        action: Action,
        ref_event_id: str | None = None,
        credit_seconds: int | None = None,
    ) -> Event:
        """Write an event; a set credit makes it an auto-close check-out."""
        seq = len(self.events) + 1
        auto = credit_seconds is not None
        event = Event(
            event_id=f"k1-{seq}",
            kiosk_id="k1",
            seq=seq,
            volunteer_id=volunteer,
            activity_id=self.activity.activity_id,
            action=action,
            method=Method.AUTO if auto else Method.QR,
            clock=self.clock(),
            ref_event_id=ref_event_id,
            auto_closed=auto,
            credit_seconds=credit_seconds,
        )
        self.events.append(event)
        return event

    def effective(self) -> list[Event]:
        """Check-ins and check-outs not undone, in order."""
        undone = {e.ref_event_id for e in self.events if e.action is Action.UNDO}
        return [e for e in self.events if e.action is not Action.UNDO and e.event_id not in undone]

    def last_event(self, volunteer: str) -> Event | None:
        mine = [e for e in self.effective() if e.volunteer_id == volunteer]
        return mine[-1] if mine else None

    def ledger(self) -> Ledger:
        return derive_visits(self.events, self.policy)

    def scan(self, volunteer: str) -> None:
        ctx = ScanContext(
            volunteer_id=volunteer,
            activity=self.activity,
            now=self.clock(),
            last_event=self.last_event(volunteer),
            card_revoked=False,
            signed_up=True,
            on_site_count=len(self.ledger().on_site(self.activity.activity_id)),
        )
        decision = decide(ctx, self.policy)
        note(f"scan: {decision.kind} {decision.reason or ''}".strip())
        action = decision.action
        if action is not None:
            self.emit(volunteer, action)

    def undo_latest(self) -> None:
        effective = self.effective()
        if not effective:
            return
        target = effective[-1]
        refusal = can_undo(target, self.clock(), self.policy, already_undone=False, is_latest=True)
        note(f"undo: {refusal or 'done'}")
        if refusal is None:
            self.emit(target.volunteer_id, Action.UNDO, ref_event_id=target.event_id)

    def auto_close(self) -> None:
        close_at = auto_close_at(self.activity, self.policy)
        if self.wall < close_at:
            self.wait(int((close_at - self.wall).total_seconds()) + 1)
        assert auto_close_due(self.activity, self.clock(), self.policy)
        open_ins = [v.check_in for v in self.ledger().on_site(self.activity.activity_id)]
        for item in plan_auto_close(self.activity, open_ins, self.policy):
            self.emit(item.check_in.volunteer_id, Action.CHECK_OUT, credit_seconds=item.credit_seconds)


def accounted(events: list[Event], ledger: Ledger) -> Counter[str]:
    """How many places of the ledger each event id appears in."""
    places: Counter[str] = Counter()
    places.update(e.event_id for e in ledger.undos)
    places.update(e.event_id for e in ledger.undone)
    places.update(f.event.event_id for f in ledger.flagged)
    for visit in ledger.visits:
        places[visit.check_in.event_id] += 1
        if visit.check_out is not None:
            places[visit.check_out.event_id] += 1
    return places


def assert_consistent(events: list[Event], ledger: Ledger, policy: AttendancePolicy) -> None:
    places = accounted(events, ledger)
    assert sum(places.values()) == len(events), "an event is counted twice or lost"
    assert set(places) == {e.event_id for e in events}
    for visit in ledger.visits:
        assert 0 <= visit.credited_seconds <= policy.cap_per_visit_s
    open_keys = Counter((v.volunteer_id, v.activity_id) for v in ledger.open_visits())
    assert all(n == 1 for n in open_keys.values()), "a volunteer is on site twice"


@settings(max_examples=300, deadline=None)
@given(policy=POLICIES, activity=ACTIVITIES, operations=OPERATIONS, shuffle_seed=st.integers(0, 2**32))
def test_a_kiosk_driven_by_the_rules_keeps_consistent_hours(
    policy: AttendancePolicy,
    activity: Activity,
    operations: list[tuple[object, ...]],
    shuffle_seed: int,
) -> None:
    kiosk = SimulatedKiosk(activity, policy)
    for operation in operations:
        match operation:
            case ("scan", str(volunteer), int(seconds)):
                kiosk.wait(seconds)
                kiosk.scan(volunteer)
            case ("scan twice", str(volunteer), int(seconds)):
                kiosk.scan(volunteer)
                kiosk.wait(seconds)
                kiosk.scan(volunteer)
            case ("undo", int(seconds)):
                kiosk.wait(seconds)
                kiosk.undo_latest()
            case ("jump", int(seconds), bool(reboot)):
                kiosk.jump(seconds, reboot)
            case ("wait", int(seconds)):
                kiosk.wait(seconds)
        ledger = kiosk.ledger()
        on_site = ledger.on_site(activity.activity_id)
        if activity.capacity is not None:
            assert len(on_site) <= activity.capacity, "more volunteers on site than the capacity"
        for volunteer in VOLUNTEERS:
            last = kiosk.last_event(volunteer)
            checked_in = last is not None and last.action is Action.CHECK_IN
            assert checked_in == any(v.volunteer_id == volunteer for v in on_site)

    kiosk.auto_close()
    events = kiosk.events
    ledger = kiosk.ledger()
    assert_consistent(events, ledger, policy)
    # events written through the rules never need flags, and never supersede a check-in
    assert ledger.flagged == []
    assert not any(ReviewReason.SUPERSEDED_CHECK_IN in v.review_reasons for v in ledger.visits)
    assert ledger.on_site(activity.activity_id) == []
    for visit in ledger.visits:
        for reason in visit.review_reasons:
            note(f"review: {reason}")
    for volunteer in VOLUNTEERS:
        assert ledger.total_credited_seconds(volunteer) >= 0

    shuffled = list(events)
    random.Random(shuffle_seed).shuffle(shuffled)
    assert derive_visits(shuffled, policy) == ledger


# Events that no rule checked: several kiosks, stray check-outs, undos of anything
# (including unknown ids and other undos) and copies of events already seen.
RAW_EVENTS = st.lists(
    st.tuples(
        st.sampled_from(["ka", "kb"]),
        st.sampled_from(("v1", "v2")),
        st.sampled_from(list(Action)),
        st.integers(-600, 3 * 3600),  # wall step, may go back
        st.booleans(),  # reboot before this event
        st.integers(0, 40),  # undo target: an index into the events so far, or unknown
        st.booleans(),  # also add a copy of this event
        st.one_of(st.none(), st.integers(-100, 20 * 3600)),  # override credit
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(policy=POLICIES, raw=RAW_EVENTS, shuffle_seed=st.integers(0, 2**32))
def test_any_events_are_each_accounted_for_exactly_once(
    policy: AttendancePolicy,
    raw: list[tuple[str, str, Action, int, bool, int, bool, int | None]],
    shuffle_seed: int,
) -> None:
    walls = {"ka": STARTS, "kb": STARTS}
    monos = {"ka": 10**9, "kb": 10**9}
    boots = {"ka": 1, "kb": 1}
    seqs = {"ka": 0, "kb": 0}
    events: list[Event] = []
    for kiosk, volunteer, action, step, reboot, target, copy, credit in raw:
        walls[kiosk] += timedelta(seconds=step)
        monos[kiosk] += max(step, 0) * 10**9
        if reboot:
            boots[kiosk] += 1
            monos[kiosk] = 10**9
        seqs[kiosk] += 1
        ref = None
        if action is Action.UNDO:
            ref = events[target].event_id if target < len(events) else "unknown"
        event = Event(
            event_id=f"{kiosk}-{seqs[kiosk]}",
            kiosk_id=kiosk,
            seq=seqs[kiosk],
            volunteer_id=volunteer,
            activity_id="a1",
            action=action,
            method=Method.QR,
            clock=ClockReading(walls[kiosk], 480, monos[kiosk], f"{kiosk}-boot{boots[kiosk]}"),
            ref_event_id=ref,
            credit_seconds=credit if action is Action.CHECK_OUT else None,
        )
        events.append(event)
        if copy:
            events.append(event)

    ledger = derive_visits(events, policy)
    places = accounted(events, ledger)
    copies = Counter(e.event_id for e in events)
    assert places == copies, "each copy of an event must land in exactly one place"
    for visit in ledger.visits:
        assert 0 <= visit.credited_seconds <= policy.cap_per_visit_s
    open_keys = Counter((v.volunteer_id, v.activity_id) for v in ledger.open_visits())
    assert all(n == 1 for n in open_keys.values())

    shuffled = list(events)
    random.Random(shuffle_seed).shuffle(shuffled)
    assert derive_visits(shuffled, policy) == ledger
