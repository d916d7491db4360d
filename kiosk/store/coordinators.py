"""The ``coordinators`` table: the coordinator accounts and their PIN hashes.

An account's row is never deleted: a removed account keeps it with
``removed_utc`` set, so the names behind earlier ``actor`` texts stay known.
Accounts are listed in the order they were added (``c1``, ``c2``, … ``c10``).
The rules (PIN checks, lock-outs, limits) are in :mod:`kiosk.services.pin`.

Functions here run inside the caller's transaction (or as plain reads).
"""

from __future__ import annotations

from typing import NamedTuple

from kiosk.store.database import Transaction

_ORDER = " ORDER BY CAST(substr(coordinator_id, 2) AS INTEGER), coordinator_id"


class CoordinatorPin(NamedTuple):
    """An active account as the PIN check needs it."""

    coordinator_id: str
    name: str
    pin_hash: str
    pin_short: bool | None  # None: set before lengths were recorded


class CoordinatorRecord(NamedTuple):
    """An account as listed, with its times as stored (ISO 8601 text)."""

    coordinator_id: str
    name: str
    created_utc: str
    removed_utc: str | None


class PinShortness(NamedTuple):
    """Whether an active account's PIN is short: 1 short, 0 not, None not known yet."""

    coordinator_id: str
    pin_short: int | None


def active_coordinator_pins(db: Transaction) -> list[CoordinatorPin]:
    """The active accounts with their PIN hashes, in the order they were added."""
    rows = db.execute(
        "SELECT coordinator_id, name, pin_hash, pin_short FROM coordinators "
        f"WHERE removed_utc IS NULL{_ORDER}"
    ).fetchall()
    return [
        CoordinatorPin(str(cid), str(name), str(pin_hash), None if short is None else bool(short))
        for cid, name, pin_hash, short in rows
    ]


def active_pin_shortness(db: Transaction) -> list[PinShortness]:
    """Each active account's ``pin_short`` as stored, in the order they were added."""
    rows = db.execute(f"SELECT coordinator_id, pin_short FROM coordinators WHERE removed_utc IS NULL{_ORDER}")
    return [PinShortness(str(cid), short) for cid, short in rows.fetchall()]


def coordinator_records(db: Transaction, include_removed: bool = False) -> list[CoordinatorRecord]:
    """The accounts with their times, active ones only unless ``include_removed``."""
    where = "" if include_removed else " WHERE removed_utc IS NULL"
    rows = db.execute(
        f"SELECT coordinator_id, name, created_utc, removed_utc FROM coordinators{where}{_ORDER}"
    ).fetchall()
    return [
        CoordinatorRecord(str(cid), str(name), str(created), None if removed is None else str(removed))
        for cid, name, created, removed in rows
    ]


def has_active_coordinator(db: Transaction) -> bool:
    """Whether any account is active (not removed)."""
    row = db.execute("SELECT 1 FROM coordinators WHERE removed_utc IS NULL LIMIT 1").fetchone()
    return row is not None


def coordinator_exists(db: Transaction, coordinator_id: str) -> bool:
    """Whether an account (active or removed) has ``coordinator_id``."""
    row = db.execute("SELECT 1 FROM coordinators WHERE coordinator_id = ?", [coordinator_id]).fetchone()
    return row is not None


def coordinator_ids(db: Transaction) -> list[str]:
    """Every account's ID, removed ones too (unordered)."""
    return [str(cid) for (cid,) in db.execute("SELECT coordinator_id FROM coordinators").fetchall()]


def insert_coordinator(
    db: Transaction, coordinator_id: str, name: str, pin_hash: str, created_utc: str
) -> None:
    """Add an active account whose PIN is not short."""
    db.execute(
        "INSERT INTO coordinators (coordinator_id, name, pin_hash, created_utc, pin_short) "
        "VALUES (?, ?, ?, ?, 0)",
        [coordinator_id, name, pin_hash, created_utc],
    )


def mark_coordinator_removed(db: Transaction, coordinator_id: str, removed_utc: str) -> None:
    """Retire an active account (a removed one keeps its first ``removed_utc``)."""
    db.execute(
        "UPDATE coordinators SET removed_utc = ? WHERE coordinator_id = ? AND removed_utc IS NULL",
        [removed_utc, coordinator_id],
    )


def set_pin_short(db: Transaction, coordinator_id: str, short: bool) -> None:
    """Record whether the account's PIN is shorter than a new one may be."""
    db.execute(
        "UPDATE coordinators SET pin_short = ? WHERE coordinator_id = ?",
        [int(short), coordinator_id],
    )


def set_pin_hash(db: Transaction, coordinator_id: str, pin_hash: str) -> None:
    """Give the account a new PIN hash (of a PIN that is not short)."""
    db.execute(
        "UPDATE coordinators SET pin_hash = ?, pin_short = 0 WHERE coordinator_id = ?",
        [pin_hash, coordinator_id],
    )
