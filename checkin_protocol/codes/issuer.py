"""Signing keys and the issuer of cards and activity codes (the platform's side).

Kiosks never hold a signing key they trust by default; this module serves the
reference cloud, the demo and the tests.
"""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    load_pem_private_key,
)

from checkin_protocol.codes.fields import check_id
from checkin_protocol.codes.framing import CARD_MAX_TEXT_CHARS, TokenKind, frame, signing_input
from checkin_protocol.codes.tokens import MAX_KEY_ID, ActivityCode, VolunteerCard
from checkin_protocol.codes.trust import public_bytes_b64
from checkin_protocol.models import Activity

KEY_FILE_MODE = 0o600


def generate_signing_key() -> Ed25519PrivateKey:
    """A new random Ed25519 signing key."""
    return Ed25519PrivateKey.generate()


def save_private_key(
    path: str | os.PathLike[str], key: Ed25519PrivateKey, *, overwrite: bool = False
) -> None:
    """Write ``key`` as unencrypted PKCS#8 PEM, readable by its owner only (mode 0600).

    An existing file is kept (``FileExistsError``) unless ``overwrite``: a
    signing key replaced by mistake cannot be recovered.
    """
    path = Path(path)
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    if not overwrite:
        _write_new(path, pem)
        return
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.unlink(missing_ok=True)
    _write_new(temporary, pem)
    os.replace(temporary, path)


def _write_new(path: Path, data: bytes) -> None:
    # The mode is given to open() so the key is never readable by others, not even briefly.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), KEY_FILE_MODE)
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, KEY_FILE_MODE)  # the umask may have removed bits, never added; be exact
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def load_private_key(path: str | os.PathLike[str]) -> Ed25519PrivateKey:
    """Read a signing key saved by :func:`save_private_key`; ``ValueError`` if it is not Ed25519."""
    key = load_pem_private_key(Path(path).read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} holds a {type(key).__name__}, not an Ed25519 private key")
    return key


def public_key_b64(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """The public half of ``key`` as kiosks store it: standard base64 of the raw 32 bytes."""
    if isinstance(key, Ed25519PrivateKey):
        key = key.public_key()
    return public_bytes_b64(key)


class Issuer:
    """Signs volunteer cards and activity codes with one key, named by ``key_id``."""

    def __init__(self, private_key: Ed25519PrivateKey, key_id: str) -> None:
        if not isinstance(private_key, Ed25519PrivateKey):
            raise ValueError("private_key must be an Ed25519PrivateKey")
        self._private_key = private_key
        self.key_id = check_id("key_id", key_id, MAX_KEY_ID)

    @property
    def public_key_b64(self) -> str:
        """The public key kiosks must trust under :attr:`key_id`."""
        return public_key_b64(self._private_key)

    @property
    def signing_key(self) -> Ed25519PrivateKey:
        """The private key itself, for the platform's other signed documents (USB bundles)."""
        return self._private_key

    def issue_card(
        self,
        volunteer_id: str,
        display_name: str,
        *,
        card_no: int = 1,
        issued_on: date,
        expires_on: date | None = None,
    ) -> str:
        """The text of a signed volunteer card (``VC1:...``).

        ``display_name`` is printed as given: pass the masked name
        (``checkin_protocol.models.mask_name``). ``ValueError`` on any bad field,
        or if the card would not fit a version-8 QR code.
        """
        card = VolunteerCard(
            key_id=self.key_id,
            volunteer_id=volunteer_id,
            display_name=display_name,
            card_no=card_no,
            issued_on=issued_on,
            expires_on=expires_on,
        )
        text = self._sign(TokenKind.CARD, card.to_payload())
        if len(text) > CARD_MAX_TEXT_CHARS:  # to_payload keeps within this; a guard against drift
            raise ValueError(f"card text is {len(text)} characters, over {CARD_MAX_TEXT_CHARS}")
        return text

    def issue_activity(self, activity: Activity, *, issued_on: date) -> str:
        """The text of a signed activity code (``VA1:...``); ``ValueError`` on any bad field."""
        code = ActivityCode(key_id=self.key_id, activity=activity, issued_on=issued_on)
        return self._sign(TokenKind.ACTIVITY, code.to_payload())

    def _sign(self, kind: TokenKind, payload: bytes) -> str:
        return frame(kind, payload, self._private_key.sign(signing_input(kind, payload)))
