"""Finding the coordinator's USB stick: removable drives that are mounted and writable.

Used by the coordinator's "USB stick" screen, so nobody has to type a path.
The setting ``usb.folder`` names the place outright (a stick always mounted
at the same point, or tests); otherwise:

- Linux: ``/proc/self/mountinfo`` mounts under ``/media``, ``/run/media`` or
  ``/mnt`` whose block device sysfs marks removable, or whose filesystem is a
  stick's (FAT, exFAT, NTFS);
- Windows: drive letters that ``GetDriveTypeW`` calls removable;
- macOS: the folders of ``/Volumes`` other than the start-up disk.

Bundles go into :data:`BUNDLE_FOLDER` on the stick, so they do not mix with
the stick's other files.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from kiosk.store.filesystem import MOUNTINFO, unescape_mount_path

BUNDLE_FOLDER = "kiosk-bundles"
MOUNT_ROOTS = ("/media/", "/run/media/", "/mnt/")
STICK_FILESYSTEMS = frozenset({"vfat", "msdos", "exfat", "ntfs", "ntfs3", "fuseblk"})
SYS_BLOCK = Path("/sys/class/block")


def _device_is_removable(device: str, sys_block: Path = SYS_BLOCK) -> bool:
    """Whether sysfs marks ``/dev/sdb1`` (or its whole disk) removable."""
    name = Path(device).name
    for candidate in (sys_block / name, (sys_block / name).resolve().parent):
        flag = candidate / "removable"
        try:
            if flag.read_text(encoding="ascii").strip() == "1":
                return True
        except OSError:
            continue
    return False


def removable_mounts_linux(
    mountinfo: str, is_removable: Callable[[str], bool] = _device_is_removable
) -> list[Path]:
    """Mount points of removable drives in ``mountinfo`` text, in mount order."""
    found: list[Path] = []
    for line in mountinfo.splitlines():
        before, sep, after = line.partition(" - ")
        fields, rest = before.split(), after.split()
        if not sep or len(fields) < 5 or len(rest) < 2:
            continue
        mount_point, fs_type, device = unescape_mount_path(fields[4]), rest[0].lower(), rest[1]
        if not mount_point.startswith(MOUNT_ROOTS):
            continue
        if fs_type in STICK_FILESYSTEMS or (device.startswith("/dev/") and is_removable(device)):
            found.append(Path(mount_point))
    return found


def _removable_drives_windows() -> list[Path]:  # pragma: no cover - Windows only
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    mask = kernel32.GetLogicalDrives()
    drives = []
    for index in range(26):
        if mask & (1 << index):
            root = f"{chr(ord('A') + index)}:\\"
            if kernel32.GetDriveTypeW(root) == 2:  # DRIVE_REMOVABLE
                drives.append(Path(root))
    return drives


def find_usb_sticks(configured: str = "") -> list[Path]:
    """The writable USB sticks (their root folders) this machine has now; the setting first."""
    if configured:
        return [Path(configured).expanduser()]
    if sys.platform == "win32":  # pragma: no cover - Windows only
        candidates = _removable_drives_windows()
    elif sys.platform == "darwin":  # pragma: no cover - macOS only
        volumes = Path("/Volumes")
        candidates = (
            [p for p in volumes.iterdir() if p.is_dir() and not p.is_symlink()] if volumes.is_dir() else []
        )
    else:
        try:
            candidates = removable_mounts_linux(MOUNTINFO.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            candidates = []
    return [p for p in candidates if os.access(p, os.W_OK)]


def bundle_folder(stick: Path) -> Path:
    """The folder on ``stick`` where bundles go, created if missing (``OSError`` if it cannot be)."""
    folder = stick / BUNDLE_FOLDER
    folder.mkdir(exist_ok=True)
    return folder
