"""The self-test's data-folder check: where the kiosk keeps its records, why there, and can it write.

The data folder holds the database, config, keys and logs. It is the
``--data`` folder, ``KIOSK_DATA``, a ``kiosk-data/`` folder beside the program
(portable: the kiosk runs from a USB stick and the stick carries its records
to another PC), or the user's data folder (:func:`kiosk.config.resolve_data_dir`).
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

from kiosk.config import PORTABLE_DIR_NAME, DataDir, executable_dir
from kiosk.services.doctor import Check, Status
from kiosk.store.filesystem import filesystem_type, is_fat_family

ORIGIN_WORDS = {
    "cli": "given with --data",
    "env": "from KIOSK_DATA",
    "portable": "portable: kiosk-data beside the program",
    "user": "the user's data folder",
}


def write_problem(folder: Path) -> str | None:
    """None when a file can be created, flushed and removed in ``folder``; else what went wrong."""
    if not folder.is_dir():
        return "the folder does not exist"
    probe = folder / f".self-test-{secrets.token_hex(4)}"
    try:
        with probe.open("wb") as fh:
            fh.write(b"self-test")
            fh.flush()
            os.fsync(fh.fileno())
        probe.unlink()
    except OSError as exc:
        with contextlib.suppress(OSError):
            probe.unlink(missing_ok=True)
        return exc.strerror or str(exc)
    return None


def _unused_portable_folder(data: DataDir, exe_dir: Path | None) -> Path | None:
    """A ``kiosk-data/`` beside the program that was passed over (it could not be written)."""
    if data.origin != "user":
        return None
    candidate = (exe_dir if exe_dir is not None else executable_dir()) / PORTABLE_DIR_NAME
    return candidate if candidate.is_dir() else None


def check_data_folder(data: DataDir, exe_dir: Path | None = None) -> Check:
    """Where the data folder is and why, whether it can be written, and its filesystem type."""
    fs = filesystem_type(data.path)
    kind = f"{fs}, FAT/exFAT: rollback journal" if is_fat_family(fs) else fs
    where = f"{data.path} ({ORIGIN_WORDS.get(data.origin, data.origin)}; {kind})"
    problem = write_problem(data.path)
    if problem is not None:
        return Check(
            "data",
            Status.FAIL,
            f"{where} cannot be written ({problem}): check-ins cannot be saved. On a USB stick, "
            "check its write-protect switch and that it is not full, then plug it in again",
        )
    passed_over = _unused_portable_folder(data, exe_dir)
    if passed_over is not None:
        return Check(
            "data",
            Status.WARN,
            f"{where}; the portable folder {passed_over} could not be written, so records are kept "
            "on this PC, not on the stick",
        )
    return Check("data", Status.OK, f"{where}; writable")
