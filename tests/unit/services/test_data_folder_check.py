"""The self-test's data-folder check: where the records are, why there, writable, which filesystem."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import DataDir
from kiosk.services.data_folder_check import check_data_folder
from kiosk.services.doctor import Status
from kiosk.store import filesystem


def test_a_writable_folder_is_fine_and_says_why_it_was_chosen(tmp_path: Path) -> None:
    check = check_data_folder(DataDir(tmp_path, "env"), exe_dir=tmp_path / "bin")
    assert check.status is Status.OK
    assert check.detail.startswith(f"{tmp_path} (from KIOSK_DATA; ")
    assert check.detail.endswith("writable")
    assert list(tmp_path.iterdir()) == [], "the write probe must not leave a file behind"


def test_a_missing_folder_fails(tmp_path: Path) -> None:
    check = check_data_folder(DataDir(tmp_path / "gone", "cli"))
    assert check.status is Status.FAIL and "does not exist" in check.detail


def test_a_portable_folder_passed_over_warns_that_records_stay_on_this_pc(tmp_path: Path) -> None:
    program = tmp_path / "stick" / "VolunteerKiosk"
    (program / "kiosk-data").mkdir(parents=True)
    user = tmp_path / "home" / "volunteer-kiosk"
    user.mkdir(parents=True)
    check = check_data_folder(DataDir(user, "user"), exe_dir=program)
    assert check.status is Status.WARN
    assert "could not be written" in check.detail and "not on the stick" in check.detail


def test_the_filesystem_type_comes_from_the_mount_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mountinfo = tmp_path / "mountinfo"
    mountinfo.write_text(f"42 27 8:17 / {tmp_path} rw,relatime - vfat /dev/sdb1 rw\n", encoding="utf-8")
    monkeypatch.setattr(filesystem, "MOUNTINFO", mountinfo)
    check = check_data_folder(DataDir(tmp_path, "portable"), exe_dir=tmp_path.parent)
    assert "(portable: kiosk-data beside the program; vfat, FAT/exFAT: rollback journal)" in check.detail
