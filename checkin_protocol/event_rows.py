"""The event row codec: an :class:`~checkin_protocol.models.Event` as the tuple of columns both sides store.

The kiosk's ``events`` table and the cloud's have these columns in this
order; timestamps are ISO 8601 text in UTC with milliseconds (:func:`format_utc`).
``credential`` (``card``, ``pass`` or NULL) came last, with issue 18.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from checkin_protocol.models import Action, ClockReading, Credential, Event, Method

EVENT_COLUMNS = (
    "event_id",
    "kiosk_id",
    "seq",
    "volunteer_id",
    "activity_id",
    "action",
    "method",
    "wall_utc",
    "utc_offset_min",
    "monotonic_ns",
    "boot_id",
    "ref_event_id",
    "auto_closed",
    "credit_seconds",
    "actor",
    "credential",
)


def format_utc(moment: datetime) -> str:
    """UTC timestamps are stored as ISO 8601 text with milliseconds and +00:00."""
    return moment.isoformat(timespec="milliseconds")


def parse_utc(text: str | None) -> datetime | None:
    """A stored time with its zone (as :func:`format_utc` writes it); None for no text or text that is not one.

    For times read back to show or compare, where an unreadable value is worth a missing figure, never a crash.
    """
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def event_to_row(event: Event) -> tuple[Any, ...]:
    clock = event.clock
    return (
        event.event_id,
        event.kiosk_id,
        event.seq,
        event.volunteer_id,
        event.activity_id,
        event.action.value,
        event.method.value,
        format_utc(clock.wall_utc),
        clock.utc_offset_min,
        clock.monotonic_ns,
        clock.boot_id,
        event.ref_event_id,
        int(event.auto_closed),
        event.credit_seconds,
        event.actor,
        None if event.credential is None else event.credential.value,
    )


def row_to_event(row: Sequence[Any]) -> Event:
    (event_id, kiosk_id, seq, volunteer_id, activity_id, action, method, wall_utc) = row[:8]
    (utc_offset_min, monotonic_ns, boot_id, ref_event_id, auto_closed, credit_seconds, actor) = row[8:15]
    credential = row[15]
    clock = ClockReading(datetime.fromisoformat(wall_utc), utc_offset_min, monotonic_ns, boot_id)
    return Event(
        event_id=event_id,
        kiosk_id=kiosk_id,
        seq=seq,
        volunteer_id=volunteer_id,
        activity_id=activity_id,
        action=Action(action),
        method=Method(method),
        clock=clock,
        ref_event_id=ref_event_id,
        auto_closed=bool(auto_closed),
        credit_seconds=credit_seconds,
        actor=actor,
        credential=None if credential is None else Credential(credential),
    )
