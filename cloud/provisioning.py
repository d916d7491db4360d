"""Provisioning codes and kiosk registration (``POST /api/v1/register``).

A provisioning code is ``KP1:<area>:<32 base32 characters>`` (160 random
bits). The store keeps only its SHA-256. Registration exchanges an unused
code for device credentials, in one transaction, and the code is used up.

One exception keeps a lost reply from locking a kiosk out: the *same* kiosk
ID with the *same* device key may present its code again within
:data:`RETRY_WINDOW` of the first use; it gets a fresh secret (the one in
the lost reply stops working). Anyone else gets 409 ``code_used``.
"""

from __future__ import annotations

import base64
import re
import secrets
from datetime import datetime, timedelta

from cloud.auth import hash_secret, new_device_secret
from cloud.errors import ApiError
from cloud.keys import PlatformKeys
from cloud.protocol import PlatformKey, RegisterRequest, RegisterResponse, format_time
from cloud.queries import DeviceRow
from cloud.storage import CloudStore
from kiosk.identity.trust import public_bytes_b64, public_key_from

CODE_PREFIX = "KP1"
CODE_RANDOM_BYTES = 20  # 160 bits: exactly 32 base32 characters, no padding
AREA_RE = re.compile(r"[A-Za-z0-9_-]{1,32}")
CODE_RE = re.compile(rf"{CODE_PREFIX}:({AREA_RE.pattern}):([A-Z2-7]{{32}})")
DEFAULT_AREA = "default"
RETRY_WINDOW = timedelta(hours=1)


def check_area(area: str) -> str:
    """An area ID: 1 to 32 letters, digits, ``_`` or ``-``; ``ValueError`` otherwise."""
    if not AREA_RE.fullmatch(area):
        raise ValueError(f"area {area!r} must be 1 to 32 letters, digits, '_' or '-'")
    return area


def new_provisioning_code(store: CloudStore, area: str, now: datetime) -> str:
    """Issue a one-time provisioning code for a kiosk of ``area`` and return its text."""
    check_area(area)
    random_part = base64.b32encode(secrets.token_bytes(CODE_RANDOM_BYTES)).decode("ascii")
    code = f"{CODE_PREFIX}:{area}:{random_part}"
    with store.write() as writer:
        writer.add_provisioning_code(hash_secret(code), area, now)
    return code


def _device_key(text: str) -> str:
    try:
        return public_bytes_b64(public_key_from(text))
    except ValueError as exc:
        raise ApiError(400, "invalid_request", f"device_public_key: {exc}") from None


def register(
    store: CloudStore, keys: PlatformKeys, request: RegisterRequest, now: datetime
) -> RegisterResponse:
    """Register a kiosk; ``ApiError`` 403 ``unknown_code``, 409 ``code_used`` / ``kiosk_exists``, 400."""
    code = request.provisioning_code.strip()
    if not CODE_RE.fullmatch(code):
        raise ApiError(403, "unknown_code", "this is not a provisioning code of this platform")
    public_key = _device_key(request.device_public_key)
    code_hash = hash_secret(code)
    secret = new_device_secret()
    with store.write() as writer:
        row = writer.provisioning_code(code_hash)
        if row is None:
            raise ApiError(
                403, "unknown_code", "this provisioning code was not issued here; ask for a new one"
            )
        device = writer.device(request.kiosk_id)
        if row.used_utc is not None:
            retry = (
                device is not None
                and row.device_id == device.device_id
                and device.public_key == public_key
                and now - datetime.fromisoformat(row.used_utc) <= RETRY_WINDOW
            )
            if not retry:
                raise ApiError(409, "code_used", "this provisioning code was used already; ask for a new one")
            writer.replace_device_secret(request.kiosk_id, hash_secret(secret), request.app_version)
        elif device is not None:
            raise ApiError(
                409, "kiosk_exists", f"kiosk {request.kiosk_id} is registered already, with another code"
            )
        else:
            writer.add_device(
                DeviceRow(
                    device_id=request.kiosk_id,
                    secret_sha256=hash_secret(secret),
                    public_key=public_key,
                    area_id=row.area_id,
                    app_version=request.app_version,
                    code_sha256=code_hash,
                    registered_utc=format_time(now),
                )
            )
        platform_keys = writer.trusted_keys()
    return RegisterResponse(
        device_id=request.kiosk_id,
        device_secret=secret,
        area_id=row.area_id,
        server_time=format_time(now),
        platform_keys=[PlatformKey(key_id=k, public_key=v) for k, v in platform_keys],
        bundle_public_key=keys.bundle_public_key_b64,
    )
