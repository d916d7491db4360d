"""The kiosk's real sync client tells the real cloud what the fleet's dashboard shows of it.

Records waiting, the last self-test (a real one, run on the kiosk) and the
app version travel with every push; a kiosk with nothing to send pushes an
empty batch only when its status is news; a USB bundle makes its kiosk seen
when the bundle was made. Read back from the cloud's own store, on SQLite
and on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from helpers.cloud_server import RunningCloud
from helpers.face_cloud import MovingClock
from helpers.fakes import FakeClock, append_events

from checkin_protocol import __version__
from checkin_protocol.bundle_files import read_bundle
from checkin_protocol.event_rows import format_utc
from cloud.bundles import import_events_bundle
from cloud.kiosk_status_queries import KioskStatusRow
from cloud.protocol import format_time
from kiosk.app import Kiosk, build_kiosk
from kiosk.config import DataDir, load_config
from kiosk.services.self_test import SelfTestRequest, run_self_test
from kiosk.sync.client import SyncClient
from kiosk.sync.kiosk_status import SELF_TEST_WORDS, remember_self_test
from kiosk.sync.transport import HttpTransport
from kiosk.sync.usb import export_events

#: The cloud's clock: a few days after the kiosk's (09:00 in China on 29 November 2026).
CLOUD_NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)


@pytest.fixture
def cloud_clock() -> MovingClock:
    return MovingClock(CLOUD_NOW)


@pytest.fixture
def kiosk(tmp_path: Path) -> Iterator[Kiosk]:
    config = load_config(DataDir(tmp_path / "kiosk", "cli"), env={})
    kiosk = build_kiosk(config, clock=FakeClock())
    yield kiosk
    kiosk.close()


class CountingTransport(HttpTransport):
    """The real transport, keeping the body of every push it sends."""

    def __init__(self, base_url: str) -> None:
        super().__init__(base_url)
        self.pushes: list[Mapping[str, Any]] = []

    def post_json(self, path: str, body: Mapping[str, Any], *, token: str | None = None) -> dict[str, Any]:
        if path == "/events":
            self.pushes.append(body)
        return super().post_json(path, body, token=token)


def _registered(kiosk: Kiosk, cloud: RunningCloud) -> tuple[SyncClient, CountingTransport]:
    transport = CountingTransport(cloud.base_url)
    client = SyncClient(kiosk.store, kiosk.kiosk_id, kiosk.clock, transport)
    client.register(cloud.provision())
    kiosk.reload_trust()
    return client, transport


def _cloud_row(cloud: RunningCloud, kiosk: Kiosk) -> KioskStatusRow:
    with cloud.store.read() as reader:
        (row,) = reader.kiosk_statuses([kiosk.kiosk_id])
    return row


def _clock(kiosk: Kiosk) -> FakeClock:
    assert isinstance(kiosk.clock, FakeClock)
    return kiosk.clock


def test_records_waiting_and_a_real_self_test_reach_the_cloud_with_the_push(
    cloud: RunningCloud, kiosk: Kiosk
) -> None:
    client, _ = _registered(kiosk, cloud)
    report = run_self_test(SelfTestRequest(kiosk.config, kiosk.clock, report=kiosk.store.report))
    remember_self_test(kiosk.store, report.worst, report.started_utc)
    append_events(kiosk.store, kiosk.kiosk_id, _clock(kiosk), 700)
    offset = client.measure_clock()

    first = client.push_pending(max_batches=1)
    assert (first.sent, first.error) == (500, None)
    row = _cloud_row(cloud, kiosk)
    assert row.waiting == 200, "700 waited when the batch went, 500 of them were answered"
    assert (row.self_test, row.self_test_utc) == (
        SELF_TEST_WORDS[report.worst],
        format_utc(report.started_utc),
    )
    assert (row.app_version, row.clock_offset_s) == (__version__, offset)
    assert row.last_push_utc == row.last_seen_utc == format_time(CLOUD_NOW)

    assert client.sync_once().ok
    assert _cloud_row(cloud, kiosk).waiting == 0


def test_a_kiosk_with_nothing_to_send_pushes_its_status_only_when_it_is_news(
    cloud: RunningCloud, kiosk: Kiosk
) -> None:
    client, transport = _registered(kiosk, cloud)
    first = client.sync_once()
    assert first.ok and first.push is not None and first.push.status_sent
    [push] = transport.pushes
    assert push["events"] == [] and push["status"] == {
        "waiting": 0,
        "self_test": "unknown",
        "app_version": __version__,
    }
    assert (_cloud_row(cloud, kiosk).self_test, _cloud_row(cloud, kiosk).waiting) == ("unknown", 0)

    assert client.sync_once().ok
    assert len(transport.pushes) == 1, "nothing new to say: no push at all"

    _clock(kiosk).advance(60)
    remember_self_test(kiosk.store, "fail", kiosk.clock.now().wall_utc)
    again = client.sync_once()
    assert again.ok and again.push is not None and again.push.status_sent
    row = _cloud_row(cloud, kiosk)
    assert (row.self_test, row.self_test_utc) == ("failed", format_utc(kiosk.clock.now().wall_utc))
    assert len(transport.pushes) == 2

    remember_self_test(kiosk.store, "ok", kiosk.clock.now().wall_utc.replace(year=2025))
    assert client.sync_once().ok and len(transport.pushes) == 2, (
        "an older self-test does not replace a newer one"
    )


def test_a_usb_bundle_makes_its_kiosk_seen_when_it_was_made_and_never_earlier_than_seen(
    cloud: RunningCloud, kiosk: Kiosk, tmp_path: Path
) -> None:
    _registered(kiosk, cloud)
    for stick in ("monday", "tuesday"):
        (tmp_path / stick).mkdir()
    append_events(kiosk.store, kiosk.kiosk_id, _clock(kiosk), 10)
    [older] = export_events(kiosk.store, kiosk.kiosk_id, tmp_path / "monday", kiosk.clock.now().wall_utc)
    _clock(kiosk).advance(3600)
    append_events(kiosk.store, kiosk.kiosk_id, _clock(kiosk), 10)
    [newer] = export_events(kiosk.store, kiosk.kiosk_id, tmp_path / "tuesday", kiosk.clock.now().wall_utc)
    made = {
        name: str(read_bundle(b.path).header["created_utc"]) for name, b in (("old", older), ("new", newer))
    }

    import_events_bundle(cloud.instance, newer.path.read_bytes(), CLOUD_NOW)
    assert _cloud_row(cloud, kiosk).last_seen_utc == made["new"]
    import_events_bundle(cloud.instance, older.path.read_bytes(), CLOUD_NOW)
    row = _cloud_row(cloud, kiosk)
    assert row.last_seen_utc == made["new"], "an older bundle imported later does not move it back"
    assert row.last_push_utc is None, "a bundle is not a push"
