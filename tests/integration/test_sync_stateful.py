"""A hypothesis state machine: two kiosks and the real server, with offline spells, crashes and clock changes.

Invariant: once both kiosks sync, the server holds exactly the events the
kiosks confirmed, each once, and each kiosk's visits derived on the server
equal the visits it derives itself.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers.cloud_server import RunningCloud
from helpers.fakes import FakeClock, make_activity
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from checkin_protocol.codes.trust import RevocationList
from checkin_protocol.models import Identity, Method
from checkin_protocol.policy import AttendancePolicy
from checkin_protocol.visits import derive_visits
from kiosk.services.attendance import AttendanceService
from kiosk.store.activities import save_activity, set_activity_status
from kiosk.store.database import Store, open_store
from kiosk.store.events import iter_events
from kiosk.sync.client import SyncClient
from kiosk.sync.transport import HttpTransport

ACTIVITY = make_activity(hours=24 * 30)
VOLUNTEERS = [f"V{n:09d}" for n in range(4)]
POLICY = AttendancePolicy(duplicate_window_s=30)


class Kiosk:
    def __init__(self, folder: Path, kiosk_id: str, server_url: str, code: str) -> None:
        self.path = folder / f"{kiosk_id}.db"
        self.kiosk_id = kiosk_id
        self.server_url = server_url
        self.clock = FakeClock()
        self.confirmed: set[str] = set()
        self._open()
        with self.store.write() as db:
            save_activity(db, ACTIVITY)
            set_activity_status(db, ACTIVITY.activity_id, ACTIVITY.status)
        self.client.register(code)

    def _open(self) -> None:
        self.store: Store = open_store(self.path)
        self.service = AttendanceService(self.store, self.kiosk_id, self.clock, POLICY, RevocationList())
        self.client = SyncClient(self.store, self.kiosk_id, self.clock, HttpTransport(self.server_url))

    def crash(self) -> None:
        self.store.writer.conn.close()  # no clean close, no checkpoint: like a killed process
        self._open()


class TwoKiosksAndTheCloud(RuleBasedStateMachine):
    cloud: RunningCloud
    folder: Path

    @initialize()
    def start(self) -> None:
        self.kiosks = [
            Kiosk(self.folder, f"K{self.run:04d}A", self.cloud.base_url, self.cloud.provision()),
            Kiosk(self.folder, f"K{self.run:04d}B", self.cloud.base_url, self.cloud.provision()),
        ]
        type(self).run += 1

    run = 0

    @rule(k=st.integers(0, 1), v=st.sampled_from(VOLUNTEERS))
    def scan(self, k: int, v: str) -> None:
        kiosk = self.kiosks[k]
        outcome = kiosk.service.scan(Identity(v, "测*", Method.QR), ACTIVITY.activity_id)
        if outcome.event is not None:
            kiosk.confirmed.add(outcome.event.event_id)

    @rule(k=st.integers(0, 1), seconds=st.integers(1, 4 * 3600))
    def time_passes(self, k: int, seconds: int) -> None:
        self.kiosks[k].clock.advance(seconds)

    @rule(k=st.integers(0, 1), hours=st.integers(-72, 72))
    def clock_is_set(self, k: int, hours: int) -> None:
        self.kiosks[k].clock.jump_wall(hours * 3600)

    @rule(k=st.integers(0, 1))
    def reboot(self, k: int) -> None:
        self.kiosks[k].clock.reboot()

    @rule(k=st.integers(0, 1))
    def crash(self, k: int) -> None:
        self.kiosks[k].crash()

    @rule(k=st.integers(0, 1))
    def sync(self, k: int) -> None:
        self.kiosks[k].client.sync_once()  # online now; between syncs the kiosk is offline

    @precondition(lambda self: hasattr(self, "kiosks"))
    @invariant()
    def nothing_confirmed_is_lost_locally(self) -> None:
        for kiosk in self.kiosks:
            local = {r[0] for r in kiosk.store.writer.execute("SELECT event_id FROM events")}
            assert kiosk.confirmed <= local

    def teardown(self) -> None:
        if not hasattr(self, "kiosks"):
            return
        for kiosk in self.kiosks:
            report = kiosk.client.sync_once()
            assert report.ok, report.lines()
            with self.cloud.store.read() as reader:
                stored = reader.events_between(
                    datetime(2000, 1, 1, tzinfo=UTC), datetime(2100, 1, 1, tzinfo=UTC)
                )
            on_server = [s.event for s in stored if s.event.kiosk_id == kiosk.kiosk_id]
            ids = [e.event_id for e in on_server]
            assert len(ids) == len(set(ids)), "an event is on the server twice"
            assert set(ids) == kiosk.confirmed, "the server must hold exactly the confirmed events"
            local = list(iter_events(kiosk.store.writer))
            assert {e.event_id: e for e in on_server} == {e.event_id: e for e in local}, (
                "content changed in transit"
            )
            # One kiosk's events are ordered by its sequence numbers on both sides: the same visits.
            assert derive_visits(on_server, POLICY) == derive_visits(local, POLICY)
            kiosk.store.close()


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_two_kiosks_offline_crashing_and_changing_clocks_end_with_exactly_the_confirmed_events(
    cloud: RunningCloud, tmp_path: Path
) -> None:
    TwoKiosksAndTheCloud.cloud = cloud
    TwoKiosksAndTheCloud.folder = tmp_path
    run_state_machine_as_test(
        TwoKiosksAndTheCloud,
        settings=settings(
            max_examples=12,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
        ),
    )
