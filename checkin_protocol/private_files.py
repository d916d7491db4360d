"""Keeping the data folder readable by the kiosk's own user only.

The data folder holds volunteers' names and phone numbers, the coordinators'
PIN hashes, the device secret and the key files. On a shared venue PC another
account must not read them, so:

- POSIX: the folder and every folder in it are ``0700``, every file ``0600``.
  New files are made so (:func:`owner_only_umask` for the process, explicit
  modes where files are created), and :func:`tighten` narrows what an older
  version left wider, at every start.
- Windows: the folder's ACL is replaced by one entry, full control for the
  current user, inherited by everything inside (``icacls``), and checked the
  same way by :func:`wider_than_owner`.

A filesystem without permissions (FAT/exFAT on a USB stick) cannot be
narrowed; that is reported, never an error: the stick is the coordinator's
to keep (docs/security.md).
"""

from __future__ import annotations

import logging
import os
import stat
import subprocess
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

OWNER_ONLY_DIR = 0o700
OWNER_ONLY_FILE = 0o600
OWNER_ONLY_UMASK = 0o077
_GROUP_OR_OTHER = stat.S_IRWXG | stat.S_IRWXO

#: Runs a command and returns (exit code, output); tests fake it to check the Windows commands.
CommandRunner = Callable[[Sequence[str]], tuple[int, str]]

#: Everyone, Users and Authenticated Users by SID (the same on every Windows language).
_WINDOWS_OTHER_SIDS = ("*S-1-1-0", "*S-1-5-32-545", "*S-1-5-11")
#: The same groups as icacls prints them (English and Chinese Windows name them so), or their SIDs.
_WINDOWS_OTHERS = ("Everyone", "BUILTIN\\Users", "NT AUTHORITY\\Authenticated Users", *_WINDOWS_OTHER_SIDS)


@dataclass
class TightenReport:
    """What :func:`tighten` did: the paths it narrowed and those it could not."""

    narrowed: list[Path] = field(default_factory=list)
    failed: list[tuple[Path, str]] = field(default_factory=list)


def owner_only_umask() -> int:
    """Make every file and folder this process creates from now on owner-only; returns the old umask."""
    return os.umask(OWNER_ONLY_UMASK)


def run_command(command: Sequence[str]) -> tuple[int, str]:
    """Run ``command`` (no shell) and return its exit code and output."""
    completed = subprocess.run(
        list(command), capture_output=True, text=True, errors="replace", check=False, timeout=30
    )
    return completed.returncode, completed.stdout + completed.stderr


def _walk(folder: Path) -> Iterator[Path]:
    """``folder`` and everything in it, folders before their contents; symbolic links are not followed."""
    yield folder
    for root, dirs, files in os.walk(folder, followlinks=False):
        for name in dirs + files:
            yield Path(root) / name


def _wanted_mode(path: Path) -> int | None:
    """The owner-only mode for a folder or file; None for what is neither (links, sockets)."""
    info = path.lstat()
    if stat.S_ISDIR(info.st_mode):
        return OWNER_ONLY_DIR
    if stat.S_ISREG(info.st_mode):
        return OWNER_ONLY_FILE
    return None


def _windows_user() -> str:
    return os.environ.get("USERNAME") or os.getlogin()


def _windows_grant_command(folder: Path, user: str) -> list[str]:
    """Remove inherited entries and grant the user alone full control, inherited by all inside."""
    return ["icacls", str(folder), "/inheritance:r", "/grant:r", f"{user}:(OI)(CI)F", "/T", "/C", "/Q"]


def _windows_others_command(folder: Path) -> list[str]:
    return ["icacls", str(folder), "/remove:g", *_WINDOWS_OTHER_SIDS, "/T", "/C", "/Q"]


