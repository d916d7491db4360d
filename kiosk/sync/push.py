"""Pushing one batch of the outbox: select, send, and settle after the reply.

Database work runs through the caller's executor; the request runs on the
calling thread. Nothing is marked before the server's reply is in hand.
Every batch carries the kiosk's status (:mod:`kiosk.sync.kiosk_status`);
with nothing to send, an empty batch carries it when it is news to the cloud.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from checkin_protocol.event_rows import format_utc
from kiosk.store.database import Store, Transaction
from kiosk.sync.credentials import DeviceCredentials
from kiosk.sync.errors import SyncError
from kiosk.sync.executor import Executor
from kiosk.sync.kiosk_status import current_status, remember_acknowledged, status_is_news
from kiosk.sync.outbox import BatchOutcome, parse_push_reply, pending_batch, record_failure, record_reply
from kiosk.sync.reports import PushReport
from kiosk.sync.transport import Transport

log = logging.getLogger(__name__)


def _next_batch(db: Transaction) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """The oldest pending events and the status to send with them; no status when there is nothing to say."""
    events = pending_batch(db)
    status = current_status(db)
    return events, status if events or status_is_news(db, status) else None


def push_one_batch(
    run: Executor,
    store: Store,
    transport: Transport,
    credentials: DeviceCredentials,
    offset: float | None,
    now: Callable[[], datetime],
    report: PushReport,
) -> bool:
    """Send the oldest pending batch and settle it; add to ``report``.

    False when there was nothing to send or the batch failed (``report.error``
    set): a failure adds one to each event's ``attempts`` and marks nothing;
    the reply is settled in one transaction, after it arrived. With no event
    to send, an empty batch reports a changed status (``report.status_sent``).
    """
    events, status = run(lambda: _next_batch(store.writer))
    if status is None:
        return False
    ids = [str(e["event_id"]) for e in events]
    batch_id = str(uuid.uuid4())
    body = {
        "batch_id": batch_id,
        "sent_at_device": format_utc(now()),
        "clock_offset_s": offset,
        "events": events,
        "status": status,
    }
    try:
        raw = transport.post_json("/events", body, token=credentials.bearer_token)
        reply = parse_push_reply(raw)
    except SyncError as exc:
        log.info("push of batch %s (%d events) failed: %s", batch_id, len(ids), exc.kind)

        def count_failure() -> None:
            with store.write() as db:
                record_failure(db, ids, batch_id)

        run(count_failure)
        report.error = exc
        return False

    def settle() -> BatchOutcome:
        with store.write() as db:
            remember_acknowledged(db, status, len(ids))
            return record_reply(db, ids, batch_id, reply, now())

    outcome = run(settle)
    if not ids:
        report.status_sent = True
        return False
    report.batches += 1
    report.sent += len(ids)
    report.accepted += outcome.accepted
    report.duplicate += outcome.duplicate
    report.rejected.extend(outcome.rejected)
    for event_id, reason in outcome.rejected:
        log.warning("the server rejected event %s: %s", event_id, reason)
    if outcome.unanswered:
        report.error = SyncError(
            "garbled",
            f"the server did not answer for {outcome.unanswered} records; they stay waiting",
        )
        return False
    return True
