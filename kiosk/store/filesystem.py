"""Which kind of filesystem holds the database, and so which journal mode is safe.

SQLite's WAL mode needs shared memory and reliable locking; on FAT and exFAT
(the usual USB stick) a rollback journal is the safe choice. Linux reads
``/proc/self/mountinfo``; Windows asks ``GetVolumeInformationW``; elsewhere the
type is reported as unknown and WAL is used (override with
``store.journal = "rollback"``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: Filesystem type names (lower case) on which WAL is not safe.
FAT_FAMILY = frozenset(
    {
        "vfat",
        "msdos",
        "fat",
        "fat12",
        "fat16",
        "fat32",
        "exfat",
        "fuseblk.exfat",
        "fuse.exfat",
        "fuse.fusefat",  # a FAT image or stick mounted with fusefat (Linux shows FUSE types as fuse.<name>)
    }
)

MOUNTINFO = Path("/proc/self/mountinfo")


def unescape_mount_path(text: str) -> str:
    """A path as written in ``/proc/self/mountinfo``, unescaped."""
    # mountinfo escapes space, tab, newline and backslash as octal (\040 ...).
    return text.encode("latin-1").decode("unicode_escape")


def filesystem_type_from_mountinfo(path: Path, mountinfo: str) -> str:
    """The type of the filesystem holding ``path``, from mountinfo text.

    The mount point that is the longest prefix of the path wins.
    """
    target = str(path)
    best_mount, best_type = "", "unknown"
    for line in mountinfo.splitlines():
        before, sep, after = line.partition(" - ")
        if not sep:
            continue
        fields = before.split()
        if len(fields) < 5:
            continue
        mount_point = unescape_mount_path(fields[4])
        fs_type = after.split()[0] if after.split() else "unknown"
        inside = target == mount_point or target.startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) >= len(best_mount):
            best_mount, best_type = mount_point, fs_type
    return best_type.lower()


def _existing_ancestor(path: Path) -> Path:
    path = path.resolve()
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _windows_filesystem_type(path: Path) -> str:
    import ctypes

    root = os.path.splitdrive(str(path))[0] + "\\"
    name = ctypes.create_unicode_buffer(64)
    ok = ctypes.windll.kernel32.GetVolumeInformationW(  # type: ignore[attr-defined]
        ctypes.c_wchar_p(root), None, 0, None, None, None, name, len(name)
    )
    return name.value.lower() if ok else "unknown"


def filesystem_type(path: Path) -> str:
    """The lower-case filesystem type of the folder holding ``path``, or ``"unknown"``."""
    folder = _existing_ancestor(path)
    try:
        if sys.platform.startswith("linux") and MOUNTINFO.exists():
            return filesystem_type_from_mountinfo(folder, MOUNTINFO.read_text(encoding="utf-8"))
        if sys.platform == "win32":
            return _windows_filesystem_type(folder)
    except OSError:
        pass
    return "unknown"


def is_fat_family(fs_type: str) -> bool:
    """True for FAT and exFAT volumes, where WAL must not be used."""
    return fs_type.lower() in FAT_FAMILY
