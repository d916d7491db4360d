"""The review queue: what lands in it, and confirmations and corrections that keep every original event."""

from __future__ import annotations

from datetime import timedelta

import pytest
from helpers.fakes import KIOSK_ID, FakeClock, add_activities, make_activity, make_service

from checkin_protocol.codes.trust import RevocationList
from checkin_protocol.models import Action, Event, Identity, Method, utc
from checkin_protocol.policy import AttendancePolicy
from checkin_protocol.visits import derive_visits
from kiosk.services.attendance import AttendanceService
from kiosk.services.desk import DeskService
from kiosk.services.ids import new_event_id
from kiosk.services.review import ReviewRefusal, ReviewService, pending_leave_question, review_queue
from kiosk.store import events as event_store
from kiosk.store.audit import verify_chain
from kiosk.store.database import Store

ACTOR = "王老师 (c2)"
POLICY = AttendancePolicy()


@pytest.fixture
def review_store(store: Store) -> Store:
    """The kiosk store with activity A1 (4 h) and A2 (10 h) open."""
    add_activities(store, make_activity("A1"), make_activity("A2", hours=10))
    return store


@pytest.fixture
def attendance(review_store: Store, clock: FakeClock) -> AttendanceService:
    return make_service(review_store, clock)


@pytest.fixture
def review(review_store: Store, clock: FakeClock) -> ReviewService:
    desk = DeskService(review_store, KIOSK_ID, clock, POLICY, RevocationList())
    return ReviewService(review_store, KIOSK_ID, desk)


def _scan(attendance: AttendanceService, volunteer: str, activity: str = "A1") -> None:
    outcome = attendance.scan(Identity(volunteer, "雷*霞", Method.QR), activity)
    assert outcome.confirmed, outcome


def _queue(store: Store, clock: FakeClock) -> list[tuple[str, tuple[str, ...]]]:
    return [(i.volunteer_id, i.reasons) for i in review_queue(store.writer, POLICY, clock.wall)]


def _forgotten_check_out(attendance: AttendanceService, clock: FakeClock) -> None:
    _scan(attendance, "V1")  # 01:00
    clock.advance(4 * 3600 + 31 * 60)  # past the end (05:00) and the 30 min grace
    assert attendance.close_due_activities()


def test_a_forgotten_check_out_is_asked_about_queued_and_corrected_without_losing_anything(
    review_store: Store, clock: FakeClock, attendance: AttendanceService, review: ReviewService
) -> None:
    _forgotten_check_out(attendance, clock)
    assert _queue(review_store, clock) == [("V1", ("auto_closed",))]
    question = pending_leave_question(review_store.writer, POLICY, "V1", clock.wall)
    assert question is not None and question.check_in is not None

    review.record_leave_answer(question.subject_event_id, utc(2026, 11, 29, 3, 30))
    assert pending_leave_question(review_store.writer, POLICY, "V1", clock.wall) is None, "asked once"
    [item] = review_queue(review_store.writer, POLICY, clock.wall)
    assert item.proposed_out_utc == utc(2026, 11, 29, 3, 30)

    before = review_store.writer.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    result = review.correct(item.subject_event_id, ACTOR, "volunteer says 11:30", utc(2026, 11, 29, 3, 30))
    assert result.ok, result
    assert [e.action for e in result.events] == [Action.UNDO, Action.CHECK_OUT]
    assert review_store.writer.execute("SELECT COUNT(*) FROM events").fetchone()[0] == before + 2, (
        "nothing deleted"
    )
    [visit] = derive_visits(event_store.iter_events(review_store.writer), POLICY).visits
    assert visit.raw_seconds == 2.5 * 3600 and not visit.needs_review
    assert visit.check_out is not None and visit.check_out.actor == ACTOR
    assert _queue(review_store, clock) == []
    assert verify_chain(review_store.writer).ok


def test_a_correction_cannot_claim_a_time_after_the_kiosk_closed_the_visit(
    review_store: Store, clock: FakeClock, attendance: AttendanceService, review: ReviewService
) -> None:
    _forgotten_check_out(attendance, clock)
    [item] = review_queue(review_store.writer, POLICY, clock.wall)
    closed_at = clock.wall
    clock.advance(3600)
    late = review.correct(item.subject_event_id, ACTOR, "x", closed_at + timedelta(minutes=1))
    assert late.refusal == "after_limit", "the volunteer had left by the time the kiosk closed the visit"
    ahead = review.correct(item.subject_event_id, ACTOR, "x", clock.wall + timedelta(minutes=1))
    assert ahead.refusal == "in_future"
    early = review.correct(item.subject_event_id, ACTOR, "x", utc(2026, 11, 29, 0, 59))
    assert early.refusal == "before_check_in"
    assert (
        review.correct(item.subject_event_id, ACTOR, "", utc(2026, 11, 29, 2, 0)).refusal == "reason_missing"
    )


