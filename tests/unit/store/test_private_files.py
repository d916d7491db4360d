"""The data folder is its user's alone: made owner-only, narrowed at start, checked by the self-test."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Sequence
from pathlib import Path

import pytest
from helpers.fakes import FakeClock

from checkin_protocol.private_files import tighten, wider_than_owner
from kiosk.app import build_kiosk
from kiosk.config import DataDir, load_config
from kiosk.services.access_check import check_access
from kiosk.services.doctor import Status

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="file modes are POSIX")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _modes(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): _mode(p) for p in [folder, *folder.rglob("*")] if not p.is_symlink()}


@posix_only
def test_a_new_kiosk_makes_every_file_and_folder_owner_only(tmp_path: Path) -> None:
    old_umask = os.umask(0o022)  # as a desktop session leaves it: files 0644, folders 0755
    try:
        folder = tmp_path / "kiosk-data"
        kiosk = build_kiosk(load_config(DataDir(folder, "cli"), env={}), clock=FakeClock())
        with kiosk.store.write() as db:
            from kiosk.sync.credentials import ensure_device_key

            ensure_device_key(db)
        kiosk.close()
    finally:
        os.umask(old_umask)
    modes = _modes(folder)
    assert {"kiosk.db", "kiosk-id", "keys", "keys/device-ed25519.key"} <= modes.keys()
    wide = {name: oct(mode) for name, mode in modes.items() if mode & 0o077}
    assert wide == {}, f"others can read {wide}"


@posix_only
def test_an_older_wider_data_folder_is_narrowed_at_start(tmp_path: Path) -> None:
    folder = tmp_path / "kiosk-data"
    (folder / "keys").mkdir(parents=True)
    (folder / "logs").mkdir()
    for name in ("kiosk.db", "config.toml", "keys/face.key", "logs/kiosk.log"):
        (folder / name).write_bytes(b"")
        (folder / name).chmod(0o644)
    for sub in (folder, folder / "keys", folder / "logs"):
        sub.chmod(0o755)
    outside = tmp_path / "elsewhere.txt"
    outside.write_text("not the kiosk's")
    outside.chmod(0o644)
    (folder / "link").symlink_to(outside)

    assert len(wider_than_owner(folder)) == 7
    report = tighten(folder)
    assert len(report.narrowed) == 7 and report.failed == []
    assert wider_than_owner(folder) == []
    assert _mode(folder) == 0o700 and _mode(folder / "keys/face.key") == 0o600
    assert _mode(outside) == 0o644, "a symbolic link is not followed out of the data folder"


@posix_only
def test_the_self_test_warns_when_others_can_read_the_data_folder(tmp_path: Path) -> None:
    folder = tmp_path / "kiosk-data"
    folder.mkdir(mode=0o700)
    (folder / "kiosk.db").write_bytes(b"")
    (folder / "kiosk.db").chmod(0o600)
    assert check_access(folder).status is Status.OK
    (folder / "kiosk.db").chmod(0o644)
    warned = check_access(folder)
    assert warned.status is Status.WARN and "kiosk.db" in warned.detail and "1 path" in warned.detail


class FakeIcacls:
    """Records the icacls commands and answers as Windows would."""

    def __init__(self, listing: str = "", code: int = 0) -> None:
        self.commands: list[list[str]] = []
        self.listing = listing
        self.code = code

    def __call__(self, command: Sequence[str]) -> tuple[int, str]:
        self.commands.append(list(command))
        return self.code, self.listing


def test_on_windows_the_folder_acl_is_narrowed_to_the_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("USERNAME", "志愿者")
    icacls = FakeIcacls()
    report = tighten(tmp_path, windows=True, run=icacls)
    assert report.narrowed == [tmp_path] and report.failed == []
    grant, remove = icacls.commands
    assert grant[:4] == ["icacls", str(tmp_path), "/inheritance:r", "/grant:r"]
    assert grant[4] == "志愿者:(OI)(CI)F", "full control for the user alone, inherited by all inside"
    assert remove[2] == "/remove:g" and {"*S-1-1-0", "*S-1-5-32-545", "*S-1-5-11"} <= set(remove)

    refused = FakeIcacls(listing="Access is denied.", code=5)
    assert tighten(tmp_path, windows=True, run=refused).failed == [(tmp_path, "Access is denied.")]


def test_on_windows_the_self_test_reads_the_acl(tmp_path: Path) -> None:
    private = FakeIcacls(listing=f"{tmp_path} PC\\志愿者:(OI)(CI)(F)\n  NT AUTHORITY\\SYSTEM:(OI)(CI)(F)\n")
    assert wider_than_owner(tmp_path, windows=True, run=private) == []
    shared = FakeIcacls(listing=f"{tmp_path} BUILTIN\\Users:(OI)(CI)(RX)\n  PC\\志愿者:(OI)(CI)(F)\n")
    assert wider_than_owner(tmp_path, windows=True, run=shared) == [tmp_path]
    assert check_access(tmp_path, windows=True, run=shared).status is Status.WARN


def test_on_a_fat_stick_the_self_test_says_so_without_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kiosk.services.access_check as access_check

    monkeypatch.setattr(access_check, "filesystem_type", lambda folder: "vfat")
    check = check_access(tmp_path)
    assert check.status is Status.OK and "keeps no permissions" in check.detail
