"""Phone pass codes (``VP1:``) at the kiosk: who they are, and whether this code may check them in.

A scanned pass code is read, its pass looked up in the passes the platform
sent (:mod:`kiosk.store.passes`), its signature checked with the pass's public
key, the pass must not be revoked, the code's 30-second step must be fresh
against **platform time** (this kiosk's clock plus the offset it last measured
against the cloud; 0 when never measured), and it must be after the last step
of this pass accepted here. Each check has its refusal reason
(:class:`PassRefusal`); a refusal writes one audit line and nothing else.

A code that passes becomes an :class:`~checkin_protocol.models.Identity`
with credential ``pass`` and a :class:`PassStepGuard`, which the attendance
service asks again inside the check-in's transaction (the authoritative
replay check) and which records the step with the event.

Freshness tolerance (:data:`PASS_TOLERANCE_S`, 10 s): a code of step ``s`` is
fresh from ``s*30 - 10`` to ``(s+2)*30 + 10`` platform seconds. It covers
the disagreement between the phone's platform clock and the kiosk's (each
corrected by its own measured offset; what is left is a round trip's
uncertainty, well under a second, unless a clock was set by hand since), and
a code held up for a while. A code two minutes old is refused however the
two clocks err within it. Beyond it, a kiosk behind the phone refuses a code
for the first seconds of its step (``ahead``; it passes a few seconds later)
and a kiosk ahead of the phone by more than 40 s refuses codes near the end
of their step, by more than 70 s every code (``stale``): docs/codes.md.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from checkin_protocol.codes.pass_codes import Freshness, PassCodeRefused, judge_freshness, read_pass_code
from checkin_protocol.codes.trust import public_key_from
from checkin_protocol.event_rows import format_utc
from checkin_protocol.models import Credential, Event, Identity, Method
from kiosk.clock import Clock
from kiosk.services.outcome import Outcome, OutcomeKind
from kiosk.store import passes
from kiosk.store import sync_state as state
from kiosk.store.audit import audit_alone
from kiosk.store.database import DatabaseFailure, Store, Transaction
from kiosk.store.roster import get_volunteer

log = logging.getLogger(__name__)

#: Seconds a code's window is widened on each side for the phone's and the kiosk's platform clocks to disagree.
PASS_TOLERANCE_S = 10.0


class PassRefusal(StrEnum):
    """Why a readable pass code did not check anyone in (the reading refusals are ``malformed`` and the like)."""

    STALE = "pass_stale"  # outside its time window: a screenshot, a phone asleep, or a clock far off
    REPLAYED = "pass_replayed"  # its step is not after the last one accepted here for this pass
    REVOKED = "pass_revoked"  # the volunteer registered a newer phone, or staff ended the pass
    UNKNOWN = "pass_unknown"  # the platform has not sent this pass to this kiosk (yet)
    BAD_SIGNATURE = "bad_signature"  # not signed by the pass's key: altered or forged


#: A line for a person at a terminal (``kiosk scan``); the screen has its own, translated words.
PASS_HINTS: dict[str, str] = {
    PassRefusal.STALE: "the phone's code is out of date: refresh it on the phone and scan again",
    PassRefusal.REPLAYED: "this code was already used here: wait for the phone's next code",
    PassRefusal.REVOKED: "this phone pass was replaced or ended: use the newest one, or the card",
    PassRefusal.UNKNOWN: "this kiosk does not know the pass yet: sync the kiosk, or use the card",
}


@dataclass(frozen=True, slots=True)
class PassStepGuard:
    """The replay check of one pass code, made again in the check-in's transaction, and its record."""

    pass_id: str
    step: int

    def refusal(self, db: Transaction) -> str | None:
        """``pass_replayed`` when this step is not after the last step of the pass accepted here."""
        last = passes.last_step(db, self.pass_id)
        return PassRefusal.REPLAYED.value if last is not None and self.step <= last else None

    def accepted(self, db: Transaction, event: Event) -> None:
        """Remember the step, with the event's time, in the event's transaction."""
        passes.record_step(db, self.pass_id, self.step, format_utc(event.clock.wall_utc))


@dataclass(frozen=True, slots=True)
class AcceptedPass:
    """A pass code that passed every check: the volunteer, and the guard of its step."""

    identity: Identity
    guard: PassStepGuard


class PassScanService:
    """Checks scanned pass codes against the passes this kiosk holds (runs on the writer's thread)."""

    def __init__(
        self, store: Store, kiosk_id: str, clock: Clock, tolerance_s: float = PASS_TOLERANCE_S
    ) -> None:
        self._store = store
        self._kiosk_id = kiosk_id
        self._clock = clock
        self.tolerance_s = tolerance_s

    def platform_now(self, db: Transaction) -> float:
        """Platform time in unix seconds: this kiosk's clock plus its measured offset (0 if never measured)."""
        offset = state.get_float(db, state.CLOCK_OFFSET_S) or 0.0
        return self._clock.now().wall_utc.timestamp() + offset

    def check(self, text: str, method: Method) -> AcceptedPass | Outcome:
        """The volunteer of a pass code and its step guard, or the ``REFUSED`` outcome (audited)."""
        db = self._store.writer
        try:
            code = read_pass_code(text)
        except PassCodeRefused as refused:
            return self._refused(refused.reason.value, method, refused.detail, length=len(text))
        stored = passes.get_pass(db, code.pass_id)
        if stored is None:
            return self._refused(PassRefusal.UNKNOWN, method, "no such pass here", pass_id=code.pass_id)
        if not code.verify(public_key_from(stored.public_key)):
            return self._refused(
                PassRefusal.BAD_SIGNATURE, method, "signature does not verify", pass_id=code.pass_id
            )
        who = {"pass_id": code.pass_id, "volunteer_id": stored.volunteer_id}
        if stored.revoked:
            return self._refused(PassRefusal.REVOKED, method, f"revoked {stored.revoked_utc}", **who)
        now = self.platform_now(db)
        freshness = judge_freshness(code.step, now, self.tolerance_s)
        if freshness is not Freshness.FRESH:
            detail = f"{freshness.value}: step {code.step}, platform time {now:.0f}"
            return self._refused(PassRefusal.STALE, method, detail, freshness=freshness.value, **who)
        guard = PassStepGuard(code.pass_id, code.step)
        if guard.refusal(db) is not None:
            return self._refused(PassRefusal.REPLAYED, method, f"step {code.step} already used", **who)
        volunteer = get_volunteer(db, stored.volunteer_id)
        name = volunteer.masked_name if volunteer is not None else ""
        identity = Identity(stored.volunteer_id, name, method, credential=Credential.PASS)
        return AcceptedPass(identity, guard)

    def _refused(self, reason: str, method: Method, detail: str, **audit: object) -> Outcome:
        """Audit the refusal (never the scanned text) and say so."""
        log.info("refused a phone pass code (%s): %s", reason, detail)
        try:
            audit_alone(
                self._store,
                kiosk_id=self._kiosk_id,
                action="pass.refused",
                at=self._clock.now().wall_utc,
                detail={"reason": str(reason), "method": method.value, **audit},
            )
        except DatabaseFailure as exc:  # the refusal stands even when the audit line cannot be written
            log.error("audit line pass.refused not written: %s", exc)
        return Outcome(OutcomeKind.REFUSED, reason=str(reason))
