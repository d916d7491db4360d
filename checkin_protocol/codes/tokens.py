"""The two signed tokens, volunteer cards and activity codes, and their payloads.

A payload is a compact UTF-8 JSON array of positional fields (see
``docs/codes.md``). This module turns the dataclasses into payload bytes and
back, checking every field (``ValueError``); it knows nothing of signatures or
text framing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from checkin_protocol.codes.fields import (
    check_date,
    check_id,
    check_instant,
    check_int,
    check_text,
    date_to_day,
    day_to_date,
    from_payload,
    to_instant,
    to_payload,
    to_seconds,
)
from checkin_protocol.models import Activity, ActivityStatus, OrgLevel

# Text limits, in characters. IDs are ASCII; names and titles may be Chinese.
MAX_KEY_ID = 8
MAX_VOLUNTEER_ID = 20
MAX_DISPLAY_NAME = 8
MAX_CARD_NO = 9999
MAX_ACTIVITY_ID = 32
MAX_ORG_ID = 32
MAX_TITLE = 40
MAX_ORG_NAME = 40
MAX_VENUE = 60
MAX_CATEGORY = 20
MAX_WINDOW_MIN = 7 * 24 * 60  # check-in windows longer than a week are a typo
MAX_CAPACITY = 1_000_000

# Payload budgets. 80 bytes + the 64-byte signature = 144 bytes = 216 base45
# characters, + "VC1:" = 220, which fits the 221 alphanumeric characters of
# a version-8 QR code at error correction M.
MAX_CARD_PAYLOAD_BYTES = 80
MAX_ACTIVITY_PAYLOAD_BYTES = 1024

CARD_FIELD_COUNT = 6
ACTIVITY_FIELD_COUNT = 15


@dataclass(frozen=True, slots=True)
class VolunteerCard:
    """A volunteer's card: who they are, which of their cards this is, and how long it is good.

    ``display_name`` is the masked name shown on the kiosk (雷*霞), never the
    full name. ``card_no`` counts this volunteer's cards from 1, so a lost
    card can be revoked without the replacement. ``expires_on`` ``None``
    means the card does not expire; on the expiry day itself it is still good.
    """

    key_id: str
    volunteer_id: str
    display_name: str
    card_no: int
    issued_on: date
    expires_on: date | None = None

    def __post_init__(self) -> None:
        check_id("key_id", self.key_id, MAX_KEY_ID)
        check_id("volunteer_id", self.volunteer_id, MAX_VOLUNTEER_ID)
        check_text("display_name", self.display_name, MAX_DISPLAY_NAME)
        check_int("card_no", self.card_no, 1, MAX_CARD_NO)
        check_date("issued_on", self.issued_on)
        if self.expires_on is not None:
            check_date("expires_on", self.expires_on)
            if self.expires_on < self.issued_on:
                raise ValueError("expires_on must not be before issued_on")

    def is_expired(self, today: date) -> bool:
        """Whether the card has expired by ``today`` (it is still good on its expiry day)."""
        return self.expires_on is not None and self.expires_on < today

    def to_payload(self) -> bytes:
        """The signed payload; ``ValueError`` if it would not fit a version-8 QR code."""
        expires = 0 if self.expires_on is None else date_to_day(self.expires_on)
        payload = to_payload(
            [
                self.key_id,
                self.volunteer_id,
                self.display_name,
                self.card_no,
                date_to_day(self.issued_on),
                expires,
            ]
        )
        if len(payload) > MAX_CARD_PAYLOAD_BYTES:
            raise ValueError(
                f"card payload is {len(payload)} bytes, at most {MAX_CARD_PAYLOAD_BYTES} fit"
                " a version-8 QR code; shorten display_name or volunteer_id"
            )
        return payload

    @classmethod
    def from_payload(cls, payload: bytes) -> VolunteerCard:
        """Parse and check a card payload; ``ValueError`` says what is wrong."""
        if len(payload) > MAX_CARD_PAYLOAD_BYTES:
            raise ValueError(f"card payload is {len(payload)} bytes, over {MAX_CARD_PAYLOAD_BYTES}")
        key_id, volunteer_id, display_name, card_no, issued, expires = from_payload(payload, CARD_FIELD_COUNT)
        return cls(
            key_id=check_id("key_id", key_id, MAX_KEY_ID),
            volunteer_id=check_id("volunteer_id", volunteer_id, MAX_VOLUNTEER_ID),
            display_name=check_text("display_name", display_name, MAX_DISPLAY_NAME),
            card_no=check_int("card_no", card_no, 1, MAX_CARD_NO),
            issued_on=day_to_date("issued_on", issued),
            expires_on=None if expires == 0 and type(expires) is int else day_to_date("expires_on", expires),
        )


@dataclass(frozen=True, slots=True)
class ActivityCode:
    """An activity code (活动码): the activity it opens, signed by the platform.

    The activity is normalised on construction: times in UTC and status
    ``SCHEDULED`` (a code says nothing about whether the activity is open), so
    a decoded code compares equal to the code that was issued.
    """

    key_id: str
    activity: Activity
    issued_on: date

    def __post_init__(self) -> None:
        check_id("key_id", self.key_id, MAX_KEY_ID)
        check_date("issued_on", self.issued_on)
        a = self.activity
        if not isinstance(a, Activity):
            raise ValueError("activity must be an Activity")
        check_id("activity_id", a.activity_id, MAX_ACTIVITY_ID)
        check_text("title", a.title, MAX_TITLE)
        if a.org_id is not None:
            check_id("org_id", a.org_id, MAX_ORG_ID)
        check_text("org_name", a.org_name, MAX_ORG_NAME)
        check_text("venue", a.venue, MAX_VENUE)
        check_text("category", a.category, MAX_CATEGORY)
        try:
            level = OrgLevel(a.org_level)
        except ValueError:
            raise ValueError(f"org_level must be one of {', '.join(OrgLevel)}") from None
        starts_at = check_instant("starts_at", a.starts_at)
        ends_at = check_instant("ends_at", a.ends_at)
        if ends_at <= starts_at:
            raise ValueError("ends_at must be after starts_at")
        check_int("checkin_opens_before_min", a.checkin_opens_before_min, 0, MAX_WINDOW_MIN)
        if a.checkin_closes_after_start_min is not None:
            check_int("checkin_closes_after_start_min", a.checkin_closes_after_start_min, 0, MAX_WINDOW_MIN)
        if a.capacity is not None:
            check_int("capacity", a.capacity, 1, MAX_CAPACITY)
        if type(a.signup_required) is not bool:
            raise ValueError("signup_required must be a bool")
        normalised = replace(
            a, org_level=level, starts_at=starts_at, ends_at=ends_at, status=ActivityStatus.SCHEDULED
        )
        object.__setattr__(self, "activity", normalised)

    @property
    def activity_id(self) -> str:
        """The ID of the activity this code opens."""
        return self.activity.activity_id

    def to_activity(self) -> Activity:
        """The activity, status ``SCHEDULED``, ready for the store."""
        return self.activity

    def to_payload(self) -> bytes:
        """The signed payload."""
        a = self.activity
        payload = to_payload(
            [
                self.key_id,
                a.activity_id,
                a.title,
                a.org_id,
                a.org_name,
                a.org_level.value,
                a.venue,
                to_seconds(a.starts_at),
                to_seconds(a.ends_at),
                a.checkin_opens_before_min,
                a.checkin_closes_after_start_min,
                a.category,
                a.capacity,
                int(a.signup_required),
                date_to_day(self.issued_on),
            ]
        )
        if len(payload) > MAX_ACTIVITY_PAYLOAD_BYTES:  # unreachable within the text limits; a guard
            raise ValueError(f"activity payload is {len(payload)} bytes, over {MAX_ACTIVITY_PAYLOAD_BYTES}")
        return payload

    @classmethod
    def from_payload(cls, payload: bytes) -> ActivityCode:
        """Parse and check an activity code payload; ``ValueError`` says what is wrong."""
        if len(payload) > MAX_ACTIVITY_PAYLOAD_BYTES:
            raise ValueError(f"activity payload is {len(payload)} bytes, over {MAX_ACTIVITY_PAYLOAD_BYTES}")
        fields = from_payload(payload, ACTIVITY_FIELD_COUNT)
        (key_id, activity_id, title, org_id, org_name, level, venue, starts, ends, opens_before,
         closes_after, category, capacity, signup, issued) = fields  # fmt: skip
        if type(level) is not str or level not in {lv.value for lv in OrgLevel}:
            raise ValueError(f"org_level must be one of {', '.join(OrgLevel)}")
        activity = Activity(
            activity_id=check_id("activity_id", activity_id, MAX_ACTIVITY_ID),
            title=check_text("title", title, MAX_TITLE),
            org_id=None if org_id is None else check_id("org_id", org_id, MAX_ORG_ID),
            org_name=check_text("org_name", org_name, MAX_ORG_NAME),
            org_level=OrgLevel(level),
            venue=check_text("venue", venue, MAX_VENUE),
            starts_at=to_instant("starts_at", starts),
            ends_at=to_instant("ends_at", ends),
            checkin_opens_before_min=check_int("checkin_opens_before_min", opens_before, 0, MAX_WINDOW_MIN),
            checkin_closes_after_start_min=(
                None
                if closes_after is None
                else check_int("checkin_closes_after_start_min", closes_after, 0, MAX_WINDOW_MIN)
            ),
            category=check_text("category", category, MAX_CATEGORY),
            capacity=None if capacity is None else check_int("capacity", capacity, 1, MAX_CAPACITY),
            signup_required=bool(check_int("signup_required", signup, 0, 1)),
        )
        return cls(
            key_id=check_id("key_id", key_id, MAX_KEY_ID),
            activity=activity,
            issued_on=day_to_date("issued_on", issued),
        )


Token = VolunteerCard | ActivityCode
