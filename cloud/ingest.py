"""Push (``POST /api/v1/events``): judge every event on its own, store a batch in one transaction.

Each event gets exactly one outcome, in this order of checks:

1. ``invalid:<field>``: the first field, in the record's column order, that
   is missing, of the wrong type or out of range (``invalid:event`` when the
   event is not a JSON object; an unknown field is named as sent, or
   ``invalid:unknown_field`` if its name is not a plain word). An ``undo``
   must name the event it undoes, and not itself (``invalid:ref_event_id``).
2. ``wrong_kiosk``: ``kiosk_id`` is not the authenticated device.
3. ``accepted``: a new event ID (and a new ``seq`` of that kiosk), inserted;
   ``duplicate``: the ID is stored with the same content; ``conflict``: the
   ID is stored with different content, or another event holds this kiosk's
   ``seq``. A stored event is never changed.

"Same content" means the kiosk's fields; the server's own columns (receive
time, offset, corrected time, batch) keep the values of the first delivery.

Gaps mean loss: in the same transaction the kiosk's missing ranges of
``seq`` are kept (:mod:`cloud.seq_gap_queries`). A stored event closes its
number; a refused one whose ``kiosk_id`` is the device and whose ``seq`` is
readable marks its number refused, with the reason (``wrong_kiosk`` and
unreadable numbers name no number of this kiosk).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError

from checkin_protocol.event_rows import EVENT_COLUMNS, event_to_row
from checkin_protocol.models import Action, ClockReading, Credential, Event, Method
from cloud.errors import ApiError
from cloud.kiosk_status import record_push
from cloud.protocol import (
    MAX_EVENTS_PER_BATCH,
    MAX_INT64,
    EventRecord,
    PushRequest,
    PushResponse,
    Rejection,
    format_time,
)
from cloud.storage import Storage
from cloud.visit_projection import refresh_pairs

log = logging.getLogger(__name__)
_PLAIN_NAME = re.compile(r"[A-Za-z0-9_]{1,40}")
_MAX_ECHOED_ID = 64
_VOLUNTEER_AT = EVENT_COLUMNS.index("volunteer_id")
_ACTIVITY_AT = EVENT_COLUMNS.index("activity_id")
_SEQ_AT = EVENT_COLUMNS.index("seq")


@dataclass(frozen=True, slots=True)
class _Valid:
    """An event that passed validation, with its row and corrected time."""

    event_id: str
    row: tuple[Any, ...]
    corrected: datetime


def echoed_id(raw: object, field: str = "event_id") -> str | None:
    """The record ID to name in a rejection: what was sent in ``field``, if it is a short string."""
    if isinstance(raw, dict):
        value = raw.get(field)
        if isinstance(value, str) and len(value) <= _MAX_ECHOED_ID:
            return value
    return None


def invalid_field(error: ValidationError) -> str:
    """The name of the first bad field a validation error reports (``invalid:<name>``)."""
    first = error.errors()[0]
    location = first["loc"]
    if not location:
        return "event"
    name = str(location[0])
    if first["type"] == "extra_forbidden" and not _PLAIN_NAME.fullmatch(name):
        return "unknown_field"
    return name


def to_event(record: EventRecord) -> Event:
    """The kiosk's :class:`Event` of a validated record."""
    return Event(
        event_id=record.event_id,
        kiosk_id=record.kiosk_id,
        seq=record.seq,
        volunteer_id=record.volunteer_id,
        activity_id=record.activity_id,
        action=Action(record.action),
        method=Method(record.method),
        clock=ClockReading(record.wall_utc, record.utc_offset_min, record.monotonic_ns, record.boot_id),
        ref_event_id=record.ref_event_id,
        auto_closed=record.auto_closed,
        credit_seconds=record.credit_seconds,
        actor=record.actor,
        credential=None if record.credential is None else Credential(record.credential),
    )


