"""The PIN pad's lock-out: after 5 wrong PINs, a wait that grows each time, kept in the database.

One lock-out is shared by all coordinator accounts: after ``max_attempts``
consecutive wrong PINs, whoever typed them, every try is refused (right ones
too, and without hashing) until the lock ends. Each lock-out lasts longer than
the one before: :data:`LOCKOUT_STEPS_S` (5 min, 15 min, 1 h, 4 h), then 24 h
each, the cap. A fixed 5 minutes allowed 1,440 guesses a day, so a 4-digit
PIN (5,000 guesses on average) fell in about four days. Now a guesser gets
five a day once the cap is reached, or about 25 a day if a coordinator's
right PIN starts the steps over daily: a 6-digit PIN (500,000 on average)
lasts decades. A right PIN starts the steps over (the coordinator is back;
mistakes are not held against them), and so does setting a PIN, which lifts
any lock-out: that is how a coordinator who forgot the PIN gets back in
(``kiosk coordinator set-pin``).

The state is four settings rows: the count of wrong tries, the lock's end,
the clocks' readings at the last failure, and the step (how many lock-outs
since the steps last started over). Killing the program lifts nothing.

The clocks: the lock ends at a wall time, but the wall clock can be moved.

* Set forward within one boot: the monotonic clock still counts the real time
  since the failure that locked, and the lock lasts until that too has passed.
* Set back below the time of the failure that locked (a person, or a dead
  clock battery that restarts at 2000-01-01): the lock starts again, for the
  full length of its step from the moment that is noticed. Waiting for the wall
  clock to catch up could lock the coordinator out for years; restarting the
  lock never shortens it.

An unreadable step (an edited database) counts as the longest: never shorter.
Audit lines ``pin.failed``, ``pin.locked`` (with the lock's length and step)
and ``pin.relocked`` carry counts and times, never a PIN.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta

from checkin_protocol.event_rows import parse_utc
from checkin_protocol.models import ClockReading
from kiosk.store.audit import append_audit
from kiosk.store.database import Transaction
from kiosk.store.settings import set_setting, setting

log = logging.getLogger(__name__)

FAILURES_KEY = "pin_failures"
LOCKED_UNTIL_KEY = "pin_locked_until_utc"
LAST_FAILURE_KEY = "pin_last_failure"  # JSON [wall_utc, monotonic_ns, boot_id]
STEP_KEY = "pin_lockout_step"  # lock-outs since the steps last started over

MAX_ATTEMPTS = 5
#: How long each lock-out lasts, in order; the last one repeats.
LOCKOUT_STEPS_S: tuple[float, ...] = (5 * 60, 15 * 60, 3600, 4 * 3600, 24 * 3600)


class PinLockout:
    """The shared lock-out's rules over a write transaction's connection (``db``)."""

    def __init__(
        self, kiosk_id: str, max_attempts: int = MAX_ATTEMPTS, steps_s: Sequence[float] = LOCKOUT_STEPS_S
    ) -> None:
        if max_attempts < 1 or not steps_s or any(step <= 0 for step in steps_s):
            raise ValueError("max_attempts must be at least 1 and every lock-out step positive")
        self._kiosk_id = kiosk_id
        self.max_attempts = max_attempts
        self.steps_s = tuple(steps_s)

    def failures(self, db: Transaction) -> int:
        """Wrong tries since the last right PIN or lock-out."""
        text = setting(db, FAILURES_KEY) or "0"
        return int(text) if text.isascii() and text.isdigit() else 0

    def attempts_left(self, db: Transaction) -> int:
        """Wrong tries left before the next lock-out."""
        return max(0, self.max_attempts - self.failures(db))

    def locked_until(self, db: Transaction, now: ClockReading) -> datetime | None:
        """The end of the lock-out in force now, else None (an ended lock-out is cleared, its step kept)."""
        until_text = setting(db, LOCKED_UNTIL_KEY)
        if not until_text:
            return None
        start = self._last_failure(db)
        until = parse_utc(until_text)
        length_s = self._length_s(max(1, self._step(db)))
        if start is None or until is None or now.wall_utc < start.wall_utc:
            # Set back, or an unreadable lock: start it again (never shorter).
            return self._relock(db, now, start, length_s)
        real_elapsed = now.seconds_since(start)  # monotonic within one boot
        if real_elapsed < (now.wall_utc - start.wall_utc).total_seconds():
            # The wall clock moved forward: the lock lasts until the real time has passed too.
            until = max(until, now.wall_utc + timedelta(seconds=length_s - real_elapsed))
        if now.wall_utc < until:
            return until
        self._end_lock(db)
        log.info("coordinator PIN lock-out ended")
        return None

    def count_failure(self, db: Transaction, now: ClockReading) -> datetime | None:
        """Count a wrong PIN; the end of the lock-out it starts, or None while tries are left."""
        failures = self.failures(db) + 1
        left = max(0, self.max_attempts - failures)
        set_setting(db, FAILURES_KEY, str(failures))
        self._save_last_failure(db, now)
        self._audit(db, now, "pin.failed", {"failures": failures, "attempts_left": left})
        if left > 0:
            return None
        step = self._step(db) + 1
        length_s = self._length_s(step)
        until = now.wall_utc + timedelta(seconds=length_s)
        set_setting(db, STEP_KEY, str(step))
        set_setting(db, LOCKED_UNTIL_KEY, until.isoformat())
        detail = {
            "failures": failures,
            "lockout_s": length_s,
            "step": step,
            "locked_until_utc": until.isoformat(),
        }
        self._audit(db, now, "pin.locked", detail)
        log.warning("coordinator PIN locked for %d s (lock-out %d) until %s", length_s, step, until)
        return until

    def start_over(self, db: Transaction) -> None:
        """A right PIN, or a PIN set: no wrong tries, no lock-out, and the steps start over."""
        for key in (FAILURES_KEY, LOCKED_UNTIL_KEY, LAST_FAILURE_KEY, STEP_KEY):
            set_setting(db, key, "")

    # -- the rows -----------------------------------------------------------------------------

    def _length_s(self, step: int) -> float:
        """The length of the ``step``-th lock-out (1 for the first); past the list, the last."""
        return self.steps_s[min(step, len(self.steps_s)) - 1]

    def _step(self, db: Transaction) -> int:
        text = setting(db, STEP_KEY) or "0"
        if text.isascii() and text.isdigit():
            return int(text)
        log.warning("the PIN lock-out step %r is unreadable; counting it as the longest", text)
        return len(self.steps_s)

    def _end_lock(self, db: Transaction) -> None:
        for key in (FAILURES_KEY, LOCKED_UNTIL_KEY, LAST_FAILURE_KEY):
            set_setting(db, key, "")

    def _relock(
        self, db: Transaction, now: ClockReading, start: ClockReading | None, length_s: float
    ) -> datetime:
        until = now.wall_utc + timedelta(seconds=length_s)
        set_setting(db, LOCKED_UNTIL_KEY, until.isoformat())
        self._save_last_failure(db, now)
        previous = None if start is None else start.wall_utc.isoformat()
        detail = {"last_failure_utc": previous, "locked_until_utc": until.isoformat()}
        self._audit(db, now, "pin.relocked", detail)
        log.warning(
            "wall clock is before the PIN lock-out began (%s); locked again until %s", previous, until
        )
        return until

    def _last_failure(self, db: Transaction) -> ClockReading | None:
        try:
            wall, monotonic_ns, boot_id = json.loads(setting(db, LAST_FAILURE_KEY) or "null")
            return ClockReading(
                datetime.fromisoformat(wall).astimezone(UTC), 0, int(monotonic_ns), str(boot_id)
            )
        except (ValueError, TypeError):
            return None

    def _save_last_failure(self, db: Transaction, now: ClockReading) -> None:
        reading = [now.wall_utc.isoformat(), now.monotonic_ns, now.boot_id]
        set_setting(db, LAST_FAILURE_KEY, json.dumps(reading))

    def _audit(self, db: Transaction, now: ClockReading, action: str, detail: Mapping[str, object]) -> None:
        append_audit(db, kiosk_id=self._kiosk_id, action=action, at=now.wall_utc, detail=dict(detail))
