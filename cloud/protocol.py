"""The wire format of sync protocol version 1 (``docs/sync-protocol.md``): limits, times, bodies.

Request and response bodies are pydantic models, so FastAPI documents them
in the OpenAPI schema. One exception, on purpose: :class:`PushRequest` takes
its events as raw JSON values, because each event is judged on its own
(:mod:`cloud.ingest` validates it with :class:`EventRecord`) and one bad
event must not reject the batch; its schema says so (an ``EventRecord``, or
anything else, answered in ``rejected``). The text formats (times, UUIDs,
IDs, cursors) are described exactly as parsed (:mod:`cloud.wire_schema`).
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, SkipValidation, WithJsonSchema

from checkin_protocol.codes.fields import check_id, check_text
from checkin_protocol.codes.tokens import MAX_ACTIVITY_ID, MAX_VOLUNTEER_ID
from cloud.wire_schema import (
    NEXT_CURSOR_JSON_SCHEMA,
    TIME_JSON_SCHEMA,
    TIME_PATTERN,
    UUID_JSON_SCHEMA,
    id_json_schema,
    text_json_schema,
    unfit_item_json_schema,
)

PROTOCOL_VERSION = 1
API_PREFIX = "/api/v1"
MAX_WIRE_BYTES = 4 * 1024 * 1024
MAX_DECODED_BYTES = 32 * 1024 * 1024
MAX_EVENTS_PER_BATCH = 500
DEFAULT_CHANGES_LIMIT = 1000
MAX_CHANGES_LIMIT = 5000
#: Missing ranges a page of changes tells a kiosk: enough for any real loss, small on every page.
MAX_MISSING_RANGES = 100
# A clock set to 1970 by a dead RTC battery is ~56 years wrong; a century is a generous bound.
MAX_CLOCK_OFFSET_S = 100 * 366 * 86400
MAX_INT64 = 2**63 - 1
MAX_ACTOR_CHARS = 64
KIOSK_ID_PATTERN = r"^[A-Za-z0-9_-]{1,32}$"  # no '.', which separates it from the secret
#: A registration nonce: base64url of 32 random bytes, without padding.
NONCE_PATTERN = r"^[A-Za-z0-9_-]{43}$"
#: An Ed25519 signature: standard base64 of its 64 bytes.
SIGNATURE_PATTERN = r"^[A-Za-z0-9+/]{86}==$"

_TIME_RE = re.compile(TIME_PATTERN)


def format_time(moment: datetime) -> str:
    """A time as the protocol writes it: ISO 8601 UTC with milliseconds and ``+00:00``."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def parse_time(value: object) -> datetime:
    """Parse a protocol time, exactly in :func:`format_time`'s form; ``ValueError`` otherwise.

    Only one spelling is accepted, so an event's stored text is the text sent
    and a resent event compares equal byte for byte.
    """
    if type(value) is not str or not _TIME_RE.fullmatch(value):
        raise ValueError("must be a time like 2026-11-29T01:02:03.456+00:00")
    return datetime.fromisoformat(value)


def check_uuid(value: object) -> str:
    """A UUID in canonical text form (lower case, with hyphens); ``ValueError`` otherwise."""
    if type(value) is not str or len(value) != 36:
        raise ValueError("must be a UUID like 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b")
    try:
        canonical = str(uuid.UUID(value))
    except ValueError:
        raise ValueError("must be a UUID") from None
    if canonical != value:
        raise ValueError("must be a UUID in lower case with hyphens")
    return value


def _check_actor(value: object) -> str:
    """Who made a manual event: up to 64 characters, no control characters (may be empty)."""
    if value == "":
        return ""
    return check_text("actor", value, MAX_ACTOR_CHARS)


def _id(field: str, max_len: int) -> BeforeValidator:
    return BeforeValidator(lambda value: check_id(field, value, max_len))


ProtocolTime = Annotated[datetime, BeforeValidator(parse_time), WithJsonSchema(TIME_JSON_SCHEMA)]
#: A time the server writes in a reply (always :func:`format_time`'s form).
WireTime = Annotated[str, WithJsonSchema(TIME_JSON_SCHEMA)]
#: A cursor the server writes in a reply (see :mod:`cloud.changes`).
WireCursor = Annotated[str, WithJsonSchema(NEXT_CURSOR_JSON_SCHEMA)]
EventId = Annotated[str, BeforeValidator(check_uuid), WithJsonSchema(UUID_JSON_SCHEMA)]
VolunteerIdText = Annotated[
    str, _id("volunteer_id", MAX_VOLUNTEER_ID), WithJsonSchema(id_json_schema(MAX_VOLUNTEER_ID))
]
ActivityIdText = Annotated[
    str, _id("activity_id", MAX_ACTIVITY_ID), WithJsonSchema(id_json_schema(MAX_ACTIVITY_ID))
]
BootIdText = Annotated[str, _id("boot_id", 64), WithJsonSchema(id_json_schema(64))]
ActorText = Annotated[
    str,
    BeforeValidator(_check_actor),
    WithJsonSchema({"anyOf": [{"const": ""}, text_json_schema(MAX_ACTOR_CHARS)]}),
]
ActionName = Literal["in", "out", "undo"]
MethodName = Literal["qr", "scanner", "face", "manual", "auto"]
#: What the volunteer showed: a card (printed or a screenshot) or a phone pass (issue 18).
CredentialName = Literal["card", "pass"]
#: How the kiosk's last self-test went: its worst check, or ``unknown`` (none has run).
SelfTestState = Literal["ok", "warning", "failed", "unknown"]
MAX_APP_VERSION_CHARS = 40
#: Records a kiosk can report waiting: far beyond any kiosk, and exact in every JSON number type.
MAX_WAITING = 2**31 - 1


