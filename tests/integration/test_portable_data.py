"""Portable data: a kiosk-data/ folder beside the program, on a FAT stick, carried to another PC.

This machine's kernel cannot mount FAT, and fusefat's experimental write mode
loses data (a 377 KB file read back as 73 KB here), so a FAT stick is a
faked ``/proc/self/mountinfo`` naming the stick's folder as vfat, exFAT or
fusefat: the real detection code reads it, the real store opens on it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from helpers.fakes import FakeClock, make_activity

from checkin_protocol.codes.issuer import Issuer, generate_signing_key
from checkin_protocol.codes.trust import CODE_PURPOSES
from checkin_protocol.models import Identity, Method
from kiosk.app import Kiosk, build_kiosk
from kiosk.camera.synthetic_source import SyntheticSource
from kiosk.config import PORTABLE_DIR_NAME, load_config, resolve_data_dir
from kiosk.services.camera_check import check_camera, probe_camera
from kiosk.services.doctor import Check, Status
from kiosk.services.outcome import OutcomeKind
from kiosk.services.self_test import SelfTestReport, SelfTestRequest, run_self_test
from kiosk.store import filesystem
from kiosk.store.activities import save_activity, set_activity_status
from kiosk.store.trust import trust_key

ROOT = Path(__file__).resolve().parents[2]
# Lines as this machine wrote them (the second from a real fusefat mount), with the stick's folder put in.
MOUNTINFO = (
    "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
    "42 27 0:39 / {mount} rw,nosuid,nodev,relatime - {fs_type} /dev/sdb1 rw,user_id=0,group_id=0\n"
)


def _plug_in(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, mount: Path, fs_type: str) -> None:
    """Make ``mount`` look like a stick of ``fs_type`` to the filesystem detection."""
    fake = tmp_path / f"mountinfo-{fs_type}"
    fake.write_text(MOUNTINFO.format(mount=mount, fs_type=fs_type), encoding="utf-8")
    monkeypatch.setattr(filesystem, "MOUNTINFO", fake)


def _stick(mount: Path) -> Path:
    """The kiosk program's folder on a stick, with an empty kiosk-data/ beside it; returns the program's folder."""
    program = mount / "VolunteerKiosk"
    (program / PORTABLE_DIR_NAME).mkdir(parents=True)
    (program / "kiosk.exe").write_bytes(b"")  # the fake executable
    return program


def _open(program: Path, env: dict[str, str] | None = None) -> Kiosk:
    data = resolve_data_dir(env={}, exe_dir=program)
    return build_kiosk(load_config(data, env=env or {}), clock=FakeClock())


def _self_test(kiosk: Kiosk, program: Path) -> SelfTestReport:
    def camera() -> Check:
        seen = probe_camera(lambda: SyntheticSource(["VC1:x"], size=(640, 480), fps=30))
        return check_camera(seen, "synthetic", required=True)

    request = SelfTestRequest(
        kiosk.config,
        kiosk.clock,
        report=kiosk.store.report,
        camera=camera,
        exe_dir=program,
    )
    return run_self_test(request)


def _checks(report: SelfTestReport) -> dict[str, tuple[Status, str]]:
    return {c.name: (c.status, c.detail) for c in report.checks}


def test_the_data_folder_beside_the_program_is_chosen_and_reported(tmp_path: Path) -> None:
    program = _stick(tmp_path / "stick")
    data = resolve_data_dir(env={}, exe_dir=program)
    assert data.origin == "portable" and data.path == (program / PORTABLE_DIR_NAME).resolve()
    kiosk = build_kiosk(load_config(data, env={}), clock=FakeClock())
    try:
        status, detail = _checks(_self_test(kiosk, program))["data"]
        assert status is Status.OK
        assert "portable: kiosk-data beside the program" in detail and detail.endswith("writable")
        assert (data.path / "kiosk.db").exists() and (data.path / "kiosk-id").exists()
    finally:
        kiosk.close()


@pytest.mark.parametrize("fs_type", ["vfat", "exfat", "fuse.fusefat"])
def test_on_a_fat_stick_the_store_uses_a_rollback_journal_and_the_self_test_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fs_type: str
) -> None:
    mount = tmp_path / "media" / "KIOSK"
    program = _stick(mount)
    _plug_in(monkeypatch, tmp_path, mount, fs_type)
    kiosk = _open(program)
    try:
        assert (kiosk.store.report.filesystem, kiosk.store.report.journal_mode) == (fs_type, "delete")
        assert kiosk.store.report.synchronous == "extra"
        with kiosk.store.write() as db:
            save_activity(db, make_activity())
        database = kiosk.config.database_path
        assert not database.with_name("kiosk.db-wal").exists()
        with sqlite3.connect(database) as other:  # another program opening the file sees no WAL
            assert other.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        other.close()
        checks = _checks(_self_test(kiosk, program))
        assert checks["journal"][0] is Status.OK
        assert checks["journal"][1].startswith(f"journal_mode=delete synchronous=extra on {fs_type}")
        assert "rollback journal" in checks["journal"][1]
        assert f"{fs_type}, FAT/exFAT: rollback journal" in checks["data"][1]
    finally:
        kiosk.close()


def test_wal_forced_on_a_fat_stick_fails_the_self_test(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mount = tmp_path / "stick"
    program = _stick(mount)
    _plug_in(monkeypatch, tmp_path, mount, "vfat")
    kiosk = _open(program, env={"KIOSK_STORE__JOURNAL": "wal"})
    try:
        report = _self_test(kiosk, program)
        status, detail = _checks(report)["journal"]
        assert status is Status.FAIL and "WAL is unsafe on FAT/exFAT" in detail
        assert report.failed
    finally:
        kiosk.close()


def _fill(kiosk: Kiosk) -> tuple[Issuer, list[tuple[str, int, str]]]:
    """A day's records: a trusted key, an activity, check-ins, a face enrolment (its key in keys/)."""
    issuer = Issuer(generate_signing_key(), "test1")
    activity = make_activity()
    with kiosk.store.write() as db:
        trust_key(db, "test1", issuer.public_key_b64, "test", kiosk.clock.now().wall_utc, CODE_PURPOSES)
        save_activity(db, activity)
        set_activity_status(db, activity.activity_id, activity.status)
    kiosk.reload_trust()
    for number in range(1, 4):
        outcome = kiosk.attendance.scan(Identity(f"V{number:09d}", "某*", Method.QR), activity.activity_id)
        assert outcome.kind is OutcomeKind.CHECKED_IN
    kiosk.face_enrolment.record_consent("V000000001", "王老师")
    vectors = list(np.random.default_rng(1).normal(size=(3, 128)).astype(np.float32))
    assert kiosk.face_enrolment.enrol("V000000001", vectors, "王老师", "dlib-resnet-v1") is None
    events = kiosk.store.writer.execute(
        "SELECT event_id, seq, volunteer_id FROM events ORDER BY seq"
    ).fetchall()
    return issuer, events


