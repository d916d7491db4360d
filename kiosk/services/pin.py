"""Coordinator accounts, each with its own PIN: salted slow hashes, and a guard against guessing.

The kiosk is locked down; only a coordinator's PIN leads out. Each account is a
row of the ``coordinators`` table (``c1``, ``c2``, …; an ID is never reused)
with a name and its PIN kept as ``scrypt$n$r$p$salt_b64$hash_b64``, never in
clear. The PIN identifies the coordinator: no two active accounts share one,
and a try is compared, in constant time, with every active account's hash
(at most :data:`MAX_ACTIVE_COORDINATORS` of them, as each comparison costs one
scrypt of ~50 ms). A removed account keeps its row, with ``removed_utc`` set,
so that the names behind earlier ``actor`` texts stay known; its PIN no longer
opens anything. The last active account cannot be removed. The one
``coordinator_pin`` setting of earlier versions became account ``c1`` named
``coordinator`` (migration 0005); it is deleted when a PIN is next set.

The lockout is shared by all accounts: after ``max_attempts`` consecutive wrong
PINs, whoever typed them, the guard refuses every try, right ones too and
without hashing, for ``lockout_s`` seconds. The failure count, the lock's end
and the reading of the clocks at the last failure are kept in settings, so
restarting the program does not lift a lockout. Setting a PIN (adding an
account, or changing its PIN) lifts it: that is how a coordinator who forgot
the PIN gets back in.

The clocks: the lock ends at a wall time, but the wall clock can be moved.

* Set forward within one boot: the monotonic clock still counts the real time
  since the failure that locked, and the lock lasts until that too has passed.
* Set back below the time of the failure that locked (a person, or a dead
  clock battery that restarts at 2000-01-01): the lock starts again, for the
  full ``lockout_s`` from the moment that is noticed. Waiting for the wall
  clock to catch up could lock the coordinator out for years; restarting the
  lock never shortens it.

Audit lines ``coordinator.added``, ``coordinator.removed``, ``pin.set``,
``pin.refused_in_use``, ``pin.failed``, ``pin.locked``, ``pin.relocked`` and
``pin.ok`` carry account IDs, counts and times only, never a PIN; their
``actor`` is whoever acted (``pin.ok``: the coordinator who got in, as
:attr:`Coordinator.actor`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import re
import secrets
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from sqlite_utils import Database

from kiosk.domain.models import ClockReading
from kiosk.services.clock import Clock
from kiosk.store.audit import append_audit
from kiosk.store.database import Store
from kiosk.store.settings import set_setting, setting

log = logging.getLogger(__name__)

LEGACY_PIN_KEY = "coordinator_pin"  # before migration 0005: the one PIN; now account c1
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

#: Most active accounts per kiosk. A wrong PIN is hashed once per active account
#: (~50-70 ms each on a kiosk PC, on the writer thread, inside its transaction), so
#: 10 accounts keep the slowest answer of the PIN pad under about a second.
MAX_ACTIVE_COORDINATORS = 10
MAX_NAME_CHARS = 40
ACTOR_MAX_CHARS = 64
DEFAULT_NAME = "coordinator"  # the account that set_pin creates, like migration 0005's c1
_ID_PATTERN = re.compile(r"c([1-9][0-9]{0,8})")
_ORDER = " ORDER BY CAST(substr(coordinator_id, 2) AS INTEGER), coordinator_id"


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


def _clean_name(name: str) -> str:
    """``name`` without surrounding spaces; ValueError if empty, too long or holding control characters."""
    name = name.strip()
    if not name:
        raise ValueError("a coordinator needs a name")
    if len(name) > MAX_NAME_CHARS:
        raise ValueError(f"a coordinator's name is at most {MAX_NAME_CHARS} characters")
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise ValueError("a coordinator's name cannot hold control characters")
    return name


@dataclass(frozen=True)
class Coordinator:
    """A coordinator account: who got in with a PIN, and who is recorded as having acted."""

    coordinator_id: str
    name: str

    @property
    def actor(self) -> str:
        """The text recorded as ``actor`` on events and in the audit log: ``王老师 (c2)``, ≤ 64 characters."""
        suffix = f" ({self.coordinator_id})"
        return (self.name[: max(0, ACTOR_MAX_CHARS - len(suffix))] + suffix)[:ACTOR_MAX_CHARS]


@dataclass(frozen=True)
class CoordinatorAccount:
    """One account as listed: the coordinator, when it was added and whether it was removed."""

    coordinator: Coordinator
    created_utc: datetime | None  # None if the stored time is unreadable
    removed_utc: datetime | None
    active: bool


class PinInUseError(ValueError):
    """The PIN is already another active coordinator's: the PIN tells who the coordinator is."""


