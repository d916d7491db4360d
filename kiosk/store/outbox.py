"""The ``outbox`` table: the events waiting for the cloud, and the marks a push or a receipt leaves.

An outbox row is *pending* while it is neither delivered (``delivered_utc``)
nor rejected (``rejected_reason``). Pending events are read oldest first (by
sequence number), each as the protocol's event object (:func:`event_record`).
The sync (:mod:`kiosk.sync.outbox`) decides what a reply settles; the
functions here write it, inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from checkin_protocol.event_rows import EVENT_COLUMNS
from kiosk.store.database import Transaction

#: Event IDs per ``IN (...)`` list, well below SQLite's limit of bound values.
ID_CHUNK = 500

_PENDING = "o.delivered_utc IS NULL AND o.rejected_reason IS NULL"
_SELECT_PENDING = (
    f"SELECT {', '.join('e.' + c for c in EVENT_COLUMNS)} FROM outbox o JOIN events e USING (event_id) "
    f"WHERE {_PENDING} ORDER BY e.seq, e.event_id LIMIT ?"
)


def event_record(row: Sequence[Any]) -> dict[str, Any]:
    """An ``events`` row (in :data:`EVENT_COLUMNS` order) as the protocol's event object.

    Times are sent as stored (``format_utc`` text), so a resent event is the
    same text byte for byte; ``auto_closed`` is a JSON boolean. A ``credential``
    of NULL is left out, as older kiosks send events (a cloud older than the
    field refuses unknown fields, and a resent old event stays the same).
    """
    record = dict(zip(EVENT_COLUMNS, row, strict=True))
    record["auto_closed"] = bool(record["auto_closed"])
    if record["credential"] is None:
        del record["credential"]
    return record


def pending_events(db: Transaction, limit: int) -> list[dict[str, Any]]:
    """The oldest pending events (by ``seq``), at most ``limit``, as protocol event objects."""
    return [event_record(row) for row in db.execute(_SELECT_PENDING, [limit])]


def pending_after(db: Transaction, after_seq: int, limit: int) -> list[dict[str, Any]]:
    """Pending events with ``seq`` above ``after_seq``, oldest first, at most ``limit`` (USB bundles)."""
    rows = db.execute(
        f"SELECT {', '.join('e.' + c for c in EVENT_COLUMNS)} FROM outbox o JOIN events e USING (event_id) "
        f"WHERE {_PENDING} AND e.seq > ? ORDER BY e.seq, e.event_id LIMIT ?",
        [after_seq, limit],
    )
    return [event_record(row) for row in rows]


def waiting_count(db: Transaction) -> int:
    """Events not yet delivered nor rejected."""
    return int(db.execute(f"SELECT COUNT(*) FROM outbox o WHERE {_PENDING}").fetchone()[0])


def rejected_count(db: Transaction) -> int:
    """Events the server refused (kept for the coordinator)."""
    return int(db.execute("SELECT COUNT(*) FROM outbox WHERE rejected_reason IS NOT NULL").fetchone()[0])


def rejected_events(db: Transaction, limit: int = 100) -> list[tuple[str, int, str]]:
    """(event_id, seq, reason) of rejected events, oldest first."""
    rows = db.execute(
        "SELECT o.event_id, e.seq, o.rejected_reason FROM outbox o JOIN events e USING (event_id) "
        "WHERE o.rejected_reason IS NOT NULL ORDER BY e.seq LIMIT ?",
        [limit],
    )
    return [(r[0], r[1], r[2]) for r in rows]


def mark_delivered(db: Transaction, event_ids: Iterable[str], batch_id: str, stamp: str) -> None:
    """Mark the undelivered ones of ``event_ids`` delivered at ``stamp`` (``format_utc`` text) by ``batch_id``."""
    db.conn.executemany(
        "UPDATE outbox SET delivered_utc = ?, batch_id = ? WHERE event_id = ? AND delivered_utc IS NULL",
        [(stamp, batch_id, event_id) for event_id in event_ids],
    )


def mark_rejected(db: Transaction, reasons: Mapping[str, str], batch_id: str) -> None:
    """Keep the reason the server refused each undelivered event of ``reasons`` (event ID -> reason)."""
    db.conn.executemany(
        "UPDATE outbox SET rejected_reason = ?, batch_id = ? WHERE event_id = ? AND delivered_utc IS NULL",
        [(reason, batch_id, event_id) for event_id, reason in reasons.items()],
    )


def count_failed_attempt(db: Transaction, event_ids: Iterable[str], batch_id: str) -> None:
    """Count one more failed attempt on each undelivered event of a batch (they stay pending)."""
    db.conn.executemany(
        "UPDATE outbox SET attempts = attempts + 1, batch_id = ? WHERE event_id = ? AND delivered_utc IS NULL",
        [(batch_id, event_id) for event_id in event_ids],
    )


def in_outbox(db: Transaction, event_ids: Iterable[str]) -> list[str]:
    """The IDs of ``event_ids`` (sorted first) that have an outbox row here, read :data:`ID_CHUNK` at a time."""
    ordered = sorted(event_ids)
    chunks = [ordered[i : i + ID_CHUNK] for i in range(0, len(ordered), ID_CHUNK)]
    return [
        row[0]
        for chunk in chunks
        for row in db.execute(
            f"SELECT event_id FROM outbox WHERE event_id IN ({', '.join('?' * len(chunk))})", chunk
        )
    ]


def requeue_delivered(db: Transaction, kiosk_id: str, first_seq: int, last_seq: int) -> tuple[int, int]:
    """Make the delivered, unrefused events of ``kiosk_id`` numbered ``first_seq``..``last_seq`` wait again.

    Returns (events of the range held here, outbox rows queued again).
    """
    held = db.execute(
        "SELECT COUNT(*) FROM events WHERE kiosk_id = ? AND seq BETWEEN ? AND ?",
        [kiosk_id, first_seq, last_seq],
    ).fetchone()[0]
    cursor = db.execute(
        "UPDATE outbox SET delivered_utc = NULL WHERE delivered_utc IS NOT NULL AND rejected_reason IS NULL "
        "AND event_id IN (SELECT event_id FROM events WHERE kiosk_id = ? AND seq BETWEEN ? AND ?)",
        [kiosk_id, first_seq, last_seq],
    )
    return int(held), cursor.rowcount
