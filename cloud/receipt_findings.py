"""What the platform finds about a service receipt: genuine or not, and whether it holds the visit yet.

A receipt (``VR1``, :mod:`checkin_protocol.codes.receipts`) is a visit
signed by the kiosk's device key, whose public half the cloud keeps from
the kiosk's registration (``devices.public_key``). :func:`check_receipt`
reads it, verifies the signature, and compares it with the platform's
records in one read snapshot:

- **recorded**: both events are here, as the receipt says, and neither was undone;
- **at the kiosk**: not both are here yet (the kiosk has not synced), and
  what is here agrees: nothing is wrong, the visit arrives with the next sync;
- **differs**: an event here says something else (another kiosk, volunteer,
  activity, action or time), or the check-in or check-out was undone: a
  person should look at it.

The page (:mod:`cloud.receipt_pages`), the API (:mod:`cloud.receipt_api`)
and ``kiosk-cloud receipt check`` all show these findings. A receipt that
cannot be read, names a kiosk the platform does not know, or whose
signature is not that kiosk's, is refused with the reason, and nothing it
says is shown as fact.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from checkin_protocol.codes.receipts import ReceiptRefusal, ReceiptRefused, ServiceReceipt, read_receipt
from checkin_protocol.codes.trust import public_key_from
from checkin_protocol.models import Event, mask_name
from cloud.queries import Reader
from cloud.receipt_queries import PlatformTotal
from cloud.storage import Storage

log = logging.getLogger(__name__)

#: The time shown when the kiosk's own is not known: China Standard Time (UTC+8), the platform's.
CHINA_UTC_OFFSET_MIN = 8 * 60
#: How near the cloud's clock a receipt's check-out must be for the page to offer a phone pass
#: (``/pass/#proof=...``); the pass's registration accepts the same (:mod:`cloud.pass_proofs`).
PASS_PROOF_WINDOW = timedelta(hours=24)


class Verdict(StrEnum):
    """Whether the receipt is genuine, or why it is refused."""

    VALID = "valid"
    NOT_RECEIPT = "not_receipt"  # other text: not a VR receipt at all
    UNSUPPORTED_VERSION = "unsupported_version"  # a newer receipt format than this platform reads
    DAMAGED = "damaged"  # VR1, but cut short or changed so it no longer reads
    UNKNOWN_KIOSK = "unknown_kiosk"  # the kiosk it names is not registered here
    FORGED = "forged"  # the signature is not the kiosk's: forged or altered


class PlatformStatus(StrEnum):
    """Where the receipt's visit stands on the platform (for a valid receipt)."""

    RECORDED = "recorded"
    AT_KIOSK = "at_kiosk"
    DIFFERS = "differs"


class Difference(StrEnum):
    """One way the platform's records differ from a valid receipt."""

    OTHER_KIOSK = "other_kiosk"
    OTHER_VOLUNTEER = "other_volunteer"
    OTHER_ACTIVITY = "other_activity"
    OTHER_ACTION = "other_action"  # the event is not the check-in (or check-out) the receipt says
    OTHER_TIME = "other_time"
    CHECK_IN_UNDONE = "check_in_undone"
    CHECK_OUT_UNDONE = "check_out_undone"


_REFUSALS = {
    ReceiptRefusal.FOREIGN: Verdict.NOT_RECEIPT,
    ReceiptRefusal.UNSUPPORTED_VERSION: Verdict.UNSUPPORTED_VERSION,
    ReceiptRefusal.MALFORMED: Verdict.DAMAGED,
}
_DETAILS = {
    Verdict.VALID: "the receipt is genuine: signed by kiosk {kiosk}",
    Verdict.NOT_RECEIPT: "this is not a service receipt",
    Verdict.UNSUPPORTED_VERSION: "the receipt is of a newer format than this platform reads",
    Verdict.DAMAGED: "the receipt is damaged or incomplete",
    Verdict.UNKNOWN_KIOSK: "the platform does not know kiosk {kiosk}, which the receipt names",
    Verdict.FORGED: "the signature is not kiosk {kiosk}'s: the receipt is forged or was altered",
}


@dataclass(frozen=True, slots=True)
class ReceiptFindings:
    """Everything the page, the API and the command show about one receipt.

    For a refusal only ``verdict``, ``detail`` and (when it could be read)
    ``kiosk_id`` are set: an unverified receipt's contents are not shown.
    ``utc_offset_min`` is the kiosk's local time when ``local_time_known``,
    else China Standard Time. ``platform_seconds`` is what the platform
    credits the visit when that differs from the receipt by a minute or more.
    ``pass_offer``: the receipt may start a phone pass (an active volunteer of
    the roster, a check-out within :data:`PASS_PROOF_WINDOW` of now).
    """

    verdict: Verdict
    detail: str
    kiosk_id: str | None = None
    receipt: ServiceReceipt | None = None
    platform: PlatformStatus | None = None
    differences: tuple[Difference, ...] = ()
    volunteer_name: str | None = None  # masked, as on the kiosk's card
    activity_title: str | None = None
    venue: str | None = None
    utc_offset_min: int = CHINA_UTC_OFFSET_MIN
    local_time_known: bool = False
    platform_total: PlatformTotal | None = None
    platform_seconds: int | None = None
    pass_offer: bool = False
    text: str = field(default="", repr=False)  # the receipt text (for the pass link), valid receipts only

    @property
    def valid(self) -> bool:
        """Whether the receipt is genuine."""
        return self.verdict is Verdict.VALID


