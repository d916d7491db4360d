"""Sync through a proxy that drops, cuts, delays and fails requests: every event arrives exactly once."""

from __future__ import annotations

import pytest
from helpers.cloud_server import RunningCloud
from helpers.fakes import KIOSK_ID, FakeClock
from helpers.fault_proxy import FaultPlan, fault_proxy

from checkin_protocol.models import Action, Event, Method
from kiosk.services.ids import new_event_id
from kiosk.store.database import Store
from kiosk.store.events import append_event
from kiosk.sync.client import SyncClient
from kiosk.sync.transport import HttpTransport

WEIGHTS = {
    "pass": 0.35,
    "drop_before": 0.1,
    "drop_after": 0.15,
    "error_500": 0.1,
    "timeout": 0.05,
    "slow": 0.1,
    "truncated": 0.15,
}


def _server_ids(cloud: RunningCloud) -> list[str]:
    with cloud.store.read() as reader:
        rows = reader._conn.execute(
            "SELECT event_id FROM events WHERE kiosk_id = ? ORDER BY seq", (KIOSK_ID,)
        )
        return [r[0] for r in rows]


@pytest.mark.parametrize("seed", [1, 2])
def test_every_event_arrives_exactly_once_over_a_bad_network(
    cloud: RunningCloud, store: Store, seed: int
) -> None:
    clock = FakeClock()
    SyncClient(store, KIOSK_ID, clock, HttpTransport(cloud.base_url)).register(cloud.provision())
    ids = []
    with store.write() as db:
        for seq in range(1, 1_301):
            clock.advance(1)
            event = Event(
                new_event_id(), KIOSK_ID, seq, f"V{seq % 40}", "A1", Action.CHECK_IN, Method.QR, clock.now()
            )
            append_event(db, event)
            ids.append(event.event_id)

    with fault_proxy(cloud.base_url, FaultPlan(WEIGHTS, seed=seed, timeout_hold_s=1.0)) as proxy:
        client = SyncClient(store, KIOSK_ID, clock, HttpTransport(proxy.url, read_timeout_s=0.5))
        for _ in range(80):
            report = client.sync_once()
            delivered = {
                r[0]
                for r in store.writer.execute("SELECT event_id FROM outbox WHERE delivered_utc IS NOT NULL")
            }
            assert delivered <= set(_server_ids(cloud)), "an event was marked delivered that the server lacks"
            if report.ok and client.status().waiting == 0:
                break
        else:
            pytest.fail(f"sync did not finish through the faulty network: {proxy.counts}")
    assert _server_ids(cloud) == ids, "each event must be on the server exactly once, in order"
    assert client.status().rejected == 0
    assert proxy.counts["drop_after"] + proxy.counts["truncated"] > 0, (
        "the dangerous faults must have happened"
    )


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_ten_thousand_events_through_random_faults_arrive_exactly_once(
    cloud: RunningCloud, store: Store
) -> None:
    clock = FakeClock()
    SyncClient(store, KIOSK_ID, clock, HttpTransport(cloud.base_url)).register(cloud.provision())
    with store.write() as db:
        for seq in range(1, 10_001):
            clock.advance(1)
            append_event(
                db,
                Event(
                    new_event_id(),
                    KIOSK_ID,
                    seq,
                    f"V{seq % 300}",
                    "A1",
                    Action.CHECK_IN,
                    Method.QR,
                    clock.now(),
                ),
            )
    ids = [r[0] for r in store.writer.execute("SELECT event_id FROM events ORDER BY seq")]
    mild = {"pass": 0.6, "drop_before": 0.08, "drop_after": 0.08, "error_500": 0.06, "timeout": 0.03}
    mild |= {"slow": 0.07, "truncated": 0.08}
    with fault_proxy(cloud.base_url, FaultPlan(mild, seed=10_000, timeout_hold_s=1.0)) as proxy:
        client = SyncClient(store, KIOSK_ID, clock, HttpTransport(proxy.url, read_timeout_s=0.5))
        for _ in range(600):
            report = client.sync_once()
            if report.ok and client.status().waiting == 0:
                break
        else:
            pytest.fail(f"sync did not finish through the faulty network: {proxy.counts}")
    assert _server_ids(cloud) == ids, "each of the 10,000 events must be on the server exactly once, in order"
    assert sum(proxy.counts.values()) - proxy.counts["pass"] >= 5, f"too few faults happened: {proxy.counts}"
