"""The platform's keys, kept in ``keys/`` of the data folder (files readable by their owner only).

- ``platform-<key_id>.pem``: an Ed25519 signing key with ONE purpose
  (:class:`~checkin_protocol.codes.trust.KeyPurpose`): cards (``p1`` first),
  activity codes (``a1``), the platform's USB bundles, i.e. receipts and
  updates (``b1``), or provisioning files (``v1``). The key ID in use for a
  purpose is the setting ``signing_key_id.<purpose>``; the public key is in
  ``trusted_keys`` with its purpose, so kiosks pull it and trust it for that
  purpose only. A platform made before purposes existed has one key ``p1``
  for all four (migration 0004): it keeps using it, so the kiosks and codes
  in the field keep working.
- ``bundle-x25519.pem``: the X25519 key USB bundles are encrypted for; its
  public half is ``bundle_public_key`` in the registration reply.
- ``face-area-<area>.key``: each area's face key (:mod:`cloud.face_keys`).
"""

from __future__ import annotations

import base64
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import (
    Encoding,
    NoEncryption,
    PrivateFormat,
    PublicFormat,
    load_pem_private_key,
)

from checkin_protocol.codes.issuer import Issuer, generate_signing_key, load_private_key, save_private_key
from checkin_protocol.codes.trust import KeyPurpose
from cloud.face_keys import AreaFaceKeys
from cloud.storage import Storage

#: The key ID a new platform gives its first key of each purpose.
FIRST_KEY_IDS: Mapping[KeyPurpose, str] = {
    KeyPurpose.CARD: "p1",
    KeyPurpose.ACTIVITY: "a1",
    KeyPurpose.BUNDLE: "b1",
    KeyPurpose.PROVISIONING: "v1",
}
BUNDLE_KEY_FILE = "bundle-x25519.pem"


def signing_key_setting(purpose: KeyPurpose) -> str:
    """The setting naming the key ID in use for ``purpose``."""
    return f"signing_key_id.{purpose.value}"


class KeysMissingError(Exception):
    """The data folder has no platform keys: run ``kiosk-cloud init``."""


@dataclass(frozen=True)
class PlatformKeys:
    """The signing key of each purpose (as an :class:`Issuer`), the bundle key and the area face keys."""

    signers: Mapping[KeyPurpose, Issuer]
    bundle_key: X25519PrivateKey
    area_keys: AreaFaceKeys

    @property
    def card_issuer(self) -> Issuer:
        """Signs volunteer cards."""
        return self.signers[KeyPurpose.CARD]

    @property
    def activity_issuer(self) -> Issuer:
        """Signs activity codes."""
        return self.signers[KeyPurpose.ACTIVITY]

    @property
    def bundle_signer(self) -> Issuer:
        """Signs the receipts and updates the platform writes to USB sticks."""
        return self.signers[KeyPurpose.BUNDLE]

    @property
    def provisioning_signer(self) -> Issuer:
        """Signs offline provisioning files."""
        return self.signers[KeyPurpose.PROVISIONING]

    @property
    def bundle_public_key_b64(self) -> str:
        """Standard base64 of the raw 32-byte X25519 public key."""
        raw = self.bundle_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
        return base64.b64encode(raw).decode("ascii")


def signing_key_path(keys_dir: Path, key_id: str) -> Path:
    """Where the signing key of ``key_id`` is kept."""
    return keys_dir / f"platform-{key_id}.pem"


def _save_x25519(path: Path, key: X25519PrivateKey) -> None:
    pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        os.write(fd, pem)
        os.fsync(fd)
    finally:
        os.close(fd)


def _load_x25519(path: Path) -> X25519PrivateKey:
    key = load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, X25519PrivateKey):
        raise ValueError(f"{path} holds a {type(key).__name__}, not an X25519 private key")
    return key


def ensure_keys(keys_dir: Path, store: Storage, now: datetime) -> tuple[PlatformKeys, bool]:
    """Load the platform keys, creating any that is missing; (keys, whether anything was created).

    A key file is written before the database names it, so a crash in
    between leaves a file that the next run picks up rather than replaces.
    """
    keys_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    created = False
    for purpose, first_id in FIRST_KEY_IDS.items():
        with store.read() as reader:
            if reader.setting(signing_key_setting(purpose)) is not None:
                continue
        path = signing_key_path(keys_dir, first_id)
        if not path.exists():
            save_private_key(path, generate_signing_key())
        issuer = Issuer(load_private_key(path), first_id)
        with store.write() as writer:
            writer.add_trusted_key(first_id, issuer.public_key_b64, "platform", now, frozenset({purpose}))
            writer.set_setting(signing_key_setting(purpose), first_id)
        created = True
    bundle_path = keys_dir / BUNDLE_KEY_FILE
    if not bundle_path.exists():
        _save_x25519(bundle_path, X25519PrivateKey.generate())
        created = True
    return load_keys(keys_dir, store), created


def load_keys(keys_dir: Path, store: Storage) -> PlatformKeys:
    """The platform keys of an initialised data folder; :class:`KeysMissingError` otherwise."""
    with store.read() as reader:
        key_ids = {purpose: reader.setting(signing_key_setting(purpose)) for purpose in KeyPurpose}
    bundle_path = keys_dir / BUNDLE_KEY_FILE
    missing = [
        p.value
        for p, key_id in key_ids.items()
        if key_id is None or not signing_key_path(keys_dir, key_id).exists()
    ]
    if missing or not bundle_path.exists():
        raise KeysMissingError(f"no platform keys in {keys_dir}; run `kiosk-cloud init` first")
    signers = {
        purpose: Issuer(load_private_key(signing_key_path(keys_dir, key_id)), key_id)
        for purpose, key_id in key_ids.items()
        if key_id is not None
    }
    return PlatformKeys(
        signers=signers, bundle_key=_load_x25519(bundle_path), area_keys=AreaFaceKeys(keys_dir)
    )
