"""Event queries that bound how much history a screen reads."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from helpers.fakes import KIOSK_ID, FakeClock, open_test_store

from checkin_protocol.event_rows import format_utc
from checkin_protocol.models import Action, Event, Method, utc
from kiosk.services.ids import new_event_id
from kiosk.store.events import append_event, events_of_pairs_active_since


def test_pairs_active_since_a_time_come_whole_and_quiet_pairs_stay_out(tmp_path: Path) -> None:
    store = open_test_store(tmp_path / "kiosk.db")
    clock = FakeClock(wall=utc(2026, 10, 1, 1, 0))
    plan = [
        ("V1", "A1", Action.CHECK_IN, 0),  # 40 days before the window's end...
        ("V2", "A1", Action.CHECK_IN, 0),
        ("V2", "A1", Action.CHECK_OUT, 3600),  # ...V2's visit ends the same day: quiet since
        ("V1", "A1", Action.CHECK_OUT, 39 * 86400),  # V1's forgotten visit is closed inside the window
        ("V3", "A2", Action.CHECK_IN, 60),
    ]
    try:
        with store.write() as db:
            for seq, (volunteer, activity, action, wait) in enumerate(plan, start=1):
                clock.advance(wait)
                append_event(
                    db,
                    Event(new_event_id(), KIOSK_ID, seq, volunteer, activity, action, Method.QR, clock.now()),
                )
        since = format_utc(clock.wall - timedelta(days=30))
        found = [(e.volunteer_id, e.action.value) for e in events_of_pairs_active_since(store.writer, since)]
        assert found == [("V1", "in"), ("V1", "out"), ("V3", "in")]
    finally:
        store.close()
