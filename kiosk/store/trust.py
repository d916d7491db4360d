"""Persisting the platform's trusted public keys, each with its purposes, and the card revocation list.

A row of ``trusted_keys`` names its ``source``: ``cloud`` (registration, a
provisioning file, a pull or a USB update from the platform this kiosk is
registered with), ``demo`` (the demo installer's key, whose private half
lies in the data folder) or whatever a test or tool wrote. ``purposes`` is
what the key may sign (:class:`~checkin_protocol.codes.trust.KeyPurpose`, names
separated by spaces); only the platform's own keys may sign bundles or
provisioning files, never a demo key.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlite_utils import Database

from checkin_protocol.codes.trust import (
    DEMO_PURPOSES,
    KeyPurpose,
    RevocationList,
    TrustedKeys,
    format_purposes,
    parse_purposes,
    public_key_from,
)
from checkin_protocol.event_rows import format_utc

#: ``source`` of the keys the platform gave (registration, provisioning file, pulls, USB updates).
CLOUD_SOURCE = "cloud"
#: ``source`` of the demo installer's key.
DEMO_SOURCE = "demo"


def load_trusted_keys(db: Database) -> TrustedKeys:
    """Every trusted key with its purposes, for the token verifier."""
    return TrustedKeys(
        (row[0], row[1], parse_purposes(row[2]))
        for row in db.execute("SELECT key_id, public_key, purposes FROM trusted_keys")
    )


def load_revocations(db: Database) -> RevocationList:
    return RevocationList(
        (row[0], row[1]) for row in db.execute("SELECT volunteer_id, card_no FROM revocations")
    )


def trust_key(
    db: Database,
    key_id: str,
    public_key_b64: str,
    source: str,
    at: datetime,
    purposes: Iterable[KeyPurpose],
) -> None:
    """Trust a platform key under ``key_id`` for ``purposes``; trusting it again updates only its purposes.

    A key ID names one key for ever: a different key under a known ID is
    refused with ``ValueError`` (rotation uses a new key ID). A demo key is
    refused any purpose beyond :data:`~checkin_protocol.codes.trust.DEMO_PURPOSES`.
    """
    allowed = frozenset(purposes)
    TrustedKeys([(key_id, public_key_b64, allowed)])  # raises ValueError on a bad key ID, key or purpose
    if source == DEMO_SOURCE and not allowed <= DEMO_PURPOSES:
        raise ValueError(
            f"a demo key signs demo codes only, never {format_purposes(allowed - DEMO_PURPOSES)}"
        )
    stored = format_purposes(allowed)
    row = db.execute("SELECT public_key, purposes FROM trusted_keys WHERE key_id = ?", [key_id]).fetchone()
    if row is not None:
        if row[0] != public_key_b64:
            raise ValueError(f"key ID {key_id} already names another key; use a new key ID to rotate")
        if row[1] != stored:
            db.execute("UPDATE trusted_keys SET purposes = ? WHERE key_id = ?", [stored, key_id])
        return
    db.execute(
        "INSERT INTO trusted_keys (key_id, public_key, added_utc, source, purposes) VALUES (?, ?, ?, ?, ?)",
        [key_id, public_key_b64, format_utc(at), source, stored],
    )


def trusted_key_for(db: Database, key_id: str, purpose: KeyPurpose) -> Ed25519PublicKey | None:
    """The key trusted under ``key_id`` for ``purpose``; None when unknown or trusted for other things only."""
    row = db.execute("SELECT public_key, purposes FROM trusted_keys WHERE key_id = ?", [key_id]).fetchone()
    if row is None or purpose not in parse_purposes(row[1]):
        return None
    return public_key_from(row[0])


class StoredKey(NamedTuple):
    """A trusted key as stored: its public key (base64) and where it came from."""

    public_key: str
    source: str


def stored_key(db: Database, key_id: str) -> StoredKey | None:
    """The key under ``key_id`` (whatever its purposes) and its source, or None."""
    row = db.execute("SELECT public_key, source FROM trusted_keys WHERE key_id = ?", [key_id]).fetchone()
    return None if row is None else StoredKey(str(row[0]), str(row[1]))


def stored_public_key(db: Database, key_id: str) -> str | None:
    """The stored form of the key under ``key_id`` (whatever its purposes), or None."""
    key = stored_key(db, key_id)
    return None if key is None else key.public_key


def drop_demo_keys(db: Database) -> list[str]:
    """Stop trusting the demo installer's keys; returns their key IDs."""
    dropped = [
        str(r[0]) for r in db.execute("SELECT key_id FROM trusted_keys WHERE source = ?", [DEMO_SOURCE])
    ]
    db.execute("DELETE FROM trusted_keys WHERE source = ?", [DEMO_SOURCE])
    return dropped


def revoke(db: Database, volunteer_id: str, card_no: int, at: datetime, reason: str | None = None) -> None:
    """Revoke one card (``card_no`` >= 1) or every card of the volunteer (``card_no`` 0)."""
    db.execute(
        "INSERT OR IGNORE INTO revocations (volunteer_id, card_no, revoked_utc, reason) VALUES (?, ?, ?, ?)",
        [volunteer_id, card_no, format_utc(at), reason],
    )


def has_trusted_key(db: Database) -> bool:
    """Whether any key is trusted (for any purpose)."""
    return db.execute("SELECT 1 FROM trusted_keys LIMIT 1").fetchone() is not None


def count_trusted_keys(db: Database) -> int:
    """How many keys are trusted (for any purpose)."""
    return int(db.execute("SELECT COUNT(*) FROM trusted_keys").fetchone()[0])


class KeySource(NamedTuple):
    """A trusted key's ID and where it came from (``cloud``, ``demo``, …)."""

    key_id: str
    source: str


def trusted_key_sources(db: Database) -> list[KeySource]:
    """Every trusted key's ID and source, by key ID."""
    rows = db.execute("SELECT key_id, source FROM trusted_keys ORDER BY key_id").fetchall()
    return [KeySource(str(key_id), source) for key_id, source in rows]
