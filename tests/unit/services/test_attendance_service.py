"""The attendance service writes durable events through the rules, with a real SQLite file."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from helpers.fakes import KIOSK_ID, FakeClock, make_activity, make_service, open_test_store

from checkin_protocol.codes.trust import RevocationList
from checkin_protocol.models import Action, ActivityStatus, Identity, Method
from checkin_protocol.policy import AttendancePolicy, AutoCloseMode
from kiosk.services.outcome import Failure, OutcomeKind
from kiosk.store.audit import verify_chain
from kiosk.store.database import Store

LEI = Identity("V000000001", "雷*霞", Method.QR, card_no=1)
WANG = Identity("V000000002", "王*", Method.SCANNER, card_no=1)


def _events(store: Store, kiosk_id: str = KIOSK_ID) -> list[tuple[Any, ...]]:
    rows = store.writer.execute("SELECT seq, volunteer_id, action, method FROM events ORDER BY seq")
    return [tuple(row) for row in rows]


def test_scan_checks_in_then_out_with_hours_and_outbox(tmp_path: Path) -> None:
    clock = FakeClock()
    store = open_test_store(tmp_path / "k.db", make_activity())
    service = make_service(store, clock)

    first = service.scan(LEI, "A20261129001")
    assert first.kind is OutcomeKind.CHECKED_IN and first.confirmed
    assert first.event is not None and first.event.seq == 1
    clock.advance(2 * 3600 + 15 * 60)
    second = service.scan(LEI, "A20261129001")

    assert second.kind is OutcomeKind.CHECKED_OUT
    assert second.visit_seconds == 2 * 3600 + 15 * 60
    assert second.total_seconds == 2 * 3600 + 15 * 60
    assert second.previous is not None and second.previous.event_id == first.event.event_id
    assert _events(store) == [(1, "V000000001", "in", "qr"), (2, "V000000001", "out", "qr")]
    outbox = store.writer.execute("SELECT COUNT(*) FROM outbox WHERE delivered_utc IS NULL").fetchone()[0]
    assert outbox == 2, "every event must be queued for the cloud in the same transaction"


def test_a_second_scan_within_the_window_is_a_duplicate_and_writes_nothing(tmp_path: Path) -> None:
    clock = FakeClock()
    store = open_test_store(tmp_path / "k.db", make_activity())
    service = make_service(store, clock)
    service.scan(LEI, "A20261129001")
    clock.advance(30)
    again = service.scan(LEI, "A20261129001")
    assert again.kind is OutcomeKind.DUPLICATE and not again.confirmed
    assert again.previous is not None and again.previous.action is Action.CHECK_IN
    assert len(_events(store)) == 1

    now_out = service.scan(LEI, "A20261129001", force_check_out=True)
    assert now_out.kind is OutcomeKind.CHECKED_OUT
    assert len(_events(store)) == 2


def test_check_out_now_without_a_check_in_is_refused(tmp_path: Path) -> None:
    store = open_test_store(tmp_path / "k.db", make_activity())
    outcome = make_service(store, FakeClock()).scan(LEI, "A20261129001", force_check_out=True)
    assert outcome.kind is OutcomeKind.FAILED and outcome.reason == Failure.NOT_CHECKED_IN
    assert _events(store) == []


def test_undo_writes_a_compensating_event_and_never_deletes(tmp_path: Path) -> None:
    clock = FakeClock()
    store = open_test_store(tmp_path / "k.db", make_activity())
    service = make_service(store, clock)
    checked_in = service.scan(LEI, "A20261129001")
    assert checked_in.event is not None
    clock.advance(10)
    undone = service.undo(checked_in.event.event_id)
    assert undone.kind is OutcomeKind.UNDONE
    assert _events(store) == [(1, "V000000001", "in", "qr"), (2, "V000000001", "undo", "qr")]
    # After the undo, the next scan is a fresh check-in, not a check-out.
    clock.advance(200)
    assert service.scan(LEI, "A20261129001").kind is OutcomeKind.CHECKED_IN
    # Undoing twice is refused.
    assert service.undo(checked_in.event.event_id).reason == "already_undone"


def test_undo_after_the_window_is_refused(tmp_path: Path) -> None:
    clock = FakeClock()
    store = open_test_store(tmp_path / "k.db", make_activity())
    service = make_service(store, clock, AttendancePolicy(undo_window_s=60))
    event = service.scan(LEI, "A20261129001").event
    assert event is not None
    clock.advance(61)
    outcome = service.undo(event.event_id)
    assert outcome.kind is OutcomeKind.REFUSED and outcome.reason == "too_late"
    assert len(_events(store)) == 1


@pytest.mark.parametrize(
    ("activity_kwargs", "reason"),
    [
        ({"status": ActivityStatus.SCHEDULED}, "activity_not_open"),
        ({"status": ActivityStatus.CLOSED}, "activity_closed"),
        ({"signup_required": True}, "not_signed_up"),
    ],
)
def test_refusals_write_only_an_audit_line(
    tmp_path: Path, activity_kwargs: dict[str, Any], reason: str
) -> None:
    store = open_test_store(tmp_path / "k.db", make_activity(**activity_kwargs))
    outcome = make_service(store, FakeClock()).scan(LEI, "A20261129001")
    assert outcome.kind is OutcomeKind.REFUSED and outcome.reason == reason
    assert _events(store) == []
    audit = store.writer.execute("SELECT action, detail FROM audit_log").fetchall()
    assert len(audit) == 1 and audit[0][0] == "scan.refused" and reason in audit[0][1]
    assert verify_chain(store.writer).ok


def test_capacity_counts_who_is_on_site(tmp_path: Path) -> None:
    store = open_test_store(tmp_path / "k.db", make_activity(capacity=1))
    service = make_service(store, FakeClock())
    assert service.scan(LEI, "A20261129001").kind is OutcomeKind.CHECKED_IN
    full = service.scan(WANG, "A20261129001")
    assert full.kind is OutcomeKind.REFUSED and full.reason == "capacity_reached"


def test_a_revoked_card_is_refused_but_the_new_card_works(tmp_path: Path) -> None:
    store = open_test_store(tmp_path / "k.db", make_activity())
    service = make_service(store, FakeClock(), revocations=RevocationList([("V000000001", 1)]))
    assert service.scan(LEI, "A20261129001").reason == "card_revoked"
    new_card = Identity("V000000001", "雷*霞", Method.QR, card_no=2)
    assert service.scan(new_card, "A20261129001").kind is OutcomeKind.CHECKED_IN


def test_unknown_activity_fails_without_writing(tmp_path: Path) -> None:
    store = open_test_store(tmp_path / "k.db")
    outcome = make_service(store, FakeClock()).scan(LEI, "NOPE")
    assert outcome.kind is OutcomeKind.FAILED and outcome.reason == Failure.UNKNOWN_ACTIVITY
    assert _events(store) == []


def test_a_full_disk_is_a_clear_failure_and_leaves_nothing_half_written(tmp_path: Path) -> None:
    clock = FakeClock()
    store = open_test_store(tmp_path / "k.db", make_activity())
    service = make_service(store, clock)
    page_count = store.writer.execute("PRAGMA page_count").fetchone()[0]
    store.writer.execute(f"PRAGMA max_page_count = {page_count}")  # the disk is now full
    failed = None
    for n in range(50):  # fill the last free bytes of the pages we have
        outcome = service.scan(Identity(f"V{n:09d}", "某*", Method.QR), "A20261129001")
        if outcome.kind is OutcomeKind.FAILED:
            failed = outcome
            break
    assert failed is not None, "the store never filled up"
    assert failed.reason == Failure.STORAGE_FULL and not failed.confirmed
    seqs = [row[0] for row in store.writer.execute("SELECT seq FROM events ORDER BY seq")]
    assert seqs == list(range(1, len(seqs) + 1)), "no gaps, no half-written event"
    in_outbox = store.writer.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]
    assert in_outbox == len(seqs)


def test_auto_close_closes_forgotten_check_outs_for_review(tmp_path: Path) -> None:
    clock = FakeClock()
    store = open_test_store(tmp_path / "k.db", make_activity(hours=4))
    service = make_service(store, clock, AttendancePolicy(auto_close_mode=AutoCloseMode.SCHEDULED_END))
    service.scan(LEI, "A20261129001")
    clock.advance(3600)
    service.scan(WANG, "A20261129001")
    clock.advance(3 * 3600 + 29 * 60)
    assert service.close_due_activities() == []  # within the grace period
    clock.advance(2 * 60)
    reports = service.close_due_activities()
    assert [(r.activity_id, r.closed_visits) for r in reports] == [("A20261129001", 2)]
    outs = store.writer.execute(
        "SELECT volunteer_id, method, auto_closed, credit_seconds FROM events WHERE action = 'out' ORDER BY seq"
    ).fetchall()
    assert outs == [("V000000001", "auto", 1, 4 * 3600), ("V000000002", "auto", 1, 3 * 3600)]
    status = store.writer.execute("SELECT status FROM activities").fetchone()[0]
    assert status == "closed"
    # Scanning after the close is refused, and the closed visit cannot be undone.
    assert service.scan(LEI, "A20261129001").reason == "activity_closed"


def test_storage_errors_during_undo_are_reported_not_raised(tmp_path: Path) -> None:
    store = open_test_store(tmp_path / "k.db", make_activity())
    service = make_service(store, FakeClock())
    event = service.scan(LEI, "A20261129001").event
    assert event is not None
    store.writer.execute("PRAGMA query_only = ON")
    outcome = service.undo(event.event_id)
    assert outcome.kind is OutcomeKind.FAILED and outcome.reason == Failure.STORAGE_ERROR
    store.writer.execute("PRAGMA query_only = OFF")
    with pytest.raises(sqlite3.IntegrityError):
        store.writer.execute("DELETE FROM events")
