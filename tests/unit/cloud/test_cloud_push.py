"""Pushing events over HTTP: each event accepted, duplicate or rejected, and nothing stored twice."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from helpers.cloud_server import RunningCloud, running_cloud

KIOSK = "K00000000A1"
WALL = datetime(2026, 3, 12, 0, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def auth(shared_cloud: RunningCloud) -> dict[str, str]:
    return shared_cloud.register(KIOSK)


def make_event(seq: int, *, kiosk: str = KIOSK, **changes: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "event_id": str(uuid.uuid4()),
        "kiosk_id": kiosk,
        "seq": seq,
        "volunteer_id": "V20250001",
        "activity_id": "A2026-0312",
        "action": "in",
        "method": "qr",
        "wall_utc": (WALL + timedelta(minutes=seq)).isoformat(timespec="milliseconds"),
        "utc_offset_min": 480,
        "monotonic_ns": 1_000_000_000 * seq,
        "boot_id": "boot-1",
        "ref_event_id": None,
        "auto_closed": False,
        "credit_seconds": None,
        "actor": None,
    }
    event.update(changes)
    return event


def batch(events: list[Any], offset: float | None = 0.0) -> dict[str, Any]:
    return {
        "batch_id": str(uuid.uuid4()),
        "sent_at_device": WALL.isoformat(timespec="milliseconds"),
        "clock_offset_s": offset,
        "events": events,
    }


def push(cloud: RunningCloud, auth: dict[str, str], body: dict[str, Any]) -> dict[str, Any]:
    reply = requests.post(f"{cloud.api_url}/events", json=body, headers=auth, timeout=10)
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


class SeqCounter:
    """Hands out fresh sequence numbers, so the module's tests never collide on (kiosk, seq)."""

    next = 1000

    @classmethod
    def take(cls, count: int = 1) -> int:
        first = cls.next
        cls.next += count
        return first


def test_new_events_are_accepted_and_sending_them_again_gives_duplicates(
    shared_cloud: RunningCloud, auth: dict[str, str]
) -> None:
    first = SeqCounter.take(3)
    events = [make_event(first + i) for i in range(3)]
    reply = push(shared_cloud, auth, batch(events))
    assert reply["accepted"] == [e["event_id"] for e in events]
    assert reply["duplicate"] == [] and reply["rejected"] == []
    assert datetime.fromisoformat(reply["server_time"]).tzinfo is not None

    again = push(shared_cloud, auth, batch(events))  # the reply was lost; the kiosk sends the batch again
    assert again["accepted"] == [] and again["rejected"] == []
    assert again["duplicate"] == [e["event_id"] for e in events]


def test_a_replayed_batch_with_changed_content_is_rejected_and_changes_nothing(
    shared_cloud: RunningCloud, auth: dict[str, str]
) -> None:
    seq = SeqCounter.take(2)
    events = [make_event(seq), make_event(seq + 1, action="out")]
    push(shared_cloud, auth, batch(events))
    before = shared_cloud.store.table_counts()
    with shared_cloud.store.read() as reader:
        stored = [reader.event_content(e["event_id"]) for e in events]

    changed = [dict(events[0], volunteer_id="V99999999"), dict(events[1], method="manual", actor="王")]
    reply = push(shared_cloud, auth, batch(changed))

    assert reply["accepted"] == [] and reply["duplicate"] == []
    assert reply["rejected"] == [{"event_id": e["event_id"], "reason": "conflict"} for e in events]
    assert shared_cloud.store.table_counts() == before
    with shared_cloud.store.read() as reader:
        assert [reader.event_content(e["event_id"]) for e in events] == stored


def test_another_event_under_a_used_seq_is_a_conflict(
    shared_cloud: RunningCloud, auth: dict[str, str]
) -> None:
    seq = SeqCounter.take()
    push(shared_cloud, auth, batch([make_event(seq)]))
    other = make_event(seq)  # a new ID, the same kiosk and seq: a reset kiosk database
    assert push(shared_cloud, auth, batch([other]))["rejected"] == [
        {"event_id": other["event_id"], "reason": "conflict"}
    ]


