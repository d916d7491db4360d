"""The outbox as the push sees it: pending batches, oldest first, and what a reply settles.

An outbox row is *pending* while it is neither delivered (``delivered_utc``)
nor rejected (``rejected_reason``). A batch is the oldest pending events by
sequence number, at most :data:`MAX_BATCH_EVENTS`, each serialised exactly as
the protocol's event table says. Nothing is marked until the server's reply is
in hand; then :func:`record_reply` settles the whole batch in the caller's one
transaction. Rejected events stay in the outbox with their reason, for the
coordinator, and are never sent again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlite_utils import Database

from checkin_protocol.event_rows import EVENT_COLUMNS, format_utc
from kiosk.sync.errors import SyncError

MAX_BATCH_EVENTS = 500
MAX_REASON_CHARS = 200

_PENDING = "o.delivered_utc IS NULL AND o.rejected_reason IS NULL"
_SELECT_PENDING = (
    f"SELECT {', '.join('e.' + c for c in EVENT_COLUMNS)} FROM outbox o JOIN events e USING (event_id) "
    f"WHERE {_PENDING} ORDER BY e.seq, e.event_id LIMIT ?"
)


def event_record(row: Sequence[Any]) -> dict[str, Any]:
    """An ``events`` row (in :data:`EVENT_COLUMNS` order) as the protocol's event object.

    Times are sent as stored (``format_utc`` text), so a resent event is the
    same text byte for byte; ``auto_closed`` is a JSON boolean.
    """
    record = dict(zip(EVENT_COLUMNS, row, strict=True))
    record["auto_closed"] = bool(record["auto_closed"])
    return record


def pending_batch(db: Database, limit: int = MAX_BATCH_EVENTS) -> list[dict[str, Any]]:
    """The oldest pending events (by ``seq``), at most ``limit``, ready to send."""
    if not 1 <= limit <= MAX_BATCH_EVENTS:
        raise ValueError(f"a batch holds 1 to {MAX_BATCH_EVENTS} events")
    return [event_record(row) for row in db.execute(_SELECT_PENDING, [limit])]


def pending_after(db: Database, after_seq: int, limit: int) -> list[dict[str, Any]]:
    """Pending events with ``seq`` above ``after_seq``, oldest first, at most ``limit`` (USB bundles)."""
    rows = db.execute(
        f"SELECT {', '.join('e.' + c for c in EVENT_COLUMNS)} FROM outbox o JOIN events e USING (event_id) "
        f"WHERE {_PENDING} AND e.seq > ? ORDER BY e.seq, e.event_id LIMIT ?",
        [after_seq, limit],
    )
    return [event_record(row) for row in rows]


def waiting_count(db: Database) -> int:
    """Events not yet delivered nor rejected."""
    return int(db.execute(f"SELECT COUNT(*) FROM outbox o WHERE {_PENDING}").fetchone()[0])


def rejected_count(db: Database) -> int:
    """Events the server refused (kept for the coordinator)."""
    return int(db.execute("SELECT COUNT(*) FROM outbox WHERE rejected_reason IS NOT NULL").fetchone()[0])


def rejected_events(db: Database, limit: int = 100) -> list[tuple[str, int, str]]:
    """(event_id, seq, reason) of rejected events, oldest first."""
    rows = db.execute(
        "SELECT o.event_id, e.seq, o.rejected_reason FROM outbox o JOIN events e USING (event_id) "
        "WHERE o.rejected_reason IS NOT NULL ORDER BY e.seq LIMIT ?",
        [limit],
    )
    return [(r[0], r[1], r[2]) for r in rows]


@dataclass(frozen=True)
class PushReply:
    """A checked ``200`` reply of ``POST /events``."""

    accepted: tuple[str, ...]
    duplicate: tuple[str, ...]
    rejected: tuple[tuple[str | None, str], ...]


def id_list(reply: dict[str, Any], name: str) -> tuple[str, ...]:
    """The list of IDs ``name`` of a push reply; ``SyncError`` ``garbled`` when it is not one."""
    value = reply.get(name)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SyncError("garbled", f"the server's reply to a push could not be read (no {name} list)")
    return tuple(value)


def parse_push_reply(reply: dict[str, Any]) -> PushReply:
    """Check the shape of a push reply; ``SyncError`` ``garbled`` when it is wrong."""
    rejected = reply.get("rejected")
    if not isinstance(rejected, list):
        raise SyncError("garbled", "the server's reply to a push could not be read (no rejected list)")
    pairs: list[tuple[str | None, str]] = []
    for item in rejected:
        if not isinstance(item, dict) or not isinstance(item.get("reason"), str):
            raise SyncError("garbled", "the server's reply to a push could not be read (a bad rejection)")
        event_id = item.get("event_id")
        pairs.append((event_id if isinstance(event_id, str) else None, item["reason"]))
    return PushReply(id_list(reply, "accepted"), id_list(reply, "duplicate"), tuple(pairs))


@dataclass
class BatchOutcome:
    """What one reply settled, counted over the events of the batch only."""

    accepted: int = 0
    duplicate: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    unanswered: int = 0


def record_reply(
    db: Database, batch: Sequence[str], batch_id: str, reply: PushReply, at: datetime
) -> BatchOutcome:
    """Settle a batch after its reply (call inside one write transaction).

    Accepted and duplicate events become delivered at ``at``; rejected ones
    keep their reason. IDs the reply names that were not in the batch are
    ignored; events of the batch the reply does not mention stay pending.
    """
    sent = set(batch)
    outcome = BatchOutcome()
    delivered: set[str] = set()
    for ids, counter in ((reply.accepted, "accepted"), (reply.duplicate, "duplicate")):
        fresh = [i for i in ids if i in sent and i not in delivered]
        delivered.update(fresh)
        setattr(outcome, counter, getattr(outcome, counter) + len(fresh))
    stamp = format_utc(at)
    db.conn.executemany(
        "UPDATE outbox SET delivered_utc = ?, batch_id = ? WHERE event_id = ? AND delivered_utc IS NULL",
        [(stamp, batch_id, event_id) for event_id in delivered],
    )
    refused: dict[str, str] = {}
    for event_id, reason in reply.rejected:
        if event_id is not None and event_id in sent and event_id not in delivered:
            refused.setdefault(event_id, reason[:MAX_REASON_CHARS] or "rejected")
    db.conn.executemany(
        "UPDATE outbox SET rejected_reason = ?, batch_id = ? WHERE event_id = ? AND delivered_utc IS NULL",
        [(reason, batch_id, event_id) for event_id, reason in refused.items()],
    )
    outcome.rejected = sorted(refused.items())
    outcome.unanswered = len(sent - delivered - refused.keys())
    return outcome


def record_failure(db: Database, batch: Sequence[str], batch_id: str) -> None:
    """Count a failed attempt on each event of a batch (they stay pending)."""
    db.conn.executemany(
        "UPDATE outbox SET attempts = attempts + 1, batch_id = ? WHERE event_id = ? AND delivered_utc IS NULL",
        [(batch_id, event_id) for event_id in batch],
    )
