"""From scanned text to an outcome: verify the token, then open an activity or check in/out.

This is what the camera pipeline, the USB scanner and ``kiosk scan`` all call.
A phone pass code (``VP1:``) goes to :mod:`kiosk.services.pass_scan` first.
A refused token (forged, foreign, expired, revoked, damaged) writes nothing but
one audit line, which holds the reason and never the scanned text.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Protocol

from checkin_protocol.codes.pass_codes import is_pass_code
from checkin_protocol.codes.results import VerifyResult
from checkin_protocol.codes.tokens import ActivityCode, VolunteerCard
from checkin_protocol.codes.trust import TrustedKeys
from checkin_protocol.models import Activity, ActivityStatus, Credential, Identity, Method
from kiosk.clock import Clock
from kiosk.domain.auto_close import auto_close_at
from kiosk.domain.rules import RefusalReason
from kiosk.services.attendance import AttendanceService, ScanGuard
from kiosk.services.outcome import Failure, Outcome, OutcomeKind
from kiosk.services.pass_scan import PassScanService
from kiosk.store import activities as activity_store
from kiosk.store.audit import append_audit, audit_alone
from kiosk.store.database import DatabaseFailure, Store
from kiosk.store.roster import get_volunteer

log = logging.getLogger(__name__)

#: The refusal reason of a card read by a kiosk that trusts no key at all (set up "offline for now").
NOT_PROVISIONED = "not_provisioned"


class CodeVerifier(Protocol):
    """What checks a scanned code: a :class:`~checkin_protocol.codes.verifier.TokenVerifier`, or the kiosk's
    :class:`~kiosk.services.current_trust.CurrentTrust` whose keys a sync may swap."""

    @property
    def trusted(self) -> TrustedKeys: ...

    def verify(self, text: str, today: date) -> VerifyResult: ...


class ScanService:
    """Handles every scanned code: volunteer cards, phone pass codes and activity codes."""

    def __init__(
        self,
        store: Store,
        kiosk_id: str,
        clock: Clock,
        verifier: CodeVerifier,
        attendance: AttendanceService,
        passes: PassScanService | None = None,
    ) -> None:
        self._store = store
        self._kiosk_id = kiosk_id
        self._clock = clock
        self._verifier = verifier
        self._attendance = attendance
        self.passes = passes or PassScanService(store, kiosk_id, clock)

    def handle_code(self, text: str, method: Method, activity_id: str | None = None) -> Outcome:
        """Verify ``text`` and act on it.

        A card checks the volunteer in or out at ``activity_id``, or at the one
        open activity; with several open and none named, the outcome is
        ``CHOOSE_ACTIVITY`` with the choices, and the caller asks again.
        """
        if is_pass_code(text):
            checked = self.passes.check(text, method)
            if isinstance(checked, Outcome):
                return checked
            return self.attend(checked.identity, activity_id, guard=checked.guard)
        now = self._clock.now()
        result = self._verifier.verify(text, today=now.local.date())
        if result.token is None:
            reason = result.refusal.value if result.refusal is not None else "malformed"
            if reason == "unknown_key" and not len(self._verifier.trusted):
                reason = NOT_PROVISIONED  # set up "offline for now": no key at all, say so plainly
            self._audit("token.refused", {"reason": reason, "method": method.value, "length": len(text)})
            log.info("refused a scanned code (%s): %s", reason, result.detail)
            return Outcome(OutcomeKind.REFUSED, reason=reason)
        if isinstance(result.token, ActivityCode):
            return self.open_activity(result.token)
        assert isinstance(result.token, VolunteerCard)
        card = result.token
        identity = Identity(card.volunteer_id, card.display_name, method, card.card_no, Credential.CARD)
        return self.attend(identity, activity_id)

    def handle_face(self, volunteer_id: str, activity_id: str | None = None) -> Outcome:
        """Check in or out a volunteer the kiosk screen identified by face, exactly as a card would.

        The name shown is the roster's, masked; the identity carries no card
        number, so only a revocation of all the volunteer's cards (or an
        inactive roster entry) refuses them: one cancelled card does not stop
        its owner's face.
        """
        volunteer = get_volunteer(self._store.writer, volunteer_id)
        name = volunteer.masked_name if volunteer is not None else ""
        return self.attend(Identity(volunteer_id, name, Method.FACE), activity_id)

    def attend(
        self, identity: Identity, activity_id: str | None = None, guard: ScanGuard | None = None
    ) -> Outcome:
        """Check ``identity`` in or out at ``activity_id``, or at the one open activity.

        With several open and none named, the outcome is ``CHOOSE_ACTIVITY``
        with the choices, and the caller asks again with the one chosen.
        ``guard`` (a phone pass's step) is checked and recorded in the scan's transaction.
        """
        if activity_id is None:
            open_ids = tuple(
                a.activity_id for a in activity_store.list_activities(self._store.writer, ActivityStatus.OPEN)
            )
            if not open_ids:
                return Outcome(
                    OutcomeKind.FAILED,
                    volunteer_id=identity.volunteer_id,
                    display_name=identity.display_name,
                    reason=Failure.NO_OPEN_ACTIVITY.value,
                )
            if len(open_ids) > 1:
                return Outcome(
                    OutcomeKind.CHOOSE_ACTIVITY,
                    volunteer_id=identity.volunteer_id,
                    display_name=identity.display_name,
                    choices=open_ids,
                )
            activity_id = open_ids[0]
        return self._attendance.scan(identity, activity_id, guard=guard)

    def open_activity(self, code: ActivityCode) -> Outcome:
        """Save the activity a scanned code describes and open it for check-in on this kiosk."""
        return self._open(code.to_activity(), {"key_id": code.key_id}, save=True)

    def open_known_activity(self, activity_id: str, actor: str | None = None) -> Outcome:
        """Open an activity this kiosk already knows (chosen by a coordinator)."""
        activity = activity_store.get_activity(self._store.writer, activity_id)
        if activity is None:
            return Outcome(OutcomeKind.FAILED, activity_id=activity_id, reason=Failure.UNKNOWN_ACTIVITY.value)
        return self._open(activity, {}, save=False, actor=actor)

    def _open(
        self, activity: Activity, detail: dict[str, object], save: bool, actor: str | None = None
    ) -> Outcome:
        """Open ``activity``; one past its end (plus the auto-close grace) is not opened."""
        now = self._clock.now()
        if now.wall_utc >= auto_close_at(activity, self._attendance.policy):
            return Outcome(
                OutcomeKind.REFUSED,
                activity_id=activity.activity_id,
                reason=RefusalReason.ACTIVITY_CLOSED.value,
            )
        try:
            with self._store.write() as db:
                if save:
                    activity_store.save_activity(db, activity, source="code")
                activity_store.set_activity_status(db, activity.activity_id, ActivityStatus.OPEN)
                append_audit(
                    db,
                    kiosk_id=self._kiosk_id,
                    action="activity.opened",
                    at=now.wall_utc,
                    actor=actor,
                    detail={"activity_id": activity.activity_id, **detail},
                )
        except DatabaseFailure as exc:
            log.error("activity %s not opened: %s", activity.activity_id, exc)
            full = "full" in str(exc).lower()
            return Outcome(
                OutcomeKind.FAILED,
                activity_id=activity.activity_id,
                reason=(Failure.STORAGE_FULL if full else Failure.STORAGE_ERROR).value,
            )
        return Outcome(OutcomeKind.ACTIVITY_OPENED, activity_id=activity.activity_id)

    def _audit(self, action: str, detail: dict[str, object]) -> None:
        try:
            audit_alone(
                self._store,
                kiosk_id=self._kiosk_id,
                action=action,
                at=self._clock.now().wall_utc,
                detail=detail,
            )
        except DatabaseFailure as exc:  # the refusal stands even when the audit line cannot be written
            log.error("audit line %s not written: %s", action, exc)