def test_a_duplicate_within_one_batch_is_reported_once_as_duplicate(
    shared_cloud: RunningCloud, auth: dict[str, str]
) -> None:
    event = make_event(SeqCounter.take())
    reply = push(shared_cloud, auth, batch([event, event]))
    assert reply["accepted"] == [event["event_id"]] and reply["duplicate"] == [event["event_id"]]


def test_an_event_of_another_kiosk_is_wrong_kiosk(shared_cloud: RunningCloud, auth: dict[str, str]) -> None:
    shared_cloud.register("K00000000B2")
    good, foreign = make_event(SeqCounter.take()), make_event(1, kiosk="K00000000B2")
    reply = push(shared_cloud, auth, batch([foreign, good]))
    assert reply["accepted"] == [good["event_id"]]
    assert reply["rejected"] == [{"event_id": foreign["event_id"], "reason": "wrong_kiosk"}]


INVALID_FIELDS = [
    ("event_id", "not-a-uuid"),
    ("event_id", "0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B"),  # upper case: not the canonical spelling
    ("kiosk_id", 17),
    ("kiosk_id", "K.1"),
    ("seq", 0),
    ("seq", True),
    ("seq", 1.0),
    ("seq", 2**63),
    ("volunteer_id", ""),
    ("volunteer_id", "V 1"),
    ("volunteer_id", "V" * 21),
    ("activity_id", None),
    ("action", "checkin"),
    ("method", "QR"),
    ("wall_utc", "2026-03-12T00:30:00Z"),
    ("wall_utc", "2026-03-12T08:30:00.000+08:00"),
    ("wall_utc", "2026-02-30T00:30:00.000+00:00"),
    ("wall_utc", 1741739400),
    ("utc_offset_min", 1440),
    ("utc_offset_min", "480"),
    ("monotonic_ns", -1),
    ("boot_id", ""),
    ("ref_event_id", "x"),
    ("auto_closed", 0),
    ("credit_seconds", -5),
    ("actor", "\x07"),
]


@pytest.mark.parametrize(("field", "value"), INVALID_FIELDS, ids=[f"{f}={v!r}" for f, v in INVALID_FIELDS])
def test_a_bad_field_rejects_only_that_event_naming_the_field(
    shared_cloud: RunningCloud, auth: dict[str, str], field: str, value: object
) -> None:
    good, bad = make_event(SeqCounter.take()), make_event(SeqCounter.take())
    bad[field] = value
    before = shared_cloud.store.table_counts()
    reply = push(shared_cloud, auth, batch([bad, good]))
    expected_id = bad["event_id"] if isinstance(bad["event_id"], str) else None
    assert reply["rejected"] == [{"event_id": expected_id, "reason": f"invalid:{field}"}]
    assert reply["accepted"] == [good["event_id"]]
    assert shared_cloud.store.table_counts()["events"] == before["events"] + 1


def test_every_value_a_kiosk_writes_is_accepted(shared_cloud: RunningCloud, auth: dict[str, str]) -> None:
    check_in = make_event(SeqCounter.take(), method="manual", actor="coordinator")
    events = [
        check_in,
        make_event(
            SeqCounter.take(), action="undo", method="manual", ref_event_id=check_in["event_id"], actor=""
        ),
        make_event(SeqCounter.take(), action="out", method="auto", auto_closed=True, credit_seconds=0),
        make_event(
            SeqCounter.take(), boot_id="proc-" + str(uuid.uuid4()), utc_offset_min=-600, volunteer_id="V/1"
        ),
    ]
    assert push(shared_cloud, auth, batch(events))["accepted"] == [e["event_id"] for e in events]


