"""The self-test as a whole: every check in reading order, fast, never raising, and readable in the log."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers.fakes import FakeClock, make_activity

from kiosk.app import Kiosk, build_kiosk
from kiosk.config import DataDir, load_config
from kiosk.services.doctor import Check, Status
from kiosk.services.self_test import CHECK_ORDER, SelfTestRequest, log_report, run_self_test
from kiosk.store import sync_state as state
from kiosk.store.activities import save_activity


@pytest.fixture
def kiosk(tmp_path: Path) -> Iterator[Kiosk]:
    built = build_kiosk(load_config(DataDir(tmp_path / "data", "cli"), env={}), clock=FakeClock())
    with built.store.write() as db:
        save_activity(db, make_activity())
    yield built
    built.close()


def _request(kiosk: Kiosk, **changes: object) -> SelfTestRequest:
    values: dict[str, object] = {"report": kiosk.store.report, "exe_dir": kiosk.config.data.path.parent}
    values.update(changes)
    return SelfTestRequest(kiosk.config, kiosk.clock, **values)  # type: ignore[arg-type]


def test_a_healthy_kiosk_passes_every_check_in_reading_order(kiosk: Kiosk) -> None:
    camera = Check("camera", Status.OK, "synthetic: picture 640×480 after 0.1 s")
    report = run_self_test(_request(kiosk, camera=lambda: camera))
    assert [c.name for c in report.checks] == list(CHECK_ORDER)
    assert report.worst is Status.OK and not report.failed and report.problems() == []
    assert report.duration_s < 3
    # Not registered and no coordinators yet: the cloud, the clock against it and the PINs do not apply.
    skipped = [c.name for c in report.checks if c.status is Status.SKIPPED]
    assert skipped == ["clock-sync", "cloud", "pins"]
    assert report.summary().startswith(
        f"{len(CHECK_ORDER) - 3} ok, 0 warnings, 0 failed, 3 not used here in "
    )
    assert report.lines()[1] == "[ok  ] access     only this user can read the data folder"
    assert report.lines()[2] == "[ok  ] database   quick_check: ok (kiosk.db)"
    assert report.started_utc == kiosk.clock.now().wall_utc


def test_a_check_that_raises_fails_alone(kiosk: Kiosk) -> None:
    def broken_camera() -> Check:
        raise RuntimeError("the driver crashed")

    report = run_self_test(_request(kiosk, camera=broken_camera))
    failed = [c for c in report.checks if c.status is Status.FAIL]
    assert [c.name for c in failed] == ["camera"] and "the driver crashed" in failed[0].detail
    assert report.failed


def test_problems_list_failures_before_warnings(kiosk: Kiosk) -> None:
    with kiosk.store.write() as db:
        state.set_value(db, state.CLOCK_OFFSET_S, "400")  # the cloud's clock is 400 s ahead: a warning
    camera = Check("camera", Status.FAIL, "device 0: not connected")
    report = run_self_test(_request(kiosk, camera=lambda: camera))
    assert [c.name for c in report.problems()] == ["camera", "clock-sync"]
    assert report.worst is Status.FAIL
    assert report.summary().startswith(f"{len(CHECK_ORDER) - 4} ok, 1 warning, 1 failed, 2 not used here")


def test_a_store_the_kiosk_could_not_open_is_still_read_and_reported(kiosk: Kiosk) -> None:
    report = run_self_test(_request(kiosk, report=None, open_error="the disk is read-only"))
    database = next(c for c in report.checks if c.name == "database")
    assert database.status is Status.FAIL
    assert database.detail == (
        "the kiosk cannot open it for writing (the disk is read-only); read-only quick_check: ok (kiosk.db)"
    )
    journal = next(c for c in report.checks if c.name == "journal")
    assert journal.detail.startswith("journal_mode=wal on ")


def test_no_database_at_all_is_a_failure_not_an_exception(tmp_path: Path) -> None:
    config = load_config(DataDir(tmp_path, "cli"), env={})
    report = run_self_test(SelfTestRequest(config, FakeClock(), open_error="no store"))
    names = {c.name: c for c in report.checks}
    assert names["database"].status is Status.FAIL and "cannot be read" in names["database"].detail
    assert set(names) == {"data", "access", "database", "disk"}


def test_the_report_is_written_to_the_log_at_each_checks_level(
    kiosk: Kiosk, caplog: pytest.LogCaptureFixture
) -> None:
    camera = Check("camera", Status.FAIL, "device 0: not connected")
    report = run_self_test(_request(kiosk, camera=lambda: camera))
    with caplog.at_level(logging.INFO, logger="kiosk.services.self_test"):
        log_report(report)
    levels = {r.getMessage().split(":")[0]: r.levelno for r in caplog.records}
    assert levels["self-test fail camera"] == logging.ERROR
    assert levels["self-test ok disk"] == logging.INFO
    summary = f"self-test: {len(CHECK_ORDER) - 4} ok, 0 warnings, 1 failed, 3 not used here"
    assert caplog.records[-1].getMessage().startswith(summary)
