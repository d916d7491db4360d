"""Write a whole file so that a power cut leaves the old one or the new one, never half of it."""

from __future__ import annotations

import os
import uuid
from pathlib import Path


def write_file_durably(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that a power cut leaves the old file or the new one, never half of it.

    A temporary file beside it, flushed to the disk, renamed over ``path``,
    and the directory entry flushed too (where the system allows). The file
    is readable by its owner only (config.toml, bundles holding codes).
    """
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.part")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_directory(path.parent)


def _sync_directory(directory: Path) -> None:
    """Flush the directory entry of a rename (POSIX only; Windows has no directory handles)."""
    if os.name != "posix":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems (FAT on some kernels) refuse fsync on directories
    finally:
        os.close(fd)
