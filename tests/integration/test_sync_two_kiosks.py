"""Two kiosks, both offline, one with its clock 48 hours behind: in at one, out at the other.

After both sync, the server pairs the two events into one visit of the right
length, because each kiosk sends its clock offset measured against the server.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from helpers.cloud_server import running_cloud

from checkin_protocol.models import Action, ClockReading, Event, Method
from cloud.reports import build_report
from kiosk.services.ids import new_event_id
from kiosk.store.database import open_store
from kiosk.store.events import append_event
from kiosk.sync.client import open_sync_client

VISIT = timedelta(hours=2, minutes=15)


@dataclass
class ShiftedClock:
    """The machine's real clock, shifted by ``shift`` (a kiosk whose date is set wrong)."""

    shift: timedelta
    boot_id: str

    def now(self) -> ClockReading:
        wall = datetime.now(UTC) + self.shift
        return ClockReading(wall, 480, 1_000_000_000, self.boot_id)


def _record(store_path: Path, kiosk_id: str, action: Action, wall: datetime, boot: str) -> None:
    store = open_store(store_path)
    with store.write() as db:
        event = Event(
            event_id=new_event_id(),
            kiosk_id=kiosk_id,
            seq=1,
            volunteer_id="V000000042",
            activity_id="A20261129001",
            action=action,
            method=Method.QR,
            clock=ClockReading(wall, 480, 1_000_000_000, boot),
        )
        append_event(db, event)
    store.close()


def test_in_at_a_kiosk_48_hours_behind_out_at_another_is_one_visit(tmp_path: Path) -> None:
    true_in = datetime.now(UTC).replace(microsecond=0) - VISIT - timedelta(minutes=5)
    true_out = true_in + VISIT
    behind = ShiftedClock(-timedelta(hours=48), "boot-a")
    right = ShiftedClock(timedelta(0), "boot-b")
    # Both kiosks are offline: the events are written with what each device's clock said.
    _record(tmp_path / "a.db", "KAAAAAAAAAA", Action.CHECK_IN, true_in + behind.shift, "boot-a")
    _record(tmp_path / "b.db", "KBBBBBBBBBB", Action.CHECK_OUT, true_out, "boot-b")

    with running_cloud(tmp_path / "cloud") as cloud:
        for path, kiosk_id, clock in (
            (tmp_path / "a.db", "KAAAAAAAAAA", behind),
            (tmp_path / "b.db", "KBBBBBBBBBB", right),
        ):
            store = open_store(path)
            client = open_sync_client(store, kiosk_id, clock, server_url=cloud.base_url)
            client.register(cloud.provision())
            report = client.sync_once()
            assert report.ok, report.lines()
            assert report.push is not None and report.push.accepted == 1
            store.close()
        day = true_in.date()
        result = build_report(cloud.store, day - timedelta(days=3), day + timedelta(days=1))

    assert len(result.visits) == 1, f"expected one visit, got {result.visits} and flagged {result.flagged}"
    visit = result.visits[0]
    assert {visit.check_in.kiosk_id, visit.check_out.kiosk_id if visit.check_out else None} == {
        "KAAAAAAAAAA",
        "KBBBBBBBBBB",
    }
    # Without the offset, the check-in would sit 48 h earlier: a 50 h visit, capped at 12 h.
    assert abs(visit.credited_seconds - VISIT.total_seconds()) <= 5
