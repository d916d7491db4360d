"""Records the cloud lacks: a kiosk told of its missing ranges queues what it still has to send again."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest
from helpers.fakes import KIOSK_ID, FakeClock, append_events

from kiosk.store import sync_state as state
from kiosk.store.database import Store
from kiosk.sync.client import SyncClient
from kiosk.sync.gaps import MissingRange, apply_missing, parse_missing, stored_missing
from kiosk.sync.status import read_status

MAX_INT64 = 2**63 - 1
NOW = FakeClock().now().wall_utc


def _outbox(store: Store) -> dict[int, tuple[bool, str | None]]:
    """seq -> (delivered, rejected reason) of every outbox row."""
    rows = store.writer.execute(
        "SELECT e.seq, o.delivered_utc IS NOT NULL, o.rejected_reason FROM outbox o JOIN events e USING (event_id)"
    )
    return {int(r[0]): (bool(r[1]), r[2]) for r in rows}


def _ten_events_nine_settled(store: Store) -> None:
    """Events 1-10: 1-9 delivered but 4, which the cloud refused (conflict); 10 still waiting."""
    append_events(store, KIOSK_ID, FakeClock(), 10)
    with store.write() as db:
        db.execute(
            "UPDATE outbox SET delivered_utc = '2026-11-29T01:00:00.000+00:00' "
            "WHERE event_id IN (SELECT event_id FROM events WHERE seq <= 9 AND seq != 4)"
        )
        db.execute(
            "UPDATE outbox SET rejected_reason = 'conflict' WHERE event_id = (SELECT event_id FROM events WHERE seq = 4)"
        )


def _audit(store: Store, action: str) -> list[dict[str, Any]]:
    rows = store.writer.execute("SELECT detail FROM audit_log WHERE action = ? ORDER BY id", [action])
    return [json.loads(r[0]) for r in rows]


def _wire(first: int, last: int, rejected: object = None) -> dict[str, Any]:
    return {"first_seq": first, "last_seq": last, "rejected": rejected}


def test_the_field_is_read_strictly() -> None:
    assert parse_missing([_wire(3, 5), _wire(8, 8, "conflict")]) == (
        MissingRange(3, 5, None),
        MissingRange(8, 8, "conflict"),
    )
    assert parse_missing([]) == ()
    assert parse_missing([_wire(1, MAX_INT64)]) == (MissingRange(1, MAX_INT64, None),)


@pytest.mark.parametrize(
    "value",
    [
        "3-5",
        {"first_seq": 3, "last_seq": 5},
        ["3-5"],
        [_wire(0, 5)],
        [_wire(6, 5)],
        [_wire(3, MAX_INT64 + 1)],
        [{"first_seq": True, "last_seq": 5, "rejected": None}],
        [{"first_seq": 3.0, "last_seq": 5, "rejected": None}],
        [{"first_seq": 3, "last_seq": 5}],
        [_wire(3, 5, 7)],
        [_wire(3, 5, "x" * 201)],
        [_wire(seq, seq) for seq in range(1, 1_002)],
    ],
)
def test_an_unreadable_field_is_refused_with_a_reason(value: object) -> None:
    with pytest.raises(ValueError, match="missing records"):
        parse_missing(value)


def test_delivered_events_in_a_reported_range_wait_again_and_nothing_else_moves(store: Store) -> None:
    _ten_events_nine_settled(store)
    before = _outbox(store)
    outcome = apply_missing(
        store,
        KIOSK_ID,
        [_wire(3, 5), _wire(8, 8, "conflict"), _wire(20, 22)],
        NOW,
        "2026-11-29T02:00:00.000+00:00",
    )
    assert outcome is not None and outcome.problem is None
    assert (outcome.requeued, outcome.missing, outcome.not_here) == (3, 7, 3)
    after = _outbox(store)
    assert [seq for seq in after if after[seq] != before[seq]] == [3, 5, 8]
    assert after[3] == after[5] == after[8] == (False, None), "re-queued: waiting to be sent again"
    assert after[4] == (False, "conflict"), "a record the cloud refused stays refused"
    assert after[10] == (False, None), "a waiting record is on its way already"
    assert _audit(store, "sync_requeued") == [
        {"ranges": [[3, 5], [8, 8], [20, 22]], "requeued": 3, "not_here": 3}
    ]
    status = read_status(store.writer)
    assert status.waiting == 4 and status.cloud_missing == 7
    report = stored_missing(store.writer)
    assert report is not None and report.as_of == "2026-11-29T02:00:00.000+00:00"
    assert report.requeued == 3 and report.not_here == 3


def test_the_same_report_again_queues_nothing_more_and_writes_no_audit_line(store: Store) -> None:
    _ten_events_nine_settled(store)
    apply_missing(store, KIOSK_ID, [_wire(3, 5)], NOW, None)
    again = apply_missing(store, KIOSK_ID, [_wire(3, 5)], NOW, None)
    assert again is not None and again.requeued == 0
    assert len(_audit(store, "sync_requeued")) == 1


def test_a_clean_report_clears_what_sync_status_shows(store: Store) -> None:
    _ten_events_nine_settled(store)
    apply_missing(store, KIOSK_ID, [_wire(3, 5)], NOW, None)
    assert read_status(store.writer).cloud_missing == 3
    apply_missing(store, KIOSK_ID, [], NOW, None)
    assert read_status(store.writer).cloud_missing == 0 and stored_missing(store.writer) is None


def test_an_unreadable_report_or_none_at_all_changes_nothing(store: Store) -> None:
    _ten_events_nine_settled(store)
    apply_missing(store, KIOSK_ID, [_wire(9, 9)], NOW, None)
    snapshot = (_outbox(store), stored_missing(store.writer), _audit(store, "sync_requeued"))
    assert apply_missing(store, KIOSK_ID, None, NOW, None) is None, "an older cloud does not say"
    bad = apply_missing(store, KIOSK_ID, [_wire(1, 9, 1)], NOW, None)
    assert bad is not None and bad.problem is not None and "missing records" in bad.problem
    assert (_outbox(store), stored_missing(store.writer), _audit(store, "sync_requeued")) == snapshot


def test_only_this_kiosks_own_events_are_queued_again(store: Store) -> None:
    append_events(store, "K-OTHER", FakeClock(), 3)
    with store.write() as db:
        db.execute("UPDATE outbox SET delivered_utc = '2026-11-29T01:00:00.000+00:00'")
    outcome = apply_missing(store, KIOSK_ID, [_wire(1, 3)], NOW, None)
    assert outcome is not None and (outcome.requeued, outcome.not_here) == (0, 3)
    assert all(delivered for delivered, _ in _outbox(store).values())


class GapCloud:
    """A cloud that holds what it is sent and reports the ranges the test sets on every page."""

    base_url = "http://cloud.test"

    def __init__(self, missing: list[dict[str, Any]] | None) -> None:
        self.missing = missing
        self.pushed: list[int] = []

    def get_json(
        self, path: str, *, params: Mapping[str, str | int] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        assert path == "/changes"
        page: dict[str, Any] = {
            "changes": [],
            "next_cursor": "0",
            "more": False,
            "server_time": "2026-11-29T02:00:00.000+00:00",
        }
        if self.missing is not None:
            page["missing"] = self.missing
        return page

    def post_json(self, path: str, body: Mapping[str, Any], *, token: str | None = None) -> dict[str, Any]:
        assert path == "/events"
        self.pushed += [int(e["seq"]) for e in body["events"]]
        ids = [e["event_id"] for e in body["events"]]
        return {
            "accepted": ids,
            "duplicate": [],
            "rejected": [],
            "server_time": "2026-11-29T02:00:00.000+00:00",
        }


def _client(store: Store, cloud: GapCloud) -> SyncClient:
    with store.write() as db:
        for key, value in (
            (state.SERVER_URL, cloud.base_url),
            (state.DEVICE_ID, KIOSK_ID),
            (state.DEVICE_SECRET, "s"),
        ):
            state.set_value(db, key, value)
    return SyncClient(store, KIOSK_ID, FakeClock(), cloud)


def test_a_pull_that_reports_a_gap_makes_the_next_push_send_those_records_again(store: Store) -> None:
    _ten_events_nine_settled(store)
    cloud = GapCloud([_wire(6, 7)])
    client = _client(store, cloud)
    report = client.pull()
    assert report.error is None and (report.missing, report.requeued) == (2, 2)
    assert "2 queued to send again" in report.summary()
    client.push_pending()
    assert cloud.pushed == [6, 7, 10], "the re-queued records go with the waiting one, oldest first"


def test_a_pull_from_a_cloud_that_does_not_report_gaps_changes_nothing(store: Store) -> None:
    _ten_events_nine_settled(store)
    before = _outbox(store)
    report = _client(store, GapCloud(None)).pull()
    assert report.error is None and (report.missing, report.requeued) == (0, 0)
    assert _outbox(store) == before


def test_an_unreadable_gap_report_is_a_problem_of_the_pull_not_a_failure(store: Store) -> None:
    _ten_events_nine_settled(store)
    before = _outbox(store)
    report = _client(store, GapCloud([_wire(5, 3)])).pull()
    assert report.error is None
    assert any("missing records" in p for p in report.problems)
    assert _outbox(store) == before