def tighten(folder: Path, *, windows: bool | None = None, run: CommandRunner = run_command) -> TightenReport:
    """Make ``folder`` and everything in it readable by the current user only; never raises.

    Run at every start on the data folder, so one left wider by an older
    version, or copied from elsewhere, is narrowed.
    """
    report = TightenReport()
    if not folder.is_dir():
        return report
    if windows if windows is not None else os.name == "nt":
        _tighten_windows(folder, report, run)
        return report
    for path in _walk(folder):
        try:
            wanted = _wanted_mode(path)
            if wanted is None or path.lstat().st_mode & _GROUP_OR_OTHER == 0:
                continue
            os.chmod(path, wanted, follow_symlinks=False)
            report.narrowed.append(path)
        except (OSError, NotImplementedError) as exc:
            report.failed.append((path, getattr(exc, "strerror", None) or str(exc)))
    if report.narrowed:
        log.info("made %d path(s) in %s readable by this user only", len(report.narrowed), folder)
    if report.failed:
        log.warning(
            "could not narrow the permissions of %d path(s) in %s (first: %s: %s)",
            len(report.failed),
            folder,
            *report.failed[0],
        )
    return report


def _tighten_windows(folder: Path, report: TightenReport, run: CommandRunner) -> None:
    for command in (_windows_grant_command(folder, _windows_user()), _windows_others_command(folder)):
        try:
            code, output = run(command)
        except (OSError, subprocess.SubprocessError) as exc:
            report.failed.append((folder, str(exc)))
            continue
        if code != 0 and command[2] == "/inheritance:r":
            report.failed.append((folder, output.strip() or f"icacls exit {code}"))
    if not report.failed:
        report.narrowed.append(folder)
    else:
        log.warning("could not restrict the data folder's ACL to this user: %s", report.failed[0][1])


def wider_than_owner(
    folder: Path, *, windows: bool | None = None, run: CommandRunner = run_command
) -> list[Path]:
    """The paths in ``folder`` that someone other than its owner may read or enter (empty: all private).

    On Windows, the folder itself when its ACL grants Everyone, Users or
    Authenticated Users anything.
    """
    if not folder.is_dir():
        return []
    if windows if windows is not None else os.name == "nt":
        try:
            code, output = run(["icacls", str(folder)])
        except (OSError, subprocess.SubprocessError):
            return []
        if code == 0 and any(name.lower() in output.lower() for name in _WINDOWS_OTHERS):
            return [folder]
        return []
    wide = []
    for path in _walk(folder):
        try:
            if _wanted_mode(path) is not None and path.lstat().st_mode & _GROUP_OR_OTHER:
                wide.append(path)
        except OSError:
            continue
    return wide


def make_private_dir(path: Path) -> None:
    """Create ``path`` (and missing parents) if needed; ``path`` itself ends owner-only where the system allows."""
    path.mkdir(parents=True, exist_ok=True, mode=OWNER_ONLY_DIR)
    if os.name == "posix" and path.stat().st_mode & _GROUP_OR_OTHER:
        try:
            os.chmod(path, OWNER_ONLY_DIR)
        except OSError as exc:  # FAT: no permissions to set
            log.debug("cannot make %s owner-only: %s", path, exc)


def create_private_file(path: Path) -> None:
    """Create ``path`` empty and owner-only if it does not exist yet (SQLite then keeps its mode)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), OWNER_ONLY_FILE)
    except FileExistsError:
        return
    os.close(fd)


def prepare_private_output(path: Path) -> None:
    """Make ``path`` an owner-only file before a secret is written into it (made empty, or narrowed).

    Writers that then open it for writing (truncating) keep that mode, so the
    secret is never readable by others, not even for a moment.
    """
    create_private_file(path)
    if os.name == "posix" and path.stat().st_mode & _GROUP_OR_OTHER:
        try:
            os.chmod(path, OWNER_ONLY_FILE)
        except OSError as exc:  # FAT: no permissions to set
            log.debug("cannot make %s owner-only: %s", path, exc)
