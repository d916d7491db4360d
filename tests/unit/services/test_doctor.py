"""``kiosk doctor`` finds what is wrong and says so in plain words."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import numpy as np
from helpers.fakes import FakeClock, make_activity, make_service, open_test_store

from checkin_protocol.models import Identity, Method
from kiosk.services.doctor import Status, check_clock, check_face, check_journal, run_checks
from kiosk.services.face_enrolment import FaceEnrolment
from kiosk.store.face_templates import face_key_path


def test_a_healthy_store_passes_every_check(tmp_path: Path) -> None:
    store = open_test_store(tmp_path / "k.db", make_activity())
    checks = run_checks(store, FakeClock().now(), full=True)
    assert [c.name for c in checks] == ["database", "journal", "disk", "clock", "audit", "face", "pins"]
    statuses = {c.name: c.status for c in checks}
    assert statuses.pop("pins") is Status.SKIPPED  # no coordinator accounts in this store: nothing to check
    assert set(statuses.values()) == {Status.OK}, checks
    store.close()


def test_wal_on_a_fat_stick_fails(tmp_path: Path) -> None:
    check = check_journal("wal", "full", "vfat")
    assert check.status is Status.FAIL and "FAT" in check.detail


def test_the_rollback_journal_on_a_fat_stick_passes_and_says_why() -> None:
    check = check_journal("delete", "extra", "exfat")
    assert check.status is Status.OK
    assert check.detail.startswith("journal_mode=delete synchronous=extra on exfat")
    assert "rollback journal" in check.detail


def test_a_lax_synchronous_setting_fails() -> None:
    assert check_journal("wal", "normal", "ext4").status is Status.FAIL


def test_a_clock_behind_the_newest_check_in_warns(tmp_path: Path) -> None:
    clock = FakeClock()
    store = open_test_store(tmp_path / "k.db", make_activity())
    make_service(store, clock).scan(Identity("V1", "某*", Method.QR), "A20261129001")
    clock.jump_wall(-timedelta(hours=3).total_seconds())
    check = check_clock(store.writer, clock.now())
    assert check.status is Status.WARN and "earlier than the newest check-in" in check.detail
    clock.jump_wall(-(365 * 24 * 3600))
    assert check_clock(store.writer, clock.now()).status is Status.FAIL
    store.close()


def test_the_face_check_counts_the_enrolled_and_fails_when_their_key_is_gone(tmp_path: Path) -> None:
    store = open_test_store(tmp_path / "k.db")
    check = check_face(store.writer, store.path)
    assert (
        check.status is Status.OK
        and "0 volunteers enrolled" in check.detail
        and "models found" in check.detail
    )
    faces = FaceEnrolment(store, "K1", FakeClock())
    faces.record_consent("V1", "王老师")
    rng = np.random.default_rng(1)
    assert (
        faces.enrol("V1", list(rng.normal(size=(3, 128)).astype(np.float32)), "王老师", "dlib-resnet-v1")
        is None
    )
    assert "1 volunteer enrolled (3 templates)" in check_face(store.writer, store.path).detail
    face_key_path(store.path).unlink()
    check = check_face(store.writer, store.path)
    assert check.status is Status.FAIL and "restore keys/" in check.detail
    store.close()
