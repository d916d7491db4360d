"""The phone pass's two endpoints (no authentication: the proof is the credential; docs/phone-pass.md).

- ``POST /api/v1/passes`` ``{"proof", "public_key"}``: register the phone
  whose Ed25519 public key this is as the pass of the volunteer the proof
  (a card's text, or a service receipt or its URL) names; 201 with the pass.
- ``GET /api/v1/passes/{pass_id}``: whether the pass is ``active``,
  ``revoked``, or ``unknown`` (the cloud never gave it, so no kiosk takes
  it); nothing personal, so the pass page may ask it whenever it is online.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from checkin_protocol.codes.fields import check_id
from checkin_protocol.codes.pass_codes import MAX_PASS_ID, STEP_SECONDS
from cloud.instance import CloudInstance
from cloud.pass_proofs import MAX_PROOF_CHARS
from cloud.passes import PUBLIC_KEY_PATTERN, pass_is_active, register_pass
from cloud.protocol import API_PREFIX, ErrorBody, VolunteerIdText, WireTime
from cloud.wire_schema import id_json_schema

PUBLIC_KEY_JSON_SCHEMA: dict[str, Any] = {
    "type": "string",
    "pattern": PUBLIC_KEY_PATTERN,
    "description": "standard base64 of the raw 32-byte Ed25519 public key the phone made",
}

_ERROR_TEXT = {
    400: "the request is not valid (`bad_public_key`: not a raw Ed25519 public key)",
    403: "the proof names no volunteer: `bad_proof`, `proof_expired`, `card_revoked`, `unknown_volunteer`",
    413: "the body is too large",
    415: "the body is not JSON",
    429: "`rate_limited`: this volunteer registered a phone less than a minute ago",
}


def _errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    return {status: {"model": ErrorBody, "description": _ERROR_TEXT[status]} for status in statuses}


class PassRequest(BaseModel):
    """Register a phone: the proof of who the volunteer is, and the public half of the phone's key."""

    model_config = ConfigDict(extra="forbid")

    proof: str = Field(
        min_length=1,
        max_length=MAX_PROOF_CHARS,
        description="the volunteer's card text (`VC1:…`), or a service receipt (`VR1:…`) or its URL",
    )
    #: Checked by the service, so that a key that is not one is refused as ``bad_public_key``.
    public_key: Annotated[str, WithJsonSchema(PUBLIC_KEY_JSON_SCHEMA)]


class PassResponse(BaseModel):
    """The pass the phone keeps: its ID, whose it is (the masked name), since when, and the code's step."""

    pass_id: str
    volunteer_id: VolunteerIdText
    display_name: str
    created_utc: WireTime
    step_seconds: int = STEP_SECONDS


PassStatus = Literal["active", "revoked", "unknown"]


class PassStatusResponse(BaseModel):
    """Whether kiosks still accept the pass's codes (``unknown``: the cloud never gave this pass ID)."""

    pass_id: str
    status: PassStatus


PassId = Annotated[
    str,
    Path(json_schema_extra=id_json_schema(MAX_PASS_ID)),
    BeforeValidator(lambda value: check_id("pass_id", value, MAX_PASS_ID)),
]

router = APIRouter(prefix=API_PREFIX)


def _instance(request: Request) -> CloudInstance:
    instance = request.app.state.instance
    assert isinstance(instance, CloudInstance)
    return instance


@router.post("/passes", status_code=201, responses=_errors(400, 403, 413, 415, 429))
def create_pass(body: PassRequest, request: Request) -> PassResponse:
    """Make this phone the volunteer's pass; the volunteer's older passes stop working."""
    instance = _instance(request)
    registered = register_pass(instance.store, body.proof, body.public_key, instance.clock())
    return PassResponse(
        pass_id=registered.pass_id,
        volunteer_id=registered.volunteer_id,
        display_name=registered.display_name,
        created_utc=registered.created_utc,
        step_seconds=registered.step_seconds,
    )


@router.get("/passes/{pass_id}", responses=_errors(400))
def pass_status(pass_id: PassId, request: Request) -> PassStatusResponse:
    """Whether the pass is in use, was revoked (a newer phone, or staff), or is unknown to the cloud."""
    active = pass_is_active(_instance(request).store, pass_id)
    status: PassStatus = "unknown" if active is None else "active" if active else "revoked"
    return PassStatusResponse(pass_id=pass_id, status=status)
