"""Signing volunteers in and out by hand at the desk: bounds, groups, notes, and durability."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from helpers.fakes import KIOSK_ID, FakeClock, add_activities, make_activity, make_service

from checkin_protocol.codes.trust import RevocationList
from checkin_protocol.models import Action, ActivityStatus, Identity, Method, utc
from checkin_protocol.policy import AttendancePolicy
from checkin_protocol.visits import derive_visits
from kiosk.services.desk import DeskRefusal, DeskService
from kiosk.store import events as event_store
from kiosk.store.audit import verify_chain
from kiosk.store.database import Store

ACTOR = "王老师 (c2)"
ACTIVITY = make_activity("A1")  # 01:00-05:00 UTC (09:00-13:00 in China), open


@pytest.fixture
def desk_store(store: Store) -> Store:
    """The kiosk store with ACTIVITY open and A2 closed."""
    add_activities(store, ACTIVITY, make_activity("A2", status=ActivityStatus.CLOSED))
    return store


@pytest.fixture
def desk_clock() -> FakeClock:
    """09:20 in China: twenty minutes into ACTIVITY."""
    return FakeClock(wall=utc(2026, 11, 29, 1, 20))


@pytest.fixture
def desk(desk_store: Store, desk_clock: FakeClock) -> DeskService:
    return DeskService(desk_store, KIOSK_ID, desk_clock, AttendancePolicy(), RevocationList([("V9", 0)]))


def _visits(store: Store) -> list[tuple[str, float | None]]:
    ledger = derive_visits(event_store.iter_events(store.writer), AttendancePolicy())
    return [(v.volunteer_id, v.raw_seconds) for v in ledger.visits]


def test_a_volunteer_checked_in_at_nine_when_it_is_twenty_past_gets_the_full_visit(
    desk: DeskService, desk_store: Store, desk_clock: FakeClock
) -> None:
    [result] = desk.check_in(["V1"], "A1", ACTOR, "phone battery dead", at=utc(2026, 11, 29, 1, 0))
    assert result.ok and result.event is not None
    assert result.event.method is Method.MANUAL and result.event.actor == ACTOR
    desk_clock.advance(3600)
    scanned = make_service(desk_store, desk_clock).scan(Identity("V1", "雷*霞", Method.QR), "A1")
    assert scanned.event is not None and scanned.event.action is Action.CHECK_OUT
    assert _visits(desk_store) == [("V1", 3600 + 20 * 60)], "from 9:00, not from when it was typed"
    note = desk_store.writer.execute("SELECT actor, reason, recorded_utc FROM event_notes").fetchone()
    assert note == (ACTOR, "phone battery dead", "2026-11-29T01:20:00.000+00:00")


def test_a_group_is_checked_in_together_and_each_refusal_has_its_reason(
    desk: DeskService, desk_store: Store
) -> None:
    desk.check_in(["V2"], "A1", ACTOR, "first")
    results = desk.check_in(["V1", "V2", "V3", "V9", "V1"], "A1", ACTOR, "school group arrived")
    assert [(r.volunteer_id, r.refusal) for r in results] == [
        ("V1", None),
        ("V2", DeskRefusal.ALREADY_ON_SITE),
        ("V3", None),
        ("V9", DeskRefusal.CARD_REVOKED),
    ]
    assert sorted(v for v, _ in event_store.on_site(desk_store.writer, "A1")) == ["V1", "V2", "V3"]


@pytest.mark.parametrize(
    ("at", "refusal"),
    [
        (utc(2026, 11, 29, 0, 10), "before_checkin_opens"),
        (utc(2026, 11, 29, 1, 21), "in_future"),
    ],
)
def test_a_time_out_of_bounds_signs_nobody_in(
    desk: DeskService, desk_store: Store, at: object, refusal: str
) -> None:
    results = desk.check_in(["V1", "V2"], "A1", ACTOR, "late entry", at=at)  # type: ignore[arg-type]
    assert {r.refusal for r in results} == {refusal}
    assert desk_store.writer.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0


def test_no_reason_no_closed_activity_no_capacity_overflow(desk: DeskService, desk_store: Store) -> None:
    assert desk.check_in(["V1"], "A1", ACTOR, "   ")[0].refusal == DeskRefusal.REASON_MISSING
    assert desk.check_in(["V1"], "A2", ACTOR, "x")[0].refusal == DeskRefusal.ACTIVITY_NOT_OPEN
    assert desk.check_in(["V1"], "NOPE", ACTOR, "x")[0].refusal == DeskRefusal.UNKNOWN_ACTIVITY
    with desk_store.write() as db:
        db.execute("UPDATE activities SET capacity = 2 WHERE activity_id = 'A1'")
    results = desk.check_in(["V1", "V2", "V3"], "A1", ACTOR, "class")
    assert [r.refusal for r in results] == [None, None, DeskRefusal.CAPACITY_FULL]


def test_a_forgotten_check_out_entered_later_ends_the_visit_when_they_left(
    desk: DeskService, desk_store: Store, desk_clock: FakeClock
) -> None:
    make_service(desk_store, desk_clock).scan(Identity("V1", "雷*霞", Method.QR), "A1")  # 01:20
    desk_clock.advance(4 * 3600)  # 05:20, still open
    desk_clock.reboot()  # the kiosk restarted meanwhile: the check-in's boot is gone
    [result] = desk.check_out(["V1"], "A1", ACTOR, "forgot to check out", at=utc(2026, 11, 29, 3, 5))
    assert result.ok and result.event is not None
    assert result.event.ref_event_id is not None
    assert _visits(desk_store) == [("V1", 3600 + 45 * 60)]
    assert desk.check_out(["V1"], "A1", ACTOR, "again")[0].refusal == DeskRefusal.NOT_ON_SITE
    early = desk.check_in(["V2"], "A1", ACTOR, "x", at=utc(2026, 11, 29, 2, 0))[0]
    assert early.ok
    assert (
        desk.check_out(["V2"], "A1", ACTOR, "x", at=utc(2026, 11, 29, 1, 59))[0].refusal == "before_check_in"
    )


def test_every_manual_event_has_an_audit_line_with_who_and_why_and_the_chain_holds(
    desk: DeskService, desk_store: Store
) -> None:
    desk.check_in(["V1", "V2"], "A1", ACTOR, "group")
    desk.check_out(["V1"], "A1", ACTOR, "left early")
    rows = desk_store.writer.execute(
        "SELECT action, actor, detail FROM audit_log WHERE action LIKE 'desk.%' ORDER BY id"
    ).fetchall()
    assert [(a, actor) for a, actor, _ in rows] == [
        ("desk.check_in", ACTOR),
        ("desk.check_in", ACTOR),
        ("desk.check_out", ACTOR),
    ]
    assert json.loads(rows[2][2])["reason"] == "left early"
    assert verify_chain(desk_store.writer).ok
    outbox = desk_store.writer.execute("SELECT COUNT(*) FROM outbox").fetchone()[0]
    assert outbox == 3, "manual events sync like any other"


def test_a_full_disk_refuses_the_whole_group_and_stores_nothing(
    desk: DeskService, desk_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    def full(*_: object, **__: object) -> None:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr("kiosk.services.desk.write_note", full)
    results = desk.check_in(["V1", "V2"], "A1", ACTOR, "group")
    assert {r.refusal for r in results} == {DeskRefusal.STORAGE_ERROR}
    assert desk_store.writer.execute("SELECT COUNT(*) FROM events").fetchone()[0] == 0


def test_manual_times_within_the_undo_window_do_not_confuse_the_next_scan(
    desk: DeskService, desk_store: Store, desk_clock: FakeClock
) -> None:
    desk.check_in(["V1"], "A1", ACTOR, "forgot card", at=desk_clock.wall - timedelta(minutes=15))
    desk_clock.advance(30)
    outcome = make_service(desk_store, desk_clock).scan(Identity("V1", "雷*霞", Method.QR), "A1")
    assert outcome.kind.value == "duplicate", (
        "a scan right after a manual check-in is a duplicate, not a check-out"
    )


def test_closing_an_activity_signs_out_whoever_is_still_there_at_once(
    desk: DeskService, desk_store: Store, desk_clock: FakeClock
) -> None:
    desk.check_in(["V1", "V2"], "A1", ACTOR, "group")
    desk_clock.advance(1800)
    results = desk.close_activity("A1", ACTOR, "rain: the event ends early")
    assert sorted(r.volunteer_id for r in results if r.ok) == ["V1", "V2"]
    assert event_store.on_site(desk_store.writer, "A1") == []
    status = desk_store.writer.execute("SELECT status FROM activities WHERE activity_id = 'A1'").fetchone()[0]
    assert status == "closed"
    assert sorted(_visits(desk_store)) == [("V1", 1800), ("V2", 1800)]
    assert desk.close_activity("A1", ACTOR, "again")[0].refusal == DeskRefusal.ACTIVITY_NOT_OPEN
    assert desk.close_activity("A1", ACTOR, "")[0].refusal == DeskRefusal.REASON_MISSING
    audit = desk_store.writer.execute(
        "SELECT actor FROM audit_log WHERE action = 'desk.activity_closed'"
    ).fetchall()
    assert audit == [(ACTOR,)]
