"""The ``sync_state`` table: what the sync client remembers, as text values under fixed keys.

Keys (all values are text; absent means "not yet"):

=====================  ======================================================
``server_url``         the server root, e.g. ``https://cloud.example.org``
``device_id``          the kiosk's ID as the server registered it
``device_secret``      the bearer secret (never logged, never shown)
``area_id``            the area the provisioning code belonged to
``bundle_public_key``  the cloud's X25519 key for USB bundles (base64)
``provisioning_code``  a code from an offline provisioning file, carried by every events
                       bundle until a receipt confirms the cloud registered the kiosk (never logged)
``registered_utc``     when the kiosk registered
``clock_offset_s``     server time minus device time, seconds (float text)
``clock_measured_utc`` when that offset was measured (device time)
``pull_cursor``        where the last applied ``/changes`` page ended
``updates_as_of``      the server's time of the newest page or update bundle applied (USB bundles
                       older than this are not applied)
``last_success_utc``   the end of the last round that fully succeeded
``last_attempt_utc``   the start of the last round
``last_error``         plain words of the last round's failure (cleared by a success)
``last_error_utc``     when that failure happened
``trust_conflicts``    JSON list of key IDs the server sent with a different key than trusted here
``cloud_missing``      JSON of the last report of this kiosk's records the cloud lacks (absent: none);
                       see ``kiosk/sync/gaps.py``
``self_test``          how the last self-test went: ``ok``, ``warning`` or ``failed``
``self_test_utc``      when it ran (device time)
``status_reported``    JSON of the status the cloud last acknowledged (``kiosk/sync/kiosk_status.py``)
=====================  ======================================================

The kiosk's private keys (the Ed25519 device key and the X25519 box key) are
not here: they are key files in ``keys/`` (:mod:`kiosk.store.device_keys`).

Functions here run inside the caller's transaction (or as plain reads).
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from kiosk.store.database import Transaction

SERVER_URL = "server_url"
DEVICE_ID = "device_id"
DEVICE_SECRET = "device_secret"
AREA_ID = "area_id"
BUNDLE_PUBLIC_KEY = "bundle_public_key"
PROVISIONING_CODE = "provisioning_code"
REGISTERED_UTC = "registered_utc"
CLOCK_OFFSET_S = "clock_offset_s"
CLOCK_MEASURED_UTC = "clock_measured_utc"
PULL_CURSOR = "pull_cursor"
UPDATES_AS_OF = "updates_as_of"
LAST_SUCCESS_UTC = "last_success_utc"
LAST_ATTEMPT_UTC = "last_attempt_utc"
LAST_ERROR = "last_error"
LAST_ERROR_UTC = "last_error_utc"
TRUST_CONFLICTS = "trust_conflicts"
CLOUD_MISSING = "cloud_missing"
SELF_TEST = "self_test"
SELF_TEST_UTC = "self_test_utc"
STATUS_REPORTED = "status_reported"

#: Values that must never be printed or logged.
SECRET_KEYS = frozenset({DEVICE_SECRET, PROVISIONING_CODE})


def get_value(db: Transaction, key: str) -> str | None:
    """The value stored under ``key``, or None."""
    row = db.execute("SELECT value FROM sync_state WHERE key = ?", [key]).fetchone()
    return None if row is None else row[0]


def get_values(db: Transaction, keys: Iterable[str]) -> dict[str, str | None]:
    """Several values at once (missing keys map to None)."""
    wanted = list(keys)
    found: dict[str, str | None] = dict.fromkeys(wanted)
    marks = ", ".join("?" * len(wanted))
    for key, value in db.execute(f"SELECT key, value FROM sync_state WHERE key IN ({marks})", wanted):
        found[key] = value
    return found


def set_value(db: Transaction, key: str, value: str | None) -> None:
    """Store ``value`` under ``key``; None removes the key."""
    if value is None:
        db.execute("DELETE FROM sync_state WHERE key = ?", [key])
        return
    db.execute(
        "INSERT INTO sync_state (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def get_float(db: Transaction, key: str) -> float | None:
    """A stored number, or None when absent or unreadable."""
    value = get_value(db, key)
    try:
        return None if value is None else float(value)
    except ValueError:
        return None


def add_trust_conflict(db: Transaction, key_id: str) -> None:
    """Remember a key ID the server named with another key than the one trusted here."""
    conflicts = set(trust_conflicts(db))
    conflicts.add(key_id)
    set_value(db, TRUST_CONFLICTS, json.dumps(sorted(conflicts)))


def trust_conflicts(db: Transaction) -> list[str]:
    """Key IDs the server sent with a different key than trusted here (sorted)."""
    value = get_value(db, TRUST_CONFLICTS)
    if not value:
        return []
    try:
        loaded = json.loads(value)
    except ValueError:
        return []
    return sorted(str(k) for k in loaded) if isinstance(loaded, list) else []