def _json_integer(value: object) -> object:
    """A JSON Schema integer as Python's ``int``: ``3.0`` is one (JSON has one number type), ``True`` is not."""
    if type(value) is float and value.is_integer():
        return int(value)
    return value


#: A count in a request body: an integer as JSON Schema says, checked strictly otherwise.
JsonCount = Annotated[int, BeforeValidator(_json_integer)]
#: A protocol time that may be left out (never sent as null: absent says "none").
OptionalProtocolTime = Annotated[
    datetime | None, BeforeValidator(parse_time), WithJsonSchema(TIME_JSON_SCHEMA)
]
AppVersionText = Annotated[
    str,
    BeforeValidator(lambda value: check_text("app_version", value, MAX_APP_VERSION_CHARS)),
    WithJsonSchema(text_json_schema(MAX_APP_VERSION_CHARS)),
]


class EventRecord(BaseModel):
    """One event exactly as the kiosk records it; every field is required (nullable ones as null).

    The one exception is ``credential``, which came later: older kiosks leave
    it out, newer ones leave it out when it is null.
    """

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    event_id: EventId
    kiosk_id: str = Field(pattern=KIOSK_ID_PATTERN)
    seq: int = Field(ge=1, le=MAX_INT64)
    volunteer_id: VolunteerIdText
    activity_id: ActivityIdText
    action: ActionName
    method: MethodName
    wall_utc: ProtocolTime
    utc_offset_min: int = Field(ge=-1439, le=1439)
    monotonic_ns: int = Field(ge=0, le=MAX_INT64)
    boot_id: BootIdText
    ref_event_id: EventId | None
    auto_closed: bool
    credit_seconds: int | None = Field(ge=0, le=2**31 - 1)
    actor: ActorText | None
    credential: CredentialName | None = Field(
        default=None,
        description="what the volunteer showed: a card or a phone pass; left out (or null) for faces, "
        "manual and auto events, and by kiosks older than the field",
    )


#: An item of a push that is not an event: judged and answered on its own (see the module docstring).
NotAnEvent = Annotated[Any, WithJsonSchema(unfit_item_json_schema("event"))]


class ErrorBody(BaseModel):
    """Every error reply: a stable code for programs and a plain sentence for people."""

    error: str
    message: str


class TimeResponse(BaseModel):
    """``GET /time``."""

    server_time: WireTime
    protocol: int = PROTOCOL_VERSION


class RegisterRequest(BaseModel):
    """``POST /register``: a provisioning code exchanged for device credentials."""

    model_config = ConfigDict(strict=True)

    provisioning_code: str = Field(max_length=200)
    kiosk_id: str = Field(pattern=KIOSK_ID_PATTERN)
    app_version: str = Field(min_length=1, max_length=40)
    device_public_key: str = Field(max_length=100, description="standard base64 of a raw Ed25519 key")
    nonce: str = Field(pattern=NONCE_PATTERN, description="a nonce of POST /register/nonce for this kiosk ID")
    device_signature: str = Field(
        pattern=SIGNATURE_PATTERN,
        description="the device key's Ed25519 signature of the registration message "
        "(docs/sync-protocol.md, 'Proof of the device key'), standard base64",
    )


class RegistrationNonceRequest(BaseModel):
    """``POST /register/nonce``: a nonce for the kiosk about to register."""

    model_config = ConfigDict(strict=True, extra="forbid")

    kiosk_id: str = Field(pattern=KIOSK_ID_PATTERN)


class RegistrationNonceResponse(BaseModel):
    """A single-use nonce the kiosk signs with its device key, and when it stops working."""

    nonce: str = Field(pattern=NONCE_PATTERN)
    expires_utc: WireTime


class PlatformKey(BaseModel):
    """A public key of the platform and what kiosks trust it for (one purpose for a new platform's keys)."""

    key_id: str
    public_key: str
    purposes: str = Field(
        pattern=r"^(activity|bundle|card|provisioning)( (activity|bundle|card|provisioning)){0,3}$",
        description="what the key may sign, names separated by spaces: card, activity, bundle "
        "(the platform's receipts and updates on USB sticks), provisioning (offline provisioning files)",
    )


