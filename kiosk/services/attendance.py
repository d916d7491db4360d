"""The attendance service: scan -> rules -> durable event, and undo and auto-close.

Every method reads the state it decides on and writes its event (with the
outbox row) in ONE write transaction, and returns only after COMMIT: an
:class:`Outcome` with ``confirmed`` true is on disk. Storage failures (a full
disk, an I/O error) become ``FAILED`` outcomes, never exceptions, and leave
nothing half-written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import replace as _replace
from datetime import datetime
from typing import Protocol

from checkin_protocol.models import Action, Activity, ActivityStatus, ClockReading, Event, Identity, Method
from checkin_protocol.policy import AttendancePolicy
from kiosk.clock import Clock
from kiosk.domain.auto_close import auto_close_due, plan_auto_close
from kiosk.domain.manual import reading_at
from kiosk.domain.rules import DecisionKind, ScanContext, can_undo, decide
from kiosk.services.ids import new_event_id
from kiosk.services.outcome import Failure, Outcome, OutcomeKind
from kiosk.services.volunteer_total import VolunteerHours, VolunteerTotal, visit_seconds_of, volunteer_hours
from kiosk.store import activities as activity_store
from kiosk.store import events as event_store
from kiosk.store.audit import append_audit
from kiosk.store.database import DatabaseFailure, Store, Transaction
from kiosk.store.roster import get_volunteer

log = logging.getLogger(__name__)


class ScanGuard(Protocol):
    """A check a scan makes inside its own transaction, and what an accepted scan writes with its event.

    A phone pass's: its code's step must be after the last one accepted
    (:mod:`kiosk.services.pass_scan`), and the event's step is remembered.
    """

    def refusal(self, db: Transaction) -> str | None:
        """Why the scan is refused (a reason value), or None to go on."""
        ...

    def accepted(self, db: Transaction, event: Event) -> None:
        """Record what goes with ``event``, just appended, in the same transaction."""
        ...


class RevocationCheck(Protocol):
    """Anything that knows whether a volunteer's card is revoked (card_no 0: the volunteer)."""

    def is_revoked(self, volunteer_id: str, card_no: int) -> bool: ...


@dataclass(frozen=True)
class AutoCloseReport:
    """One activity closed automatically, and how many open visits it closed."""

    activity_id: str
    closed_visits: int


def _storage_failure(exc: DatabaseFailure) -> Failure:
    text = str(exc).lower()
    return Failure.STORAGE_FULL if "full" in text else Failure.STORAGE_ERROR


def _with_total(outcome: Outcome, total: VolunteerTotal) -> Outcome:
    return _replace(outcome, total_seconds=total.seconds, total_source=total.source, total_as_of=total.as_of)


def _recorded_reading(db: Transaction, last: Event | None, now: ClockReading) -> ClockReading | None:
    """When a manual event with a time entered by hand was really written, as a reading (else None)."""
    if last is None or last.method is not Method.MANUAL:
        return None
    recorded_utc = event_store.note_recorded_utc(db, last.event_id)
    if recorded_utc is None:
        return None
    return reading_at(datetime.fromisoformat(recorded_utc), now)


