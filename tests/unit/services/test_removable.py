"""Finding the coordinator's USB stick among the machine's mounts."""

from __future__ import annotations

from pathlib import Path

from kiosk.services.removable import bundle_folder, find_usb_sticks, removable_mounts_linux

MOUNTINFO = """\
22 1 8:2 / / rw,relatime shared:1 - ext4 /dev/sda2 rw
35 22 0:30 / /proc rw,nosuid - proc proc rw
90 22 8:17 / /media/coordinator/KINGSTON rw,nosuid,nodev shared:60 - vfat /dev/sdb1 rw,uid=1000
91 22 8:33 / /run/media/lib/Photo\\040Stick rw,nosuid shared:61 - ext4 /dev/sdc1 rw
92 22 8:49 / /mnt/backup rw shared:62 - ext4 /dev/sdd1 rw
93 22 8:65 / /home/coordinator/usb rw shared:63 - exfat /dev/sde1 rw
"""


def test_sticks_are_the_removable_mounts_under_the_usual_places() -> None:
    removable = {"/dev/sdc1"}
    found = removable_mounts_linux(MOUNTINFO, is_removable=lambda device: device in removable)
    assert found == [Path("/media/coordinator/KINGSTON"), Path("/run/media/lib/Photo Stick")]


def test_the_setting_names_the_stick_outright(tmp_path: Path) -> None:
    assert find_usb_sticks(str(tmp_path)) == [tmp_path]


def test_bundles_go_into_their_own_folder_on_the_stick(tmp_path: Path) -> None:
    folder = bundle_folder(tmp_path)
    assert folder == tmp_path / "kiosk-bundles" and folder.is_dir()
    assert bundle_folder(tmp_path) == folder, "a second call finds the same folder"
