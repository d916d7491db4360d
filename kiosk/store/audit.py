"""The append-only, hash-chained audit log.

Each entry's ``hash`` is SHA-256 over the previous entry's hash and the entry's
own canonical JSON, so an edited, removed or reordered entry breaks the chain;
:func:`verify_chain` finds the first broken link. SQLite triggers refuse UPDATE
and DELETE on the table. Entries hold IDs and reasons, never personal data.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlite_utils import Database

if TYPE_CHECKING:
    from kiosk.store.database import Store

GENESIS_HASH = "0" * 64


def _entry_hash(
    prev_hash: str, at_utc: str, kiosk_id: str, actor: str | None, action: str, detail: str
) -> str:
    canonical = json.dumps(
        [prev_hash, at_utc, kiosk_id, actor, action, detail], ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def append_audit(
    db: Database,
    *,
    kiosk_id: str,
    action: str,
    at: datetime,
    detail: dict[str, Any] | None = None,
    actor: str | None = None,
) -> str:
    """Append one entry and return its hash.

    Call it inside the caller's write transaction, so the entry commits (or
    not) together with what it records.
    """
    row = db.execute("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    prev_hash = row[0] if row else GENESIS_HASH
    at_utc = at.isoformat(timespec="milliseconds")
    detail_json = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    entry_hash = _entry_hash(prev_hash, at_utc, kiosk_id, actor, action, detail_json)
    db.execute(
        "INSERT INTO audit_log (at_utc, kiosk_id, actor, action, detail, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        [at_utc, kiosk_id, actor, action, detail_json, prev_hash, entry_hash],
    )
    return entry_hash


def audit_alone(
    store: Store,
    *,
    kiosk_id: str,
    action: str,
    at: datetime,
    detail: dict[str, Any] | None = None,
    actor: str | None = None,
) -> str:
    """Append one entry in a write transaction of its own and return its hash.

    For what changes nothing else in the database (a refused code, a file
    written, a roster imported by its own transaction): the entry is durable
    when this returns.
    """
    with store.write() as db:
        return append_audit(db, kiosk_id=kiosk_id, action=action, at=at, detail=detail, actor=actor)


@dataclass(frozen=True)
class ChainCheck:
    """The result of :func:`verify_chain`."""

    entries: int
    first_bad_id: int | None

    @property
    def ok(self) -> bool:
        return self.first_bad_id is None


def verify_chain(db: Database) -> ChainCheck:
    """Recompute every hash in order; report the first entry that does not match."""
    prev_hash = GENESIS_HASH
    count = 0
    for row in db.execute(
        "SELECT id, at_utc, kiosk_id, actor, action, detail, prev_hash, hash FROM audit_log ORDER BY id"
    ):
        entry_id, at_utc, kiosk_id, actor, action, detail, stored_prev, stored_hash = row
        count += 1
        expected = _entry_hash(prev_hash, at_utc, kiosk_id, actor, action, detail)
        if stored_prev != prev_hash or stored_hash != expected:
            return ChainCheck(count, entry_id)
        prev_hash = stored_hash
    return ChainCheck(count, None)
