"""Signing and sealing for USB bundles: Ed25519 signatures, X25519 + HKDF + AES-256-GCM.

A *signed document* is ``{"payload": "<JSON text>", "signer": "<key id>",
"signature": "<base64>"}``: the Ed25519 signature covers the payload text's
UTF-8 bytes exactly, so nothing is re-serialised before checking.

*Sealing* encrypts bytes for the holder of an X25519 key: an ephemeral key
pair, ECDH with the recipient's public key, HKDF-SHA256 (salt: both public
keys, info: :data:`HKDF_INFO`) to a 256-bit key, AES-GCM with a random
96-bit nonce, and the caller's associated data (the bundle's header), so a
changed header fails like a changed ciphertext. The plaintext is zlib
compressed first; opening refuses more than ``max_plain`` bytes after
decompression, so a small file cannot expand without bound.

Every failure is :class:`SealError` with plain words; nothing here touches
a database or a file.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import zlib
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from checkin_protocol.untrusted_json import JsonRefused, loads_untrusted

HKDF_INFO = b"volunteer-kiosk bundle v1"
#: The largest signed payload text read (a bundle's whole content is at most 512 MiB).
MAX_PAYLOAD_BYTES = 512 * 1024 * 1024
NONCE_BYTES = 12
KEY_BYTES = 32


class SealError(Exception):
    """A bundle could not be opened or its signature does not hold (the message says why)."""


def b64(data: bytes) -> str:
    """Standard base64 text."""
    return base64.b64encode(data).decode("ascii")


def unb64(text: object, what: str, length: int | None = None) -> bytes:
    """Decode base64 text; :class:`SealError` naming ``what`` when it is not (or not ``length`` bytes)."""
    if not isinstance(text, str):
        raise SealError(f"{what} is missing")
    try:
        data = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raise SealError(f"{what} is not base64") from None
    if length is not None and len(data) != length:
        raise SealError(f"{what} must be {length} bytes, not {len(data)}")
    return data


def x25519_public_b64(key: X25519PrivateKey | X25519PublicKey) -> str:
    """Base64 of the raw 32-byte X25519 public key."""
    public = key.public_key() if isinstance(key, X25519PrivateKey) else key
    return b64(public.public_bytes(Encoding.Raw, PublicFormat.Raw))


def x25519_public_from(text: object, what: str = "the encryption key") -> X25519PublicKey:
    """An X25519 public key from its base64 text; :class:`SealError` when it is not one."""
    return X25519PublicKey.from_public_bytes(unb64(text, what, KEY_BYTES))


# -- signatures -------------------------------------------------------------------------------


def canonical_json(value: Any) -> str:
    """JSON text with sorted keys and no spaces (the payload text that gets signed)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def sign_document(payload: dict[str, Any], key: Ed25519PrivateKey, signer: str) -> dict[str, str]:
    """A signed document of ``payload``, signed by ``key`` (named ``signer``)."""
    text = canonical_json(payload)
    return {"payload": text, "signer": signer, "signature": b64(key.sign(text.encode("utf-8")))}


@dataclass(frozen=True)
class SignedDocument:
    """A signed document as read: the payload text, who says they signed it, and the signature."""

    payload_text: str
    signer: str
    signature: bytes

    @classmethod
    def parse(cls, value: object) -> SignedDocument:
        """Check the shape of a signed document; :class:`SealError` when it is wrong."""
        if not isinstance(value, dict) or set(value) != {"payload", "signer", "signature"}:
            raise SealError("the signed part is not a signed document")
        if not isinstance(value["payload"], str) or not isinstance(value["signer"], str):
            raise SealError("the signed part has no payload or signer")
        return cls(value["payload"], value["signer"], unb64(value["signature"], "the signature", 64))

    def verify(self, key: Ed25519PublicKey) -> dict[str, Any]:
        """The payload, once the signature holds for ``key``; :class:`SealError` otherwise."""
        try:
            key.verify(self.signature, self.payload_text.encode("utf-8"))
        except InvalidSignature:
            raise SealError(
                "the signature does not match: the file was changed or signed by someone else"
            ) from None
        try:
            payload = loads_untrusted(self.payload_text, max_bytes=MAX_PAYLOAD_BYTES)
        except JsonRefused as exc:
            raise SealError(f"the signed payload cannot be read: {exc.reason}") from None
        if not isinstance(payload, dict):
            raise SealError("the signed payload is not a JSON object")
        return payload


# -- sealing ------------------------------------------------------------------------------------


def _derive_key(shared: bytes, ephemeral: bytes, recipient: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=ephemeral + recipient, info=HKDF_INFO)
    return hkdf.derive(shared)


def seal(plaintext: bytes, recipient: X25519PublicKey, associated_data: bytes) -> dict[str, str]:
    """Compress and encrypt ``plaintext`` for ``recipient``: ``{ephemeral_public_key, nonce, ciphertext}``."""
    ephemeral = X25519PrivateKey.generate()
    ephemeral_raw = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    recipient_raw = recipient.public_bytes(Encoding.Raw, PublicFormat.Raw)
    key = _derive_key(ephemeral.exchange(recipient), ephemeral_raw, recipient_raw)
    nonce = os.urandom(NONCE_BYTES)
    ciphertext = AESGCM(key).encrypt(nonce, zlib.compress(plaintext, 6), associated_data)
    return {"ephemeral_public_key": b64(ephemeral_raw), "nonce": b64(nonce), "ciphertext": b64(ciphertext)}


def open_sealed(
    sealed: object, recipient: X25519PrivateKey, associated_data: bytes, *, max_plain: int
) -> bytes:
    """Decrypt and decompress what :func:`seal` made; :class:`SealError` when it cannot be opened."""
    if not isinstance(sealed, dict):
        raise SealError("the encrypted part is missing")
    ephemeral_raw = unb64(sealed.get("ephemeral_public_key"), "the ephemeral key", KEY_BYTES)
    nonce = unb64(sealed.get("nonce"), "the nonce", NONCE_BYTES)
    ciphertext = unb64(sealed.get("ciphertext"), "the encrypted data")
    recipient_raw = recipient.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    try:
        shared = recipient.exchange(X25519PublicKey.from_public_bytes(ephemeral_raw))
    except ValueError:
        raise SealError("the ephemeral key is not usable") from None
    key = _derive_key(shared, ephemeral_raw, recipient_raw)
    try:
        compressed = AESGCM(key).decrypt(nonce, ciphertext, associated_data)
    except InvalidTag:
        raise SealError(
            "it cannot be opened with this key: it was changed, or it was made for someone else"
        ) from None
    inflater = zlib.decompressobj()
    try:
        plain = inflater.decompress(compressed, max_plain + 1)
    except zlib.error:
        raise SealError("its content is damaged") from None
    if len(plain) > max_plain or inflater.unconsumed_tail:
        raise SealError(f"its content is larger than {max_plain} bytes")
    return plain