def refused_seq(raw: object, device_id: str) -> int | None:
    """The ``seq`` of a refused event, when it names one of ``device_id``'s numbers (else None)."""
    if not isinstance(raw, dict) or raw.get("kiosk_id") != device_id:
        return None
    seq = raw.get("seq")
    return seq if type(seq) is int and 1 <= seq <= MAX_INT64 else None


def judge_event(raw: object, device_id: str, clock_offset_s: float | None) -> _Valid | Rejection:
    """Validate one event of a batch pushed by ``device_id``: a :class:`_Valid` or its rejection."""
    try:
        record = EventRecord.model_validate(raw)
    except ValidationError as exc:
        return Rejection(event_id=echoed_id(raw), reason=f"invalid:{invalid_field(exc)}")
    if record.action == "undo" and record.ref_event_id in (None, record.event_id):
        return Rejection(event_id=record.event_id, reason="invalid:ref_event_id")
    if record.kiosk_id != device_id:
        return Rejection(event_id=record.event_id, reason="wrong_kiosk")
    try:
        corrected = record.wall_utc + timedelta(seconds=clock_offset_s or 0.0)
        format_time(corrected)
    except OverflowError:
        return Rejection(event_id=record.event_id, reason="invalid:wall_utc")
    return _Valid(record.event_id, event_to_row(to_event(record)), corrected)


def ingest(
    store: Storage, device_id: str, request: PushRequest, now: datetime, *, from_kiosk: bool = False
) -> PushResponse:
    """Store a batch from ``device_id`` in one transaction and say what became of each event.

    ``from_kiosk``: the kiosk itself sent it over the network (not a USB
    bundle), so its push time, clock offset and status are kept for the
    fleet's dashboard in the same transaction (:mod:`cloud.kiosk_status`).

    ``ApiError`` 400 ``batch_too_large`` (nothing stored) for more than
    :data:`MAX_EVENTS_PER_BATCH` events.
    """
    if len(request.events) > MAX_EVENTS_PER_BATCH:
        raise ApiError(
            400,
            "batch_too_large",
            f"a batch holds at most {MAX_EVENTS_PER_BATCH} events, this one {len(request.events)}; "
            "send smaller batches",
        )
    judged = [judge_event(raw, device_id, request.clock_offset_s) for raw in request.events]
    accepted: list[str] = []
    duplicate: list[str] = []
    rejected: list[Rejection] = []
    stored_pairs: set[tuple[str, str]] = set()
    with store.write() as writer:
        if from_kiosk:
            record_push(writer, device_id, request, now)
        valid = [item for item in judged if not isinstance(item, Rejection)]
        inserted = writer.insert_events(
            [(item.row, item.corrected) for item in valid], now, request.clock_offset_s, request.batch_id
        )
        for raw, item in zip(request.events, judged, strict=True):
            if not isinstance(item, Rejection):
                if item.event_id in inserted:
                    inserted.discard(item.event_id)  # a second copy in the batch is a duplicate of this one
                    writer.event_stored(device_id, item.row[_SEQ_AT])
                    accepted.append(item.event_id)
                    stored_pairs.add((item.row[_VOLUNTEER_AT], item.row[_ACTIVITY_AT]))
                    continue
                if writer.event_content(item.event_id) == item.row:
                    duplicate.append(item.event_id)
                    continue
                item = Rejection(event_id=item.event_id, reason="conflict")
            rejected.append(item)
            seq = refused_seq(raw, device_id)
            if seq is not None:  # a refused record is lost to the platform too: its number is a gap
                writer.note_refused_seq(device_id, seq, item.reason)
        # The kept visits of every (volunteer, activity) this batch stored an event of, and those volunteers'
        # platform totals, stamped with this push's time (cloud.visit_projection).
        refresh_pairs(writer, stored_pairs, computed_at=now, pushed=True)
    log.info(
        "batch %s from %s: %d accepted, %d duplicate, %d rejected",
        request.batch_id,
        device_id,
        len(accepted),
        len(duplicate),
        len(rejected),
    )
    return PushResponse(
        accepted=accepted, duplicate=duplicate, rejected=rejected, server_time=format_time(now)
    )
