"""The Windows-only calls, run here with Windows' kernel32 faked (docs/deploy-build.md says what ran on Windows).

What is checked is the kiosk's side of each call: the arguments it passes
(the drive's root, the buffer and its size) and what it makes of the answer.
Whether Windows answers so is for the first Windows run.
"""

from __future__ import annotations

import ctypes
import ntpath
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from kiosk.services import removable
from kiosk.store import filesystem


class FakeKernel32:
    """The kernel32 functions the kiosk calls, answering from a table of drives."""

    def __init__(self, drives: dict[str, tuple[int, str]]) -> None:
        self.drives = drives  # letter -> (drive type, filesystem name)
        self.volume_calls: list[str] = []

    def GetVolumeInformationW(self, root: Any, *args: Any) -> int:
        path = root.value
        self.volume_calls.append(path)
        name_buffer, size = args[5], args[6]
        entry = self.drives.get(path[0].upper())
        if entry is None:
            return 0
        assert size == len(name_buffer) and size >= len(entry[1]) + 1
        name_buffer.value = entry[1]
        return 1

    def GetLogicalDrives(self) -> int:
        return sum(1 << (ord(letter) - ord("A")) for letter in self.drives)

    def GetDriveTypeW(self, root: str) -> int:
        return self.drives[root[0]][0]


@pytest.fixture
def windows(monkeypatch: pytest.MonkeyPatch) -> FakeKernel32:
    kernel32 = FakeKernel32({"C": (3, "NTFS"), "E": (2, "FAT32"), "F": (2, "exFAT"), "G": (4, "NTFS")})
    monkeypatch.setattr(ctypes, "windll", type("windll", (), {"kernel32": kernel32}), raising=False)
    monkeypatch.setattr(os.path, "splitdrive", ntpath.splitdrive)
    return kernel32


def test_the_volume_type_is_asked_of_the_drives_root_and_fat_means_no_wal(windows: FakeKernel32) -> None:
    assert filesystem._windows_filesystem_type(Path("E:\\volunteer-kiosk\\kiosk-data")) == "fat32"
    assert windows.volume_calls == ["E:\\"]
    assert filesystem.is_fat_family("fat32") and filesystem.is_fat_family("exfat")
    assert filesystem._windows_filesystem_type(Path("C:\\Users\\张三\\桌面\\kiosk-data")) == "ntfs"
    assert not filesystem.is_fat_family("ntfs")


def test_a_drive_windows_cannot_answer_for_is_unknown(windows: FakeKernel32) -> None:
    assert filesystem._windows_filesystem_type(Path("Z:\\kiosk-data")) == "unknown"


def test_on_windows_the_filesystem_type_comes_from_the_volume(
    windows: FakeKernel32, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(filesystem, "_existing_ancestor", lambda path: path)  # no E: drive here
    assert filesystem.filesystem_type(Path("F:\\kiosk-data")) == "exfat"


def test_removable_drives_are_the_letters_windows_calls_removable(windows: FakeKernel32) -> None:
    assert removable._removable_drives_windows() == [Path("E:\\"), Path("F:\\")]
