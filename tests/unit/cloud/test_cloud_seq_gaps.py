"""Gaps mean loss: the cloud keeps each kiosk's missing sequence numbers, reports them, and closes them.

A kiosk numbers its events 1, 2, 3, ... with no gaps, so a number below the
highest the cloud has seen that it holds no event for is a lost record: one
that never arrived (``rejected`` None) or one it refused (the reason).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner
from helpers.cloud_server import RunningCloud
from sqlite_utils import Database

from cloud.cli import cli
from cloud.ingest import ingest
from cloud.instance import init_instance
from cloud.protocol import MAX_INT64, MAX_MISSING_RANGES, PushRequest, PushResponse
from cloud.schema import MIGRATIONS
from cloud.seq_gaps import gap_report_lines, read_gap_report
from cloud.storage import CloudStore, Storage

A, B = "K00000000AA", "K00000000BB"
WALL = datetime(2026, 3, 12, 0, 30, tzinfo=UTC)
NOW = datetime(2026, 3, 12, 5, 0, tzinfo=UTC)

Gap = tuple[int, int, str | None]


def event(seq: int, kiosk: str = A, **changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "event_id": str(uuid.uuid4()),
        "kiosk_id": kiosk,
        "seq": seq,
        "volunteer_id": "V1",
        "activity_id": "A1",
        "action": "in",
        "method": "qr",
        "wall_utc": (WALL + timedelta(minutes=seq % 10_000)).isoformat(timespec="milliseconds"),
        "utc_offset_min": 480,
        "monotonic_ns": 1_000_000_000 * (seq % 10_000),
        "boot_id": "boot-1",
        "ref_event_id": None,
        "auto_closed": False,
        "credit_seconds": None,
        "actor": None,
    }
    return record | changes


def push(store: Storage, events: list[Any], device: str = A) -> PushResponse:
    request = PushRequest.model_validate(
        {
            "batch_id": str(uuid.uuid4()),
            "sent_at_device": WALL.isoformat(timespec="milliseconds"),
            "clock_offset_s": 0.0,
            "events": events,
        }
    )
    return ingest(store, device, request, NOW)


def gaps(store: Storage, kiosk: str = A) -> list[Gap]:
    """Every range of the kiosk, in seq order."""
    with store.read() as reader:
        found = reader.seq_gaps(kiosk, limit=10_000)
    return sorted((g.first_seq, g.last_seq, g.rejected) for g in found)


def test_a_kiosk_counts_from_1_so_a_first_record_numbered_3_leaves_1_and_2_missing(
    cloud_store: Storage,
) -> None:
    push(cloud_store, [event(3)])
    assert gaps(cloud_store) == [(1, 2, None)]


def test_records_in_order_leave_no_gap(cloud_store: Storage) -> None:
    push(cloud_store, [event(seq) for seq in range(1, 501)])
    push(cloud_store, [event(seq) for seq in range(501, 601)])
    assert gaps(cloud_store) == []


def test_a_gap_is_opened_then_shrunk_then_closed_by_later_arrivals(cloud_store: Storage) -> None:
    push(cloud_store, [event(1), event(2), event(6)])
    assert gaps(cloud_store) == [(3, 5, None)], "3 to 5 never arrived"
    push(cloud_store, [event(5)])
    assert gaps(cloud_store) == [(3, 4, None)]
    push(cloud_store, [event(3)])
    assert gaps(cloud_store) == [(4, 4, None)]
    push(cloud_store, [event(4)])
    assert gaps(cloud_store) == [], "the last arrival closes the gap"


def test_an_arrival_in_the_middle_splits_a_range_in_two(cloud_store: Storage) -> None:
    push(cloud_store, [event(1), event(10)])
    push(cloud_store, [event(5)])
    assert gaps(cloud_store) == [(2, 4, None), (6, 9, None)]


def test_a_batch_out_of_order_is_judged_as_a_whole(cloud_store: Storage) -> None:
    push(cloud_store, [event(5), event(1), event(3), event(2), event(8)])
    assert gaps(cloud_store) == [(4, 4, None), (6, 7, None)]
    push(cloud_store, [event(7), event(4), event(6)])
    assert gaps(cloud_store) == []


def test_a_resent_batch_changes_no_range(cloud_store: Storage) -> None:
    batch = [event(1), event(4)]
    push(cloud_store, batch)
    before = cloud_store.table_counts()
    reply = push(cloud_store, batch)
    assert len(reply.duplicate) == 2
    assert gaps(cloud_store) == [(2, 3, None)]
    assert cloud_store.table_counts() == before


def test_a_refused_event_is_a_gap_with_its_reason_and_a_later_good_copy_closes_it(
    cloud_store: Storage,
) -> None:
    reply = push(cloud_store, [event(1), event(2, wall_utc="yesterday"), event(3)])
    assert [r.reason for r in reply.rejected] == ["invalid:wall_utc"]
    assert gaps(cloud_store) == [(2, 2, "invalid:wall_utc")], "the record of seq 2 is lost to the platform"
    push(cloud_store, [event(2)])
    assert gaps(cloud_store) == []


def test_a_refusal_above_the_highest_record_moves_the_highest_up(cloud_store: Storage) -> None:
    push(cloud_store, [event(1), event(4, action="dance")])
    assert gaps(cloud_store) == [(2, 3, None), (4, 4, "invalid:action")]
    push(cloud_store, [event(5)])
    assert gaps(cloud_store) == [(2, 3, None), (4, 4, "invalid:action")], (
        "5 follows the refused 4: no new gap"
    )


def test_refusals_in_a_row_are_one_range_and_a_refusal_replaces_never_arrived(
    cloud_store: Storage,
) -> None:
    push(cloud_store, [event(1), event(9)])
    push(cloud_store, [event(seq, method="telepathy") for seq in (4, 5, 6)])
    assert gaps(cloud_store) == [(2, 3, None), (4, 6, "invalid:method"), (7, 8, None)]


def test_a_conflict_over_a_seq_the_cloud_holds_is_no_gap_but_one_under_a_free_seq_is(
    cloud_store: Storage,
) -> None:
    first = event(1)
    push(cloud_store, [first, event(2)])
    reply = push(cloud_store, [event(1)])  # another event under seq 1: a kiosk whose database was reset
    assert [r.reason for r in reply.rejected] == ["conflict"]
    assert gaps(cloud_store) == [], "seq 1 is held: nothing of the sequence is missing"
    moved = dict(first, seq=4)  # the ID of seq 1's event, sent again under seq 4
    assert [r.reason for r in push(cloud_store, [moved]).rejected] == ["conflict"]
    assert gaps(cloud_store) == [(3, 3, None), (4, 4, "conflict")]


def test_events_of_another_kiosk_and_unreadable_numbers_open_no_gap(cloud_store: Storage) -> None:
    push(cloud_store, [event(1)])
    reply = push(
        cloud_store,
        [event(7, kiosk=B), event(0), event(-5), event(True), event(MAX_INT64 + 1), "not an event"],
    )
    assert len(reply.rejected) == 6
    assert gaps(cloud_store) == [] and gaps(cloud_store, B) == []


def test_the_largest_seq_is_handled_without_overflow(cloud_store: Storage) -> None:
    push(cloud_store, [event(1), event(MAX_INT64)])
    assert gaps(cloud_store) == [(2, MAX_INT64 - 1, None)]
    push(cloud_store, [event(MAX_INT64 - 1)])
    assert gaps(cloud_store) == [(2, MAX_INT64 - 2, None)]
    report = read_gap_report(cloud_store)
    assert report[0].missing == MAX_INT64 - 3


def test_two_kiosks_keep_their_own_ranges(cloud_store: Storage) -> None:
    push(cloud_store, [event(1), event(4)])
    push(cloud_store, [event(2, kiosk=B), event(3, kiosk=B)], device=B)
    assert gaps(cloud_store) == [(2, 3, None)]
    assert gaps(cloud_store, B) == [(1, 1, None)]
    push(cloud_store, [event(1, kiosk=B)], device=B)
    assert gaps(cloud_store, B) == [] and gaps(cloud_store) == [(2, 3, None)]


def test_a_failed_batch_leaves_the_ranges_as_they_were(
    cloud_store: Storage, monkeypatch: pytest.MonkeyPatch
) -> None:
    push(cloud_store, [event(1), event(3)])

    def broken(*args: object) -> str:
        raise RuntimeError("disk full")

    monkeypatch.setattr("cloud.queries.Writer.event_content", broken)
    with pytest.raises(RuntimeError):
        push(cloud_store, [event(10), event(3)])  # 10 opens 4..9, then the duplicate check fails
    assert gaps(cloud_store) == [(2, 2, None)]


def test_the_kiosk_hears_of_never_arrived_ranges_first_and_at_most_the_limit(cloud_store: Storage) -> None:
    push(cloud_store, [event(1), event(3, action="nap")])
    push(cloud_store, [event(seq) for seq in range(4, 4 + 2 * (MAX_MISSING_RANGES + 10), 2)])
    with cloud_store.read() as reader:
        told = reader.seq_gaps(A, limit=MAX_MISSING_RANGES)
    assert len(told) == MAX_MISSING_RANGES
    assert all(g.rejected is None for g in told), "what the kiosk can still re-send comes first"
    assert [g.first_seq for g in told] == sorted(g.first_seq for g in told)


def test_a_cloud_upgraded_with_events_already_stored_finds_their_gaps(tmp_path: Path) -> None:
    db = Database(tmp_path / "old.db")
    MIGRATIONS.apply(db, stop_before="0006_seq_gaps")
    rows = [(A, 2), (A, 3), (A, 7), (B, 1), (B, 2)]
    for kiosk, seq in rows:
        values = event(seq, kiosk=kiosk)
        db.execute(
            "INSERT INTO events (event_id, kiosk_id, seq, volunteer_id, activity_id, action, method, wall_utc, "
            "utc_offset_min, monotonic_ns, boot_id, auto_closed, received_utc, corrected_utc, batch_id) "
            "VALUES (?, ?, ?, 'V1', 'A1', 'in', 'qr', ?, 480, 0, 'b', 0, ?, ?, 'x')",
            [values["event_id"], kiosk, seq, values["wall_utc"], values["wall_utc"], values["wall_utc"]],
        )
    db.conn.commit()
    db.close()
    store = CloudStore.open(tmp_path / "old.db")
    try:
        assert gaps(store) == [(1, 1, None), (4, 6, None)]
        assert gaps(store, B) == []
        push(store, [event(5)])
        assert gaps(store) == [(1, 1, None), (4, 4, None), (6, 6, None)]
    finally:
        store.close()


def test_the_report_counts_missing_and_refused_records_per_kiosk(cloud_store: Storage) -> None:
    push(cloud_store, [event(1), event(5), event(6, action="nap")])
    push(cloud_store, [event(3, kiosk=B)], device=B)
    push(cloud_store, [event(1, kiosk="K00000000CC")], device="K00000000CC")
    report = read_gap_report(cloud_store)
    assert [(k.kiosk_id, k.missing, k.rejected, k.ranges) for k in report] == [(A, 3, 1, 2), (B, 2, 0, 1)]
    assert [(g.first_seq, g.last_seq, g.rejected) for g in report[0].first_ranges] == [
        (2, 4, None),
        (6, 6, "invalid:action"),
    ]
    text = "\n".join(gap_report_lines(report))
    assert f"{A}: 3 missing, 1 refused" in text
    assert "2-4 never arrived" in text and "6 refused (invalid:action)" in text


def test_kiosk_cloud_report_lists_the_missing_records_and_says_when_there_are_none(tmp_path: Path) -> None:
    data = tmp_path / "data"
    instance, _ = init_instance(data)
    with instance:
        push(instance.store, [event(1), event(2)])
    runner = CliRunner()
    clean = runner.invoke(cli, ["--data", str(data), "report", "--date", "2026-03-12"])
    assert clean.exit_code == 0, clean.output
    assert "Missing records: none" in clean.stdout

    instance, _ = init_instance(data)
    with instance:
        push(instance.store, [event(6)])
    lossy = runner.invoke(cli, ["--data", str(data), "report", "--date", "2026-03-12"])
    assert lossy.exit_code == 0, lossy.output
    assert "Missing records: 3 of 1 kiosk" in lossy.stdout
    assert f"{A}: 3 missing" in lossy.stdout and "3-5 never arrived" in lossy.stdout


# -- the changes feed tells each kiosk its own missing ranges ----------------------------------------


def _pull(cloud: RunningCloud, auth: dict[str, str]) -> dict[str, Any]:
    reply = requests.get(f"{cloud.api_url}/changes", params={"limit": 10}, headers=auth, timeout=10)
    assert reply.status_code == 200, reply.text
    return dict(reply.json())


def test_each_page_of_changes_tells_the_kiosk_its_own_missing_ranges(cloud: RunningCloud) -> None:
    auth_a, auth_b = cloud.register(A), cloud.register(B)
    assert _pull(cloud, auth_a)["missing"] == []
    push(cloud.store, [event(1), event(4), event(5, action="nap")])
    push(cloud.store, [event(2, kiosk=B)], device=B)
    assert _pull(cloud, auth_a)["missing"] == [
        {"first_seq": 2, "last_seq": 3, "rejected": None},
        {"first_seq": 5, "last_seq": 5, "rejected": "invalid:action"},
    ]
    assert _pull(cloud, auth_b)["missing"] == [{"first_seq": 1, "last_seq": 1, "rejected": None}]
    push(cloud.store, [event(2), event(3)])
    assert _pull(cloud, auth_a)["missing"] == [{"first_seq": 5, "last_seq": 5, "rejected": "invalid:action"}]
