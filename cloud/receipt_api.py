"""``POST /api/v1/receipts/check``: the receipt page's findings as JSON, for the desk, staff tools and scripts.

Public like the page (:mod:`cloud.receipt_pages`): the receipt is the proof,
so no kiosk or staff credentials are asked for, and the answer says no more
than the page. Any text is a question with an answer: 200 with a ``verdict``
(``valid``, or why it is refused) and, for a genuine receipt, the visit and
where it stands on the platform. Only a body that is not ``{"receipt":
text}`` is refused (400, like every request of the API).
"""

from __future__ import annotations

from datetime import UTC
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, ConfigDict, Field

from checkin_protocol.codes.receipts import MAX_INPUT_CHARS
from cloud.instance import CloudInstance
from cloud.protocol import API_PREFIX, ErrorBody, WireTime, format_time
from cloud.receipt_findings import Difference, PlatformStatus, ReceiptFindings, Verdict, check_receipt

router = APIRouter(prefix=API_PREFIX)


class ReceiptCheckRequest(BaseModel):
    """A receipt to check: its text (``VR1:...``) or the URL of its page, as scanned."""

    model_config = ConfigDict(strict=True, extra="forbid")

    receipt: str = Field(max_length=MAX_INPUT_CHARS, description="the receipt text, or a URL ending in it")


class CheckedVisit(BaseModel):
    """The visit a genuine receipt records, with what the platform calls its volunteer and activity."""

    kiosk_id: str
    volunteer_id: str
    volunteer_name: str | None = Field(description="masked as on the kiosk's card; null: not in the roster")
    activity_id: str
    activity_title: str | None = Field(description="null: the platform has no such activity")
    venue: str | None
    checked_in: WireTime
    checked_out: WireTime
    minutes: int = Field(description="the minutes the kiosk credited")
    in_event_id: str
    out_event_id: str
    local_utc_offset_min: int = Field(
        description="the UTC offset to show the times in: the kiosk's, or China Standard Time (480)"
    )
    local_time_known: bool = Field(description="whether local_utc_offset_min is the kiosk's own")


class ReceiptCheckResponse(BaseModel):
    """What the platform finds about a receipt (docs/receipts.md)."""

    verdict: Verdict
    message: str = Field(description="the verdict in plain English")
    kiosk_id: str | None = Field(description="the kiosk the receipt names, when it could be read")
    visit: CheckedVisit | None = Field(description="a genuine receipt's visit; null for a refused one")
    platform: PlatformStatus | None = Field(
        description="recorded: the platform holds the visit; at_kiosk: not yet synced; differs: for review"
    )
    differences: list[Difference]
    platform_seconds: int | None = Field(
        description="what the platform credits the visit, when that differs from the receipt by a minute or more"
    )
    platform_total_seconds: int | None = Field(description="the volunteer's platform total, once recorded")
    platform_total_computed_utc: WireTime | None
    pass_offer: bool = Field(
        description="whether the receipt may start a phone pass (check-out under 24 h ago)"
    )


def check_response(findings: ReceiptFindings) -> ReceiptCheckResponse:
    """The API's (and ``kiosk-cloud receipt check --json``'s) form of ``findings``."""
    receipt = findings.receipt
    visit = None
    if receipt is not None:
        visit = CheckedVisit(
            kiosk_id=receipt.kiosk_id,
            volunteer_id=receipt.volunteer_id,
            volunteer_name=findings.volunteer_name,
            activity_id=receipt.activity_id,
            activity_title=findings.activity_title,
            venue=findings.venue,
            checked_in=format_time(receipt.checked_in),
            checked_out=format_time(receipt.checked_out),
            minutes=receipt.minutes,
            in_event_id=receipt.in_event_id,
            out_event_id=receipt.out_event_id,
            local_utc_offset_min=findings.utc_offset_min,
            local_time_known=findings.local_time_known,
        )
    total = findings.platform_total
    return ReceiptCheckResponse(
        verdict=findings.verdict,
        message=findings.detail,
        kiosk_id=findings.kiosk_id,
        visit=visit,
        platform=findings.platform,
        differences=list(findings.differences),
        platform_seconds=findings.platform_seconds,
        platform_total_seconds=None if total is None else total.total_seconds,
        platform_total_computed_utc=None if total is None else total.computed_utc,
        pass_offer=findings.pass_offer,
    )


async def _instance(request: Request) -> CloudInstance:
    instance = request.app.state.instance
    assert isinstance(instance, CloudInstance)
    return instance


_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "the request is not valid"},
    413: {"model": ErrorBody, "description": "the body is too large"},
    415: {"model": ErrorBody, "description": "the body is not JSON"},
}


@router.post("/receipts/check", responses=_ERRORS)
def check_receipt_route(
    body: ReceiptCheckRequest, instance: Annotated[CloudInstance, Depends(_instance)]
) -> ReceiptCheckResponse:
    """Check a service receipt: genuine or not, and whether the platform holds its visit yet (no credentials)."""
    return check_response(check_receipt(instance.store, body.receipt, instance.clock().astimezone(UTC)))
