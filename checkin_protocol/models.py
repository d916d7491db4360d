"""The vocabulary of the kiosk: volunteers, activities, clock readings and events.

These are plain frozen dataclasses and string enums. Every other layer (store,
identity, services, UI) speaks in these types; none of them knows about SQLite,
Qt or the network.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from enum import StrEnum


class Action(StrEnum):
    """What an event records."""

    CHECK_IN = "in"
    CHECK_OUT = "out"
    UNDO = "undo"  # compensates an earlier event, named by ``ref_event_id``


class Method(StrEnum):
    """How the volunteer was recognised (or who made the event)."""

    QR = "qr"  # the webcam read the volunteer's card
    SCANNER = "scanner"  # a USB barcode scanner typed the card
    FACE = "face"
    MANUAL = "manual"  # a coordinator signed the volunteer in or out by hand
    AUTO = "auto"  # the kiosk closed a forgotten check-out at activity end


class Credential(StrEnum):
    """What the volunteer showed to be recognised by code (faces and hands leave it unset)."""

    CARD = "card"  # a volunteer card: printed, or a screenshot of one
    PASS = "pass"  # a phone pass: a code the volunteer's phone signs every 30 s (docs/codes.md)


class OrgLevel(StrEnum):
    """The four levels of volunteer organisations."""

    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"
    VILLAGE = "village"


class ActivityStatus(StrEnum):
    """Where an activity stands on this kiosk."""

    SCHEDULED = "scheduled"  # known, not opened for check-in yet
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class ClockReading:
    """One reading of the device clocks, taken when an event happens.

    ``wall_utc`` is the device's wall time (timezone-aware, UTC) and may be
    wrong or jump; ``monotonic_ns`` never goes back within one boot, which
    ``boot_id`` names. Comparing the two across events reveals clock jumps.
    """

    wall_utc: datetime
    utc_offset_min: int
    monotonic_ns: int
    boot_id: str

    def __post_init__(self) -> None:
        if self.wall_utc.tzinfo is None or self.wall_utc.utcoffset() != timedelta(0):
            raise ValueError("wall_utc must be a timezone-aware UTC datetime")

    @property
    def local(self) -> datetime:
        """The wall time in the device's local time zone."""
        return self.wall_utc.astimezone(timezone(timedelta(minutes=self.utc_offset_min)))

    def seconds_since(self, earlier: ClockReading) -> float:
        """Elapsed seconds from ``earlier`` to this reading.

        Within one boot the monotonic clock is trusted (wall-clock jumps do not
        change it); across boots only the wall clock is left.
        """
        if self.boot_id == earlier.boot_id:
            return (self.monotonic_ns - earlier.monotonic_ns) / 1e9
        return (self.wall_utc - earlier.wall_utc).total_seconds()


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime:
    """A timezone-aware UTC datetime; a small convenience for rules and tests."""
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Organisation:
    """A volunteer team at one of the four levels."""

    org_id: str
    name: str
    level: OrgLevel
    parent_id: str | None = None


@dataclass(frozen=True, slots=True)
class Volunteer:
    """A registered volunteer as the roster knows them."""

    volunteer_id: str
    name: str
    org_id: str | None = None
    phone: str | None = None
    active: bool = True

    @property
    def masked_name(self) -> str:
        """The name as shown on a public screen: first and last character only."""
        return mask_name(self.name)


def mask_name(name: str) -> str:
    """Mask a name for display on a public screen: 雷彩霞 -> 雷*霞, 王芳 -> 王*."""
    name = name.strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


@dataclass(frozen=True, slots=True)
class Activity:
    """A volunteer service activity with its schedule and check-in rules.

    Times are timezone-aware UTC. Check-in opens ``checkin_opens_before_min``
    minutes before the start and closes ``checkin_closes_after_start_min``
    minutes after the start (``None``: check-in stays open until the end).
    ``capacity`` ``None`` means unlimited.
    """

    activity_id: str
    title: str
    org_name: str
    org_level: OrgLevel
    venue: str
    starts_at: datetime
    ends_at: datetime
    category: str
    org_id: str | None = None
    capacity: int | None = None
    checkin_opens_before_min: int = 30
    checkin_closes_after_start_min: int | None = None
    signup_required: bool = False
    status: ActivityStatus = ActivityStatus.SCHEDULED

    @property
    def checkin_opens_at(self) -> datetime:
        return self.starts_at - timedelta(minutes=self.checkin_opens_before_min)

    @property
    def checkin_closes_at(self) -> datetime:
        if self.checkin_closes_after_start_min is None:
            return self.ends_at
        return min(self.ends_at, self.starts_at + timedelta(minutes=self.checkin_closes_after_start_min))


@dataclass(frozen=True, slots=True)
class Event:
    """An append-only fact: a check-in, a check-out, or the undo of an earlier event.

    ``seq`` increases strictly per kiosk with no gaps. ``credit_seconds``, when
    set, overrides the service time computed from the clocks (auto-closed
    visits); ``auto_closed`` marks such visits for review. ``actor`` names the
    coordinator for manual events. ``credential`` says what was shown (a card
    or a phone pass); None for faces, manual and auto events and older kiosks.
    """

    event_id: str
    kiosk_id: str
    seq: int
    volunteer_id: str
    activity_id: str
    action: Action
    method: Method
    clock: ClockReading
    ref_event_id: str | None = None
    auto_closed: bool = False
    credit_seconds: int | None = None
    actor: str | None = None
    credential: Credential | None = None


def local_date(reading: ClockReading) -> date:
    """The device-local calendar date of a reading."""
    return reading.local.date()


@dataclass(frozen=True, slots=True)
class Identity:
    """A recognised volunteer: from a verified card, a face match or a coordinator.

    ``card_no`` is set when a card was read, so a revoked card can be refused
    while the volunteer's newer card still works. ``credential`` is what was
    shown (a card or a phone pass), recorded on the event.
    """

    volunteer_id: str
    display_name: str
    method: Method
    card_no: int | None = None
    credential: Credential | None = None
