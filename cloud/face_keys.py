"""Area face keys: one random AES-256 key per area, shared by that area's kiosks for face templates.

Kept as files in the instance's ``keys/`` folder, like the platform's other
keys (``face-area-<area>.key``, 32 raw bytes, owner-only), never in the
database: a copy of ``cloud.db`` holds only ciphertexts. A key is created the
first time its area needs one (a kiosk registers, asks ``GET /face-key`` or
pushes a face record). Losing the folder makes every stored template
unreadable (kiosks keep their own copies under their own keys); back it up
with the signing key. A real platform keeps these keys in its KMS and asks
it to wrap or unwrap them; the interface here is one method,
:meth:`AreaFaceKeys.key`.

Several server processes (``kiosk-cloud serve --workers N``, the CLI beside
the server) may need a new area's key at the same moment; they must end up
with one key. :func:`publish_area_key` writes a candidate whole into a
temporary file and hard-links it to the key's name: the link succeeds for
exactly one process, and every process then reads that file. The key's
name therefore never shows a half-written file, and a crash leaves at most
a stray ``.face-area-*.tmp``, never an empty key.
"""

from __future__ import annotations

import os
import re
import secrets
import threading
from pathlib import Path

from checkin_protocol.key_files import KeyFileError, create_key_file, read_key_file

KEY_BYTES = 32
_AREA_RE = re.compile(r"[A-Za-z0-9_-]{1,32}")  # as provisioning.AREA_RE: safe in a file name


def _sync_folder(folder: Path) -> None:
    """Make a new name in ``folder`` survive a power cut (POSIX; Windows has no folder handles to flush)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish_area_key(path: Path) -> bytes:
    """The key at ``path``, made now unless another process made it first; all processes get the same key.

    A new random key is written and flushed to a temporary file beside
    ``path``, then hard-linked to ``path``; ``FileExistsError`` means another
    process linked its key first, and that one is read instead.
    """
    candidate = path.with_name(f".{path.name}.{secrets.token_hex(8)}.tmp")
    create_key_file(candidate, KEY_BYTES)  # owner-only, written whole and flushed
    try:
        os.link(candidate, path)
    except FileExistsError:
        pass  # another process published its key first: everyone uses that one
    finally:
        candidate.unlink(missing_ok=True)
    _sync_folder(path.parent)
    key = read_key_file(path, KEY_BYTES)
    if key is None:
        raise KeyFileError(f"the key {path} vanished just after it was made")
    return key


class AreaFaceKeys:
    """The area face keys of one instance; thread-safe, created on first need."""

    def __init__(self, folder: Path) -> None:
        self._folder = Path(folder)
        self._lock = threading.Lock()
        self._cache: dict[str, bytes] = {}

    def path(self, area_id: str) -> Path:
        """The key file of ``area_id``; ``ValueError`` for a name that is not an area ID."""
        if not _AREA_RE.fullmatch(area_id):
            raise ValueError(f"area {area_id!r} must be 1 to 32 letters, digits, '_' or '-'")
        return self._folder / f"face-area-{area_id}.key"

    def key(self, area_id: str) -> bytes:
        """The face key of ``area_id``, made (and kept) the first time it is asked for."""
        with self._lock:
            cached = self._cache.get(area_id)
            if cached is not None:
                return cached
            path = self.path(area_id)
            key = read_key_file(path, KEY_BYTES)
            if key is None:
                key = publish_area_key(path)
            self._cache[area_id] = key
            return key
