"""Persisting the platform's trusted public keys and the card revocation list."""

from __future__ import annotations

from datetime import datetime

from sqlite_utils import Database

from kiosk.identity.trust import RevocationList, TrustedKeys
from kiosk.store.events import format_utc


def load_trusted_keys(db: Database) -> TrustedKeys:
    return TrustedKeys((row[0], row[1]) for row in db.execute("SELECT key_id, public_key FROM trusted_keys"))


def load_revocations(db: Database) -> RevocationList:
    return RevocationList(
        (row[0], row[1]) for row in db.execute("SELECT volunteer_id, card_no FROM revocations")
    )


def trust_key(db: Database, key_id: str, public_key_b64: str, source: str, at: datetime) -> None:
    """Trust a platform key under ``key_id``; trusting the same key again changes nothing.

    A key ID names one key for ever: a different key under a known ID is
    refused with ``ValueError`` (rotation uses a new key ID).
    """
    TrustedKeys([(key_id, public_key_b64)])  # raises ValueError on a bad key ID or a non-key
    row = db.execute("SELECT public_key FROM trusted_keys WHERE key_id = ?", [key_id]).fetchone()
    if row is not None:
        if row[0] != public_key_b64:
            raise ValueError(f"key ID {key_id} already names another key; use a new key ID to rotate")
        return
    db.execute(
        "INSERT INTO trusted_keys (key_id, public_key, added_utc, source) VALUES (?, ?, ?, ?)",
        [key_id, public_key_b64, format_utc(at), source],
    )


def revoke(db: Database, volunteer_id: str, card_no: int, at: datetime, reason: str | None = None) -> None:
    """Revoke one card (``card_no`` >= 1) or every card of the volunteer (``card_no`` 0)."""
    db.execute(
        "INSERT OR IGNORE INTO revocations (volunteer_id, card_no, revoked_utc, reason) VALUES (?, ?, ?, ?)",
        [volunteer_id, card_no, format_utc(at), reason],
    )
