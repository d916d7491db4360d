"""The total on the check-out card: the platform's, plus this kiosk's visits it had not counted yet."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from helpers.fakes import FakeClock, make_activity, make_service, open_test_store

from checkin_protocol.event_rows import format_utc
from checkin_protocol.models import Identity, Method
from kiosk.services.attendance import AttendanceService
from kiosk.services.outcome import Outcome, OutcomeKind, TotalSource
from kiosk.services.volunteer_total import FRESH_FOR, counted_by_platform
from kiosk.store import sync_state
from kiosk.store.database import Store
from kiosk.store.outbox import mark_delivered, mark_rejected
from kiosk.store.volunteer_totals import Delivery, save_total

LEI = Identity("V000000001", "雷*霞", Method.QR, card_no=1)
ACTIVITY = "A20261129001"
PLATFORM_HOURS = 300
VISIT = 2 * 3600 + 15 * 60  # credited: the default policy keeps whole minutes


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return open_test_store(tmp_path / "k.db", make_activity(hours=12))


def _visit(service: AttendanceService, clock: FakeClock) -> Outcome:
    """Check in, stay 2 h 15 min, check out; the check-out's outcome."""
    assert service.scan(LEI, ACTIVITY).kind is OutcomeKind.CHECKED_IN
    clock.advance(VISIT)
    out = service.scan(LEI, ACTIVITY)
    assert out.kind is OutcomeKind.CHECKED_OUT and out.event is not None
    return out


def _stamp(clock: FakeClock, delta_s: float = 0) -> str:
    return format_utc(clock.wall + timedelta(seconds=delta_s))


def _hold_total(store: Store, synced_utc: str, seconds: int = PLATFORM_HOURS * 3600) -> None:
    with store.write() as db:
        save_total(db, LEI.volunteer_id, seconds, synced_utc, synced_utc)


def _deliver(store: Store, outcome: Outcome, stamp: str) -> None:
    assert outcome.event is not None and outcome.previous is not None
    with store.write() as db:
        mark_delivered(db, [outcome.previous.event_id, outcome.event.event_id], "b1", stamp)


def test_without_a_platform_total_the_card_shows_this_kiosks_total_as_such(
    store: Store, clock: FakeClock
) -> None:
    service = make_service(store, clock)
    first = _visit(service, clock)
    assert (first.total_seconds, first.total_source, first.total_as_of) == (VISIT, TotalSource.KIOSK, None)
    clock.advance(600)
    second = _visit(service, clock)
    assert (second.total_seconds, second.total_source) == (2 * VISIT, TotalSource.KIOSK)


def test_a_visit_not_delivered_yet_is_added_to_the_platform_total(store: Store, clock: FakeClock) -> None:
    _hold_total(store, _stamp(clock))
    service = make_service(store, clock)
    with store.write() as db:
        sync_state.set_value(db, sync_state.LAST_SUCCESS_UTC, _stamp(clock))
    out = _visit(service, clock)
    assert out.total_source is TotalSource.PLATFORM and out.total_as_of is None
    assert out.total_seconds == PLATFORM_HOURS * 3600 + VISIT
    assert out.visit_seconds == VISIT


def test_a_visit_delivered_before_the_total_arrived_is_in_it_already(store: Store, clock: FakeClock) -> None:
    service = make_service(store, clock)
    earlier = _visit(service, clock)
    _deliver(store, earlier, _stamp(clock, 60))
    _hold_total(store, _stamp(clock, 120), seconds=PLATFORM_HOURS * 3600 + VISIT)  # the pull after the push
    clock.advance(600)
    later = _visit(service, clock)
    assert later.total_seconds == PLATFORM_HOURS * 3600 + VISIT + VISIT, "only the new visit is added"
    assert later.total_source is TotalSource.PLATFORM


def test_a_visit_delivered_after_the_total_arrived_is_added(store: Store, clock: FakeClock) -> None:
    service = make_service(store, clock)
    earlier = _visit(service, clock)
    _hold_total(store, _stamp(clock, 60))  # a pull before that push
    _deliver(store, earlier, _stamp(clock, 120))
    clock.advance(600)
    later = _visit(service, clock)
    assert later.total_seconds == PLATFORM_HOURS * 3600 + 2 * VISIT


