"""The coordinator desk's attendance work: check in and out by hand, fix what went wrong.

Every change is a new event (method ``manual``, ``actor`` the coordinator);
nothing is deleted. A wrong event is cancelled by an ``undo`` that names it,
and replaced by a new one. Each manual event gets a note (``event_notes``:
the reason, who, and when it was really typed) and an audit line, in the
same transaction as the event, so a confirmed change is on disk with its why.

Times entered by hand are checked (:mod:`kiosk.domain.manual`) and the events
get readings derived from real ones, so visit lengths come out right.

Group check-in: several volunteers in one transaction, each judged alone; the
result says who was checked in and why the others were not.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from checkin_protocol.event_rows import format_utc
from checkin_protocol.models import Action, ActivityStatus, ClockReading, Event, Method
from checkin_protocol.policy import AttendancePolicy
from kiosk.clock import Clock
from kiosk.domain.manual import check_in_problem, check_out_problem, reading_at
from kiosk.services.attendance import RevocationCheck
from kiosk.services.ids import new_event_id
from kiosk.store import activities as activity_store
from kiosk.store import events as event_store
from kiosk.store.audit import append_audit
from kiosk.store.database import DatabaseFailure, Store, Transaction
from kiosk.store.roster import get_volunteer

log = logging.getLogger(__name__)

MAX_REASON_CHARS = 200


class DeskRefusal:
    """Reasons a manual change is refused (plain strings, like ``Failure`` values)."""

    UNKNOWN_ACTIVITY = "unknown_activity"
    ACTIVITY_NOT_OPEN = "activity_not_open"
    ALREADY_ON_SITE = "already_on_site"
    NOT_ON_SITE = "not_on_site"
    CARD_REVOKED = "card_revoked"
    VOLUNTEER_INACTIVE = "volunteer_inactive"
    CAPACITY_FULL = "capacity_full"
    REASON_MISSING = "reason_missing"
    STORAGE_ERROR = "storage_error"


@dataclass(frozen=True)
class ManualResult:
    """What became of one volunteer in a manual check-in or check-out: the event, or why not."""

    volunteer_id: str
    event: Event | None = None
    refusal: str | None = None

    @property
    def ok(self) -> bool:
        return self.event is not None


def clean_reason(reason: str) -> str | None:
    """The reason as stored (trimmed, at most 200 characters), or None when it is empty."""
    text = " ".join(reason.split())[:MAX_REASON_CHARS]
    return text or None


def write_note(db: Transaction, event: Event, actor: str, reason: str, recorded: datetime) -> None:
    """Keep why ``event`` was made, by whom and when it was typed (inside the event's transaction)."""
    event_store.add_event_note(db, event.event_id, actor, reason, format_utc(recorded))


class DeskService:
    """Manual check-in and check-out at one kiosk; corrections live in :mod:`kiosk.services.review`."""

    def __init__(
        self,
        store: Store,
        kiosk_id: str,
        clock: Clock,
        policy: AttendancePolicy,
        revocations: RevocationCheck,
        new_event_id: Callable[[], str] = new_event_id,
    ) -> None:
        self._store = store
        self._kiosk_id = kiosk_id
        self.clock = clock
        self.policy = policy
        self._revocations = revocations
        self._new_event_id = new_event_id

    # -- building events -------------------------------------------------------------------------

    def new_event(
        self,
        db: Transaction,
        volunteer_id: str,
        activity_id: str,
        action: Action,
        reading: ClockReading,
        **extra: object,
    ) -> Event:
        """A manual event with the next sequence number of this kiosk (not stored yet)."""
        return event_store.next_event(
            db,
            self._kiosk_id,
            self._new_event_id(),
            volunteer_id,
            activity_id,
            action,
            Method.MANUAL,
            reading,
            **extra,
        )

    def store_manual(
        self, db: Transaction, event: Event, actor: str, reason: str, now: ClockReading, audit_action: str
    ) -> None:
        """Append ``event`` with its note and audit line (inside the caller's transaction)."""
        event_store.append_event(db, event)
        write_note(db, event, actor, reason, now.wall_utc)
        append_audit(
            db,
            kiosk_id=self._kiosk_id,
            action=audit_action,
            at=now.wall_utc,
            actor=actor,
            detail={
                "event_id": event.event_id,
                "volunteer_id": event.volunteer_id,
                "activity_id": event.activity_id,
                "at": format_utc(event.clock.wall_utc),
                "ref_event_id": event.ref_event_id,
                "reason": reason,
            },
        )

    # -- check in ---------------------------------------------------------------------------------

    def check_in(
        self,
        volunteer_ids: Iterable[str],
        activity_id: str,
        actor: str,
        reason: str,
        at: datetime | None = None,
    ) -> list[ManualResult]:
        """Sign volunteers in by hand at ``at`` (UTC; None: now), all in one transaction.

        Each is judged alone: refused when already on site, revoked, inactive
        in the roster, or beyond the activity's capacity. A time outside the
        bounds refuses everyone (the same time applies to all).
        """
        ids = list(dict.fromkeys(volunteer_ids))
        text = clean_reason(reason)
        if text is None:
            return [ManualResult(v, refusal=DeskRefusal.REASON_MISSING) for v in ids]
        now = self.clock.now()
        try:
            with self._store.write() as db:
                return self._check_in(db, ids, activity_id, actor, text, at, now)
        except DatabaseFailure as exc:
            log.error("manual check-in at %s not stored: %s", activity_id, exc)
            return [ManualResult(v, refusal=DeskRefusal.STORAGE_ERROR) for v in ids]

    def _check_in(
        self,
        db: Transaction,
        ids: list[str],
        activity_id: str,
        actor: str,
        reason: str,
        at: datetime | None,
        now: ClockReading,
    ) -> list[ManualResult]:
        activity = activity_store.get_activity(db, activity_id)
        if activity is None:
            return [ManualResult(v, refusal=DeskRefusal.UNKNOWN_ACTIVITY) for v in ids]
        if activity.status is not ActivityStatus.OPEN:
            return [ManualResult(v, refusal=DeskRefusal.ACTIVITY_NOT_OPEN) for v in ids]
        when = now.wall_utc if at is None else at
        problem = check_in_problem(when, activity, now.wall_utc)
        if problem is not None:
            return [ManualResult(v, refusal=problem.value) for v in ids]
        reading = now if at is None else reading_at(when, now)
        on_site = {volunteer for volunteer, _ in event_store.on_site(db, activity_id)}
        results = []
        for volunteer_id in ids:
            refusal = self._check_in_refusal(db, volunteer_id, on_site, activity.capacity)
            if refusal is not None:
                results.append(ManualResult(volunteer_id, refusal=refusal))
                continue
            event = self.new_event(db, volunteer_id, activity_id, Action.CHECK_IN, reading, actor=actor)
            self.store_manual(db, event, actor, reason, now, "desk.check_in")
            on_site.add(volunteer_id)
            results.append(ManualResult(volunteer_id, event=event))
        return results

    def _check_in_refusal(
        self, db: Transaction, volunteer_id: str, on_site: set[str], capacity: int | None
    ) -> str | None:
        if volunteer_id in on_site:
            return DeskRefusal.ALREADY_ON_SITE
        if self._revocations.is_revoked(volunteer_id, 0):
            return DeskRefusal.CARD_REVOKED
        volunteer = get_volunteer(db, volunteer_id)
        if volunteer is not None and not volunteer.active:
            return DeskRefusal.VOLUNTEER_INACTIVE
        if capacity is not None and len(on_site) >= capacity:
            return DeskRefusal.CAPACITY_FULL
        return None

    # -- check out --------------------------------------------------------------------------------

    def check_out(
        self,
        volunteer_ids: Iterable[str],
        activity_id: str,
        actor: str,
        reason: str,
        at: datetime | None = None,
    ) -> list[ManualResult]:
        """Sign volunteers out by hand at ``at`` (UTC; None: now), in one transaction.

        The check-out names the check-in it closes (``ref_event_id``) and its
        reading is derived from that check-in's, so the visit lasts exactly
        from the check-in to ``at``. Refused for someone not on site, or for
        a time before their check-in or in the future.
        """
        ids = list(dict.fromkeys(volunteer_ids))
        text = clean_reason(reason)
        if text is None:
            return [ManualResult(v, refusal=DeskRefusal.REASON_MISSING) for v in ids]
        now = self.clock.now()
        try:
            with self._store.write() as db:
                open_ins = {e.volunteer_id: e for e in event_store.open_check_ins(db, activity_id)}
                return [self._check_out_one(db, v, open_ins.get(v), actor, text, at, now) for v in ids]
        except DatabaseFailure as exc:
            log.error("manual check-out at %s not stored: %s", activity_id, exc)
            return [ManualResult(v, refusal=DeskRefusal.STORAGE_ERROR) for v in ids]

    def _check_out_one(
        self,
        db: Transaction,
        volunteer_id: str,
        check_in: Event | None,
        actor: str,
        reason: str,
        at: datetime | None,
        now: ClockReading,
    ) -> ManualResult:
        if check_in is None:
            return ManualResult(volunteer_id, refusal=DeskRefusal.NOT_ON_SITE)
        if at is None:
            reading = now
        else:
            problem = check_out_problem(at, check_in.clock.wall_utc, now.wall_utc)
            if problem is not None:
                return ManualResult(volunteer_id, refusal=problem.value)
            reading = reading_at(at, check_in.clock)
        event = self.new_event(
            db,
            volunteer_id,
            check_in.activity_id,
            Action.CHECK_OUT,
            reading,
            ref_event_id=check_in.event_id,
            actor=actor,
        )
        self.store_manual(db, event, actor, reason, now, "desk.check_out")
        return ManualResult(volunteer_id, event=event)

    # -- closing an activity -----------------------------------------------------------------------

    def close_activity(self, activity_id: str, actor: str, reason: str) -> list[ManualResult]:
        """Close an open activity now; everyone still on site is checked out now, in the same transaction.

        Returns the check-outs (empty when nobody was on site); a refusal for
        an unknown or not-open activity or a missing reason comes back as one
        result with an empty volunteer ID.
        """
        text = clean_reason(reason)
        if text is None:
            return [ManualResult("", refusal=DeskRefusal.REASON_MISSING)]
        now = self.clock.now()
        try:
            with self._store.write() as db:
                activity = activity_store.get_activity(db, activity_id)
                if activity is None:
                    return [ManualResult("", refusal=DeskRefusal.UNKNOWN_ACTIVITY)]
                if activity.status is not ActivityStatus.OPEN:
                    return [ManualResult("", refusal=DeskRefusal.ACTIVITY_NOT_OPEN)]
                results = [
                    self._check_out_one(db, check_in.volunteer_id, check_in, actor, text, None, now)
                    for check_in in event_store.open_check_ins(db, activity_id)
                ]
                activity_store.set_activity_status(db, activity_id, ActivityStatus.CLOSED)
                append_audit(
                    db,
                    kiosk_id=self._kiosk_id,
                    action="desk.activity_closed",
                    at=now.wall_utc,
                    actor=actor,
                    detail={"activity_id": activity_id, "signed_out": len(results), "reason": text},
                )
                return results
        except DatabaseFailure as exc:
            log.error("closing %s not stored: %s", activity_id, exc)
            return [ManualResult("", refusal=DeskRefusal.STORAGE_ERROR)]
