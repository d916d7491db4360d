"""Face templates at rest: AES-256-GCM with the kiosk's face key, which lives beside the database.

A template is a face descriptor (128 float32 numbers), never a photo. Each is
encrypted on its own with a fresh 96-bit nonce and the associated data
``template_id|volunteer_id|model_version``, so a ciphertext moved to another
row or volunteer does not open. The key is 32 random bytes in
``keys/face.key`` next to the database (owner-only), created on first use:
a copy of the database, its WAL or a backup of it reveals no template
without the key file. Nothing here logs a descriptor.

The **area face key** (``keys/area-face.key``) is the key the kiosks of one
area share to pass templates through the cloud (docs/sync-protocol.md,
"Face templates"); it comes from the cloud and is never in the database.
"""

from __future__ import annotations

import logging
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np
import numpy.typing as npt
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlite_utils import Database

from checkin_protocol.event_rows import format_utc
from checkin_protocol.face_template_format import DESCRIPTOR_SIZE, KEY_BYTES, NONCE_BYTES, associated_data
from checkin_protocol.key_files import KeyFileError, create_key_file, read_key_file, replace_key_file

log = logging.getLogger(__name__)

KEY_FILE = Path("keys") / "face.key"
AREA_KEY_FILE = Path("keys") / "area-face.key"
Descriptor = npt.NDArray[np.float32]


class FaceKeyError(Exception):
    """The face key is missing, unreadable or not the one the templates were made with."""


def face_key_path(database: Path) -> Path:
    """Where the face key of the database at ``database`` lives."""
    return database.parent / KEY_FILE


def area_key_path(database: Path) -> Path:
    """Where the area face key of the database at ``database`` lives."""
    return database.parent / AREA_KEY_FILE


def load_face_key(database: Path, *, create: bool) -> bytes | None:
    """The face key; made (owner-only) when missing and ``create``, else None when missing."""
    path = face_key_path(database)
    try:
        key = read_key_file(path, KEY_BYTES)
        if key is None and create:
            try:
                key = create_key_file(path, KEY_BYTES)
            except FileExistsError:  # made by another thread or process just now
                key = read_key_file(path, KEY_BYTES)
    except KeyFileError as exc:
        raise FaceKeyError(str(exc)) from None
    return key


def load_area_key(database: Path) -> bytes | None:
    """The area face key from the cloud, or None when this kiosk has none (yet)."""
    try:
        return read_key_file(area_key_path(database), KEY_BYTES)
    except KeyFileError as exc:
        raise FaceKeyError(str(exc)) from None


def save_area_key(database: Path, key: bytes) -> bool:
    """Keep the area face key the cloud gave (owner-only); True when it was new or different."""
    if len(key) != KEY_BYTES:
        raise ValueError(f"an area face key is {KEY_BYTES} bytes, not {len(key)}")
    if load_area_key(database) == key:
        return False
    replace_key_file(area_key_path(database), key)
    return True


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
        nonce, vector.tobytes(), associated_data(template_id, volunteer_id, model_version)
    )
    db.execute(
        "INSERT INTO face_templates (template_id, volunteer_id, model_version, nonce, ciphertext, created_utc) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [template_id, volunteer_id, model_version, nonce, sealed, format_utc(at)],
    )


def _opened(key: bytes, rows: sqlite3.Cursor) -> list[StoredTemplate]:
    found = []
    cipher = AESGCM(key)
    for template_id, volunteer_id, model_version, nonce, sealed in rows:
        try:
            plain = cipher.decrypt(nonce, sealed, associated_data(template_id, volunteer_id, model_version))
        except InvalidTag:
            raise FaceKeyError(
                "the face templates cannot be opened with this kiosk's face key (a different key file, "
                "or changed rows); enrol the volunteers again"
            ) from None
        descriptor = np.frombuffer(plain, dtype=np.float32).copy()
        found.append(StoredTemplate(template_id, volunteer_id, model_version, descriptor))
    return found


def load_templates(db: Database, key: bytes, model_version: str) -> list[StoredTemplate]:
    """Every template of ``model_version``, decrypted; :class:`FaceKeyError` if the key does not fit."""
    rows = db.execute(
        "SELECT template_id, volunteer_id, model_version, nonce, ciphertext FROM face_templates "
        "WHERE model_version = ? ORDER BY volunteer_id, rowid",  # each volunteer's in the order enrolled
        [model_version],
    )
    return _opened(key, rows)


def volunteer_templates(db: Database, key: bytes, volunteer_id: str) -> list[StoredTemplate]:
    """One volunteer's templates (of any model), decrypted, in the order they were stored."""
    rows = db.execute(
        "SELECT template_id, volunteer_id, model_version, nonce, ciphertext FROM face_templates "
        "WHERE volunteer_id = ? ORDER BY rowid",
        [volunteer_id],
    )
    return _opened(key, rows)


def delete_templates(db: Database, volunteer_id: str) -> int:
    """Delete a volunteer's templates (inside the caller's transaction); how many there were."""
    return int(db.execute("DELETE FROM face_templates WHERE volunteer_id = ?", [volunteer_id]).rowcount)


def template_counts(db: Database) -> dict[str, int]:
    """Templates per enrolled volunteer."""
    rows = db.execute("SELECT volunteer_id, COUNT(*) FROM face_templates GROUP BY volunteer_id")
    return {str(v): int(n) for v, n in rows}


def erase_wal(db: Database, journal_mode: str) -> None:
    """Copy the WAL back and empty it, so deleted rows' old pages leave the WAL file too.

    Call after the deleting transaction committed. A rollback journal is
    removed at commit, so there is nothing to do then.
    """
    if journal_mode != "wal":
        return
    try:
        busy = db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
    except sqlite3.Error as exc:
        log.warning("the WAL could not be emptied after a face deletion: %s", exc)
        return
    if busy:
        log.warning(
            "the WAL could not be emptied after a face deletion (a reader was busy); the next checkpoint will"
        )


def template_owners(db: Database, model_version: str) -> list[tuple[str, str]]:
    """(template_id, volunteer_id) of every template of ``model_version``, by template ID (no descriptor)."""
    rows: list[tuple[str, str]] = db.execute(
        "SELECT template_id, volunteer_id FROM face_templates WHERE model_version = ? ORDER BY template_id",
        [model_version],
    ).fetchall()
    return rows


def template_summaries(db: Database, volunteer_ids: list[str]) -> dict[str, tuple[int, str]]:
    """(how many templates, when the newest was stored) of each of ``volunteer_ids`` that has any."""
    marks = ", ".join("?" * len(volunteer_ids))
    return {
        str(row[0]): (int(row[1]), str(row[2]))
        for row in db.execute(
            "SELECT volunteer_id, COUNT(*), MAX(created_utc) FROM face_templates "
            f"WHERE volunteer_id IN ({marks}) GROUP BY volunteer_id",
            volunteer_ids,
        )
    }


def count_templates(db: Database) -> int:
    """How many templates are stored, of any model and volunteer."""
    return int(db.execute("SELECT COUNT(*) FROM face_templates").fetchone()[0])


def count_enrolled_volunteers(db: Database) -> int:
    """How many volunteers have at least one template."""
    return int(db.execute("SELECT COUNT(DISTINCT volunteer_id) FROM face_templates").fetchone()[0])
