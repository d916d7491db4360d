"""The kiosk's own private keys, kept as owner-only key files beside the database, never in it.

- ``keys/device-ed25519.key``: the device key (the raw 32-byte Ed25519 private
  key). The cloud checks the kiosk's USB bundles and its proof at
  registration against its public half, so it is made once and kept for good.
- ``keys/device-x25519.key``: the box key (raw 32-byte X25519 private key);
  the cloud encrypts the updates it sends by USB stick for its public half.

Both live in the same ``keys/`` folder as the face keys
(:mod:`kiosk.store.face_templates`), written by :mod:`checkin_protocol.key_files`
(owner-only, flushed, replaced by one rename). They are found from the
database a connection is on, so a function handed a connection inside a
transaction finds the keys of that same data folder.
"""

from __future__ import annotations

import logging
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from sqlite_utils import Database

from checkin_protocol.key_files import KeyFileError, create_key_file, read_key_file, replace_key_file

log = logging.getLogger(__name__)

DEVICE_KEY_FILE = Path("keys") / "device-ed25519.key"
BOX_KEY_FILE = Path("keys") / "device-x25519.key"
PRIVATE_KEY_BYTES = 32


class DeviceKeyError(Exception):
    """A device key file is damaged, or the connection is on no file to find the keys beside."""


def database_file(db: Database) -> Path:
    """The file of the ``main`` database of ``db``; :class:`DeviceKeyError` for an in-memory database."""
    for _, name, file in db.execute("PRAGMA database_list").fetchall():
        if name == "main" and file:
            return Path(file)
    raise DeviceKeyError("this database is not a file, so it has no data folder to keep device keys in")


def device_key_path(database: Path) -> Path:
    """Where the device key of the database at ``database`` lives."""
    return database.parent / DEVICE_KEY_FILE


def box_key_path(database: Path) -> Path:
    """Where the box key of the database at ``database`` lives."""
    return database.parent / BOX_KEY_FILE


def _read(path: Path) -> bytes | None:
    try:
        return read_key_file(path, PRIVATE_KEY_BYTES)
    except KeyFileError as exc:
        raise DeviceKeyError(f"{exc}; restore the data folder's keys/ from a backup") from None


def _read_or_create(path: Path, create: bool) -> bytes | None:
    raw = _read(path)
    if raw is None and create:
        try:
            raw = create_key_file(path, PRIVATE_KEY_BYTES)
            log.info("made a new key %s for this kiosk", path.name)
        except FileExistsError:  # made by another thread or process just now
            raw = _read(path)
    return raw


def device_key(database: Path, *, create: bool) -> Ed25519PrivateKey | None:
    """The device key; made (once) when missing and ``create``, else None when missing."""
    raw = _read_or_create(device_key_path(database), create)
    return None if raw is None else Ed25519PrivateKey.from_private_bytes(raw)


def box_key(database: Path, *, create: bool) -> X25519PrivateKey | None:
    """The box key; made (once) when missing and ``create``, else None when missing."""
    raw = _read_or_create(box_key_path(database), create)
    return None if raw is None else X25519PrivateKey.from_private_bytes(raw)


def raw_private_bytes(key: Ed25519PrivateKey | X25519PrivateKey) -> bytes:
    """The raw 32 bytes a key file holds."""
    return key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())


def move_into_key_file(path: Path, key: Ed25519PrivateKey | X25519PrivateKey) -> None:
    """Keep ``key`` in the key file ``path`` (migration of keys once kept in the database).

    The database's key is the one in use, so it replaces whatever file is
    there (a file left by an earlier, interrupted upgrade holds the same key).
    """
    raw = raw_private_bytes(key)
    if _read(path) != raw:
        replace_key_file(path, raw)
