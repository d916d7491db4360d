"""Provisioning codes and kiosk registration (``POST /api/v1/register``).

A provisioning code is ``KP1:<area>:<32 base32 characters>`` (160 random
bits). The store keeps only its SHA-256. Registration exchanges an unused
code for device credentials, in one transaction, and the code is used up.

One exception keeps a lost reply from locking a kiosk out: the *same* kiosk
ID with the *same* device key may present its code again within
:data:`RETRY_WINDOW` of the first use; it gets a fresh secret (the one in
the lost reply stops working). Anyone else gets 409 ``code_used``.

Every online registration proves the device key: it carries a nonce of
:mod:`cloud.registration_nonces` and the key's signature over it
(:mod:`checkin_protocol.registration_proof`). The public key and a used code are
not secrets (the key travels in every USB bundle), so without the proof
anyone holding both could replace a registered kiosk's secret. A USB
registration needs no nonce: the bundle itself is signed by the device key.
"""

from __future__ import annotations

import base64
import re
import secrets
from datetime import datetime, timedelta

from checkin_protocol.codes.trust import public_bytes_b64, public_key_from
from checkin_protocol.registration_proof import verify_registration
from checkin_protocol.sealed import b64
from cloud.auth import hash_secret, new_device_secret
from cloud.errors import ApiError
from cloud.keys import PlatformKeys
from cloud.protocol import KIOSK_ID_PATTERN, PlatformKey, RegisterRequest, RegisterResponse, format_time
from cloud.queries import CodeRow, DeviceRow, Writer
from cloud.registration_nonces import use_nonce
from cloud.storage import Storage

CODE_PREFIX = "KP1"
CODE_RANDOM_BYTES = 20  # 160 bits: exactly 32 base32 characters, no padding
AREA_RE = re.compile(r"[A-Za-z0-9_-]{1,32}")
KIOSK_ID_RE = re.compile(KIOSK_ID_PATTERN)
CODE_RE = re.compile(rf"{CODE_PREFIX}:({AREA_RE.pattern}):([A-Z2-7]{{32}})")
DEFAULT_AREA = "default"
RETRY_WINDOW = timedelta(hours=1)


def check_area(area: str) -> str:
    """An area ID: 1 to 32 letters, digits, ``_`` or ``-``; ``ValueError`` otherwise."""
    if not AREA_RE.fullmatch(area):
        raise ValueError(f"area {area!r} must be 1 to 32 letters, digits, '_' or '-'")
    return area


def new_provisioning_code(store: Storage, area: str, now: datetime) -> str:
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


def _claim_code(writer: Writer, code_hash: str, kiosk_id: str, public_key: str, now: datetime) -> CodeRow:
    """Check that ``kiosk_id`` with ``public_key`` may use this code; the code row, or ``ApiError``.

    Allowed: an unused code for a kiosk ID not registered yet; or the code
    this very kiosk (same ID, same device key) used, within
    :data:`RETRY_WINDOW`, or at any time when it registered by USB bundle.
    """
    row = writer.provisioning_code(code_hash)
    if row is None:
        raise ApiError(403, "unknown_code", "this provisioning code was not issued here; ask for a new one")
    device = writer.device(kiosk_id)
    if row.used_utc is not None:
        again = (
            device is not None
            and row.device_id == device.device_id
            and device.public_key == public_key
            and (
                device.registered_by == "bundle" or now - datetime.fromisoformat(row.used_utc) <= RETRY_WINDOW
            )
        )
        if not again:
            raise ApiError(409, "code_used", "this provisioning code was used already; ask for a new one")
    elif device is not None:
        raise ApiError(409, "kiosk_exists", f"kiosk {kiosk_id} is registered already, with another code")
    return row


def _check_proof(request: RegisterRequest, code: str, public_key: str) -> None:
    """The request's signature is the device key's, over its nonce; 403 ``bad_signature`` otherwise.

    Checked against the key sent: for a re-registration :func:`_claim_code`
    then requires it to be the key on record, so the proof is of that key.
    """
    if not verify_registration(
        public_key_from(public_key), request.device_signature, request.nonce, request.kiosk_id, code
    ):
        raise ApiError(
            403,
            "bad_signature",
            "the signature does not prove the device key of this registration; "
            "only the kiosk that holds the device key can register with it",
        )


def _check_code_text(code: str) -> str:
    code = code.strip()
    if not CODE_RE.fullmatch(code):
        raise ApiError(403, "unknown_code", "this is not a provisioning code of this platform")
    return code


def register(store: Storage, keys: PlatformKeys, request: RegisterRequest, now: datetime) -> RegisterResponse:
    """Register a kiosk; ``ApiError`` 403 ``unknown_code`` / ``bad_signature`` / ``bad_nonce``, 409 ``code_used`` / ``kiosk_exists``, 400.

    The signature is checked before the write lock is taken (it needs no
    data); the nonce is spent in the same transaction as the registration.
    """
    code = _check_code_text(request.provisioning_code)
    public_key = _device_key(request.device_public_key)
    _check_proof(request, code, public_key)
    code_hash = hash_secret(code)
    secret = new_device_secret()
    with store.write() as writer:
        use_nonce(writer, request.nonce, request.kiosk_id, now)
        row = _claim_code(writer, code_hash, request.kiosk_id, public_key, now)
        if row.used_utc is not None:
            writer.replace_device_secret(request.kiosk_id, hash_secret(secret), request.app_version)
            writer.mark_registered_online(request.kiosk_id)
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
        platform_keys=[PlatformKey(key_id=k, public_key=v, purposes=p) for k, v, p in platform_keys],
        bundle_public_key=keys.bundle_public_key_b64,
        face_key=b64(keys.area_keys.key(row.area_id)),
    )


def register_by_bundle(
    store: Storage, kiosk_id: str, code: str, device_public_key: str, app_version: str, now: datetime
) -> bool:
    """Register a kiosk from its first USB bundle; True when it was new, False when known with this key.

    The same rules as :func:`register` (``ApiError`` when refused); the
    device gets an unusable secret (no one knows it) until it registers
    online with the same code and key.
    """
    code = _check_code_text(code)
    public_key = _device_key(device_public_key)
    if not KIOSK_ID_RE.fullmatch(kiosk_id):
        raise ApiError(400, "invalid_request", "the kiosk ID must be 1 to 32 letters, digits, '_' or '-'")
    code_hash = hash_secret(code)
    with store.write() as writer:
        row = _claim_code(writer, code_hash, kiosk_id, public_key, now)
        if row.used_utc is not None:
            return False
        writer.add_device(
            DeviceRow(
                device_id=kiosk_id,
                secret_sha256=hash_secret(new_device_secret()),  # not kept: nobody can use it
                public_key=public_key,
                area_id=row.area_id,
                app_version=app_version[:40],
                code_sha256=code_hash,
                registered_utc=format_time(now),
                registered_by="bundle",
            )
        )
    return True