def test_confirming_keeps_the_visit_and_takes_it_off_the_queue(
    review_store: Store, clock: FakeClock, attendance: AttendanceService, review: ReviewService
) -> None:
    _forgotten_check_out(attendance, clock)
    [item] = review_queue(review_store.writer, POLICY, clock.wall)
    assert review.confirm(item.subject_event_id, ACTOR, "stayed to the end, checked with the team").ok
    assert _queue(review_store, clock) == []
    row = review_store.writer.execute("SELECT kind, actor, reason FROM review_notes").fetchone()
    assert row == ("confirmed", ACTOR, "stayed to the end, checked with the team")
    assert review.confirm("no-such-event", ACTOR, "x").refusal == ReviewRefusal.UNKNOWN_EVENT


def test_a_check_out_without_check_in_gets_its_check_in_time(
    review_store: Store, clock: FakeClock, attendance: AttendanceService, review: ReviewService
) -> None:
    _scan(attendance, "V1")
    clock.advance(60)
    undo = attendance.undo(_last_event_id(review_store))
    assert undo.confirmed
    clock.advance(3600)
    with review_store.write() as db:  # a check-out that arrived without its check-in (the in was undone)
        event = _stray_check_out(review_store, clock)
        event_store.append_event(db, event)
    [item] = review_queue(review_store.writer, POLICY, clock.wall)
    assert item.reasons == ("out_without_in",)
    assert review.correct(item.subject_event_id, ACTOR, "x", clock.wall).refusal == "check_in_time_needed"
    result = review.correct(
        item.subject_event_id, ACTOR, "checked in on paper", clock.wall, utc(2026, 11, 29, 1, 0)
    )
    assert result.ok, result
    assert [e.action for e in result.events] == [Action.UNDO, Action.CHECK_IN, Action.CHECK_OUT]
    [visit] = derive_visits(event_store.iter_events(review_store.writer), POLICY).visits
    assert visit.raw_seconds == 3660 and _queue(review_store, clock) == []


def _last_event_id(store: Store) -> str:
    return str(store.writer.execute("SELECT event_id FROM events ORDER BY seq DESC LIMIT 1").fetchone()[0])


def _stray_check_out(store: Store, clock: FakeClock) -> Event:
    seq = event_store.next_seq(store.writer, KIOSK_ID)
    return Event(new_event_id(), KIOSK_ID, seq, "V1", "A1", Action.CHECK_OUT, Method.QR, clock.now())


def test_long_and_overlapping_visits_are_queued(
    review_store: Store, clock: FakeClock, attendance: AttendanceService, review: ReviewService
) -> None:
    _scan(attendance, "V1", "A2")  # 01:00 at the ten-hour activity
    _scan(attendance, "V2", "A2")
    clock.advance(600)
    _scan(attendance, "V1", "A1")  # also at A1: on site at two activities at once
    clock.advance(3600)
    _scan(attendance, "V1", "A1")
    clock.advance(8 * 3600)
    _scan(attendance, "V1", "A2")  # 9 h 10 min at A2
    _scan(attendance, "V2", "A2")
    assert sorted(_queue(review_store, clock)) == [
        ("V1", ("long", "overlap")),  # 9 h 10 min at A2, during which
        ("V1", ("overlap",)),  # the hour at A1
        ("V2", ("long",)),
    ]


def test_a_visit_followed_by_a_later_one_is_not_corrected_underneath_it(
    review_store: Store, clock: FakeClock, attendance: AttendanceService, review: ReviewService
) -> None:
    _forgotten_check_out(attendance, clock)
    [item] = review_queue(review_store.writer, POLICY, clock.wall)
    with review_store.write() as db:
        db.execute("UPDATE activities SET status = 'open', ends_at = '2026-11-30T05:00:00.000+00:00'")
    clock.advance(300)
    _scan(attendance, "V1")  # a new visit at the same activity
    result = review.correct(item.subject_event_id, ACTOR, "x", utc(2026, 11, 29, 3, 0))
    assert result.refusal == ReviewRefusal.LATER_EVENTS
