"""The platform's keys, kept in ``keys/`` of the data folder (files readable by their owner only).

- ``platform-<key_id>.pem``: the Ed25519 signing key of cards and activity
  codes; kiosks trust its public half under ``key_id`` (``p1`` first; a
  rotation adds ``p2`` and so on). The key ID in use is the setting
  ``signing_key_id``; the public key is in ``trusted_keys``, so kiosks pull it.
- ``bundle-x25519.pem``: the X25519 key USB bundles are encrypted for; its
  public half is ``bundle_public_key`` in the registration reply.
- ``face-area-<area>.key``: each area's face key (:mod:`cloud.face_keys`).
"""

from __future__ import annotations

import base64
import os
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

from cloud.face_keys import AreaFaceKeys
from cloud.storage import CloudStore
from kiosk.identity.issuer import Issuer, generate_signing_key, load_private_key, save_private_key

FIRST_KEY_ID = "p1"
SIGNING_KEY_SETTING = "signing_key_id"
BUNDLE_KEY_FILE = "bundle-x25519.pem"


class KeysMissingError(Exception):
    """The data folder has no platform keys: run ``kiosk-cloud init``."""


@dataclass(frozen=True)
class PlatformKeys:
    """The signing key (as an :class:`Issuer`), the bundle key and the area face keys of this platform."""

    issuer: Issuer
    bundle_key: X25519PrivateKey
    area_keys: AreaFaceKeys

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


def ensure_keys(keys_dir: Path, store: CloudStore, now: datetime) -> tuple[PlatformKeys, bool]:
    """Load the platform keys, creating any that is missing; (keys, whether anything was created).

    A key file is written before the database names it, so a crash in
    between leaves a file that the next run picks up rather than replaces.
    """
    keys_dir.mkdir(parents=True, exist_ok=True)
    created = False
    with store.read() as reader:
        key_id = reader.setting(SIGNING_KEY_SETTING)
    if key_id is None:
        key_id = FIRST_KEY_ID
        path = signing_key_path(keys_dir, key_id)
        if not path.exists():
            save_private_key(path, generate_signing_key())
        issuer = Issuer(load_private_key(path), key_id)
        with store.write() as writer:
            writer.add_trusted_key(key_id, issuer.public_key_b64, "platform", now)
            writer.set_setting(SIGNING_KEY_SETTING, key_id)
        created = True
    bundle_path = keys_dir / BUNDLE_KEY_FILE
    if not bundle_path.exists():
        _save_x25519(bundle_path, X25519PrivateKey.generate())
        created = True
    return load_keys(keys_dir, store), created


def load_keys(keys_dir: Path, store: CloudStore) -> PlatformKeys:
    """The platform keys of an initialised data folder; :class:`KeysMissingError` otherwise."""
    with store.read() as reader:
        key_id = reader.setting(SIGNING_KEY_SETTING)
    bundle_path = keys_dir / BUNDLE_KEY_FILE
    if key_id is None or not signing_key_path(keys_dir, key_id).exists() or not bundle_path.exists():
        raise KeysMissingError(f"no platform keys in {keys_dir}; run `kiosk-cloud init` first")
    issuer = Issuer(load_private_key(signing_key_path(keys_dir, key_id)), key_id)
    return PlatformKeys(issuer=issuer, bundle_key=_load_x25519(bundle_path), area_keys=AreaFaceKeys(keys_dir))
