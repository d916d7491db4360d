"""A small city for the dashboard's tests: an organisation tree, volunteers, activities, and events pushed.

The tree (every level of the platform)::

    C1 城市 (city)
    ├── K1 东城区 (county) ── T1 东华街道 (township) ── G1 东华一村, G2 东华二村 (villages)
    └── K2 西城区 (county) ── T2 西山镇 (township) ── G3 西山村 (village)

Volunteers V1, V2 belong to G1, V3 to G2, V4 to G3; activities A1 (G1,
助老), A2 (G2, 环保), A3 (G3, 助老) run 08:00 to 18:00 Beijing time on
:data:`DAY`. Events go through the cloud's real ingest, as a push does.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from cloud.ingest import ingest
from cloud.protocol import PushRequest, format_time
from cloud.storage import Storage

DAY = date(2026, 12, 4)
#: 10:00 Beijing time on DAY.
NOON_ISH = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
ROSTER_CSV = (
    "volunteer_id,name,phone,org_id,org_name,org_level,org_parent_id\n"
    "V1,张三丰,13800000001,G1,东华一村,village,T1\n"
    "V2,李小龙,13800000002,G1,东华一村,village,T1\n"
    "V3,王五,13800000003,G2,东华二村,village,T1\n"
    "V4,赵六,13800000004,G3,西山村,village,T2\n"
    "V9,钱七,13800000009,T1,东华街道,township,K1\n"
    "V8,孙八,13800000008,T2,西山镇,township,K2\n"
    "V7,周九,13800000007,K1,东城区,county,C1\n"
    "V6,吴十,13800000006,K2,西城区,county,C1\n"
    "V5,郑一,13800000005,C1,城市,city,\n"
)
ACTIVITIES = (
    ("A1", "G1", "东华一村", "助老"),
    ("A2", "G2", "东华二村", "环保"),
    ("A3", "G3", "西山村", "助老"),
)


def seed_city(store: Storage, folder: Path) -> None:
    """Import the roster and add the activities of :data:`ACTIVITIES` on :data:`DAY`."""
    roster = folder / "roster.csv"
    roster.write_text(ROSTER_CSV, encoding="utf-8")
    report = store.import_roster(roster)
    assert report.imported and not report.bad_rows, report
    starts = datetime(2026, 12, 4, 0, 0, tzinfo=UTC)  # 08:00 Beijing time
    with store.write() as writer:
        for activity_id, org_id, org_name, category in ACTIVITIES:
            writer.upsert_activity(
                {
                    "activity_id": activity_id,
                    "title": f"{org_name}{category}服务",
                    "org_id": org_id,
                    "org_name": org_name,
                    "org_level": "village",
                    "venue": f"{org_name}活动室",
                    "starts_at": format_time(starts),
                    "ends_at": format_time(starts + timedelta(hours=10)),
                    "category": category,
                    "capacity": None,
                    "checkin_opens_before_min": 30,
                    "checkin_closes_after_start_min": None,
                    "signup_required": 0,
                }
            )


class KioskEvents:
    """The events of one kiosk, with its own ``seq``; :meth:`push` stores them through the real ingest."""

    def __init__(self, kiosk_id: str) -> None:
        self.kiosk_id = kiosk_id
        self.seq = 0

    def event(
        self, volunteer_id: str, activity_id: str, action: str, wall: datetime, **changes: Any
    ) -> dict[str, Any]:
        """The next event of this kiosk (Beijing time on its clock, one boot)."""
        self.seq += 1
        record = {
            "event_id": str(uuid.uuid4()),
            "kiosk_id": self.kiosk_id,
            "seq": self.seq,
            "volunteer_id": volunteer_id,
            "activity_id": activity_id,
            "action": action,
            "method": "qr",
            "wall_utc": wall.isoformat(timespec="milliseconds"),
            "utc_offset_min": 480,
            "monotonic_ns": int(wall.timestamp() * 1e9) - 1_700_000_000 * 10**9,
            "boot_id": f"boot-{self.kiosk_id}",
            "ref_event_id": None,
            "auto_closed": False,
            "credit_seconds": None,
            "actor": None,
        }
        return record | changes

    def push(self, store: Storage, events: list[dict[str, Any]], now: datetime) -> None:
        """Store ``events`` as a push of this kiosk at ``now``; every one must be accepted."""
        request = PushRequest.model_validate(
            {
                "batch_id": str(uuid.uuid4()),
                "sent_at_device": now.isoformat(timespec="milliseconds"),
                "clock_offset_s": 0.0,
                "events": events,
            }
        )
        reply = ingest(store, self.kiosk_id, request, now)
        assert len(reply.accepted) == len(events), reply
