"""The kiosk's device identity: its Ed25519 device key and the credentials registration gave.

Everything is kept in ``sync_state`` (:mod:`kiosk.sync.state`). The device
key is made once, before the first registration is sent, and kept for good:
the cloud checks USB bundles against it, and a registration retried after a
lost reply must present the same key. The secret and the private key never
appear in a ``repr``, a message or the log.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)
from sqlite_utils import Database

from kiosk.store.events import format_utc
from kiosk.store.trust import trust_key
from kiosk.sync import state
from kiosk.sync.errors import SyncError
from kiosk.sync.sealed import KEY_BYTES, SealError, unb64

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeviceCredentials:
    """Where the server is and how this kiosk proves who it is."""

    server_url: str
    device_id: str
    device_secret: str = field(repr=False)

    @property
    def bearer_token(self) -> str:
        """The ``Authorization: Bearer`` value: ``<device_id>.<device_secret>``."""
        return f"{self.device_id}.{self.device_secret}"


@dataclass(frozen=True)
class PlatformKey:
    """A public key the platform signs cards and activity codes with."""

    key_id: str
    public_key: str


@dataclass(frozen=True)
class Registration:
    """A checked ``201`` reply of ``POST /register``."""

    device_id: str
    device_secret: str = field(repr=False)
    area_id: str = ""
    server_time: str = ""
    platform_keys: tuple[PlatformKey, ...] = ()
    bundle_public_key: str = ""
    #: The area's face key (32 bytes) when the server sent one: kept as a file, never in the database.
    face_key: bytes | None = field(default=None, repr=False)


def _garbled(what: str) -> SyncError:
    return SyncError("garbled", f"the server's registration reply could not be read ({what}); try again")


def parse_face_key(reply: dict[str, Any], what: str) -> bytes:
    """The area face key of a reply (``face_key``: base64 of 32 bytes); ``SyncError`` ``garbled`` otherwise."""
    try:
        return unb64(reply.get("face_key"), "face_key", KEY_BYTES)
    except SealError as exc:
        raise SyncError("garbled", f"the server's {what} could not be read ({exc}); will try again") from None


def parse_registration(reply: dict[str, Any], kiosk_id: str) -> Registration:
    """Check the shape of a registration reply; ``SyncError`` ``garbled`` when it is wrong."""
    for name in ("device_id", "device_secret", "area_id", "server_time", "bundle_public_key"):
        if not isinstance(reply.get(name), str) or not reply[name]:
            raise _garbled(f"no {name}")
    if reply["device_id"] != kiosk_id:
        raise _garbled(f"it names device {reply['device_id']!r}, not this kiosk {kiosk_id!r}")
    keys = reply.get("platform_keys")
    if not isinstance(keys, list):
        raise _garbled("no platform_keys")
    platform_keys = []
    for item in keys:
        if not (
            isinstance(item, dict)
            and isinstance(item.get("key_id"), str)
            and isinstance(item.get("public_key"), str)
        ):
            raise _garbled("a platform key without key_id or public_key")
        platform_keys.append(PlatformKey(item["key_id"], item["public_key"]))
    return Registration(
        device_id=reply["device_id"],
        device_secret=reply["device_secret"],
        area_id=reply["area_id"],
        server_time=reply["server_time"],
        platform_keys=tuple(platform_keys),
        bundle_public_key=reply["bundle_public_key"],
        face_key=parse_face_key(reply, "registration reply") if reply.get("face_key") is not None else None,
    )


def load_credentials(db: Database) -> DeviceCredentials | None:
    """The stored credentials, or None when the kiosk has not registered."""
    values = state.get_values(db, (state.SERVER_URL, state.DEVICE_ID, state.DEVICE_SECRET))
    url, device_id, secret = values[state.SERVER_URL], values[state.DEVICE_ID], values[state.DEVICE_SECRET]
    if not (url and device_id and secret):
        return None
    return DeviceCredentials(url, device_id, secret)


def load_device_key(db: Database) -> Ed25519PrivateKey | None:
    """The stored device key, or None before the first registration."""
    pem = state.get_value(db, state.DEVICE_PRIVATE_KEY)
    if pem is None:
        return None
    key = load_pem_private_key(pem.encode("ascii"), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError("the stored device key is not an Ed25519 key")
    return key


def ensure_device_key(db: Database) -> Ed25519PrivateKey:
    """The device key, made and stored on first use (call inside a write transaction)."""
    key = load_device_key(db)
    if key is None:
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode("ascii")
        state.set_value(db, state.DEVICE_PRIVATE_KEY, pem)
        log.info("made a new device key for this kiosk")
    return key


def trust_platform_key(db: Database, key_id: str, public_key: str, at: datetime) -> str | None:
    """Trust a key the cloud sent; None when done, else why not, for the caller to log.

    A key ID already naming another key here is recorded in ``trust_conflicts``
    and left alone: a key ID names one key for ever.
    """
    row = db.execute("SELECT public_key FROM trusted_keys WHERE key_id = ?", [key_id]).fetchone()
    if row is not None and row[0] != public_key:
        state.add_trust_conflict(db, key_id)
        return f"key ID {key_id} names another key here; the kiosk kept the one it trusts"
    try:
        trust_key(db, key_id, public_key, "cloud", at)
    except ValueError as exc:
        return f"the server sent an unusable key {key_id}: {exc}"
    return None


def save_registration(db: Database, server_url: str, registration: Registration, at: datetime) -> list[str]:
    """Store what registration gave and trust its platform keys (inside a write transaction).

    A different server or device than before starts the downloads from the
    beginning. Returns the problems with platform keys (normally none).
    """
    previous = state.get_values(db, (state.SERVER_URL, state.DEVICE_ID))
    if previous[state.SERVER_URL] != server_url or previous[state.DEVICE_ID] != registration.device_id:
        state.set_value(db, state.PULL_CURSOR, None)
    state.set_value(db, state.SERVER_URL, server_url)
    state.set_value(db, state.DEVICE_ID, registration.device_id)
    state.set_value(db, state.DEVICE_SECRET, registration.device_secret)
    state.set_value(db, state.AREA_ID, registration.area_id)
    state.set_value(db, state.BUNDLE_PUBLIC_KEY, registration.bundle_public_key)
    state.set_value(db, state.REGISTERED_UTC, format_utc(at))
    problems = []
    for key in registration.platform_keys:
        problem = trust_platform_key(db, key.key_id, key.public_key, at)
        if problem is not None:
            problems.append(problem)
    return problems
