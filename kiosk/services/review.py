"""The review queue: visits a coordinator should look at, and how they are settled.

What needs review (:func:`review_queue`):

- visits the kiosk closed itself (a forgotten check-out, ``auto_closed``),
  with the volunteer's own answer to "when did you leave?" if they gave one;
- check-outs without a check-in (``out_without_in``);
- very long visits (over :data:`LONG_VISIT_S`, or beyond the policy's cap);
- overlapping visits of one volunteer at two activities;
- visits whose clock jumped, or that seem to end before they began.

A coordinator *confirms* an item (it stays as it is; a note says who and
why) or *corrects* it (:meth:`ReviewService.correct`): the wrong events are
cancelled by ``undo`` events that name them and new manual events take
their place, all in one transaction with a note and an audit line. Nothing
is deleted; the original events stay in the store and reach the cloud.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from checkin_protocol.event_rows import format_utc
from checkin_protocol.models import Action, Event
from checkin_protocol.policy import AttendancePolicy
from checkin_protocol.visits import FlagReason, ReviewReason, Visit, derive_visits
from kiosk.domain.manual import check_in_problem, check_out_problem, reading_at
from kiosk.services.desk import DeskRefusal, DeskService, clean_reason
from kiosk.store import activities as activity_store
from kiosk.store import events as event_store
from kiosk.store.audit import append_audit
from kiosk.store.database import DatabaseFailure, Store, Transaction
from kiosk.store.review_notes import add_review_note, leave_answers, noted_subjects, settled_subjects
from kiosk.store.roster import get_volunteer

log = logging.getLogger(__name__)

LONG_VISIT_S = 8 * 3600
#: How far back the queue and the "when did you leave?" question look.
REVIEW_DAYS = 30
LEAVE_QUESTION_DAYS = 7


class ReviewRefusal:
    """Why a confirmation or correction is refused (besides the ``DeskRefusal`` and time reasons)."""

    UNKNOWN_EVENT = "unknown_event"
    NOT_REVIEWABLE = "not_reviewable"  # no such visit any more (already corrected or undone)
    LATER_EVENTS = "later_events"  # the volunteer has a later visit at that activity: correct that first
    CHECK_IN_TIME_NEEDED = "check_in_time_needed"  # a check-out without check-in needs its check-in time


@dataclass(frozen=True)
class ReviewItem:
    """One thing for the coordinator to look at.

    ``subject_event_id`` names it: the visit's check-in, or the flagged event.
    ``reasons`` are :class:`ReviewReason` / :class:`FlagReason` values and
    ``long`` / ``overlap``. ``proposed_out_utc`` is the volunteer's answer to
    "when did you leave?", if any.
    """

    subject_event_id: str
    volunteer_id: str
    name: str
    activity_id: str
    activity_title: str
    reasons: tuple[str, ...]
    check_in: Event | None
    check_out: Event | None
    credited_seconds: int
    proposed_out_utc: datetime | None = None


@dataclass(frozen=True)
class ReviewResult:
    """A confirmation or correction: the new events, or why it was refused."""

    events: tuple[Event, ...] = ()
    refusal: str | None = None

    @property
    def ok(self) -> bool:
        return self.refusal is None


# -- the queue -------------------------------------------------------------------------------------


def _overlapping(visits: list[Visit], now: datetime) -> set[str]:
    """Check-in IDs of visits of one volunteer that overlap a visit at another activity."""
    by_volunteer: dict[str, list[Visit]] = {}
    for visit in visits:
        if visit.check_out is not None or visit.is_open:
            by_volunteer.setdefault(visit.volunteer_id, []).append(visit)
    found: set[str] = set()
    for mine in by_volunteer.values():
        mine.sort(key=lambda v: v.check_in.clock.wall_utc)
        reach: list[tuple[datetime, Visit]] = []  # earlier visits and their ends
        for visit in mine:
            start = visit.check_in.clock.wall_utc
            for end, earlier in reach:
                if start < end and earlier.activity_id != visit.activity_id:
                    found.update({earlier.check_in.event_id, visit.check_in.event_id})
            reach.append((visit.check_out.clock.wall_utc if visit.check_out else now, visit))
    return found


def _visit_reasons(visit: Visit, overlapping: set[str]) -> tuple[str, ...]:
    reasons = [r.value for r in visit.review_reasons]
    if (
        visit.raw_seconds is not None
        and visit.raw_seconds > LONG_VISIT_S
        and ReviewReason.CAPPED not in visit.review_reasons
    ):
        reasons.append("long")
    if visit.check_in.event_id in overlapping:
        reasons.append("overlap")
    return tuple(reasons)


def review_queue(
    db: Transaction, policy: AttendancePolicy, now: datetime, days: int = REVIEW_DAYS
) -> list[ReviewItem]:
    """The items to review from the last ``days`` days, oldest first (read-only)."""
    since = now - timedelta(days=days)
    ledger = derive_visits(event_store.events_of_pairs_active_since(db, format_utc(since)), policy)
    settled, answers = settled_subjects(db), leave_answers(db)
    overlapping = _overlapping(ledger.visits, now)
    items: list[ReviewItem] = []
    for visit in ledger.visits:
        reasons = _visit_reasons(visit, overlapping)
        subject = visit.check_in.event_id
        if not reasons or subject in settled or visit.check_in.clock.wall_utc < since:
            continue
        items.append(
            _item(db, subject, visit.check_in, visit.check_out, reasons, visit.credited_seconds, answers)
        )
    for flagged in ledger.flagged:
        event = flagged.event
        if flagged.reason is not FlagReason.OUT_WITHOUT_IN or event.event_id in settled:
            continue
        if event.clock.wall_utc >= since:
            items.append(_item(db, event.event_id, None, event, (flagged.reason.value,), 0, answers))
    items.sort(key=lambda i: (i.check_in or i.check_out or _never()).clock.wall_utc)
    return items


def _never() -> Event:  # pragma: no cover - every item has a check-in or a check-out
    raise AssertionError("a review item without events")


def _item(
    db: Transaction,
    subject: str,
    check_in: Event | None,
    check_out: Event | None,
    reasons: tuple[str, ...],
    credited: int,
    answers: dict[str, datetime],
) -> ReviewItem:
    anchor = check_in or check_out
    assert anchor is not None
    volunteer = get_volunteer(db, anchor.volunteer_id)
    activity = activity_store.get_activity(db, anchor.activity_id)
    return ReviewItem(
        subject_event_id=subject,
        volunteer_id=anchor.volunteer_id,
        name=volunteer.name if volunteer is not None else anchor.volunteer_id,
        activity_id=anchor.activity_id,
        activity_title=activity.title if activity is not None else anchor.activity_id,
        reasons=reasons,
        check_in=check_in,
        check_out=check_out,
        credited_seconds=credited,
        proposed_out_utc=answers.get(subject),
    )


def pending_leave_question(
    db: Transaction, policy: AttendancePolicy, volunteer_id: str, now: datetime
) -> ReviewItem | None:
    """The volunteer's latest visit the kiosk closed for them, not yet answered or settled, if recent.

    Asked at their next scan: "you did not check out on ...; when did you leave?"
    """
    ledger = derive_visits(event_store.events_of_volunteer(db, volunteer_id), policy)
    noted = noted_subjects(db)
    since = now - timedelta(days=LEAVE_QUESTION_DAYS)
    for visit in reversed(ledger.visits):
        out = visit.check_out
        if out is None or not out.auto_closed or visit.check_in.event_id in noted:
            continue
        if visit.check_in.clock.wall_utc < since:
            return None
        reasons = tuple(r.value for r in visit.review_reasons)
        return _item(db, visit.check_in.event_id, visit.check_in, out, reasons, visit.credited_seconds, {})
    return None


# -- settling items --------------------------------------------------------------------------------


class ReviewService:
    """Confirm or correct review items, and take volunteers' answers, at one kiosk."""

    def __init__(self, store: Store, kiosk_id: str, desk: DeskService) -> None:
        self._store = store
        self._kiosk_id = kiosk_id
        self._desk = desk

    def record_leave_answer(self, check_in_event_id: str, left_at: datetime | None) -> None:
        """Keep a volunteer's answer (None: "I don't remember") for the coordinator's queue."""
        now = self._desk.clock.now()
        with self._store.write() as db:
            add_review_note(db, check_in_event_id, "leave_answer", now.wall_utc, proposed_out=left_at)
            append_audit(
                db,
                kiosk_id=self._kiosk_id,
                action="review.leave_answer",
                at=now.wall_utc,
                detail={
                    "check_in_event_id": check_in_event_id,
                    "left_at": None if left_at is None else format_utc(left_at),
                },
            )

    def confirm(self, subject_event_id: str, actor: str, reason: str) -> ReviewResult:
        """Accept an item as it is, with who and why."""
        text = clean_reason(reason)
        if text is None:
            return ReviewResult(refusal=DeskRefusal.REASON_MISSING)
        now = self._desk.clock.now()
        try:
            with self._store.write() as db:
                if event_store.get_event(db, subject_event_id) is None:
                    return ReviewResult(refusal=ReviewRefusal.UNKNOWN_EVENT)
                add_review_note(db, subject_event_id, "confirmed", now.wall_utc, actor=actor, reason=text)
                append_audit(
                    db,
                    kiosk_id=self._kiosk_id,
                    action="review.confirmed",
                    at=now.wall_utc,
                    actor=actor,
                    detail={"subject_event_id": subject_event_id, "reason": text},
                )
        except DatabaseFailure as exc:
            log.error("review confirmation not stored: %s", exc)
            return ReviewResult(refusal=DeskRefusal.STORAGE_ERROR)
        return ReviewResult()

    def correct(
        self,
        subject_event_id: str,
        actor: str,
        reason: str,
        check_out_at: datetime,
        check_in_at: datetime | None = None,
    ) -> ReviewResult:
        """Replace a visit's times: a new check-out at ``check_out_at`` (and check-in at ``check_in_at``).

        The subject is a visit's check-in or a check-out without check-in (which
        needs ``check_in_at``). The events replaced are undone, never deleted.
        """
        text = clean_reason(reason)
        if text is None:
            return ReviewResult(refusal=DeskRefusal.REASON_MISSING)
        try:
            with self._store.write() as db:
                return self._correct(db, subject_event_id, actor, text, check_out_at, check_in_at)
        except DatabaseFailure as exc:
            log.error("review correction not stored: %s", exc)
            return ReviewResult(refusal=DeskRefusal.STORAGE_ERROR)

    def _correct(
        self,
        db: Transaction,
        subject_id: str,
        actor: str,
        reason: str,
        out_at: datetime,
        in_at: datetime | None,
    ) -> ReviewResult:
        subject = event_store.get_event(db, subject_id)
        if subject is None:
            return ReviewResult(refusal=ReviewRefusal.UNKNOWN_EVENT)
        ledger = derive_visits(event_store.events_of_volunteer(db, subject.volunteer_id), self._desk.policy)
        if subject.action is Action.CHECK_IN:
            visit = next((v for v in ledger.visits if v.check_in.event_id == subject_id), None)
            if visit is None:
                return ReviewResult(refusal=ReviewRefusal.NOT_REVIEWABLE)
            replaced = [e for e in (visit.check_out,) if e is not None]
            if in_at is not None and in_at != subject.clock.wall_utc:
                replaced.insert(0, subject)
            last = visit.check_out or visit.check_in
            latest_limit = (
                visit.check_out.clock.wall_utc if visit.check_out and visit.check_out.auto_closed else None
            )
        else:
            flagged = any(
                f.event.event_id == subject_id and f.reason is FlagReason.OUT_WITHOUT_IN
                for f in ledger.flagged
            )
            if not flagged or subject.action is not Action.CHECK_OUT:
                return ReviewResult(refusal=ReviewRefusal.NOT_REVIEWABLE)
            if in_at is None:
                return ReviewResult(refusal=ReviewRefusal.CHECK_IN_TIME_NEEDED)
            replaced, last, latest_limit = [subject], subject, None
        latest = event_store.latest_effective_event(db, subject.volunteer_id, subject.activity_id)
        if latest is not None and latest.event_id != last.event_id:
            return ReviewResult(refusal=ReviewRefusal.LATER_EVENTS)
        return self._replace(db, subject, replaced, actor, reason, out_at, in_at, latest_limit)

    def _replace(
        self,
        db: Transaction,
        subject: Event,
        replaced: list[Event],
        actor: str,
        reason: str,
        out_at: datetime,
        in_at: datetime | None,
        latest_limit: datetime | None,
    ) -> ReviewResult:
        now = self._desk.clock.now()
        new_in = subject.action is not Action.CHECK_IN or subject in replaced
        start = in_at if new_in and in_at is not None else subject.clock.wall_utc
        if new_in:
            activity = activity_store.get_activity(db, subject.activity_id)
            problem = check_in_problem(start, activity, now.wall_utc) if activity is not None else None
            if problem is None and start > now.wall_utc:
                problem = check_out_problem(start, start, now.wall_utc)
            if problem is not None:
                return ReviewResult(refusal=problem.value)
        problem = check_out_problem(out_at, start, now.wall_utc, latest_limit)
        if problem is not None:
            return ReviewResult(refusal=problem.value)
        written: list[Event] = []
        for target in replaced:
            undo = self._desk.new_event(
                db,
                target.volunteer_id,
                target.activity_id,
                Action.UNDO,
                now,
                ref_event_id=target.event_id,
                actor=actor,
            )
            self._desk.store_manual(db, undo, actor, reason, now, "review.undo")
            written.append(undo)
        anchor = subject
        if new_in:
            anchor = self._desk.new_event(
                db,
                subject.volunteer_id,
                subject.activity_id,
                Action.CHECK_IN,
                reading_at(start, subject.clock),
                actor=actor,
            )
            self._desk.store_manual(db, anchor, actor, reason, now, "review.check_in")
            written.append(anchor)
        out = self._desk.new_event(
            db,
            subject.volunteer_id,
            subject.activity_id,
            Action.CHECK_OUT,
            reading_at(out_at, anchor.clock),
            ref_event_id=anchor.event_id,
            actor=actor,
        )
        self._desk.store_manual(db, out, actor, reason, now, "review.check_out")
        written.append(out)
        add_review_note(
            db,
            subject.event_id,
            "corrected",
            now.wall_utc,
            actor=actor,
            reason=reason,
            correction=out.event_id,
        )
        return ReviewResult(events=tuple(written))