class RegisterResponse(BaseModel):
    """The device's credentials; ``device_secret`` is shown this once."""

    device_id: str
    device_secret: str
    area_id: str
    server_time: WireTime
    platform_keys: list[PlatformKey]
    bundle_public_key: str
    face_key: str = Field(description="standard base64 of the area's 32-byte face key (AES-256)")


class BatchHeader(BaseModel):
    """What every pushed batch carries: its ID (for idempotence), when it was sent, the kiosk's clock offset."""

    model_config = ConfigDict(strict=True)

    batch_id: EventId
    sent_at_device: ProtocolTime
    clock_offset_s: float | None = Field(
        default=None, allow_inf_nan=False, ge=-MAX_CLOCK_OFFSET_S, le=MAX_CLOCK_OFFSET_S
    )


def _no_default(schema: dict[str, Any]) -> None:
    """Leave ``default: null`` out of a field's schema: null is refused, the field is left out instead."""
    schema.pop("default", None)


class KioskStatus(BaseModel):
    """What a kiosk says of itself with a push, for the fleet's dashboard (docs/sync-protocol.md, "Kiosk status").

    ``waiting`` counts the kiosk's records not yet acknowledged when it sent
    the push, this batch's included; ``self_test_utc`` is left out when no
    self-test has run.
    """

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    waiting: JsonCount = Field(ge=0, le=MAX_WAITING)
    self_test: SelfTestState
    self_test_utc: OptionalProtocolTime = Field(default=None, json_schema_extra=_no_default)
    app_version: AppVersionText


class PushRequest(BatchHeader):
    """``POST /events``: a batch of events (at most :data:`MAX_EVENTS_PER_BATCH`), and the kiosk's status.

    A batch may be empty: a kiosk with nothing to send pushes one to report a
    changed status. Kiosks older than the status leave it out.
    """

    events: list[SkipValidation[EventRecord | NotAnEvent]] = Field(
        json_schema_extra={"maxItems": MAX_EVENTS_PER_BATCH}  # more is 400 batch_too_large (cloud.ingest)
    )
    status: KioskStatus | None = None


class Rejection(BaseModel):
    """An event the server did not take, and why (``conflict``, ``wrong_kiosk``, ``invalid:<field>``)."""

    event_id: str | None
    reason: str


class PushResponse(BaseModel):
    """What became of each event of a batch, in batch order within each list."""

    accepted: list[str]
    duplicate: list[str]
    rejected: list[Rejection]
    server_time: WireTime


#: ``data`` of a ``volunteer`` upsert (docs/sync-protocol.md): the roster row and the platform total.
VOLUNTEER_DATA_JSON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "volunteer_id": {"type": "string"},
        "name": {"type": "string"},
        "phone": {"type": ["string", "null"]},
        "org_id": {"type": ["string", "null"]},
        "active": {"type": "boolean"},
        "total_seconds": {
            "type": "integer",
            "minimum": 0,
            "description": "credited seconds of all the volunteer's visits the platform holds",
        },
        "total_computed_utc": {
            "anyOf": [TIME_JSON_SCHEMA, {"type": "null"}],
            "description": "when the cloud last recomputed the total; null: never (no visits yet)",
        },
    },
    "required": ["volunteer_id", "name", "phone", "org_id", "active", "total_seconds", "total_computed_utc"],
}


class ChangeOut(BaseModel):
    """One change: the current row of ``key`` (``upsert``) or its removal (``delete``, data null).

    The schema says what ``data`` holds for a ``volunteer`` upsert; the other
    kinds' fields are in docs/sync-protocol.md.
    """

    model_config = ConfigDict(
        json_schema_extra={
            "if": {
                "properties": {"kind": {"const": "volunteer"}, "op": {"const": "upsert"}},
                "required": ["kind", "op"],
            },
            "then": {"properties": {"data": VOLUNTEER_DATA_JSON_SCHEMA}},
        }
    )

    kind: Literal[
        "organisation",
        "volunteer",
        "activity",
        "signup",
        "revocation",
        "trusted_key",
        "face_enrolment",
        "face_deletion",
        "pass",
    ]
    op: Literal["upsert", "delete"]
    key: str
    data: dict[str, Any] | None


class MissingRange(BaseModel):
    """A run of the kiosk's own sequence numbers the cloud does not hold, below the highest it has seen."""

    first_seq: int
    last_seq: int
    rejected: str | None = Field(
        description="null: never arrived (re-send it); else why the cloud refused the event under these numbers"
    )


class ChangesResponse(BaseModel):
    """``GET /changes``: one page of changes and the cursor after it."""

    changes: list[ChangeOut]
    next_cursor: WireCursor
    more: bool
    server_time: WireTime
    missing: list[MissingRange] = Field(
        default_factory=list,
        description=f"the pulling kiosk's first ranges of records the cloud lacks (at most {MAX_MISSING_RANGES}; "
        "never-arrived ones first); docs/sync-protocol.md, 'Missing records'",
    )
