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
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

from checkin_protocol.key_files import create_key_file, read_key_file

KEY_BYTES = 32
_AREA_RE = re.compile(r"[A-Za-z0-9_-]{1,32}")  # as provisioning.AREA_RE: safe in a file name


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
                try:
                    key = create_key_file(path, KEY_BYTES)
                except FileExistsError:  # made by another process (the CLI beside the server) just now
                    key = read_key_file(path, KEY_BYTES)
            assert key is not None
            self._cache[area_id] = key
            return key
