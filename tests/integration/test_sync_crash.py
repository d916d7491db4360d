"""SIGKILL between the server's push reply and the local mark never loses nor doubles an event.

A child process pushes the kiosk's outbox to the real reference server and
kills itself right after the N-th ``POST /events`` reply arrived, before the
kiosk marked that batch delivered. New events are added between runs, all on
one kiosk database. After each kill a clean client pushes again: the batch
the server already had comes back as duplicates and is marked delivered. At
the end the server holds every event exactly once and nothing waits.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.cloud_server import RunningCloud
from helpers.fakes import KIOSK_ID, FakeClock

from checkin_protocol.models import Action, Event, Method
from kiosk.services.ids import new_event_id
from kiosk.store.database import open_store
from kiosk.store.events import append_event
from kiosk.sync.client import SyncClient, open_sync_client
from kiosk.sync.outbox import MAX_BATCH_EVENTS
from kiosk.sync.transport import HttpTransport

CHILD = Path(__file__).resolve().parents[1] / "helpers" / "sync_crash_child.py"
ROOT = Path(__file__).resolve().parents[2]
RUNS = 24


def _add_events(path: Path, clock: FakeClock, count: int) -> list[str]:
    store = open_store(path)
    try:
        with store.write() as db:
            last = db.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0]
            ids = []
            for seq in range(last + 1, last + count + 1):
                clock.advance(1)
                event = Event(
                    new_event_id(),
                    KIOSK_ID,
                    seq,
                    f"V{seq % 40}",
                    "A1",
                    Action.CHECK_IN,
                    Method.QR,
                    clock.now(),
                )
                append_event(db, event)
                ids.append(event.event_id)
        return ids
    finally:
        store.close()


def _waiting(path: Path) -> int:
    store = open_store(path)
    try:
        return open_sync_client(store, KIOSK_ID, FakeClock()).status().waiting
    finally:
        store.close()


def _server_ids(cloud: RunningCloud) -> list[str]:
    with cloud.store.read() as reader:
        rows = reader._conn.execute(
            "SELECT event_id FROM events WHERE kiosk_id = ? ORDER BY seq", (KIOSK_ID,)
        )
        return [r[0] for r in rows]


def _run_child(path: Path, kill_n: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, str(CHILD), str(path), KIOSK_ID, str(kill_n)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_kill_after_the_reply_before_the_mark(tmp_path: Path, cloud: RunningCloud) -> None:
    path = tmp_path / "kiosk.db"
    clock = FakeClock()
    store = open_store(path)
    SyncClient(store, KIOSK_ID, clock, HttpTransport(cloud.base_url)).register(cloud.provision())
    store.close()
    rng = random.Random(20261129)
    all_ids: list[str] = []
    for run in range(RUNS):
        all_ids += _add_events(path, clock, rng.randint(1, 3 * MAX_BATCH_EVENTS))
        waiting = _waiting(path)
        batches = -(-waiting // MAX_BATCH_EVENTS)
        kill_n = rng.randint(1, batches)
        child = _run_child(path, kill_n)
        assert child.returncode == -signal.SIGKILL, f"run {run}: {child.stdout}{child.stderr}"
        assert "KILLING" in child.stdout

        # The server committed the killed batch; the kiosk still has it waiting.
        server = _server_ids(cloud)
        assert len(server) == len(set(server)), "the unique constraint keeps one copy per event"
        assert set(server) <= set(all_ids)
        still_waiting = _waiting(path)
        assert still_waiting == waiting - (kill_n - 1) * MAX_BATCH_EVENTS, (
            "the batches before the kill are marked; the one answered just before it is not"
        )
        assert len(server) == len(all_ids) - still_waiting + min(still_waiting, MAX_BATCH_EVENTS)

        store = open_store(path)
        try:
            client = open_sync_client(store, KIOSK_ID, clock)
            report = client.push_pending()
            assert report.error is None, report.error
            assert report.duplicate >= 1, "the batch the server already had must come back as duplicates"
            assert not report.rejected
            assert client.status().waiting == 0
            assert client.status().rejected == 0
        finally:
            store.close()

    server = _server_ids(cloud)
    assert server == all_ids, "every event on the server exactly once, in order"
    store = open_store(path)
    try:
        local = store.writer.execute("SELECT COUNT(*) FROM events").fetchone()[0]
        delivered = store.writer.execute(
            "SELECT COUNT(*) FROM outbox WHERE delivered_utc IS NOT NULL"
        ).fetchone()[0]
    finally:
        store.close()
    assert len(server) == local == delivered == len(all_ids)