def test_the_stick_works_on_another_pc_with_its_records_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first_mount = tmp_path / "pc1" / "media" / "KIOSK"
    program = _stick(first_mount)
    (program / PORTABLE_DIR_NAME / "config.toml").write_text(
        '[kiosk]\nlanguage = "en"\n\n[attendance]\nduplicate_window_s = 30\n', encoding="utf-8"
    )
    _plug_in(monkeypatch, tmp_path, first_mount, "vfat")
    kiosk = _open(program)
    kiosk_id = kiosk.kiosk_id
    issuer, events = _fill(kiosk)
    kiosk.close()

    # Unplug, plug into another PC: the stick is mounted elsewhere (and shows as exFAT there).
    other_mount = tmp_path / "pc2" / "mnt" / "usb0"
    shutil.copytree(first_mount, other_mount)
    _plug_in(monkeypatch, tmp_path, other_mount, "exfat")
    moved = other_mount / "VolunteerKiosk"
    kiosk = _open(moved)
    try:
        assert kiosk.config.data.origin == "portable"
        assert kiosk.config.data.path == (moved / PORTABLE_DIR_NAME).resolve()
        assert kiosk.store.report.quarantined_to is None
        assert kiosk.kiosk_id == kiosk_id
        assert kiosk.config.language == "en" and kiosk.policy.duplicate_window_s == 30
        assert (
            kiosk.store.writer.execute(
                "SELECT event_id, seq, volunteer_id FROM events ORDER BY seq"
            ).fetchall()
            == events
        )
        assert kiosk.verifier is not None
        card = issuer.issue_card("V000000002", "某*", card_no=1, issued_on=date(2026, 11, 29))
        assert kiosk.scanning.handle_code(card, Method.QR).kind is OutcomeKind.DUPLICATE
        report = _self_test(kiosk, moved)
        checks = _checks(report)
        assert not report.failed and report.worst is Status.OK, report.lines()
        assert "1 volunteer enrolled (3 templates)" in checks["face"][1]
        assert "hash chain intact" in checks["audit"][1]
        assert checks["journal"][1].startswith("journal_mode=delete synchronous=extra on exfat")
        assert checks["access"][1].startswith("on exfat, which keeps no permissions")
    finally:
        kiosk.close()


@pytest.fixture
def read_only_data(tmp_path: Path) -> Iterator[Path]:
    """A kiosk's data folder that cannot be written: a read-only mount as root (root ignores modes), else modes."""
    stick = tmp_path / "stick"
    data = stick / PORTABLE_DIR_NAME
    kiosk = build_kiosk(load_config(resolve_data_dir(data), env={}), clock=FakeClock())
    with kiosk.store.write() as db:
        save_activity(db, make_activity())
    kiosk.close()
    if os.geteuid() != 0:
        for path in [data, *data.rglob("*")]:
            path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield data
        finally:
            for path in [data, *data.rglob("*")]:
                path.chmod(0o755 if path.is_dir() else 0o644)
        return
    mount = tmp_path / "write-protected"
    mount.mkdir()
    if subprocess.run(["mount", "--bind", str(stick), str(mount)], capture_output=True).returncode:
        pytest.skip("cannot make a read-only mount here (root without CAP_SYS_ADMIN)")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(mount)], check=True, capture_output=True)
        yield mount / PORTABLE_DIR_NAME
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_a_read_only_data_folder_is_a_clear_self_test_failure(read_only_data: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "--data", str(read_only_data), "doctor", "--no-camera"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    data_line = next(line for line in lines if line.startswith("[FAIL] data"))
    assert "cannot be written (" in data_line and "check-ins cannot be saved" in data_line
    assert "write-protect switch" in data_line
    database_line = next(line for line in lines if "] database" in line)
    assert database_line.startswith("[FAIL]") and "cannot open it for writing" in database_line
    assert "read-only quick_check: ok" in database_line  # the records themselves are sound
    assert any(line.startswith("[ok  ] audit") for line in lines)
    assert any(line.startswith("[ok  ] journal    journal_mode=wal on") for line in lines)
