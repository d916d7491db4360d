"""The outbox as the push sees it: pending batches, oldest first, and what a reply settles.

An outbox row is *pending* while it is neither delivered (``delivered_utc``)
nor rejected (``rejected_reason``). A batch is the oldest pending events by
sequence number, at most :data:`MAX_BATCH_EVENTS`, each serialised exactly as
the protocol's event table says. Nothing is marked until the server's reply is
in hand; then :func:`record_reply` settles the whole batch in the caller's one
transaction. Rejected events stay in the outbox with their reason, for the
coordinator, and are never sent again. The queries are those of
:mod:`kiosk.store.outbox`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from checkin_protocol.event_rows import format_utc
from kiosk.store.database import Transaction
from kiosk.store.outbox import count_failed_attempt, mark_delivered, mark_rejected, pending_events
from kiosk.sync.errors import SyncError

MAX_BATCH_EVENTS = 500
MAX_REASON_CHARS = 200


def pending_batch(db: Transaction, limit: int = MAX_BATCH_EVENTS) -> list[dict[str, Any]]:
    """The oldest pending events (by ``seq``), at most ``limit``, ready to send."""
    if not 1 <= limit <= MAX_BATCH_EVENTS:
        raise ValueError(f"a batch holds 1 to {MAX_BATCH_EVENTS} events")
    return pending_events(db, limit)


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
    db: Transaction, batch: Sequence[str], batch_id: str, reply: PushReply, at: datetime
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
    mark_delivered(db, delivered, batch_id, format_utc(at))
    refused: dict[str, str] = {}
    for event_id, reason in reply.rejected:
        if event_id is not None and event_id in sent and event_id not in delivered:
            refused.setdefault(event_id, reason[:MAX_REASON_CHARS] or "rejected")
    mark_rejected(db, refused, batch_id)
    outcome.rejected = sorted(refused.items())
    outcome.unanswered = len(sent - delivered - refused.keys())
    return outcome


def record_failure(db: Transaction, batch: Sequence[str], batch_id: str) -> None:
    """Count a failed attempt on each event of a batch (they stay pending)."""
    count_failed_attempt(db, batch, batch_id)
