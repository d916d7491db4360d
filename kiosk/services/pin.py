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

A new PIN has 6 to 8 digits (:mod:`kiosk.services.pin_hash`); a shorter one
set by an earlier version still opens the desk. The account remembers
whether its PIN is short (``pin_short``: set with the PIN, or learned the
next time an older PIN opens the desk), and ``kiosk doctor`` warns for each
short or unknown one (:func:`pin_lengths`).

Wrong PINs lock the pad for a time that grows with each lock-out
(:mod:`kiosk.services.pin_lockout`); a right PIN starts the steps over, and
setting a PIN (adding an account, or changing its PIN) lifts any lock-out.

Audit lines ``coordinator.added``, ``coordinator.removed``, ``pin.set``,
``pin.refused_in_use`` and ``pin.ok`` (and the lock-out's own) carry account
IDs, counts and times only, never a PIN; their ``actor`` is whoever acted
(``pin.ok``: the coordinator who got in, as :attr:`Coordinator.actor`).
"""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from checkin_protocol.event_rows import parse_utc
from checkin_protocol.models import ClockReading
from kiosk.clock import Clock
from kiosk.services.pin_hash import NEW_PIN_RULE, PinHash, is_short_pin, is_valid_pin
from kiosk.services.pin_lockout import LOCKOUT_STEPS_S, MAX_ATTEMPTS, PinLockout
from kiosk.store import coordinators as coordinator_store
from kiosk.store.audit import append_audit
from kiosk.store.database import Store, Transaction
from kiosk.store.settings import delete_setting

__all__ = [
    "MAX_ACTIVE_COORDINATORS",
    "MAX_NAME_CHARS",
    "Coordinator",
    "CoordinatorAccount",
    "PinGuard",
    "PinHash",
    "PinInUseError",
    "PinLengths",
    "PinResult",
    "is_valid_pin",
    "pin_lengths",
]

log = logging.getLogger(__name__)

LEGACY_PIN_KEY = "coordinator_pin"  # before migration 0005: the one PIN; now account c1

#: Most active accounts per kiosk. A wrong PIN is hashed once per active account
#: (~50-70 ms each on a kiosk PC, on the writer thread, inside its transaction), so
#: 10 accounts keep the slowest answer of the PIN pad under about a second.
MAX_ACTIVE_COORDINATORS = 10
MAX_NAME_CHARS = 40
ACTOR_MAX_CHARS = 64
DEFAULT_NAME = "coordinator"  # the account that set_pin creates, like migration 0005's c1
_ID_PATTERN = re.compile(r"c([1-9][0-9]{0,8})")


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
    pin_short: bool | None  # None: set before lengths were recorded


@dataclass(frozen=True)
class PinResult:
    """The answer to one PIN try: let in (and who), or not, and how long a lockout lasts."""

    ok: bool
    locked_until: datetime | None  # UTC; set while locked out
    attempts_left: int  # wrong tries left before a lockout (0 while locked)
    storage_failed: bool = False  # the try could not be checked: the store did not answer
    coordinator: Coordinator | None = None  # who got in; set when ok
    locked_for_s: int = 0  # whole seconds of the lockout left (rounded up); 0 when not locked


@dataclass(frozen=True)
class PinLengths:
    """The active accounts whose PIN is shorter than a new one may be, or of a length not known yet."""

    active: int
    short: tuple[str, ...]  # coordinator IDs
    unknown: tuple[str, ...]


def pin_lengths(db: Transaction) -> PinLengths:
    """What ``kiosk doctor`` reports about the PINs' lengths (any connection, a read-only one too)."""
    accounts = coordinator_store.active_pin_shortness(db)
    return PinLengths(
        len(accounts),
        tuple(cid for cid, short in accounts if short == 1),
        tuple(cid for cid, short in accounts if short is None),
    )


class PinGuard:
    """Keeps the coordinator accounts, checks PINs and locks out guessing, persistently.

    Every method that changes something runs in one write transaction of
    ``store`` (a check holds it for the hashing, ~50 ms per active account):
    call them on the thread that owns the store's writer.
    """

    def __init__(
        self,
        store: Store,
        clock: Clock,
        kiosk_id: str,
        max_attempts: int = MAX_ATTEMPTS,
        lockout_steps_s: Sequence[float] = LOCKOUT_STEPS_S,
    ) -> None:
        self._lockout = PinLockout(kiosk_id, max_attempts, lockout_steps_s)  # ValueError if out of bounds
        self._store = store
        self._clock = clock
        self._kiosk_id = kiosk_id
        self.max_attempts = max_attempts

    # -- accounts -------------------------------------------------------------------

    def coordinators(self) -> list[Coordinator]:
        """The active accounts, in the order they were added."""
        return [account.coordinator for account in self._active(self._store.writer)]

    def accounts(self, include_removed: bool = False) -> list[CoordinatorAccount]:
        """The accounts with their times, active ones only unless ``include_removed``."""
        records = coordinator_store.coordinator_records(self._store.writer, include_removed)
        return [
            CoordinatorAccount(
                Coordinator(cid, name),
                parse_utc(created),
                None if removed is None else parse_utc(removed),
                removed is None,
            )
            for cid, name, created, removed in records
        ]

    def has_pin(self) -> bool:
        """Whether any active account exists, so that some PIN can open the coordinator menu."""
        return coordinator_store.has_active_coordinator(self._store.writer)

    def add_coordinator(self, name: str, pin: str, actor: str | None) -> Coordinator:
        """Add an account (IDs ``c1``, ``c2``, … never reused) with its PIN; lifts any lockout.

        ValueError if the name is empty or too long, the PIN is not 6 to 8
        digits, :data:`MAX_ACTIVE_COORDINATORS` are active already, or (as
        :class:`PinInUseError`) another active account has this PIN.
        """
        return self._write_pin(pin, actor, lambda db, active: None, _clean_name(name))

    def set_coordinator_pin(self, coordinator_id: str, pin: str, actor: str | None) -> Coordinator:
        """Give an active account a new PIN; lifts any lockout.

        ValueError if there is no such active account, the PIN is not 6 to 8
        digits, or (as :class:`PinInUseError`) another active account has it.
        """
        return self._write_pin(pin, actor, lambda db, active: self._find(db, active, coordinator_id), None)

    def set_pin(self, pin: str, actor: str | None = None, name: str = DEFAULT_NAME) -> Coordinator:
        """Set the PIN of the first active account, or add one named ``name`` if there is none.

        For callers that know a single PIN (the demo, tests); lifts any lockout.
        ValueError unless the PIN is 6 to 8 digits and no other account has it.
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
            coordinator_store.mark_coordinator_removed(
                db, target.coordinator_id, now.wall_utc.isoformat(timespec="milliseconds")
            )
            self._audit(db, now, "coordinator.removed", {"coordinator_id": target.coordinator_id}, actor)
        log.info("coordinator %s removed", target.coordinator_id)
        return target

    # -- the PIN pad ------------------------------------------------------------------

    def status(self) -> PinResult:
        """The lockout state now, without a try (``ok`` is always false)."""
        now = self._clock.now()
        with self._store.write() as db:
            locked_until = self._lockout.locked_until(db, now)
            if locked_until is not None:
                return _locked(locked_until, now)
            return PinResult(False, None, self._lockout.attempts_left(db))

    def check(self, pin: str) -> PinResult:
        """Try ``pin`` against every active account: let in, count a failure, or refuse while locked.

        A PIN set before lengths were recorded has its shortness learned here,
        when it opens the desk (a wrong try tells nothing about a PIN).
        """
        now = self._clock.now()
        with self._store.write() as db:
            locked_until = self._lockout.locked_until(db, now)
            if locked_until is not None:
                return _locked(locked_until, now)
            active = self._active(db)
            if not active:
                log.warning("no coordinator account is set; every PIN is refused")
            account = self._match(active, pin)
            if account is None:
                until = self._lockout.count_failure(db, now)
                if until is not None:
                    return _locked(until, now)
                return PinResult(False, None, self._lockout.attempts_left(db))
            coordinator = account.coordinator
            failures = self._lockout.failures(db)
            self._lockout.start_over(db)
            if account.pin_short is None:
                coordinator_store.set_pin_short(db, coordinator.coordinator_id, is_short_pin(pin))
            detail = {"after_failures": failures, "coordinator_id": coordinator.coordinator_id}
            self._audit(db, now, "pin.ok", detail, coordinator.actor)
            return PinResult(True, None, self.max_attempts, coordinator=coordinator)

    # -- accounts in the database ---------------------------------------------------

    def _active(self, db: Transaction) -> list[_Account]:
        return [
            _Account(Coordinator(cid, name), pin_hash, short)
            for cid, name, pin_hash, short in coordinator_store.active_coordinator_pins(db)
        ]

    def _find(self, db: Transaction, active: list[_Account], coordinator_id: str) -> Coordinator:
        for account in active:
            if account.coordinator.coordinator_id == coordinator_id:
                return account.coordinator
        if coordinator_store.coordinator_exists(db, coordinator_id):
            raise ValueError(f"coordinator {coordinator_id} was removed")
        raise ValueError(f"there is no coordinator {coordinator_id}")

    def _next_id(self, db: Transaction) -> str:
        numbers = [
            int(match.group(1))
            for cid in coordinator_store.coordinator_ids(db)
            if (match := _ID_PATTERN.fullmatch(cid)) is not None
        ]
        return f"c{max(numbers, default=0) + 1}"

    def _write_pin(
        self,
        pin: str,
        actor: str | None,
        pick: Callable[[Transaction, list[_Account]], Coordinator | None],
        new_name: str | None,
    ) -> Coordinator:
        """Give ``pick(db, active)`` the PIN, or a new account named ``new_name`` when it picks none."""
        if not is_valid_pin(pin):
            raise ValueError(f"{NEW_PIN_RULE}; a shorter PIN is too easy to guess")
        text = str(PinHash.create(pin))
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
                    coordinator_store.set_pin_hash(db, target.coordinator_id, text)
                    self._audit(db, now, "pin.set", {"coordinator_id": target.coordinator_id}, actor)
                self._lockout.start_over(db)
                delete_setting(db, LEGACY_PIN_KEY)  # no stale old hash
        except PinInUseError:
            self._audit_refusal(now, target, actor)
            raise
        return target

    def _insert(
        self, db: Transaction, now: ClockReading, coordinator: Coordinator, pin_hash: str, actor: str | None
    ) -> Coordinator:
        coordinator_store.insert_coordinator(
            db,
            coordinator.coordinator_id,
            coordinator.name,
            pin_hash,
            now.wall_utc.isoformat(timespec="milliseconds"),
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

    def _match(self, accounts: list[_Account], pin: str) -> _Account | None:
        """The account whose PIN ``pin`` is; every account is hashed, whether one matched or not."""
        if len(accounts) > MAX_ACTIVE_COORDINATORS:
            log.warning(
                "%d active coordinator accounts; only the first %d are checked",
                len(accounts),
                MAX_ACTIVE_COORDINATORS,
            )
        found: _Account | None = None
        for account in accounts[:MAX_ACTIVE_COORDINATORS]:
            if self._verifies(account, pin) and found is None:
                found = account
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

    def _audit(
        self,
        db: Transaction,
        now: ClockReading,
        action: str,
        detail: Mapping[str, object],
        actor: str | None = None,
    ) -> None:
        append_audit(
            db, kiosk_id=self._kiosk_id, action=action, at=now.wall_utc, detail=dict(detail), actor=actor
        )


def _locked(until: datetime, now: ClockReading) -> PinResult:
    """The answer while locked out: when it ends, and how many whole seconds are left."""
    left_s = max(1, math.ceil((until - now.wall_utc).total_seconds()))
    return PinResult(False, until, 0, locked_for_s=left_s)