class AttendanceService:
    """Turns recognised volunteers into durable check-in and check-out events.

    ``revocations`` is the kiosk's :class:`~kiosk.services.current_trust.CurrentTrust`
    (or any :class:`RevocationCheck`), which a sync swaps whole; ``policy`` is public so
    a changed configuration can be swapped in.
    """

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
        self._clock = clock
        self.policy = policy
        self._revocations = revocations
        self._new_event_id = new_event_id

    # -- scans -------------------------------------------------------------

    def scan(
        self,
        identity: Identity,
        activity_id: str,
        *,
        force_check_out: bool = False,
        guard: ScanGuard | None = None,
    ) -> Outcome:
        """Apply the rules to a recognised volunteer at an activity and store the result.

        ``force_check_out`` is the "check out now" answer to a duplicate: an open
        visit is closed even within the duplicate window. ``guard`` is asked
        first, in the same transaction, and told of the event written.
        """
        base = Outcome(
            OutcomeKind.FAILED,
            volunteer_id=identity.volunteer_id,
            display_name=identity.display_name,
            activity_id=activity_id,
        )
        now = self._clock.now()
        try:
            with self._store.write() as db:
                result = self._scan_in_transaction(
                    db, identity, activity_id, now, force_check_out, base, guard
                )
        except DatabaseFailure as exc:
            log.error("scan of %s at %s not stored: %s", identity.volunteer_id, activity_id, exc)
            return _replace(base, reason=_storage_failure(exc).value)
        if result.event is not None and result.event.action is Action.CHECK_OUT:
            return self._with_hours(result)
        if result.event is not None:
            hours = self._hours(identity.volunteer_id)
            return result if hours is None else _with_total(result, hours.total)
        return result

    def _scan_in_transaction(
        self,
        db: Transaction,
        identity: Identity,
        activity_id: str,
        now: ClockReading,
        force_check_out: bool,
        base: Outcome,
        guard: ScanGuard | None = None,
    ) -> Outcome:
        refusal = None if guard is None else guard.refusal(db)
        if refusal is not None:
            return self._refuse(db, identity, activity_id, now, base, refusal)
        activity = activity_store.get_activity(db, activity_id)
        if activity is None:
            return _replace(base, reason=Failure.UNKNOWN_ACTIVITY.value)
        last = event_store.latest_effective_event(db, identity.volunteer_id, activity_id)
        if force_check_out:
            if last is None or last.action is not Action.CHECK_IN:
                return _replace(base, reason=Failure.NOT_CHECKED_IN.value)
            return self._write(
                db, identity, activity_id, Action.CHECK_OUT, now, base, previous=last, guard=guard
            )

        decision = decide(self._context(db, identity, activity, now, last), self.policy)
        if decision.kind is DecisionKind.REFUSED:
            assert decision.reason is not None
            return self._refuse(db, identity, activity_id, now, base, decision.reason.value)
        if decision.kind is DecisionKind.DUPLICATE:
            return _replace(base, kind=OutcomeKind.DUPLICATE, previous=decision.previous)
        action = Action.CHECK_IN if decision.kind is DecisionKind.CHECK_IN else Action.CHECK_OUT
        previous = last if action is Action.CHECK_OUT else None
        return self._write(db, identity, activity_id, action, now, base, previous=previous, guard=guard)

    def _refuse(
        self,
        db: Transaction,
        identity: Identity,
        activity_id: str,
        now: ClockReading,
        base: Outcome,
        reason: str,
    ) -> Outcome:
        """The audit line of a refused scan (nothing else is written), and its outcome."""
        append_audit(
            db,
            kiosk_id=self._kiosk_id,
            action="scan.refused",
            at=now.wall_utc,
            detail={
                "volunteer_id": identity.volunteer_id,
                "activity_id": activity_id,
                "method": identity.method.value,
                "reason": reason,
            },
        )
        return _replace(base, kind=OutcomeKind.REFUSED, reason=reason)

    def _context(
        self, db: Transaction, identity: Identity, activity: Activity, now: ClockReading, last: Event | None
    ) -> ScanContext:
        volunteer = get_volunteer(db, identity.volunteer_id)
        revoked = self._revocations.is_revoked(identity.volunteer_id, identity.card_no or 0) or (
            volunteer is not None and not volunteer.active
        )
        signed_up = not activity.signup_required or activity_store.is_signed_up(
            db, activity.activity_id, identity.volunteer_id
        )
        on_site = len(event_store.on_site(db, activity.activity_id)) if activity.capacity is not None else 0
        return ScanContext(
            volunteer_id=identity.volunteer_id,
            activity=activity,
            now=now,
            last_event=last,
            card_revoked=revoked,
            signed_up=signed_up,
            on_site_count=on_site,
            last_recorded=_recorded_reading(db, last, now),
        )

    def _write(
        self,
        db: Transaction,
        identity: Identity,
        activity_id: str,
        action: Action,
        now: ClockReading,
        base: Outcome,
        previous: Event | None,
        guard: ScanGuard | None = None,
    ) -> Outcome:
        event = self._new_event(
            db,
            identity.volunteer_id,
            activity_id,
            action,
            identity.method,
            now,
            credential=identity.credential,
        )
        event_store.append_event(db, event)
        if guard is not None:
            guard.accepted(db, event)
        kind = OutcomeKind.CHECKED_IN if action is Action.CHECK_IN else OutcomeKind.CHECKED_OUT
        return _replace(base, kind=kind, event=event, previous=previous)

    def _new_event(
        self,
        db: Transaction,
        volunteer_id: str,
        activity_id: str,
        action: Action,
        method: Method,
        now: ClockReading,
        **extra: object,
    ) -> Event:
        return event_store.next_event(
            db, self._kiosk_id, self._new_event_id(), volunteer_id, activity_id, action, method, now, **extra
        )

    # -- hours ---------------------------------------------------------------

    def _with_hours(self, outcome: Outcome) -> Outcome:
        """Fill in the credited length of the visit a check-out closed, and the total."""
        assert outcome.event is not None and outcome.volunteer_id is not None
        hours = self._hours(outcome.volunteer_id)
        if hours is None:  # the event is stored; only the figures are missing
            return outcome
        return _with_total(
            _replace(outcome, visit_seconds=visit_seconds_of(hours.ledger, outcome.event)), hours.total
        )

    def _hours(self, volunteer_id: str) -> VolunteerHours | None:
        """The volunteer's visits here and total for the card (after the commit), or None when unreadable."""
        try:
            return volunteer_hours(self._store.writer, volunteer_id, self.policy, self._clock.now())
        except DatabaseFailure as exc:
            log.warning("hours of %s not computed: %s", volunteer_id, exc)
            return None

    # -- undo ----------------------------------------------------------------

    def undo(self, event_id: str, actor: str | None = None) -> Outcome:
        """Cancel a recent event with a compensating UNDO event; nothing is deleted."""
        now = self._clock.now()
        try:
            with self._store.write() as db:
                target = event_store.get_event(db, event_id)
                if target is None:
                    return Outcome(OutcomeKind.FAILED, reason=Failure.UNKNOWN_EVENT.value)
                base = Outcome(
                    OutcomeKind.REFUSED, volunteer_id=target.volunteer_id, activity_id=target.activity_id
                )
                latest = event_store.latest_event(db, target.volunteer_id, target.activity_id)
                refusal = can_undo(
                    target,
                    now,
                    self.policy,
                    already_undone=event_store.is_undone(db, event_id),
                    is_latest=latest is not None and latest.event_id == event_id,
                )
                if refusal is not None:
                    return _replace(base, reason=refusal.value, previous=target)
                method = Method.MANUAL if actor else target.method
                undo = self._new_event(
                    db,
                    target.volunteer_id,
                    target.activity_id,
                    Action.UNDO,
                    method,
                    now,
                    ref_event_id=target.event_id,
                    actor=actor,
                )
                event_store.append_event(db, undo)
                return _replace(base, kind=OutcomeKind.UNDONE, event=undo, previous=target)
        except DatabaseFailure as exc:
            log.error("undo of %s not stored: %s", event_id, exc)
            return Outcome(OutcomeKind.FAILED, reason=_storage_failure(exc).value)

    # -- auto-close ------------------------------------------------------------

    def close_due_activities(self) -> list[AutoCloseReport]:
        """Close every open activity past its end plus grace, closing forgotten check-outs.

        Each activity is closed in its own transaction: its auto check-outs
        (method ``auto``, flagged for review, credit per policy) and its status.
        """
        now = self._clock.now()
        reports = []
        for activity in activity_store.list_activities(self._store.writer, ActivityStatus.OPEN):
            if auto_close_due(activity, now, self.policy):
                reports.append(self._auto_close(activity, now))
        return reports

    def _auto_close(self, activity: Activity, now: ClockReading) -> AutoCloseReport:
        with self._store.write() as db:
            open_ins = event_store.open_check_ins(db, activity.activity_id)
            for item in plan_auto_close(activity, open_ins, self.policy):
                out = self._new_event(
                    db,
                    item.check_in.volunteer_id,
                    activity.activity_id,
                    Action.CHECK_OUT,
                    Method.AUTO,
                    now,
                    ref_event_id=item.check_in.event_id,
                    auto_closed=True,
                    credit_seconds=item.credit_seconds,
                )
                event_store.append_event(db, out)
            activity_store.set_activity_status(db, activity.activity_id, ActivityStatus.CLOSED)
            append_audit(
                db,
                kiosk_id=self._kiosk_id,
                action="activity.auto_closed",
                at=now.wall_utc,
                detail={
                    "activity_id": activity.activity_id,
                    "closed_visits": len(open_ins),
                    "mode": self.policy.auto_close_mode.value,
                },
            )
        log.info("auto-closed %s with %d open visits", activity.activity_id, len(open_ins))
        return AutoCloseReport(activity.activity_id, len(open_ins))