def test_missing_and_unknown_fields_and_non_objects_are_invalid(
    shared_cloud: RunningCloud, auth: dict[str, str]
) -> None:
    missing = make_event(SeqCounter.take())
    del missing["actor"]
    unknown = make_event(SeqCounter.take(), colour="red")
    strange = {**make_event(SeqCounter.take()), "a b": 1}
    undo_without_target = make_event(SeqCounter.take(), action="undo")
    reply = push(shared_cloud, auth, batch([missing, unknown, strange, undo_without_target, "text", 5]))
    assert [r["reason"] for r in reply["rejected"]] == [
        "invalid:actor",
        "invalid:colour",
        "invalid:unknown_field",
        "invalid:ref_event_id",
        "invalid:event",
        "invalid:event",
    ]
    assert reply["accepted"] == []


def test_the_server_keeps_device_time_receive_time_and_corrected_time(
    shared_cloud: RunningCloud, auth: dict[str, str]
) -> None:
    with_offset, without = make_event(SeqCounter.take()), make_event(SeqCounter.take())
    sent = datetime.now(UTC)
    push(shared_cloud, auth, batch([with_offset], offset=-172_800.25))  # the kiosk's clock is 48 h fast
    push(shared_cloud, auth, batch([without], offset=None))
    with shared_cloud.store.read() as reader:
        stored = {
            s.event.event_id: s
            for s in reader.events_between(WALL - timedelta(days=3), WALL + timedelta(days=30))
        }
    first = stored[with_offset["event_id"]]
    assert first.event.clock.wall_utc == datetime.fromisoformat(with_offset["wall_utc"])
    assert first.event.clock.utc_offset_min == 480
    assert first.clock_offset_s == -172_800.25
    assert first.corrected_utc == first.event.clock.wall_utc - timedelta(days=2, milliseconds=250)
    assert sent - timedelta(seconds=5) <= first.received_utc <= datetime.now(UTC) + timedelta(seconds=1)
    second = stored[without["event_id"]]
    assert second.clock_offset_s is None and second.corrected_utc == second.event.clock.wall_utc


def test_a_resent_event_keeps_its_first_corrected_time(
    shared_cloud: RunningCloud, auth: dict[str, str]
) -> None:
    event = make_event(SeqCounter.take())
    push(shared_cloud, auth, batch([event], offset=10.0))
    assert push(shared_cloud, auth, batch([event], offset=99.0))["duplicate"] == [event["event_id"]]
    with shared_cloud.store.read() as reader:
        (stored,) = [
            s
            for s in reader.events_between(WALL - timedelta(days=1), WALL + timedelta(days=30))
            if s.event.event_id == event["event_id"]
        ]
    assert stored.clock_offset_s == 10.0


def test_an_empty_batch_is_answered_and_changes_nothing(
    shared_cloud: RunningCloud, auth: dict[str, str]
) -> None:
    before = shared_cloud.store.table_counts()
    assert push(shared_cloud, auth, batch([])) | {"server_time": ""} == {
        "accepted": [],
        "duplicate": [],
        "rejected": [],
        "server_time": "",
    }
    assert shared_cloud.store.table_counts() == before


def test_events_are_append_only_in_the_database(shared_cloud: RunningCloud, auth: dict[str, str]) -> None:
    event = make_event(SeqCounter.take())
    push(shared_cloud, auth, batch([event]))
    with pytest.raises(Exception, match="append-only"), shared_cloud.store.write() as writer:
        writer._conn.execute("UPDATE events SET volunteer_id = 'X' WHERE event_id = ?", (event["event_id"],))


def test_an_unexpected_failure_is_500_internal_without_details(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with running_cloud(tmp_path / "cloud") as cloud:
        auth = cloud.register(KIOSK)

        def broken(*args: object, **kwargs: object) -> set[str]:
            raise RuntimeError("secret internals /srv/db")

        monkeypatch.setattr("cloud.queries.Writer.insert_events", broken)
        before = cloud.store.table_counts()
        reply = requests.post(
            f"{cloud.api_url}/events", json=batch([make_event(1)]), headers=auth, timeout=10
        )
        assert reply.status_code == 500
        assert reply.json() == {"error": "internal", "message": "the server failed; try again later"}
        assert "secret" not in reply.text
        assert cloud.store.table_counts() == before