def _refused(verdict: Verdict, kiosk_id: str | None = None) -> ReceiptFindings:
    return ReceiptFindings(verdict, _DETAILS[verdict].format(kiosk=kiosk_id), kiosk_id=kiosk_id)


def _whole_seconds(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


def _event_differences(receipt: ServiceReceipt, event: Event, action: str, at: datetime) -> list[Difference]:
    found = []
    if event.kiosk_id != receipt.kiosk_id:
        found.append(Difference.OTHER_KIOSK)
    if event.volunteer_id != receipt.volunteer_id:
        found.append(Difference.OTHER_VOLUNTEER)
    if event.activity_id != receipt.activity_id:
        found.append(Difference.OTHER_ACTIVITY)
    if event.action.value != action:
        found.append(Difference.OTHER_ACTION)
    if _whole_seconds(event.clock.wall_utc) != at:
        found.append(Difference.OTHER_TIME)
    return found


def compare_with_platform(
    reader: Reader, receipt: ServiceReceipt
) -> tuple[PlatformStatus, tuple[Difference, ...], dict[str, Event]]:
    """Where a genuine receipt's visit stands on the platform, what differs, and the events found."""
    events = reader.events_by_id((receipt.in_event_id, receipt.out_event_id))
    found: list[Difference] = []
    for event_id, action, at in (
        (receipt.in_event_id, "in", receipt.checked_in),
        (receipt.out_event_id, "out", receipt.checked_out),
    ):
        if event_id in events:
            found += _event_differences(receipt, events[event_id], action, at)
    volunteers = {receipt.volunteer_id, *(event.volunteer_id for event in events.values())}
    undone = reader.undos_of(volunteers, events.keys())
    if receipt.in_event_id in undone:
        found.append(Difference.CHECK_IN_UNDONE)
    if receipt.out_event_id in undone:
        found.append(Difference.CHECK_OUT_UNDONE)
    differences = tuple(dict.fromkeys(found))  # each kind once, in the order found
    if differences:
        status = PlatformStatus.DIFFERS
    elif len(events) == 2:
        status = PlatformStatus.RECORDED
    else:
        status = PlatformStatus.AT_KIOSK
    return status, differences, events


def _local_offset(reader: Reader, receipt: ServiceReceipt, events: dict[str, Event]) -> int | None:
    for event_id in (receipt.in_event_id, receipt.out_event_id):
        event = events.get(event_id)
        if event is not None and event.kiosk_id == receipt.kiosk_id:
            return event.clock.utc_offset_min
    return reader.kiosk_utc_offset(receipt.kiosk_id)


def _findings(reader: Reader, receipt: ServiceReceipt, text: str, now: datetime) -> ReceiptFindings:
    status, differences, events = compare_with_platform(reader, receipt)
    labels = reader.receipt_labels(receipt.volunteer_id, receipt.activity_id)
    offset = _local_offset(reader, receipt, events)
    total = reader.platform_total(receipt.volunteer_id) if status is PlatformStatus.RECORDED else None
    platform_seconds = None
    if status is PlatformStatus.RECORDED:
        kept = reader.kept_visit(receipt.in_event_id)
        if kept is not None and abs(kept.credited_seconds - receipt.minutes * 60) >= 60:
            platform_seconds = kept.credited_seconds
    return ReceiptFindings(
        verdict=Verdict.VALID,
        detail=_DETAILS[Verdict.VALID].format(kiosk=receipt.kiosk_id),
        kiosk_id=receipt.kiosk_id,
        receipt=receipt,
        platform=status,
        differences=differences,
        volunteer_name=None if labels.volunteer_name is None else mask_name(labels.volunteer_name),
        activity_title=labels.activity_title,
        venue=labels.venue,
        utc_offset_min=CHINA_UTC_OFFSET_MIN if offset is None else offset,
        local_time_known=offset is not None,
        platform_total=total,
        platform_seconds=platform_seconds,
        pass_offer=labels.volunteer_active and abs(now - receipt.checked_out) < PASS_PROOF_WINDOW,
        text=text,
    )


def check_receipt(store: Storage, scanned: str, now: datetime) -> ReceiptFindings:
    """Read, verify and look up a receipt (the bare text or a URL ending in it) as of ``now``.

    Never raises for anything a person could type or scan: every problem is a
    refusing :class:`Verdict`.
    """
    try:
        signed = read_receipt(scanned)
    except ReceiptRefused as refused:
        return _refused(_REFUSALS[refused.reason])
    receipt = signed.receipt
    with store.read() as reader:
        device = reader.device(receipt.kiosk_id)
        try:
            public_key = None if device is None else public_key_from(device.public_key)
        except ValueError:
            log.warning("kiosk %s has a stored device key that does not read", receipt.kiosk_id)
            public_key = None
        if public_key is None:
            return _refused(Verdict.UNKNOWN_KIOSK, receipt.kiosk_id)
        if not signed.verify(public_key):
            log.info(
                "a receipt naming kiosk %s was refused: its signature is not the kiosk's", receipt.kiosk_id
            )
            return _refused(Verdict.FORGED, receipt.kiosk_id)
        return _findings(reader, receipt, signed.text, now)
