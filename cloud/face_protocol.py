"""The wire format of face records (docs/sync-protocol.md, "Face templates"): pydantic models.

Like events, the push takes its records as raw JSON values
(:class:`FacePushRequest`): each is judged on its own by
:mod:`cloud.face_ingest`, so one bad record never refuses the batch.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, SkipValidation, WithJsonSchema

from checkin_protocol.codes.fields import check_id, check_text
from checkin_protocol.face_records import MAX_FACE_RECORDS_PER_BATCH
from cloud.protocol import (
    KIOSK_ID_PATTERN,
    BatchHeader,
    EventId,
    ProtocolTime,
    VolunteerIdText,
    WireTime,
)
from cloud.wire_schema import id_json_schema, text_json_schema, unfit_item_json_schema

MAX_COORDINATOR_CHARS = 64
MAX_TEMPLATE_TEXT = 4096  # base64 of a ciphertext; the exact size is checked per model
MODEL_VERSION_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"

VolunteerId = VolunteerIdText
NoticeVersion = Annotated[
    str, BeforeValidator(lambda v: check_id("notice_version", v, 32)), WithJsonSchema(id_json_schema(32))
]
Coordinator = Annotated[
    str,
    BeforeValidator(lambda v: check_text("coordinator", v, MAX_COORDINATOR_CHARS)),
    WithJsonSchema(text_json_schema(MAX_COORDINATOR_CHARS)),
]


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class FaceConsent(_Strict):
    """The volunteer's consent as the enrolling kiosk recorded it."""

    consented_utc: ProtocolTime
    coordinator: Coordinator
    notice_version: NoticeVersion


class WireTemplate(_Strict):
    """One template under the area key: base64 nonce (12 bytes) and ciphertext (descriptor + 16-byte tag)."""

    template_id: EventId
    nonce: str = Field(max_length=64)
    ciphertext: str = Field(max_length=MAX_TEMPLATE_TEXT)


class FaceQrOnly(_Strict):
    """A coordinator's decision an enrolment carries: the volunteer checks in by QR code only.

    ``look_alike`` is the only reason that travels: the model cannot tell the
    volunteer's face from ``other_volunteer_id``'s, so every kiosk keeps their
    templates (their face is never taken for the other volunteer's) but never
    names them. The other reason, ``same_person``, stores no templates and so
    has no enrolment to ride on: it stays on the kiosk that decided it.
    """

    reason: Literal["look_alike"]
    other_volunteer_id: VolunteerId
    coordinator: Coordinator
    decided_utc: ProtocolTime


class FaceEnrolmentRecord(_Strict):
    """An enrolment made at a kiosk: consent and templates (area-key ciphertexts only), QR-only or not.

    ``qr_only`` may be left out (a kiosk built before it pushes without it): that is ``null``.
    """

    record_id: EventId
    kind: Literal["enrolment"]
    kiosk_id: str = Field(pattern=KIOSK_ID_PATTERN)
    volunteer_id: VolunteerId
    model_version: str = Field(pattern=MODEL_VERSION_PATTERN)
    enrolled_utc: ProtocolTime
    replaces: EventId | None
    consent: FaceConsent
    templates: list[WireTemplate] = Field(max_length=16)
    qr_only: FaceQrOnly | None = None


class FaceDeletionRecord(_Strict):
    """A deletion of a volunteer's face data made at a kiosk."""

    record_id: EventId
    kind: Literal["deletion"]
    kiosk_id: str = Field(pattern=KIOSK_ID_PATTERN)
    volunteer_id: VolunteerId
    deleted_utc: ProtocolTime
    replaces: EventId | None


#: An item of a push that is not a face record: judged and answered on its own.
NotAFaceRecord = Annotated[Any, WithJsonSchema(unfit_item_json_schema("record"))]


class FacePushRequest(BatchHeader):
    """``POST /face``: a batch of face records, oldest first."""

    records: list[SkipValidation[FaceEnrolmentRecord | FaceDeletionRecord | NotAFaceRecord]] = Field(
        json_schema_extra={"maxItems": MAX_FACE_RECORDS_PER_BATCH}  # more is 400 batch_too_large
    )


class FaceRejection(BaseModel):
    """A record the server did not take, and why."""

    record_id: str | None
    reason: str


class FacePushResponse(BaseModel):
    """What became of each record: stored, held already, older than what is held, or refused."""

    accepted: list[str]
    duplicate: list[str]
    superseded: list[str]
    rejected: list[FaceRejection]
    server_time: WireTime


class FaceKeyResponse(BaseModel):
    """``GET /face-key``: the authenticated kiosk's area and that area's face key (base64, 32 bytes)."""

    area_id: str
    face_key: str
