"""Device credentials: ``Authorization: Bearer <device_id>.<device_secret>``.

The server keeps only the SHA-256 of each secret. The check compares hashes
in constant time and does the same work for an unknown device as for a known
one, so the reply (always 401 ``unauthenticated``) and its timing tell an
attacker nothing about which part was wrong.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from cloud.errors import unauthenticated
from cloud.queries import DeviceRow
from cloud.storage import Storage

SECRET_BYTES = 32
MAX_HEADER_CHARS = 200
# Compared against when the device is unknown, so both paths do one comparison.
_NO_DEVICE_HASH = hashlib.sha256(b"no such device").hexdigest()


def new_device_secret() -> str:
    """A new device secret: base64url of 32 random bytes, without padding."""
    return base64.urlsafe_b64encode(secrets.token_bytes(SECRET_BYTES)).rstrip(b"=").decode("ascii")


def hash_secret(secret: str) -> str:
    """The SHA-256 of a secret (or a provisioning code) as the store keeps it: hex."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def parse_bearer(header: str | None) -> tuple[str, str] | None:
    """(device_id, secret) from an ``Authorization`` header, or None when it is not one of ours."""
    if header is None or len(header) > MAX_HEADER_CHARS:
        return None
    scheme, _, credentials = header.strip().partition(" ")
    if scheme.lower() != "bearer":
        return None
    device_id, dot, secret = credentials.strip().partition(".")
    if not dot or not device_id or not secret:
        return None
    return device_id, secret


@dataclass(frozen=True, slots=True)
class AuthenticatedKiosk:
    """The device a request proved, and when the cloud last heard from it (read in the same snapshot)."""

    device: DeviceRow
    last_seen_utc: str | None


def authenticate(store: Storage, header: str | None) -> str:
    """The device ID the header proves; ``ApiError`` 401 ``unauthenticated`` otherwise."""
    return authenticated_device(store, header).device_id


def authenticated_device(store: Storage, header: str | None) -> DeviceRow:
    """The device the header proves (with its area); ``ApiError`` 401 ``unauthenticated`` otherwise."""
    return authenticated_kiosk(store, header).device


def authenticated_kiosk(store: Storage, header: str | None) -> AuthenticatedKiosk:
    """The device the header proves and when it was last seen; ``ApiError`` 401 ``unauthenticated`` otherwise.

    "Last seen" (:mod:`cloud.kiosk_status`) is read for an unknown device too,
    so both paths still do the same work.
    """
    parsed = parse_bearer(header)
    device_id, secret = parsed if parsed is not None else ("", "")
    with store.read() as reader:
        device = reader.device(device_id) if device_id else None
        last_seen_utc = reader.kiosk_last_seen(device_id)
    expected = device.secret_sha256 if device is not None else _NO_DEVICE_HASH
    matches = hmac.compare_digest(hash_secret(secret).encode("ascii"), expected.encode("ascii"))
    if device is None or not matches:
        raise unauthenticated()
    return AuthenticatedKiosk(device, last_seen_utc)
