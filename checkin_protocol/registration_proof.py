"""Proof of the device key at registration: an Ed25519 signature over a server nonce.

Shared by the kiosk (:meth:`kiosk.sync.client.SyncClient.register`) and the
cloud (:mod:`cloud.provisioning`), so both build the same bytes. The signed
message is, in UTF-8, five lines joined by ``\\n`` with no line end after
the last (docs/sync-protocol.md, "Proof of the device key")::

    volunteer-kiosk/register/v1
    <nonce from POST /register/nonce>
    <kiosk_id>
    <SHA-256 of the provisioning code, lower-case hex>
    <device public key: standard base64 of its 32 raw bytes>

The fixed first line keeps a registration signature from being mistaken for
anything else the device key signs (USB bundles sign their own header). None
of the other fields can hold a line end (the protocol's patterns), so the
lines cannot be shifted into one another. The code appears only as its hash,
the form the cloud stores.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from checkin_protocol.codes.trust import public_bytes_b64

PROOF_PREFIX = "volunteer-kiosk/register/v1"
SIGNATURE_BYTES = 64
NONCE_RE = re.compile(r"[A-Za-z0-9_-]{43}")  # base64url of 32 bytes, as the protocol hands it out


def code_digest(code: str) -> str:
    """The SHA-256 of a provisioning code (as sent, without surrounding spaces), lower-case hex."""
    return hashlib.sha256(code.strip().encode("utf-8")).hexdigest()


def registration_message(nonce: str, kiosk_id: str, code: str, public_key: Ed25519PublicKey) -> bytes:
    """The bytes a kiosk signs to register ``public_key`` as ``kiosk_id`` with ``code``."""
    lines = (PROOF_PREFIX, nonce, kiosk_id, code_digest(code), public_bytes_b64(public_key))
    if any("\n" in line for line in lines):
        raise ValueError("a field of the registration proof holds a line end")
    return "\n".join(lines).encode("utf-8")


def sign_registration(key: Ed25519PrivateKey, nonce: str, kiosk_id: str, code: str) -> str:
    """The ``device_signature`` of a registration: standard base64 of the 64-byte signature."""
    signature = key.sign(registration_message(nonce, kiosk_id, code, key.public_key()))
    return base64.b64encode(signature).decode("ascii")


def verify_registration(
    public_key: Ed25519PublicKey, signature_b64: str, nonce: str, kiosk_id: str, code: str
) -> bool:
    """Whether ``signature_b64`` is ``public_key``'s signature of this registration's message."""
    try:
        signature = base64.b64decode(signature_b64, validate=True)
    except (binascii.Error, ValueError):
        return False
    if len(signature) != SIGNATURE_BYTES:
        return False
    try:
        public_key.verify(signature, registration_message(nonce, kiosk_id, code, public_key))
    except (InvalidSignature, ValueError):
        return False
    return True
