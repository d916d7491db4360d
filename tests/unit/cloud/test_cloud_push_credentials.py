"""The ``credential`` of a pushed event over HTTP (SQLite and PostgreSQL): optional, checked, part of its content."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests
from helpers.cloud_server import RunningCloud, kiosk_event_rows

from checkin_protocol.event_rows import EVENT_COLUMNS

KIOSK = "K00000000C1"
CREDENTIAL_AT = EVENT_COLUMNS.index("credential")


def make_event(seq: int, **changes: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "event_id": str(uuid.uuid4()),
        "kiosk_id": KIOSK,
        "seq": seq,
        "volunteer_id": "V20250001",
        "activity_id": "A2026-0312",
        "action": "in",
        "method": "qr",
        "wall_utc": f"2026-03-12T01:{seq:02d}:00.000+00:00",
        "utc_offset_min": 480,
        "monotonic_ns": 1_000_000_000 * seq,
        "boot_id": "boot-1",
        "ref_event_id": None,
        "auto_closed": False,
        "credit_seconds": None,
        "actor": None,
    }
    return {**event, **changes}


def push(cloud: RunningCloud, auth: dict[str, str], events: list[dict[str, Any]]) -> dict[str, Any]:
    body: dict[str, Any] = {
        "batch_id": str(uuid.uuid4()),
        "sent_at_device": "2026-03-12T02:00:00.000+00:00",
        "clock_offset_s": 0.0,
        "events": events,
    }
    reply = requests.post(f"{cloud.api_url}/events", json=body, headers=auth, timeout=10)
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


@pytest.fixture(scope="module")
def auth(shared_cloud: RunningCloud) -> dict[str, str]:
    return shared_cloud.register(KIOSK)


class Seq:
    next = 1

    @classmethod
    def take(cls) -> int:
        cls.next += 1
        return cls.next - 1


def _stored_credential(cloud: RunningCloud, event_id: str) -> Any:
    rows = kiosk_event_rows(cloud.store, KIOSK)
    (row,) = [r for r in rows if r[0] == event_id]
    return row[CREDENTIAL_AT]


@pytest.mark.parametrize("credential", ["card", "pass", None, "absent"])
def test_an_event_with_or_without_a_credential_is_stored_with_it(
    shared_cloud: RunningCloud, auth: dict[str, str], credential: str | None
) -> None:
    event = make_event(Seq.take())
    if credential != "absent":  # an older kiosk leaves the field out; a newer one sends null or leaves it out
        event["credential"] = credential
    reply = push(shared_cloud, auth, [event])
    assert reply["accepted"] == [event["event_id"]]
    assert _stored_credential(shared_cloud, event["event_id"]) == (
        None if credential == "absent" else credential
    )


@pytest.mark.parametrize("credential", ["face", "", "CARD", 1, True])
def test_any_other_credential_is_refused_as_invalid(
    shared_cloud: RunningCloud, auth: dict[str, str], credential: object
) -> None:
    event = make_event(Seq.take(), credential=credential)
    reply = push(shared_cloud, auth, [event])
    assert reply["rejected"] == [{"event_id": event["event_id"], "reason": "invalid:credential"}]


def test_left_out_and_null_are_the_same_content_but_another_credential_is_a_conflict(
    shared_cloud: RunningCloud, auth: dict[str, str]
) -> None:
    event = make_event(Seq.take())
    assert push(shared_cloud, auth, [event])["accepted"] == [event["event_id"]]
    assert push(shared_cloud, auth, [{**event, "credential": None}])["duplicate"] == [event["event_id"]]
    conflict = push(shared_cloud, auth, [{**event, "credential": "pass"}])
    assert conflict["rejected"] == [{"event_id": event["event_id"], "reason": "conflict"}]
