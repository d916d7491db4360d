"""The fleet's facts: when the cloud last heard from each kiosk, and what the kiosk said of itself.

Kept cheaply, because every kiosk syncs every few seconds:

- a **push** over the network writes its kiosk's row in the push's own
  transaction (:func:`record_push`, called by :mod:`cloud.ingest`): the time,
  the clock offset and the status it carried;
- any other authenticated request (a pull, a face push, the face key) only
  marks the kiosk seen, and only when the stored time is more than
  :data:`SEEN_RESOLUTION` old (:func:`note_seen`): the stored time was read
  in the authentication's snapshot, so a kiosk that pulls every 5 s costs
  one small write a minute, not one per pull;
- a **USB bundle** marks its kiosk seen when the bundle was made (the
  kiosk's time, corrected by its clock offset, never later than the import),
  and never moves the time backwards (:func:`note_bundle_seen`).

The stored ``waiting`` is what the kiosk still holds once the push is
answered: the count it reported (this batch included) less the batch.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from cloud.kiosk_status_queries import ReportedStatus
from cloud.protocol import MAX_CLOCK_OFFSET_S, PushRequest, format_time, parse_time
from cloud.queries import Writer
from cloud.storage import Storage

#: How stale the stored "last seen" may get before a request that writes nothing else refreshes it.
SEEN_RESOLUTION = timedelta(seconds=60)


def reported_status(request: PushRequest) -> ReportedStatus | None:
    """The status a push carried, with ``waiting`` as it stands once the batch is answered (None: none)."""
    status = request.status
    if status is None:
        return None
    return ReportedStatus(
        waiting=max(0, status.waiting - len(request.events)),
        self_test=status.self_test,
        self_test_utc=None if status.self_test_utc is None else format_time(status.self_test_utc),
        app_version=status.app_version,
    )


def record_push(writer: Writer, device_id: str, request: PushRequest, now: datetime) -> None:
    """Inside a push's transaction: the kiosk pushed at ``now``, with this clock offset and status."""
    writer.record_kiosk_push(device_id, format_time(now), request.clock_offset_s, reported_status(request))


def is_stale(last_seen_utc: str | None, now: datetime) -> bool:
    """Whether a stored "last seen" is missing or more than :data:`SEEN_RESOLUTION` before ``now``."""
    return last_seen_utc is None or last_seen_utc < format_time(now - SEEN_RESOLUTION)


def note_seen(store: Storage, device_id: str, last_seen_utc: str | None, now: datetime) -> bool:
    """Mark the kiosk seen at ``now`` unless ``last_seen_utc`` (as read) is recent; True when written."""
    if not is_stale(last_seen_utc, now):
        return False
    with store.write() as writer:
        writer.note_kiosk_seen(device_id, format_time(now))
    return True


def bundle_seen_at(created_utc: object, clock_offset_s: object, now: datetime) -> datetime | None:
    """When a USB bundle was made, on the cloud's clock: its creation time plus the kiosk's offset.

    Never later than ``now`` (a kiosk clock in the future cannot make it look
    seen ahead of time); None when the creation time is not a protocol time.
    """
    try:
        made = parse_time(created_utc)
    except ValueError:
        return None
    offset = None
    if isinstance(clock_offset_s, (int, float)) and not isinstance(clock_offset_s, bool):
        offset = float(clock_offset_s)
    if offset is not None and math.isfinite(offset) and abs(offset) <= MAX_CLOCK_OFFSET_S:
        try:
            made += timedelta(seconds=offset)
        except OverflowError:
            return None
    return min(made, now)


def note_bundle_seen(
    writer: Writer, device_id: str, created_utc: object, clock_offset_s: object, now: datetime
) -> None:
    """Inside a bundle import's transaction: the kiosk was seen when it made the bundle (see :func:`bundle_seen_at`)."""
    seen = bundle_seen_at(created_utc, clock_offset_s, now)
    if seen is not None:
        writer.note_kiosk_seen(device_id, format_time(seen))
