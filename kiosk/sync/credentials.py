"""The kiosk's device identity: its Ed25519 device key and the credentials registration gave.

The credentials are kept in ``sync_state`` (:mod:`kiosk.store.sync_state`); the
device key is a key file in the data folder's ``keys/``
(:mod:`kiosk.store.device_keys`), never in the database. It is made once,
before the first registration is sent, and kept for good:
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

from checkin_protocol.codes.trust import CODE_PURPOSES, KeyPurpose, parse_purposes
from checkin_protocol.event_rows import format_utc
from checkin_protocol.sealed import KEY_BYTES, SealError, unb64
from kiosk.store import sync_state as state
from kiosk.store.audit import append_audit
from kiosk.store.database import Transaction
from kiosk.store.device_keys import database_file, device_key
from kiosk.store.trust import CLOUD_SOURCE, DEMO_SOURCE, drop_demo_keys, stored_key, trust_key
from kiosk.sync.errors import SyncError

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
    """A public key of the platform and what it may sign (cards, activity codes, bundles, provisioning)."""

    key_id: str
    public_key: str
    purposes: frozenset[KeyPurpose] = CODE_PURPOSES


def parse_platform_key(item: object) -> PlatformKey:
    """A platform key of a reply or file: ``{key_id, public_key, purposes}``; ``ValueError`` if malformed.

    A key given without ``purposes`` (a platform older than purposes) is
    trusted for cards and activity codes only, never bundles.
    """
    if not (
        isinstance(item, dict)
        and isinstance(item.get("key_id"), str)
        and isinstance(item.get("public_key"), str)
    ):
        raise ValueError("a platform key without key_id or public_key")
    raw = item.get("purposes")
    if raw is None:
        return PlatformKey(item["key_id"], item["public_key"])
    if not isinstance(raw, str):
        raise ValueError(f"platform key {item['key_id']}: purposes is not text")
    return PlatformKey(item["key_id"], item["public_key"], parse_purposes(raw))


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
        try:
            platform_keys.append(parse_platform_key(item))
        except ValueError as exc:
            raise _garbled(str(exc)) from None
    return Registration(
        device_id=reply["device_id"],
        device_secret=reply["device_secret"],
        area_id=reply["area_id"],
        server_time=reply["server_time"],
        platform_keys=tuple(platform_keys),
        bundle_public_key=reply["bundle_public_key"],
        face_key=parse_face_key(reply, "registration reply") if reply.get("face_key") is not None else None,
    )


def load_credentials(db: Transaction) -> DeviceCredentials | None:
    """The stored credentials, or None when the kiosk has not registered."""
    values = state.get_values(db, (state.SERVER_URL, state.DEVICE_ID, state.DEVICE_SECRET))
    url, device_id, secret = values[state.SERVER_URL], values[state.DEVICE_ID], values[state.DEVICE_SECRET]
    if not (url and device_id and secret):
        return None
    return DeviceCredentials(url, device_id, secret)


def load_device_key(db: Transaction) -> Ed25519PrivateKey | None:
    """The device key of the data folder ``db`` is on, or None before the first registration."""
    return device_key(database_file(db), create=False)


def ensure_device_key(db: Transaction) -> Ed25519PrivateKey:
    """The device key, made (once, owner-only, in ``keys/``) on first use."""
    key = device_key(database_file(db), create=True)
    assert key is not None  # made when missing
    return key


def trust_platform_key(db: Transaction, key: PlatformKey, at: datetime) -> str | None:
    """Trust a key the platform sent, for its purposes; None when done, else why not, for the caller to log.

    A key ID already naming another key here is recorded in ``trust_conflicts``
    and left alone: a key ID names one key for ever. So is a key ID of a key
    this kiosk trusts from elsewhere (the demo key): the platform's word
    never widens what a key that did not come from it may sign.
    """
    known = stored_key(db, key.key_id)
    if known is not None and (known.public_key != key.public_key or known.source == DEMO_SOURCE):
        state.add_trust_conflict(db, key.key_id)
        return f"key ID {key.key_id} names another key here; the kiosk kept the one it trusts"
    try:
        trust_key(db, key.key_id, key.public_key, CLOUD_SOURCE, at, key.purposes)
    except ValueError as exc:
        return f"the server sent an unusable key {key.key_id}: {exc}"
    return None


def forget_demo_key(db: Transaction, kiosk_id: str, at: datetime, keep_demo_key: bool) -> list[str]:
    """On joining a platform, stop trusting the demo key unless ``keep_demo_key`` (inside a write transaction).

    The demo key's private half lies in the data folder, so anyone at the
    kiosk PC could sign cards with it; a kiosk of a real platform trusts the
    platform's keys only. Returns the key IDs dropped (audited).
    """
    if keep_demo_key:
        return []
    dropped = drop_demo_keys(db)
    if dropped:
        append_audit(db, kiosk_id=kiosk_id, action="trust.demo_key_dropped", at=at, detail={"keys": dropped})
        log.info("stopped trusting the demo key(s) %s: this kiosk now belongs to a platform", dropped)
    return dropped


def save_registration(
    db: Transaction, server_url: str, registration: Registration, at: datetime, *, keep_demo_key: bool = False
) -> list[str]:
    """Store what registration gave and trust its platform keys (inside a write transaction).

    A different server or device than before starts the downloads from the
    beginning. The demo key is no longer trusted unless ``keep_demo_key``.
    Returns the problems with platform keys (normally none).
    """
    forget_demo_key(db, registration.device_id, at, keep_demo_key)
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
        problem = trust_platform_key(db, key, at)
        if problem is not None:
            problems.append(problem)
    return problems
