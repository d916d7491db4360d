"""``kiosk doctor`` finds what is wrong and says so in plain words."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from helpers.fakes import FakeClock, make_activity, make_service, open_test_store

from kiosk.domain.models import Identity, Method
from kiosk.services.doctor import Status, check_clock, check_journal, run_checks


def test_a_healthy_store_passes_every_check(tmp_path: Path) -> None:
    store = open_test_store(tmp_path / "k.db", make_activity())
    checks = run_checks(store, FakeClock().now(), full=True)
    assert [c.status for c in checks] == [Status.OK] * 5, checks
    store.close()


def test_wal_on_a_fat_stick_fails(tmp_path: Path) -> None:
    store = open_test_store(tmp_path / "k.db")
    store.report = replace(store.report, filesystem="vfat")
    check = check_journal(store)
    assert check.status is Status.FAIL and "FAT" in check.detail
    store.close()


def test_a_clock_behind_the_newest_check_in_warns(tmp_path: Path) -> None:
    clock = FakeClock()
    store = open_test_store(tmp_path / "k.db", make_activity())
    make_service(store, clock).scan(Identity("V1", "某*", Method.QR), "A20261129001")
    clock.jump_wall(-timedelta(hours=3).total_seconds())
    check = check_clock(store, clock.now())
    assert check.status is Status.WARN and "earlier than the newest check-in" in check.detail
    clock.jump_wall(-(365 * 24 * 3600))
    assert check_clock(store, clock.now()).status is Status.FAIL
    store.close()
