"""Reading a file that came from outside: a plain file only, and never more than a limit.

Bundles on a USB stick, roster files and ``config.toml`` are read whole
before they are parsed, so each reader has a size limit for its format.
:func:`read_bounded` checks the size before reading and reads at most one
byte past the limit (a file may grow while it is read), and it opens the
file without blocking, so a FIFO or a device named like a bundle is refused
instead of read for ever.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


class FileRefused(ValueError):
    """A file that was not read; ``reason`` says why in plain words (``it is …``)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class FileTooLarge(FileRefused):
    """A file larger than the limit of its format (``size`` is at least ``limit`` + 1)."""

    def __init__(self, size: int, limit: int) -> None:
        super().__init__(f"it is {size:,} bytes, more than the {limit:,} this kind of file may be")
        self.size = size
        self.limit = limit


def read_bounded(path: Path, max_bytes: int) -> bytes:
    """The bytes of the plain file at ``path``, at most ``max_bytes``.

    :class:`FileTooLarge` when there are more, :class:`FileRefused` for a
    folder, device or pipe; ``OSError`` (missing, no permission) passes
    through for the caller to word.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise FileRefused("it is not a plain file (a folder, a device or a pipe)")
        if info.st_size > max_bytes:
            raise FileTooLarge(info.st_size, max_bytes)
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as file:
        data = file.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise FileTooLarge(len(data), max_bytes)
    return data
