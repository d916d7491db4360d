"""Fakes for the device clock and builders for activities and a ready kiosk store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from checkin_protocol.codes.trust import RevocationList
from checkin_protocol.models import Action, Activity, ActivityStatus, ClockReading, Event, Method, OrgLevel
from checkin_protocol.policy import AttendancePolicy
from kiosk.camera.frame_source import CameraState, FrameSource
from kiosk.services.attendance import AttendanceService
from kiosk.services.ids import new_event_id
from kiosk.store.activities import save_activity
from kiosk.store.database import Store, open_store
from kiosk.store.events import append_event

KIOSK_ID = "KTEST01"
AREA_KEY = bytes(range(32))  # the area key the sync tests save in a kiosk store
CHINA_OFFSET_MIN = 480


@dataclass
class FakeClock:
    """A device clock the test moves: time passes, the wall clock jumps, the machine reboots."""

    wall: datetime = field(default_factory=lambda: datetime(2026, 11, 29, 1, 0, tzinfo=UTC))
    monotonic_ns: int = 1_000_000_000_000
    boot: int = 1
    offset_min: int = CHINA_OFFSET_MIN

    def now(self) -> ClockReading:
        return ClockReading(self.wall, self.offset_min, self.monotonic_ns, f"boot-{self.boot}")

    def advance(self, seconds: float) -> None:
        """Real time passes: both clocks move."""
        self.wall += timedelta(seconds=seconds)
        self.monotonic_ns += int(seconds * 1e9)

    def jump_wall(self, seconds: float) -> None:
        """Someone sets the wall clock; the monotonic clock does not move."""
        self.wall += timedelta(seconds=seconds)

    def reboot(self) -> None:
        self.boot += 1
        self.monotonic_ns = 5_000_000_000


def make_activity(
    activity_id: str = "A20261129001",
    starts_at: datetime | None = None,
    hours: float = 4,
    status: ActivityStatus = ActivityStatus.OPEN,
    **overrides: object,
) -> Activity:
    start = starts_at or datetime(2026, 11, 29, 1, 0, tzinfo=UTC)  # 09:00 in China
    values: dict[str, object] = {
        "activity_id": activity_id,
        "title": "图书馆阅读推广志愿服务",
        "org_name": "江城市志愿服务联合会",
        "org_level": OrgLevel.CITY,
        "venue": "江城市图书馆",
        "starts_at": start,
        "ends_at": start + timedelta(hours=hours),
        "category": "文化服务",
        "status": status,
    }
    values.update(overrides)
    return Activity(**values)  # type: ignore[arg-type]


def open_test_store(path: Path, *activities: Activity) -> Store:
    store = open_store(path)
    add_activities(store, *activities)
    return store


def add_activities(store: Store, *activities: Activity) -> None:
    """Save ``activities`` in ``store``, each with its own status."""
    with store.write() as db:
        for activity in activities:
            save_activity(db, activity)
            db.execute(
                "UPDATE activities SET status = ? WHERE activity_id = ?",
                [activity.status.value, activity.activity_id],
            )


def make_service(
    store: Store,
    clock: FakeClock,
    policy: AttendancePolicy | None = None,
    revocations: RevocationList | None = None,
) -> AttendanceService:
    return AttendanceService(
        store, KIOSK_ID, clock, policy or AttendancePolicy(), revocations or RevocationList()
    )


def append_events(store: Store, kiosk_id: str, clock: FakeClock, count: int) -> list[Event]:
    """Append ``count`` events of ``kiosk_id`` to activity A1, 2 s apart: check-ins and check-outs of 50 volunteers."""
    events = []
    with store.write() as db:
        first = (db.execute("SELECT MAX(seq) FROM events").fetchone()[0] or 0) + 1
        for seq in range(first, first + count):
            clock.advance(2)
            action = Action.CHECK_IN if seq % 2 else Action.CHECK_OUT
            event = Event(
                new_event_id(), kiosk_id, seq, f"V{seq % 50:03d}", "A1", action, Method.QR, clock.now()
            )
            append_event(db, event)
            events.append(event)
    return events


class RecordingSoundPlayer:
    """A :class:`kiosk.services.sound.SoundPlayer` that remembers the names it was asked to play, in order."""

    def __init__(self) -> None:
        self.played: list[str] = []

    def play(self, name: str) -> None:
        """Record ``name``."""
        self.played.append(name)


def camera_state(source: FrameSource) -> CameraState:
    """``source.state`` read afresh: mypy would keep what an earlier ``assert source.state is ...`` narrowed it to."""
    return source.state


class UnpluggedCamera:
    """A ``cv2.VideoCapture`` stand-in for a webcam that is not plugged in (never opens, never reads)."""

    def __init__(self, device: object) -> None:
        pass

    def isOpened(self) -> bool:
        return False

    def read(self) -> tuple[bool, None]:
        return False, None

    def set(self, prop: int, value: float) -> bool:
        return False

    def release(self) -> None:
        pass
