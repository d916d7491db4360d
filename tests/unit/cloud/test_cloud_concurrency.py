"""Two hundred kiosks pushing at the same moment: every batch answered, every event stored once."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path
from typing import Any

import requests
from helpers.cloud_server import running_cloud

KIOSKS = 200
EVENTS_PER_KIOSK = 20


def batch(kiosk_id: str) -> dict[str, Any]:
    events = [
        {
            "event_id": str(uuid.uuid4()),
            "kiosk_id": kiosk_id,
            "seq": seq,
            "volunteer_id": f"V{seq % 7}",
            "activity_id": "A1",
            "action": "in" if seq % 2 else "out",
            "method": "qr",
            "wall_utc": f"2026-03-12T01:{seq:02d}:00.000+00:00",
            "utc_offset_min": 480,
            "monotonic_ns": seq * 60 * 10**9,
            "boot_id": "b",
            "ref_event_id": None,
            "auto_closed": False,
            "credit_seconds": None,
            "actor": None,
        }
        for seq in range(1, EVENTS_PER_KIOSK + 1)
    ]
    return {
        "batch_id": str(uuid.uuid4()),
        "sent_at_device": "2026-03-12T02:00:00.000+00:00",
        "clock_offset_s": 0.5,
        "events": events,
    }


def push_all_at_once(url: str, kiosks: list[tuple[dict[str, str], dict[str, Any]]]) -> list[dict[str, Any]]:
    start = threading.Barrier(len(kiosks))
    replies: list[dict[str, Any]] = [{} for _ in kiosks]
    errors: list[BaseException] = []

    def kiosk(index: int, auth: dict[str, str], body: dict[str, Any]) -> None:
        try:
            with requests.Session() as session:
                start.wait(timeout=30)
                reply = session.post(url, json=body, headers=auth, timeout=60)
                replies[index] = {"status": reply.status_code, **reply.json()}
        except BaseException as exc:  # reported below, not lost in the thread
            errors.append(exc)

    threads = [threading.Thread(target=kiosk, args=(i, *k)) for i, k in enumerate(kiosks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors[:3]
    return replies


def test_200_kiosks_pushing_at_once_are_all_answered_and_stored_once(tmp_path: Path) -> None:
    with running_cloud(tmp_path / "cloud") as cloud:
        kiosks = [(cloud.register(f"K{i:010d}"), batch(f"K{i:010d}")) for i in range(KIOSKS)]
        url = f"{cloud.api_url}/events"

        first = push_all_at_once(url, kiosks)
        assert all(r["status"] == 200 and len(r["accepted"]) == EVENTS_PER_KIOSK for r in first)
        assert cloud.store.table_counts()["events"] == KIOSKS * EVENTS_PER_KIOSK

        again = push_all_at_once(url, kiosks)  # every reply was lost: all of it comes again
        assert all(r["status"] == 200 and len(r["duplicate"]) == EVENTS_PER_KIOSK for r in again)
        assert cloud.store.table_counts()["events"] == KIOSKS * EVENTS_PER_KIOSK
