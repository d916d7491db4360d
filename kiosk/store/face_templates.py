"""Face templates at rest: AES-256-GCM with the kiosk's face key, which lives beside the database.

A template is a face descriptor (128 float32 numbers), never a photo. Each is
encrypted on its own with a fresh 96-bit nonce and the associated data
``template_id|volunteer_id|model_version``, so a ciphertext moved to another
row or volunteer does not open. The key is 32 random bytes in
``keys/face.key`` next to the database (owner-only), created on first use:
a copy of the database, its WAL or a backup of it reveals no template
without the key file. Nothing here logs a descriptor.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlite_utils import Database

from kiosk.store.events import format_utc

KEY_FILE = Path("keys") / "face.key"
KEY_BYTES = 32
NONCE_BYTES = 12
DESCRIPTOR_SIZE = 128

Descriptor = npt.NDArray[np.float32]


class FaceKeyError(Exception):
    """The face key is missing, unreadable or not the one the templates were made with."""


def face_key_path(database: Path) -> Path:
    """Where the face key of the database at ``database`` lives."""
    return database.parent / KEY_FILE


def load_face_key(database: Path, *, create: bool) -> bytes | None:
    """The face key; made (owner-only) when missing and ``create``, else None when missing."""
    path = face_key_path(database)
    if path.exists():
        key = path.read_bytes()
        if len(key) != KEY_BYTES:
            raise FaceKeyError(f"the face key {path} is damaged ({len(key)} bytes, not {KEY_BYTES})")
        return key
    if not create:
        return None
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(KEY_BYTES)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        os.write(fd, key)
        os.fsync(fd)
    finally:
        os.close(fd)
    return key


def _associated(template_id: str, volunteer_id: str, model_version: str) -> bytes:
    return f"{template_id}|{volunteer_id}|{model_version}".encode()


@dataclass(frozen=True)
class StoredTemplate:
    """A decrypted template: whose it is, from which model."""

    template_id: str
    volunteer_id: str
    model_version: str
    descriptor: Descriptor


def add_template(
    db: Database,
    key: bytes,
    template_id: str,
    volunteer_id: str,
    model_version: str,
    descriptor: Descriptor,
    at: datetime,
) -> None:
    """Encrypt and store one template (inside the caller's write transaction)."""
    vector = np.asarray(descriptor, dtype=np.float32)
    if vector.shape != (DESCRIPTOR_SIZE,) or not np.all(np.isfinite(vector)):
        raise ValueError(f"a face template is {DESCRIPTOR_SIZE} finite numbers")
    nonce = secrets.token_bytes(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(
        nonce, vector.tobytes(), _associated(template_id, volunteer_id, model_version)
    )
    db.execute(
        "INSERT INTO face_templates (template_id, volunteer_id, model_version, nonce, ciphertext, created_utc) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [template_id, volunteer_id, model_version, nonce, sealed, format_utc(at)],
    )


def load_templates(db: Database, key: bytes, model_version: str) -> list[StoredTemplate]:
    """Every template of ``model_version``, decrypted; :class:`FaceKeyError` if the key does not fit."""
    rows = db.execute(
        "SELECT template_id, volunteer_id, nonce, ciphertext FROM face_templates WHERE model_version = ? "
        "ORDER BY volunteer_id, template_id",
        [model_version],
    )
    found = []
    for template_id, volunteer_id, nonce, sealed in rows:
        try:
            plain = AESGCM(key).decrypt(nonce, sealed, _associated(template_id, volunteer_id, model_version))
        except InvalidTag:
            raise FaceKeyError(
                "the face templates cannot be opened with this kiosk's face key (a different key file, "
                "or changed rows); enrol the volunteers again"
            ) from None
        descriptor = np.frombuffer(plain, dtype=np.float32).copy()
        found.append(StoredTemplate(template_id, volunteer_id, model_version, descriptor))
    return found


def delete_templates(db: Database, volunteer_id: str) -> int:
    """Delete a volunteer's templates (inside the caller's transaction); how many there were."""
    return int(db.execute("DELETE FROM face_templates WHERE volunteer_id = ?", [volunteer_id]).rowcount)


def template_counts(db: Database) -> dict[str, int]:
    """Templates per enrolled volunteer."""
    rows = db.execute("SELECT volunteer_id, COUNT(*) FROM face_templates GROUP BY volunteer_id")
    return {str(v): int(n) for v, n in rows}
