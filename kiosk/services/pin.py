"""The coordinator PIN: a salted, slow hash, and a guard that locks out guessing.

The kiosk is locked down; only the coordinator PIN leads out. The PIN is kept
as ``scrypt$n$r$p$salt_b64$hash_b64`` in the settings table, never in clear,
and compared in constant time. After ``max_attempts`` consecutive wrong PINs
the guard refuses every try, right ones too and without hashing, for
``lockout_s`` seconds. The failure count, the lock's end and the reading of the
clocks at the last failure are kept in settings, so restarting the program
does not lift a lockout.

The clocks: the lock ends at a wall time, but the wall clock can be moved.

* Set forward within one boot: the monotonic clock still counts the real time
  since the failure that locked, and the lock lasts until that too has passed.
* Set back below the time of the failure that locked (a person, or a dead
  clock battery that restarts at 2000-01-01): the lock starts again, for the
  full ``lockout_s`` from the moment that is noticed. Waiting for the wall
  clock to catch up could lock the coordinator out for years; restarting the
  lock never shortens it.

Audit lines ``pin.set``, ``pin.failed``, ``pin.locked``, ``pin.relocked`` and
``pin.ok`` carry counts and times only, never the PIN.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from kiosk.domain.models import ClockReading
from kiosk.services.clock import Clock
from kiosk.store.audit import append_audit
from kiosk.store.database import Store
from kiosk.store.settings import set_setting, setting

log = logging.getLogger(__name__)

PIN_KEY = "coordinator_pin"
FAILURES_KEY = "pin_failures"
LOCKED_UNTIL_KEY = "pin_locked_until_utc"
LAST_FAILURE_KEY = "pin_last_failure"  # JSON [wall_utc, monotonic_ns, boot_id]

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
KEY_BYTES = 32
# Bounds for a stored hash, so an edited database cannot make a check eat the memory.
_MAX_MEMORY = 64 * 1024 * 1024
_PIN_PATTERN = re.compile(r"[0-9]{4,8}")  # ASCII digits only: str.isdigit() accepts "١٢٣٤"


def is_valid_pin(pin: str) -> bool:
    """Whether ``pin`` has the form of a PIN: 4 to 8 ASCII digits."""
    return _PIN_PATTERN.fullmatch(pin) is not None


def _parse_utc(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo is not None else None


@dataclass(frozen=True)
class PinHash:
    """A scrypt hash of a PIN, kept as ``scrypt$n$r$p$salt_b64$hash_b64``."""

    n: int
    r: int
    p: int
    salt: bytes = field(repr=False)
    key: bytes = field(repr=False)

    @classmethod
    def create(
        cls, pin: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P, salt: bytes | None = None
    ) -> PinHash:
        """Hash ``pin`` with a fresh random salt; ValueError unless it is 4 to 8 digits."""
        if not is_valid_pin(pin):
            raise ValueError("a PIN is 4 to 8 digits")
        salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
        return cls(n, r, p, salt, cls._derive(pin, n, r, p, salt, KEY_BYTES))

    @classmethod
    def parse(cls, text: str) -> PinHash:
        """Read the stored form; ValueError if it is malformed or its costs are out of bounds."""
        parts = text.split("$")
        if len(parts) != 6 or parts[0] != "scrypt":
            raise ValueError("not a scrypt PIN hash")
        try:
            n, r, p = (int(x) for x in parts[1:4])
            salt, key = (base64.b64decode(x.encode("ascii"), validate=True) for x in parts[4:6])
        except ValueError as exc:  # binascii.Error is a ValueError
            raise ValueError(f"malformed scrypt PIN hash: {exc}") from exc
        if n < 2 or n & (n - 1) or not 1 <= r <= 32 or not 1 <= p <= 16 or 128 * n * r * 2 > _MAX_MEMORY:
            raise ValueError(f"scrypt costs out of bounds: n={n} r={r} p={p}")
        if len(salt) < 8 or not 16 <= len(key) <= 64:
            raise ValueError("scrypt salt or hash of the wrong length")
        return cls(n, r, p, salt, key)

    def __str__(self) -> str:
        salt, key = (base64.b64encode(x).decode("ascii") for x in (self.salt, self.key))
        return f"scrypt${self.n}${self.r}${self.p}${salt}${key}"

    def verify(self, pin: str) -> bool:
        """Whether ``pin`` is the PIN this hash was made from (compared in constant time)."""
        if not is_valid_pin(pin):
            return False
        candidate = self._derive(pin, self.n, self.r, self.p, self.salt, len(self.key))
        return hmac.compare_digest(candidate, self.key)

    @staticmethod
    def _derive(pin: str, n: int, r: int, p: int, salt: bytes, length: int) -> bytes:
        return hashlib.scrypt(pin.encode("ascii"), salt=salt, n=n, r=r, p=p, maxmem=_MAX_MEMORY, dklen=length)


@dataclass(frozen=True)
class PinResult:
    """The answer to one PIN try: let in, or not, and how long a lockout lasts."""

    ok: bool
    locked_until: datetime | None  # UTC; set while locked out
    attempts_left: int  # wrong tries left before a lockout (0 while locked)
    storage_failed: bool = False  # the try could not be checked: the store did not answer


class PinGuard:
    """Checks the coordinator PIN and locks out guessing, persistently.

    Every method runs in one write transaction of ``store`` (a check holds it for
    the ~50 ms of hashing): call them on the thread that owns the store's writer.
    """

    def __init__(
        self, store: Store, clock: Clock, kiosk_id: str, max_attempts: int = 5, lockout_s: float = 300
    ) -> None:
        if max_attempts < 1 or lockout_s <= 0:
            raise ValueError("max_attempts must be at least 1 and lockout_s positive")
        self._store = store
        self._clock = clock
        self._kiosk_id = kiosk_id
        self.max_attempts = max_attempts
        self.lockout_s = lockout_s

    def set_pin(self, pin: str, actor: str | None = None) -> None:
        """Store a new coordinator PIN (ValueError unless 4 to 8 digits); lifts any lockout."""
        text = str(PinHash.create(pin))
        now = self._clock.now()
        with self._store.write() as db:
            replaced = bool(setting(db, PIN_KEY))
            set_setting(db, PIN_KEY, text)
            self._clear_failures(db)
            detail = {"replaced": replaced}
            append_audit(
                db, kiosk_id=self._kiosk_id, action="pin.set", at=now.wall_utc, detail=detail, actor=actor
            )

    def has_pin(self) -> bool:
        """Whether a coordinator PIN has been set."""
        return bool(setting(self._store.writer, PIN_KEY))

    def status(self) -> PinResult:
        """The lockout state now, without a try (``ok`` is always false)."""
        now = self._clock.now()
        with self._store.write() as db:
            locked_until = self._lock(db, now)
            if locked_until is not None:
                return PinResult(False, locked_until, 0)
            return PinResult(False, None, max(0, self.max_attempts - self._failures(db)))

    def check(self, pin: str) -> PinResult:
        """Try ``pin``: let in, count a failure, or refuse because of a lockout."""
        now = self._clock.now()
        with self._store.write() as db:
            locked_until = self._lock(db, now)
            if locked_until is not None:
                return PinResult(False, locked_until, 0)
            if self._matches(setting(db, PIN_KEY), pin):
                failures = self._failures(db)
                self._clear_failures(db)
                self._audit(db, now, "pin.ok", {"after_failures": failures})
                return PinResult(True, None, self.max_attempts)
            failures = self._failures(db) + 1
            left = max(0, self.max_attempts - failures)
            set_setting(db, FAILURES_KEY, str(failures))
            self._save_last_failure(db, now)
            self._audit(db, now, "pin.failed", {"failures": failures, "attempts_left": left})
            if left > 0:
                return PinResult(False, None, left)
            until = now.wall_utc + timedelta(seconds=self.lockout_s)
            set_setting(db, LOCKED_UNTIL_KEY, until.isoformat())
            detail = {
                "failures": failures,
                "lockout_s": self.lockout_s,
                "locked_until_utc": until.isoformat(),
            }
            self._audit(db, now, "pin.locked", detail)
            log.warning("coordinator PIN locked after %d wrong tries until %s", failures, until)
            return PinResult(False, until, 0)

    # -- state in settings ----------------------------------------------------------

    def _lock(self, db: Database, now: ClockReading) -> datetime | None:
        """The end of the lockout in force now, else None (an ended lockout is cleared)."""
        until_text = setting(db, LOCKED_UNTIL_KEY)
        if not until_text:
            return None
        start = self._last_failure(db)
        until = _parse_utc(until_text)
        if start is None or until is None or now.wall_utc < start.wall_utc:
            # Set back, or an unreadable lock: start it again (never shorter).
            return self._relock(db, now, start)
        real_elapsed = now.seconds_since(start)  # monotonic within one boot
        if real_elapsed < (now.wall_utc - start.wall_utc).total_seconds():
            # The wall clock moved forward: the lock lasts until the real time has passed too.
            until = max(until, now.wall_utc + timedelta(seconds=self.lockout_s - real_elapsed))
        if now.wall_utc < until:
            return until
        self._clear_failures(db)
        log.info("coordinator PIN lockout ended")
        return None

    def _relock(self, db: Database, now: ClockReading, start: ClockReading | None) -> datetime:
        until = now.wall_utc + timedelta(seconds=self.lockout_s)
        set_setting(db, LOCKED_UNTIL_KEY, until.isoformat())
        self._save_last_failure(db, now)
        previous = None if start is None else start.wall_utc.isoformat()
        detail = {"last_failure_utc": previous, "locked_until_utc": until.isoformat()}
        self._audit(db, now, "pin.relocked", detail)
        log.warning("wall clock is before the PIN lockout began (%s); locked again until %s", previous, until)
        return until

    def _failures(self, db: Database) -> int:
        text = setting(db, FAILURES_KEY) or "0"
        return int(text) if text.isascii() and text.isdigit() else 0

    def _last_failure(self, db: Database) -> ClockReading | None:
        try:
            wall, monotonic_ns, boot_id = json.loads(setting(db, LAST_FAILURE_KEY) or "null")
            return ClockReading(
                datetime.fromisoformat(wall).astimezone(UTC), 0, int(monotonic_ns), str(boot_id)
            )
        except (ValueError, TypeError):
            return None

    def _save_last_failure(self, db: Database, now: ClockReading) -> None:
        reading = [now.wall_utc.isoformat(), now.monotonic_ns, now.boot_id]
        set_setting(db, LAST_FAILURE_KEY, json.dumps(reading))

    def _clear_failures(self, db: Database) -> None:
        for key in (FAILURES_KEY, LOCKED_UNTIL_KEY, LAST_FAILURE_KEY):
            set_setting(db, key, "")

    def _matches(self, stored: str | None, pin: str) -> bool:
        if not stored:
            log.warning("no coordinator PIN is set; every PIN is refused")
            return False
        try:
            return PinHash.parse(stored).verify(pin)
        except ValueError as exc:
            log.error("the stored coordinator PIN is unreadable (%s); set it again", exc)
            return False

    def _audit(self, db: Database, now: ClockReading, action: str, detail: Mapping[str, object]) -> None:
        append_audit(db, kiosk_id=self._kiosk_id, action=action, at=now.wall_utc, detail=dict(detail))
