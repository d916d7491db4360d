"""Face records sent straight to the reference cloud over HTTP, as a kiosk (or someone holding its credentials) would.

Usage::

    from helpers.face_cloud import FaceDevice, MovingClock, verdicts

    clock = MovingClock(datetime(2026, 12, 1, 10, 0, tzinfo=UTC))
    with running_cloud(tmp_path / "cloud", clock) as cloud:
        north = FaceDevice(cloud, "K-north-1", "north")        # registered, with the area key
        record = north.enrolment("V1", clock())                # enrolled_utc, consent a minute before
        verdicts(north.push(record, offset=None))              # {record_id: "accepted" | reason}
        north.feed()                                           # the face changes of the area, from the start
        clock.advance(60)                                      # the server's time moves on
"""

from __future__ import annotations

import base64
import uuid
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import requests

from checkin_protocol.face_records import seal_template
from cloud.protocol import format_time
from helpers.cloud_server import RunningCloud

MODEL = "dlib-resnet-v1"


class MovingClock:
    """A server clock the test moves: calling it gives the current time."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        """Time passes."""
        self.now += timedelta(seconds=seconds)


def new_id() -> str:
    """A fresh record or batch ID."""
    return str(uuid.uuid4())


def verdicts(reply: dict[str, Any]) -> dict[str | None, str]:
    """record ID -> ``accepted`` / ``duplicate`` / ``superseded`` or the rejection's reason."""
    found: dict[str | None, str] = {
        i: name for name in ("accepted", "duplicate", "superseded") for i in reply[name]
    }
    found.update({r["record_id"]: r["reason"] for r in reply["rejected"]})
    return found


class FaceDevice:
    """A kiosk registered in ``area``: its credentials, its area key, and face records made as it pleases."""

    def __init__(
        self, cloud: RunningCloud, kiosk_id: str, area: str, *, sent_at: datetime | None = None
    ) -> None:
        """Register ``kiosk_id`` in ``area``; ``sent_at``: the ``sent_at_device`` of every push (default: the
        server's time at each push)."""
        self.cloud = cloud
        self.kiosk_id = kiosk_id
        self.sent_at = sent_at
        self.auth = cloud.register(kiosk_id, area)
        reply = requests.get(f"{cloud.api_url}/face-key", headers=self.auth, timeout=10).json()
        assert reply["area_id"] == area
        self.key = base64.b64decode(reply["face_key"])

    def enrolment(
        self,
        volunteer: str,
        at: datetime,
        *,
        consented: datetime | None = None,
        replaces: str | None = None,
        key: bytes | None = None,
        count: int = 3,
    ) -> dict[str, Any]:
        """An enrolment dated ``at`` (the consent a minute before unless given), ``count`` templates sealed
        under ``key`` (default: the area key)."""
        rng = np.random.default_rng()
        templates = [
            seal_template(
                key or self.key, new_id(), volunteer, MODEL, rng.normal(size=128).astype(np.float32).tobytes()
            )
            for _ in range(count)
        ]
        return {
            "record_id": new_id(),
            "kind": "enrolment",
            "kiosk_id": self.kiosk_id,
            "volunteer_id": volunteer,
            "model_version": MODEL,
            "enrolled_utc": format_time(at),
            "replaces": replaces,
            "consent": {
                "consented_utc": format_time(consented or at - timedelta(minutes=1)),
                "coordinator": "王老师",
                "notice_version": "2026-11",
            },
            "templates": templates,
        }

    def deletion(self, volunteer: str, at: datetime, *, replaces: str | None = None) -> dict[str, Any]:
        """A deletion dated ``at``."""
        return {
            "record_id": new_id(),
            "kind": "deletion",
            "kiosk_id": self.kiosk_id,
            "volunteer_id": volunteer,
            "deleted_utc": format_time(at),
            "replaces": replaces,
        }

    def push(
        self, *records: Any, offset: float | None = None, sent: datetime | None = None
    ) -> dict[str, Any]:
        """``POST /face`` with the batch header given (``sent``: the server's time when not given)."""
        body = {
            "batch_id": new_id(),
            "sent_at_device": format_time(sent or self.sent_at or self.cloud.instance.clock()),
            "clock_offset_s": offset,
            "records": list(records),
        }
        reply = requests.post(f"{self.cloud.api_url}/face", json=body, headers=self.auth, timeout=10)
        assert reply.status_code == 200, reply.text
        result: dict[str, Any] = reply.json()
        return result

    def feed(self) -> list[dict[str, Any]]:
        """The face changes this device's area is sent, pulling from the beginning."""
        reply = requests.get(f"{self.cloud.api_url}/changes", headers=self.auth, timeout=10).json()
        return [c for c in reply["changes"] if c["kind"].startswith("face_")]