class _Account(NamedTuple):
    coordinator: Coordinator
    pin_hash: str


@dataclass(frozen=True)
class PinResult:
    """The answer to one PIN try: let in (and who), or not, and how long a lockout lasts."""

    ok: bool
    locked_until: datetime | None  # UTC; set while locked out
    attempts_left: int  # wrong tries left before a lockout (0 while locked)
    storage_failed: bool = False  # the try could not be checked: the store did not answer
    coordinator: Coordinator | None = None  # who got in; set when ok


class PinGuard:
    """Keeps the coordinator accounts, checks PINs and locks out guessing, persistently.

    Every method that changes something runs in one write transaction of
    ``store`` (a check holds it for the hashing, ~50 ms per active account):
    call them on the thread that owns the store's writer.
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

    # -- accounts -------------------------------------------------------------------

    def coordinators(self) -> list[Coordinator]:
        """The active accounts, in the order they were added."""
        return [account.coordinator for account in self._active(self._store.writer)]

    def accounts(self, include_removed: bool = False) -> list[CoordinatorAccount]:
        """The accounts with their times, active ones only unless ``include_removed``."""
        where = "" if include_removed else " WHERE removed_utc IS NULL"
        rows = self._store.writer.execute(
            f"SELECT coordinator_id, name, created_utc, removed_utc FROM coordinators{where}{_ORDER}"
        ).fetchall()
        return [
            CoordinatorAccount(
                Coordinator(str(cid), str(name)),
                _parse_utc(str(created)),
                None if removed is None else _parse_utc(str(removed)),
                removed is None,
            )
            for cid, name, created, removed in rows
        ]

    def has_pin(self) -> bool:
        """Whether any active account exists, so that some PIN can open the coordinator menu."""
        row = self._store.writer.execute(
            "SELECT 1 FROM coordinators WHERE removed_utc IS NULL LIMIT 1"
        ).fetchone()
        return row is not None

    def add_coordinator(self, name: str, pin: str, actor: str | None) -> Coordinator:
        """Add an account (IDs ``c1``, ``c2``, … never reused) with its PIN; lifts any lockout.

        ValueError if the name is empty or too long, the PIN is not 4 to 8
        digits, :data:`MAX_ACTIVE_COORDINATORS` are active already, or (as
        :class:`PinInUseError`) another active account has this PIN.
        """
        return self._write_pin(pin, actor, lambda db, active: None, _clean_name(name))

    def set_coordinator_pin(self, coordinator_id: str, pin: str, actor: str | None) -> Coordinator:
        """Give an active account a new PIN; lifts any lockout.

        ValueError if there is no such active account, the PIN is not 4 to 8
        digits, or (as :class:`PinInUseError`) another active account has it.
        """
        return self._write_pin(pin, actor, lambda db, active: self._find(db, active, coordinator_id), None)

    def set_pin(self, pin: str, actor: str | None = None, name: str = DEFAULT_NAME) -> Coordinator:
        """Set the PIN of the first active account, or add one named ``name`` if there is none.

        For callers that know a single PIN (the demo, tests); lifts any lockout.
        ValueError unless the PIN is 4 to 8 digits and no other account has it.
        """
        clean = _clean_name(name)
        return self._write_pin(
            pin, actor, lambda db, active: active[0].coordinator if active else None, clean
        )

    def remove_coordinator(self, coordinator_id: str, actor: str | None) -> Coordinator:
        """Retire an active account: its PIN stops working, its row stays (``removed_utc``).

        ValueError if there is no such active account or it is the last one.
        """
        now = self._clock.now()
        with self._store.write() as db:
            active = self._active(db)
            target = self._find(db, active, coordinator_id)
            if len(active) == 1:
                raise ValueError(
                    f"{target.actor} is the last coordinator; add another one before removing this one"
                )
            db.execute(
                "UPDATE coordinators SET removed_utc = ? WHERE coordinator_id = ? AND removed_utc IS NULL",
                [now.wall_utc.isoformat(timespec="milliseconds"), target.coordinator_id],
            )
            self._audit(db, now, "coordinator.removed", {"coordinator_id": target.coordinator_id}, actor)
        log.info("coordinator %s removed", target.coordinator_id)
        return target

    # -- the PIN pad ------------------------------------------------------------------

    def status(self) -> PinResult:
        """The lockout state now, without a try (``ok`` is always false)."""
        now = self._clock.now()
        with self._store.write() as db:
            locked_until = self._lock(db, now)
            if locked_until is not None:
                return PinResult(False, locked_until, 0)
            return PinResult(False, None, max(0, self.max_attempts - self._failures(db)))

    def check(self, pin: str) -> PinResult:
        """Try ``pin`` against every active account: let in, count a failure, or refuse while locked."""
        now = self._clock.now()
        with self._store.write() as db:
            locked_until = self._lock(db, now)
            if locked_until is not None:
                return PinResult(False, locked_until, 0)
            active = self._active(db)
            if not active:
                log.warning("no coordinator account is set; every PIN is refused")
            coordinator = self._match(active, pin)
            if coordinator is not None:
                failures = self._failures(db)
                self._clear_failures(db)
                detail = {"after_failures": failures, "coordinator_id": coordinator.coordinator_id}
                self._audit(db, now, "pin.ok", detail, coordinator.actor)
                return PinResult(True, None, self.max_attempts, coordinator=coordinator)
            return self._count_failure(db, now)

    # -- accounts in the database ---------------------------------------------------

    def _active(self, db: Database) -> list[_Account]:
        rows = db.execute(
            f"SELECT coordinator_id, name, pin_hash FROM coordinators WHERE removed_utc IS NULL{_ORDER}"
        ).fetchall()
        return [_Account(Coordinator(str(cid), str(name)), str(pin_hash)) for cid, name, pin_hash in rows]

    def _find(self, db: Database, active: list[_Account], coordinator_id: str) -> Coordinator:
        for account in active:
            if account.coordinator.coordinator_id == coordinator_id:
                return account.coordinator
        row = db.execute("SELECT 1 FROM coordinators WHERE coordinator_id = ?", [coordinator_id]).fetchone()
        if row is not None:
            raise ValueError(f"coordinator {coordinator_id} was removed")
        raise ValueError(f"there is no coordinator {coordinator_id}")

    def _next_id(self, db: Database) -> str:
        numbers = [
            int(match.group(1))
            for (cid,) in db.execute("SELECT coordinator_id FROM coordinators").fetchall()
            if (match := _ID_PATTERN.fullmatch(str(cid))) is not None
        ]
        return f"c{max(numbers, default=0) + 1}"

    def _write_pin(
        self,
        pin: str,
        actor: str | None,
        pick: Callable[[Database, list[_Account]], Coordinator | None],
        new_name: str | None,
    ) -> Coordinator:
        """Give ``pick(db, active)`` the PIN, or a new account named ``new_name`` when it picks none."""
        text = str(PinHash.create(pin))  # ValueError unless 4 to 8 digits
        now = self._clock.now()
        target: Coordinator | None = None
        try:
            with self._store.write() as db:
                active = self._active(db)
                target = pick(db, active)
                if target is None and len(active) >= MAX_ACTIVE_COORDINATORS:
                    raise ValueError(
                        f"a kiosk has at most {MAX_ACTIVE_COORDINATORS} coordinators; remove one first"
                    )
                self._refuse_in_use([a for a in active if a.coordinator != target], pin)
                if target is None:
                    assert new_name is not None
                    target = self._insert(db, now, Coordinator(self._next_id(db), new_name), text, actor)
                else:
                    db.execute(
                        "UPDATE coordinators SET pin_hash = ? WHERE coordinator_id = ?",
                        [text, target.coordinator_id],
                    )
                    self._audit(db, now, "pin.set", {"coordinator_id": target.coordinator_id}, actor)
                self._clear_failures(db)
                db.execute("DELETE FROM settings WHERE key = ?", [LEGACY_PIN_KEY])  # no stale old hash
        except PinInUseError:
            self._audit_refusal(now, target, actor)
            raise
        return target

    def _insert(
        self, db: Database, now: ClockReading, coordinator: Coordinator, pin_hash: str, actor: str | None
    ) -> Coordinator:
        db.execute(
            "INSERT INTO coordinators (coordinator_id, name, pin_hash, created_utc) VALUES (?, ?, ?, ?)",
            [
                coordinator.coordinator_id,
                coordinator.name,
                pin_hash,
                now.wall_utc.isoformat(timespec="milliseconds"),
            ],
        )
        self._audit(db, now, "coordinator.added", {"coordinator_id": coordinator.coordinator_id}, actor)
        log.info("coordinator %s added", coordinator.coordinator_id)
        return coordinator

    def _refuse_in_use(self, others: list[_Account], pin: str) -> None:
        if self._match(others, pin) is not None:
            raise PinInUseError(
                "another coordinator already uses this PIN; choose a different one "
                "(each coordinator's PIN tells the kiosk who they are)"
            )

    def _audit_refusal(self, now: ClockReading, target: Coordinator | None, actor: str | None) -> None:
        """Record, in a transaction of its own, that a PIN was refused as another account's."""
        detail = {} if target is None else {"coordinator_id": target.coordinator_id}
        with self._store.write() as db:
            self._audit(db, now, "pin.refused_in_use", detail, actor)

    def _match(self, accounts: list[_Account], pin: str) -> Coordinator | None:
        """The account whose PIN ``pin`` is; every account is hashed, whether one matched or not."""
        if len(accounts) > MAX_ACTIVE_COORDINATORS:
            log.warning(
                "%d active coordinator accounts; only the first %d are checked",
                len(accounts),
                MAX_ACTIVE_COORDINATORS,
            )
        found: Coordinator | None = None
        for account in accounts[:MAX_ACTIVE_COORDINATORS]:
            if self._verifies(account, pin) and found is None:
                found = account.coordinator
        return found

    def _verifies(self, account: _Account, pin: str) -> bool:
        try:
            return PinHash.parse(account.pin_hash).verify(pin)
        except ValueError as exc:
            log.error(
                "the stored PIN of coordinator %s is unreadable (%s); set it again",
                account.coordinator.coordinator_id,
                exc,
            )
            return False

    # -- the lockout, in settings -----------------------------------------------------

    def _count_failure(self, db: Database, now: ClockReading) -> PinResult:
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

    def _audit(
        self,
        db: Database,
        now: ClockReading,
        action: str,
        detail: Mapping[str, object],
        actor: str | None = None,
    ) -> None:
        append_audit(
            db, kiosk_id=self._kiosk_id, action=action, at=now.wall_utc, detail=dict(detail), actor=actor
        )
