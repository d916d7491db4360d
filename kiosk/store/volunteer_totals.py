"""The ``volunteer_totals`` table: each volunteer's credited total on the platform, as last received.

The cloud sends the total with the volunteer's row (``/changes`` and USB
updates, docs/sync-protocol.md); :mod:`kiosk.sync.pull` stores it here, and
:mod:`kiosk.services.volunteer_total` adds this kiosk's visits the platform
had not counted yet. Times are ``format_utc`` text. Functions here run inside
the caller's transaction (or as plain reads).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from checkin_protocol.event_rows import EVENT_COLUMNS, row_to_event
from checkin_protocol.models import Event
from kiosk.store.database import Transaction


@dataclass(frozen=True)
class PlatformTotal:
    """A volunteer's total as the cloud sent it.

    ``computed_utc`` is the cloud's time it was computed (None: not said);
    ``synced_utc`` this kiosk's time the change carrying it was applied.
    """

    total_seconds: int
    computed_utc: str | None
    synced_utc: str


class Delivery(NamedTuple):
    """Where an event's outbox row stands: ``delivered_utc`` (None: not yet) and whether the cloud refused it."""

    delivered_utc: str | None
    rejected: bool


def save_total(
    db: Transaction, volunteer_id: str, total_seconds: int, computed_utc: str | None, synced_utc: str
) -> None:
    """Keep the platform's total of ``volunteer_id`` (replacing the one held)."""
    db.execute(
        "INSERT INTO volunteer_totals (volunteer_id, total_seconds, computed_utc, synced_utc) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (volunteer_id) DO UPDATE SET total_seconds = excluded.total_seconds, "
        "computed_utc = excluded.computed_utc, synced_utc = excluded.synced_utc",
        [volunteer_id, total_seconds, computed_utc, synced_utc],
    )


def forget_total(db: Transaction, volunteer_id: str) -> None:
    """Drop the total held for ``volunteer_id`` (the volunteer is gone, or the cloud no longer says)."""
    db.execute("DELETE FROM volunteer_totals WHERE volunteer_id = ?", [volunteer_id])


def get_total(db: Transaction, volunteer_id: str) -> PlatformTotal | None:
    """The platform's total of ``volunteer_id`` held here, or None when none was received."""
    row = db.execute(
        "SELECT total_seconds, computed_utc, synced_utc FROM volunteer_totals WHERE volunteer_id = ?",
        [volunteer_id],
    ).fetchone()
    return None if row is None else PlatformTotal(int(row[0]), row[1], str(row[2]))


_EVENTS_WITH_DELIVERY = (
    f"SELECT {', '.join('e.' + c for c in EVENT_COLUMNS)}, o.delivered_utc, o.rejected_reason "
    "FROM events e LEFT JOIN outbox o USING (event_id) WHERE e.volunteer_id = ? ORDER BY e.seq"
)


def events_with_delivery(db: Transaction, volunteer_id: str) -> tuple[list[Event], dict[str, Delivery]]:
    """The events of ``volunteer_id`` in sequence order, and the outbox state of each, by event ID.

    One read: the events by their ``(volunteer_id, ...)`` index, each outbox
    row by its key (an event without one, which is never made, reads as not delivered).
    """
    events: list[Event] = []
    deliveries: dict[str, Delivery] = {}
    width = len(EVENT_COLUMNS)
    for row in db.execute(_EVENTS_WITH_DELIVERY, [volunteer_id]):
        event = row_to_event(row[:width])
        events.append(event)
        deliveries[event.event_id] = Delivery(row[width], row[width + 1] is not None)
    return events, deliveries


def newest_update_bundle_utc(db: Transaction) -> str | None:
    """The cloud's time the newest USB update imported here was made (``format_utc`` text), or None."""
    value = db.execute("SELECT MAX(created_utc) FROM imported_bundles WHERE kind = 'changes'").fetchone()[0]
    return None if value is None else str(value)