def test_a_visit_delivered_at_the_very_moment_the_total_arrived_is_in_it(
    store: Store, clock: FakeClock
) -> None:
    """A USB update and its receipt imported together carry the same time: the update counted the visit."""
    service = make_service(store, clock)
    earlier = _visit(service, clock)
    _hold_total(store, _stamp(clock, 60), seconds=PLATFORM_HOURS * 3600 + VISIT)
    _deliver(store, earlier, _stamp(clock, 60))
    clock.advance(600)
    assert _visit(service, clock).total_seconds == PLATFORM_HOURS * 3600 + 2 * VISIT


def test_a_visit_the_platform_refused_is_not_added(store: Store, clock: FakeClock) -> None:
    service = make_service(store, clock)
    refused = _visit(service, clock)
    assert refused.event is not None
    with store.write() as db:
        mark_rejected(db, {refused.event.event_id: "unknown activity"}, "b1")
    _hold_total(store, _stamp(clock, -3600))
    clock.advance(600)
    assert _visit(service, clock).total_seconds == PLATFORM_HOURS * 3600 + VISIT


def test_a_check_in_carries_the_same_total_and_source(store: Store, clock: FakeClock) -> None:
    service = make_service(store, clock)
    _visit(service, clock)
    _hold_total(store, _stamp(clock, -3600))
    clock.advance(600)
    check_in = service.scan(LEI, ACTIVITY)
    assert check_in.kind is OutcomeKind.CHECKED_IN
    assert (check_in.total_seconds, check_in.total_source) == (
        PLATFORM_HOURS * 3600 + VISIT,
        TotalSource.PLATFORM,
    )


def test_an_old_platform_total_says_the_local_time_it_is_as_of(store: Store, clock: FakeClock) -> None:
    last_sync = clock.wall - FRESH_FOR - timedelta(minutes=1)
    with store.write() as db:
        sync_state.set_value(db, sync_state.LAST_SUCCESS_UTC, format_utc(last_sync))
    _hold_total(store, format_utc(last_sync - timedelta(days=3)))
    out = _visit(service := make_service(store, clock), clock)
    assert out.total_as_of == last_sync and out.total_as_of is not None
    assert out.total_as_of.utcoffset() == timedelta(hours=8), "in the kiosk's local time"

    with store.write() as db:  # a sync a minute ago: current again
        sync_state.set_value(db, sync_state.LAST_SUCCESS_UTC, _stamp(clock, -60))
    clock.advance(600)
    assert _visit(service, clock).total_as_of is None


def test_a_total_held_without_any_sync_is_as_of_when_the_cloud_computed_it(
    store: Store, clock: FakeClock
) -> None:
    computed = datetime(2026, 11, 1, 4, 0, tzinfo=UTC)
    with store.write() as db:
        save_total(db, LEI.volunteer_id, 3600, format_utc(computed), _stamp(clock, -60))
    out = _visit(make_service(store, clock), clock)
    assert out.total_as_of == computed and out.total_seconds == 3600 + VISIT


def test_a_usb_update_newer_than_the_last_sync_makes_the_total_current(
    store: Store, clock: FakeClock
) -> None:
    with store.write() as db:
        save_total(db, LEI.volunteer_id, 3600, None, _stamp(clock, -60))
        sync_state.set_value(db, sync_state.LAST_SUCCESS_UTC, _stamp(clock, -30 * 86400))
        db.execute(
            "INSERT INTO imported_bundles (bundle_id, kind, created_utc, imported_utc, summary) "
            "VALUES ('b', 'changes', ?, ?, '{}')",
            [_stamp(clock, -3 * 3600), _stamp(clock, -60)],
        )
    assert _visit(make_service(store, clock), clock).total_as_of is None


@pytest.mark.parametrize(
    ("delivery", "counted"),
    [
        (None, False),
        (Delivery(None, False), False),
        (Delivery("2026-11-29T00:59:00.000+00:00", False), True),
        (Delivery("2026-11-29T01:00:00.000+00:00", False), True),
        (Delivery("2026-11-29T01:00:00.001+00:00", False), False),
        (Delivery(None, True), True),
        (Delivery("not a time", False), False),
    ],
)
def test_which_check_outs_the_platform_total_holds(delivery: Delivery | None, counted: bool) -> None:
    assert counted_by_platform(delivery, datetime(2026, 11, 29, 1, 0, tzinfo=UTC)) is counted
