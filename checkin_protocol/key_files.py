"""Secret keys kept as small files beside the database, readable by the kiosk's user only.

A key file holds the raw key bytes and nothing else. Files are created
owner-only (``0o600``) and flushed before they are used; a replaced key is
written under a temporary name and renamed over the old one, so a crash
leaves either the old key or the new one, never half of either.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from checkin_protocol.private_files import make_private_dir

_BINARY = getattr(os, "O_BINARY", 0)


class KeyFileError(Exception):
    """A key file is there but unusable (damaged: not the right size)."""


def read_key_file(path: Path, size: int) -> bytes | None:
    """The key in ``path``; None when there is no such file; :class:`KeyFileError` when damaged."""
    try:
        key = path.read_bytes()
    except FileNotFoundError:
        return None
    if len(key) != size:
        raise KeyFileError(f"the key {path} is damaged ({len(key)} bytes, not {size})")
    return key


def _write_new(path: Path, key: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o600)
    try:
        os.write(fd, key)
        os.fsync(fd)
    finally:
        os.close(fd)


def create_key_file(path: Path, size: int) -> bytes:
    """A new random key of ``size`` bytes in ``path``, which must not exist yet (``FileExistsError``)."""
    make_private_dir(path.parent)
    key = secrets.token_bytes(size)
    _write_new(path, key)
    return key


def replace_key_file(path: Path, key: bytes) -> None:
    """Store ``key`` in ``path`` (owner-only), replacing any key there in one rename."""
    make_private_dir(path.parent)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    _write_new(temporary, key)
    try:
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
