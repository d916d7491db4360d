"""Event IDs are valid version-7 UUIDs, unique and ordered by creation time."""

from __future__ import annotations

import time
import uuid

from kiosk.services.ids import new_event_id


def test_event_ids_are_uuid7_unique_and_time_ordered() -> None:
    ids: list[str] = []
    for _ in range(5):
        ids.extend(new_event_id() for _ in range(200))
        time.sleep(0.002)
    parsed = [uuid.UUID(i) for i in ids]
    assert all(u.version == 7 and u.variant == uuid.RFC_4122 for u in parsed)
    assert len(set(ids)) == len(ids)
    # Across milliseconds the IDs sort in creation order (the first 48 bits are the time).
    firsts = [ids[n * 200] for n in range(5)]
    assert firsts == sorted(firsts)
    millis = parsed[0].int >> 80
    assert abs(millis - time.time_ns() // 1_000_000) < 60_000
