"""The outbox as the push sees it: oldest first, at most 500, settled only by a reply."""

from __future__ import annotations

import pytest
from helpers.fakes import KIOSK_ID, FakeClock

from checkin_protocol.models import Action, Event, Method
from cloud.protocol import EventRecord
from kiosk.services.ids import new_event_id
from kiosk.store.database import Store
from kiosk.store.events import append_event
from kiosk.store.outbox import rejected_count, rejected_events, waiting_count
from kiosk.sync.errors import SyncError
from kiosk.sync.outbox import (
    MAX_BATCH_EVENTS,
    PushReply,
    parse_push_reply,
    pending_batch,
    record_failure,
    record_reply,
)


def add_events(store: Store, clock: FakeClock, count: int, first_seq: int = 1) -> list[str]:
    """Append ``count`` check-ins (seq from ``first_seq``), each with its outbox row."""
    ids = []
    with store.write() as db:
        for seq in range(first_seq, first_seq + count):
            clock.advance(1)
            event = Event(
                event_id=new_event_id(),
                kiosk_id=KIOSK_ID,
                seq=seq,
                volunteer_id=f"V{seq % 37}",
                activity_id="A1",
                action=Action.CHECK_IN,
                method=Method.QR,
                clock=clock.now(),
            )
            append_event(db, event)
            ids.append(event.event_id)
    return ids


def _settle(store: Store, ids: list[str], reply: PushReply, clock: FakeClock) -> None:
    with store.write() as db:
        record_reply(db, ids, "batch-1", reply, clock.now().wall_utc)


def test_a_batch_is_the_oldest_waiting_events_by_sequence_at_most_500(store: Store) -> None:
    clock = FakeClock()
    ids = add_events(store, clock, 1_200)
    batch = pending_batch(store.writer)
    assert len(batch) == MAX_BATCH_EVENTS
    assert [e["event_id"] for e in batch] == ids[:500], "events must go oldest first"
    assert [e["seq"] for e in batch] == list(range(1, 501))
    with pytest.raises(ValueError):
        pending_batch(store.writer, 501)


def test_each_event_is_serialised_exactly_as_the_protocol_says(store: Store) -> None:
    add_events(store, FakeClock(), 1)
    (record,) = pending_batch(store.writer)
    assert set(record) == set(EventRecord.model_fields) - {"credential"}  # null: left out, as older kiosks do
    assert record["auto_closed"] is False and record["wall_utc"].endswith(".000+00:00")
    EventRecord.model_validate(record)  # the server's own strict model accepts it


def test_accepted_and_duplicate_events_are_delivered_and_not_sent_again(store: Store) -> None:
    clock = FakeClock()
    ids = add_events(store, clock, 10)
    _settle(store, ids[:4], PushReply(tuple(ids[:2]), tuple(ids[2:4]), ()), clock)
    assert waiting_count(store.writer) == 6
    assert [e["event_id"] for e in pending_batch(store.writer)] == ids[4:]
    delivered = store.writer.execute(
        "SELECT COUNT(*) FROM outbox WHERE delivered_utc = ? AND batch_id = 'batch-1'",
        [clock.now().wall_utc.isoformat(timespec="milliseconds")],
    ).fetchone()[0]
    assert delivered == 4


def test_rejected_events_keep_their_reason_and_are_never_resent(store: Store) -> None:
    clock = FakeClock()
    ids = add_events(store, clock, 3)
    _settle(store, ids, PushReply((ids[0],), (), ((ids[1], "conflict"), (ids[2], "invalid:actor"))), clock)
    assert waiting_count(store.writer) == 0
    assert pending_batch(store.writer) == [], "a rejected event must not be sent again"
    assert rejected_count(store.writer) == 2
    assert rejected_events(store.writer) == [(ids[1], 2, "conflict"), (ids[2], 3, "invalid:actor")]
    assert store.writer.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 3, "events are kept"


def test_a_reply_settles_only_events_of_its_batch(store: Store) -> None:
    clock = FakeClock()
    ids = add_events(store, clock, 4)
    with store.write() as db:
        outcome = record_reply(
            db, ids[:2], "b", PushReply((ids[0], ids[3]), (), ((ids[2], "conflict"),)), clock.now().wall_utc
        )
    assert (outcome.accepted, outcome.rejected, outcome.unanswered) == (1, [], 1)
    assert [e["event_id"] for e in pending_batch(store.writer)] == ids[1:], "unmentioned events stay waiting"


def test_a_failed_attempt_is_counted_and_marks_nothing(store: Store) -> None:
    ids = add_events(store, FakeClock(), 3)
    with store.write() as db:
        record_failure(db, ids[:2], "lost")
        record_failure(db, ids[:2], "lost-again")
    rows = store.writer.execute("SELECT attempts, delivered_utc, rejected_reason FROM outbox ORDER BY rowid")
    assert [tuple(r) for r in rows] == [(2, None, None), (2, None, None), (0, None, None)]
    assert waiting_count(store.writer) == 3


@pytest.mark.parametrize(
    "reply",
    [
        {},
        {"accepted": "x", "duplicate": [], "rejected": []},
        {"accepted": [], "duplicate": [], "rejected": [{"event_id": "e"}]},
        {"accepted": [1], "duplicate": [], "rejected": []},
    ],
)
def test_a_reply_of_the_wrong_shape_is_an_error_not_a_delivery(reply: dict[str, object]) -> None:
    with pytest.raises(SyncError) as caught:
        parse_push_reply(reply)
    assert caught.value.retryable


def test_a_rejection_without_an_id_is_read() -> None:
    reply = parse_push_reply(
        {"accepted": [], "duplicate": [], "rejected": [{"event_id": None, "reason": "invalid:event"}]}
    )
    assert reply.rejected == ((None, "invalid:event"),)
