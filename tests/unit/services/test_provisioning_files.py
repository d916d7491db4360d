"""Finding the platform's provisioning file on a USB stick."""

from __future__ import annotations

import os
from pathlib import Path

from checkin_protocol.bundle_files import build_bundle, new_header, write_bundle
from checkin_protocol.codes.issuer import generate_signing_key
from kiosk.config import DataDir, load_config
from kiosk.services.provisioning_files import (
    find_provisioning_files,
    provisioning_places,
    scan_for_provisioning_files,
)


def _provisioning(path: Path, mtime: int) -> Path:
    header = new_header("provisioning", None, "2026-11-29T01:00:00.000+00:00")
    write_bundle(build_bundle(header, {}, generate_signing_key(), "p1"), path)
    os.utime(path, (mtime, mtime))
    return path


def test_provisioning_files_at_the_top_and_in_kiosk_bundles_newest_first_others_ignored(
    tmp_path: Path,
) -> None:
    stick = tmp_path / "stick"
    (stick / "kiosk-bundles").mkdir(parents=True)
    old = _provisioning(stick / "setup.kbundle", 1_000)
    new = _provisioning(stick / "kiosk-bundles" / "setup-2.kbundle", 2_000)
    (stick / "kiosk-bundles" / "K1-events-1-2.kbundle").write_text('{"format": "x"}', encoding="utf-8")
    (stick / "kiosk-bundles" / "big.kbundle").write_bytes(b" " * 300_000)
    (stick / "notes.txt").write_text("hello", encoding="utf-8")
    assert find_provisioning_files([stick, stick, tmp_path / "gone"]) == [new.resolve(), old.resolve()]


def test_the_places_are_the_configured_stick_and_the_portable_folder(tmp_path: Path) -> None:
    data = tmp_path / "kiosk-data"
    data.mkdir()
    (data / "config.toml").write_text(
        f'[usb]\nfolder = "{(tmp_path / "stick").as_posix()}"\n', encoding="utf-8"
    )
    portable = load_config(DataDir(data, "portable"), env={})
    assert provisioning_places(portable) == [tmp_path / "stick", tmp_path, data]
    assert provisioning_places(load_config(DataDir(data, "cli"), env={})) == [tmp_path / "stick", data]


def test_bundle_files_that_cannot_be_read_are_named_with_the_reason_others_left_alone(tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    (stick / "kiosk-bundles").mkdir(parents=True)
    good = _provisioning(stick / "setup.kbundle", 1_000)
    (stick / "brackets.kbundle").write_bytes(b"[" * 6144)
    (stick / "kiosk-bundles" / "K1-events-1-2.kbundle").write_text('{"format": "x"}', encoding="utf-8")
    (stick / "big.kbundle").write_bytes(b" " * 300_000)  # an events bundle can be this large: unread
    (stick / "loop.kbundle").symlink_to(stick / "loop.kbundle")
    scan = scan_for_provisioning_files([stick])
    assert scan.found == [good.resolve()]
    assert [(path.name, reason.split(":")[0]) for path, reason in scan.unreadable] == [
        ("brackets.kbundle", "this is not a kiosk bundle"),
        ("K1-events-1-2.kbundle", "this is not a kiosk bundle"),
        ("loop.kbundle", "it is a link that leads nowhere"),
    ]
