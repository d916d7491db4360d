"""Events and their outbox rows: append, and the queries the rules need.

Events are append-only (triggers refuse UPDATE/DELETE). Every event is written
together with its outbox row, in the caller's transaction, so an event can
never exist without being queued for the cloud.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from checkin_protocol.event_rows import EVENT_COLUMNS, event_to_row, format_utc, row_to_event
from checkin_protocol.models import Action, ClockReading, Event, Method

_SELECT = f"SELECT {', '.join(EVENT_COLUMNS)} FROM events"
_INSERT = f"INSERT INTO events ({', '.join(EVENT_COLUMNS)}) VALUES ({', '.join('?' * len(EVENT_COLUMNS))})"

# The latest in/out event of a volunteer at an activity that no undo cancelled.
_LATEST_EFFECTIVE = f"""
{_SELECT}
WHERE volunteer_id = :volunteer AND activity_id = :activity AND action != 'undo'
  AND event_id NOT IN (
      SELECT ref_event_id FROM events
      WHERE volunteer_id = :volunteer AND activity_id = :activity AND action = 'undo'
  )
ORDER BY seq DESC LIMIT 1
"""

# Volunteers whose latest effective event at an activity is a check-in.
_ON_SITE = """
WITH effective AS (
    SELECT volunteer_id, action, seq FROM events
    WHERE activity_id = :activity AND action != 'undo'
      AND event_id NOT IN (
          SELECT ref_event_id FROM events WHERE activity_id = :activity AND action = 'undo'
      )
), latest AS (
    SELECT volunteer_id, action, MAX(seq) AS seq FROM effective GROUP BY volunteer_id
)
SELECT volunteer_id, seq FROM latest WHERE action = 'in'
"""


def next_seq(db: Database, kiosk_id: str) -> int:
    """The sequence number the next event of this kiosk gets (call inside the write)."""
    row = db.execute("SELECT MAX(seq) FROM events WHERE kiosk_id = ?", [kiosk_id]).fetchone()
    return (row[0] or 0) + 1


def next_event(
    db: Database,
    kiosk_id: str,
    event_id: str,
    volunteer_id: str,
    activity_id: str,
    action: Action,
    method: Method,
    reading: ClockReading,
    **extra: Any,
) -> Event:
    """A new event of ``kiosk_id`` with its next sequence number (inside the write transaction that appends it)."""
    return Event(
        event_id=event_id,
        kiosk_id=kiosk_id,
        seq=next_seq(db, kiosk_id),
        volunteer_id=volunteer_id,
        activity_id=activity_id,
        action=action,
        method=method,
        clock=reading,
        **extra,
    )


def append_event(db: Database, event: Event) -> None:
    """Insert the event and its outbox row (inside the caller's write transaction)."""
    db.execute(_INSERT, event_to_row(event))
    db.execute(
        "INSERT INTO outbox (event_id, enqueued_utc) VALUES (?, ?)",
        [event.event_id, format_utc(event.clock.wall_utc)],
    )


def get_event(db: Database, event_id: str) -> Event | None:
    row = db.execute(f"{_SELECT} WHERE event_id = ?", [event_id]).fetchone()
    return row_to_event(row) if row else None


def latest_effective_event(db: Database, volunteer_id: str, activity_id: str) -> Event | None:
    """This volunteer's latest check-in or check-out at the activity that was not undone."""
    row = db.execute(_LATEST_EFFECTIVE, {"volunteer": volunteer_id, "activity": activity_id}).fetchone()
    return row_to_event(row) if row else None


def latest_event(db: Database, volunteer_id: str, activity_id: str) -> Event | None:
    """This volunteer's latest event of any kind at the activity (undo events included)."""
    row = db.execute(
        f"{_SELECT} WHERE volunteer_id = ? AND activity_id = ? ORDER BY seq DESC LIMIT 1",
        [volunteer_id, activity_id],
    ).fetchone()
    return row_to_event(row) if row else None


def is_undone(db: Database, event_id: str) -> bool:
    row = db.execute(
        "SELECT 1 FROM events WHERE action = 'undo' AND ref_event_id = ? LIMIT 1", [event_id]
    ).fetchone()
    return row is not None


def on_site(db: Database, activity_id: str) -> list[tuple[str, int]]:
    """(volunteer_id, seq of their check-in) for everyone checked in and not out."""
    return [(r[0], r[1]) for r in db.execute(_ON_SITE, {"activity": activity_id})]


def open_check_ins(db: Database, activity_id: str) -> list[Event]:
    """The check-in events of the visits still open at an activity."""
    seqs = [seq for _, seq in on_site(db, activity_id)]
    if not seqs:
        return []
    marks = ", ".join("?" * len(seqs))
    rows = db.execute(
        f"{_SELECT} WHERE activity_id = ? AND seq IN ({marks}) ORDER BY seq", [activity_id, *seqs]
    )
    return [row_to_event(r) for r in rows]


def events_of_volunteer(db: Database, volunteer_id: str) -> list[Event]:
    rows = db.execute(f"{_SELECT} WHERE volunteer_id = ? ORDER BY seq", [volunteer_id])
    return [row_to_event(r) for r in rows]


def iter_events(db: Database, since_utc: str | None = None, until_utc: str | None = None) -> Iterator[Event]:
    """All events in sequence order, optionally within [since, until) by wall time."""
    clauses, params = [], []
    if since_utc is not None:
        clauses.append("wall_utc >= ?")
        params.append(since_utc)
    if until_utc is not None:
        clauses.append("wall_utc < ?")
        params.append(until_utc)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    for row in db.execute(f"{_SELECT}{where} ORDER BY seq", params):
        yield row_to_event(row)


def events_of_pairs_active_since(db: Database, since_utc: str) -> list[Event]:
    """Every event of each (volunteer, activity) that has an event at or after ``since_utc``.

    Enough to derive those pairs' visits whole (a visit begun before ``since``
    keeps its check-in), without reading the kiosk's whole history.
    """
    rows = db.execute(
        f"{_SELECT} WHERE (volunteer_id, activity_id) IN "
        "(SELECT volunteer_id, activity_id FROM events WHERE wall_utc >= ?) ORDER BY seq",
        [since_utc],
    )
    return [row_to_event(r) for r in rows]


def pending_outbox_count(db: Database) -> int:
    """Events waiting to reach the cloud (not delivered, not refused by it)."""
    return int(
        db.execute(
            "SELECT COUNT(*) FROM outbox WHERE delivered_utc IS NULL AND rejected_reason IS NULL"
        ).fetchone()[0]
    )


def add_event_note(db: Database, event_id: str, actor: str, reason: str, recorded_utc: str) -> None:
    """Keep why a manual event was made, by whom, and when it was really typed (``format_utc`` text)."""
    db.execute(
        "INSERT INTO event_notes (event_id, actor, reason, recorded_utc) VALUES (?, ?, ?, ?)",
        [event_id, actor, reason, recorded_utc],
    )


def note_recorded_utc(db: Database, event_id: str) -> str | None:
    """When the note of a manual event was written (ISO 8601 text), or None without a note."""
    row = db.execute("SELECT recorded_utc FROM event_notes WHERE event_id = ?", [event_id]).fetchone()
    return None if row is None else str(row[0])


def newest_wall_utc(db: Database) -> str | None:
    """The latest device time (``wall_utc`` text) of any stored event, or None without events."""
    row = db.execute("SELECT MAX(wall_utc) FROM events").fetchone()
    return str(row[0]) if row and row[0] else None
