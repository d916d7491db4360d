"""The fleet's facts over HTTP: a push's status is kept, any authenticated request marks the kiosk seen.

Every test runs against the real server, on SQLite and on PostgreSQL, on a
server clock the test moves.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from helpers.cloud_server import RunningCloud
from helpers.face_cloud import MovingClock

from cloud.kiosk_status import SEEN_RESOLUTION, bundle_seen_at
from cloud.kiosk_status_queries import KioskStatusRow
from cloud.protocol import format_time
from cloud.storage import Storage

KIOSK = "K00000STAT1"
NOW = datetime(2026, 12, 4, 9, 30, tzinfo=UTC)
WALL = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
SELF_TEST_UTC = "2026-12-04T08:55:00.000+00:00"


@pytest.fixture
def cloud_clock() -> MovingClock:
    return MovingClock(NOW)


def _event(seq: int) -> dict[str, Any]:
    return {
        "event_id": str(uuid.uuid4()),
        "kiosk_id": KIOSK,
        "seq": seq,
        "volunteer_id": "V20250001",
        "activity_id": "A2026-1204",
        "action": "in",
        "method": "qr",
        "wall_utc": format_time(WALL + timedelta(minutes=seq)),
        "utc_offset_min": 480,
        "monotonic_ns": 1_000_000_000 * seq,
        "boot_id": "boot-1",
        "ref_event_id": None,
        "auto_closed": False,
        "credit_seconds": None,
        "actor": None,
    }


def _batch(events: list[dict[str, Any]], status: Any = None, offset: float | None = 2.5) -> dict[str, Any]:
    body: dict[str, Any] = {
        "batch_id": str(uuid.uuid4()),
        "sent_at_device": format_time(WALL),
        "clock_offset_s": offset,
        "events": events,
    }
    if status is not None:
        body["status"] = status
    return body


def _status(**changes: Any) -> dict[str, Any]:
    status: dict[str, Any] = {
        "waiting": 7,
        "self_test": "warning",
        "self_test_utc": SELF_TEST_UTC,
        "app_version": "0.9.1",
    }
    status.update(changes)
    return status


def _post(cloud: RunningCloud, auth: dict[str, str], body: Any) -> requests.Response:
    return requests.post(f"{cloud.api_url}/events", json=body, headers=auth, timeout=10)


def _row(cloud: RunningCloud, kiosk: str = KIOSK) -> KioskStatusRow:
    with cloud.store.read() as reader:
        (row,) = reader.kiosk_statuses([kiosk])
    return row


def _clock(cloud: RunningCloud) -> MovingClock:
    clock = cloud.instance.clock
    assert isinstance(clock, MovingClock)
    return clock


def test_a_push_with_a_status_keeps_it_with_what_still_waits_once_the_batch_is_answered(
    cloud: RunningCloud,
) -> None:
    auth = cloud.register(KIOSK)
    reply = _post(cloud, auth, _batch([_event(1), _event(2)], _status(waiting=7)))
    assert reply.status_code == 200 and len(reply.json()["accepted"]) == 2, reply.text
    row = _row(cloud)
    assert (row.waiting, row.self_test, row.self_test_utc, row.app_version) == (
        5,
        "warning",
        SELF_TEST_UTC,
        "0.9.1",
    )
    assert row.last_push_utc == row.last_seen_utc == format_time(NOW)
    assert row.clock_offset_s == 2.5 and row.area_id == "test"


def test_an_empty_push_reports_a_status_alone(cloud: RunningCloud) -> None:
    auth = cloud.register(KIOSK)
    before = cloud.store.table_counts()
    reply = _post(cloud, auth, _batch([], _status(waiting=0, self_test="failed")))
    assert reply.status_code == 200 and reply.json()["accepted"] == [], reply.text
    row = _row(cloud)
    assert (row.waiting, row.self_test) == (0, "failed")
    after = cloud.store.table_counts()
    assert after["events"] == before["events"] and after["seq_gaps"] == before["seq_gaps"]


def test_a_status_without_a_self_test_leaves_its_time_out(cloud: RunningCloud) -> None:
    auth = cloud.register(KIOSK)
    status = _status(self_test="unknown")
    del status["self_test_utc"]
    assert _post(cloud, auth, _batch([], status)).status_code == 200
    row = _row(cloud)
    assert (row.self_test, row.self_test_utc) == ("unknown", None)


def test_an_old_kiosk_pushes_without_a_status_and_is_still_seen(cloud: RunningCloud) -> None:
    auth = cloud.register(KIOSK)
    reply = _post(cloud, auth, _batch([_event(1)], offset=None))
    assert reply.status_code == 200 and len(reply.json()["accepted"]) == 1, reply.text
    row = _row(cloud)
    assert row.last_seen_utc == row.last_push_utc == format_time(NOW)
    assert (row.waiting, row.self_test, row.self_test_utc, row.clock_offset_s) == (None, None, None, None)
    assert row.app_version == "test", "without a status, the version it registered with"


def test_a_status_stays_when_an_old_style_push_follows(cloud: RunningCloud) -> None:
    auth = cloud.register(KIOSK)
    assert _post(cloud, auth, _batch([], _status(waiting=0))).status_code == 200
    _clock(cloud).advance(30)
    assert _post(cloud, auth, _batch([_event(1)], offset=-1.0)).status_code == 200
    row = _row(cloud)
    assert (row.waiting, row.self_test, row.clock_offset_s) == (0, "warning", -1.0)
    assert row.last_push_utc == format_time(NOW + timedelta(seconds=30))


@pytest.mark.parametrize(
    "status",
    [
        _status(self_test="broken"),
        _status(self_test="OK"),
        _status(waiting=-1),
        _status(waiting="3"),
        _status(waiting=True),
        _status(waiting=2.5),
        _status(waiting=2**31),
        _status(self_test_utc=None),
        _status(self_test_utc="2026-12-04T08:55:00Z"),
        _status(self_test_utc="2026-02-30T08:55:00.000+00:00"),
        _status(app_version=""),
        _status(app_version="   "),
        _status(app_version="1.0\n"),
        _status(app_version="x" * 41),
        _status(battery=80),
        {"waiting": 1, "self_test": "ok"},
        "ok",
        [],
    ],
)
def test_an_invalid_status_refuses_the_push_and_stores_nothing(cloud: RunningCloud, status: Any) -> None:
    auth = cloud.register(KIOSK)
    assert _post(cloud, auth, _batch([], _status(waiting=3))).status_code == 200
    kept, before = _row(cloud), cloud.store.table_counts()
    _clock(cloud).advance(3600)  # long enough that any request that counted would have been written
    reply = _post(cloud, auth, _batch([_event(1)], status))
    assert reply.status_code == 400 and reply.json()["error"] == "invalid_request", reply.text
    assert "status" in reply.json()["message"]
    assert _row(cloud) == kept and cloud.store.table_counts() == before


def test_a_pull_marks_the_kiosk_seen_at_most_once_a_minute(cloud: RunningCloud) -> None:
    auth = cloud.register(KIOSK)
    assert _row(cloud).last_seen_utc is None, "registered, never synced"

    def pull() -> None:
        reply = requests.get(f"{cloud.api_url}/changes", headers=auth, timeout=10)
        assert reply.status_code == 200, reply.text

    pull()
    assert _row(cloud).last_seen_utc == format_time(NOW)
    _clock(cloud).advance(SEEN_RESOLUTION.total_seconds() - 1)
    pull()
    assert _row(cloud).last_seen_utc == format_time(NOW), "a minute's precision, not a write per pull"
    _clock(cloud).advance(2)
    pull()
    row = _row(cloud)
    assert row.last_seen_utc == format_time(NOW + SEEN_RESOLUTION + timedelta(seconds=1))
    assert (row.last_push_utc, row.waiting) == (None, None), "a pull is not a push"


def test_asking_for_the_face_key_marks_the_kiosk_seen_too(cloud: RunningCloud) -> None:
    auth = cloud.register(KIOSK)
    reply = requests.get(f"{cloud.api_url}/face-key", headers=auth, timeout=10)
    assert reply.status_code == 200, reply.text
    assert _row(cloud).last_seen_utc == format_time(NOW)


def test_a_request_that_fails_authentication_marks_nobody_seen(cloud: RunningCloud) -> None:
    auth = cloud.register(KIOSK)
    wrong = {"Authorization": auth["Authorization"][:-4] + "AAAA"}
    assert requests.get(f"{cloud.api_url}/changes", headers=wrong, timeout=10).status_code == 401
    assert _post(cloud, wrong, _batch([], _status())).status_code == 401
    assert _row(cloud).last_seen_utc is None


def test_the_fleet_read_lists_every_registered_kiosk_or_the_ones_asked_for(cloud: RunningCloud) -> None:
    auths = {kiosk: cloud.register(kiosk, area=f"area-{kiosk[-1]}") for kiosk in ("K-FLEET-2", "K-FLEET-1")}
    assert _post(cloud, auths["K-FLEET-2"], _batch([], _status(waiting=0))).status_code == 200
    with cloud.store.read() as reader:
        every = reader.kiosk_statuses(None)
        asked = reader.kiosk_statuses(["K-FLEET-2", "K-NOT-THERE", "K-FLEET-2"])
    assert [(r.device_id, r.area_id) for r in every] == [("K-FLEET-1", "area-1"), ("K-FLEET-2", "area-2")]
    assert every[0].last_seen_utc is None and every[0].registered_utc == format_time(NOW)
    assert [r.device_id for r in asked] == ["K-FLEET-2"] and asked[0].self_test == "warning"


def test_a_usb_bundle_counts_as_seen_when_it_was_made_on_the_clouds_clock() -> None:
    made = "2026-12-04T08:00:00.000+00:00"
    assert bundle_seen_at(made, 90.0, NOW) == datetime(2026, 12, 4, 8, 1, 30, tzinfo=UTC)
    assert bundle_seen_at(made, None, NOW) == datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
    assert bundle_seen_at("2099-01-01T00:00:00.000+00:00", None, NOW) == NOW, "never after the import"
    assert bundle_seen_at(made, True, NOW) == datetime(2026, 12, 4, 8, 0, tzinfo=UTC), "a bool is no offset"
    assert bundle_seen_at(made, float("nan"), NOW) == datetime(2026, 12, 4, 8, 0, tzinfo=UTC)
    assert bundle_seen_at("yesterday", 0.0, NOW) is None
    assert bundle_seen_at(5, 0.0, NOW) is None


def test_last_seen_never_moves_backwards_whatever_writes_it(cloud_store: Storage) -> None:
    later, earlier = format_time(NOW), format_time(NOW - timedelta(hours=2))
    with cloud_store.write() as writer:
        writer.note_kiosk_seen("K-USB", later)
        writer.note_kiosk_seen("K-USB", earlier)  # an older bundle imported after a newer one
    with cloud_store.read() as reader:
        assert reader.kiosk_last_seen("K-USB") == later
    with cloud_store.write() as writer:
        writer.record_kiosk_push("K-USB", earlier, None, None)
    with cloud_store.read() as reader:
        assert reader.kiosk_last_seen("K-USB") == later
        assert reader.kiosk_last_seen("K-NEVER") is None
