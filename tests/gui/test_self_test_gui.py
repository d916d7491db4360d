"""The self-test at every start: logged, a status-bar line on a problem, the coordinator's page."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pytest
from helpers.fakes import UnpluggedCamera
from helpers.gui import make_kiosk
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.camera.device_source import OpenCVDeviceSource
from kiosk.camera.frame_source import CameraState
from kiosk.camera.synthetic_source import SyntheticSource
from kiosk.services import doctor
from kiosk.services.doctor import Status
from kiosk.services.self_test import CHECK_ORDER, SelfTestReport

WAIT_MS = 20_000


class CountingSource:
    """A synthetic camera that counts how often it was opened."""

    opened = 0

    def __init__(self) -> None:
        CountingSource.opened += 1
        self._source = SyntheticSource(["VC1:not-a-real-card"], size=(640, 480), fps=15)

    @property
    def fps(self) -> float | None:
        return self._source.fps

    @property
    def state(self) -> CameraState:
        return self._source.state

    def read(self) -> np.ndarray | None:
        return self._source.read()

    def close(self) -> None:
        self._source.close()


def _by_name(report: SelfTestReport) -> dict[str, doctor.Check]:
    return {check.name: check for check in report.checks}


def test_the_start_up_self_test_reads_the_running_camera_and_is_logged(
    qtbot: QtBot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    CountingSource.opened = 0
    ui = make_kiosk(tmp_path, source_factory=CountingSource)
    qtbot.addWidget(ui.window)
    caplog.set_level(logging.INFO, logger="kiosk.services.self_test")
    try:
        with qtbot.waitSignal(ui.window.self_test.finished, timeout=WAIT_MS) as blocker:
            ui.window.start()
        report: SelfTestReport = blocker.args[0]
        checks = _by_name(report)
        assert checks["camera"].status is Status.OK and "640×480" in checks["camera"].detail
        assert {"data", "database", "journal", "disk", "clock", "cloud", "audit", "face"} <= set(checks)
        assert report.worst is Status.OK, report.lines()
        assert CountingSource.opened == 1, "the self-test must not open the camera a second time"
        assert not ui.window.screen_kiosk.status.self_test_label.isVisible()
        logged = [r.getMessage() for r in caplog.records if r.name == "kiosk.services.self_test"]
        assert any("self-test ok camera" in line for line in logged)
        # Not registered: the cloud and the clock against it are "not used here".
        summary = f"self-test: {len(CHECK_ORDER) - 2} ok, 0 warnings, 0 failed, 2 not used here"
        assert any(line.startswith(summary) for line in logged), logged
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()


def test_low_disk_space_shows_a_line_in_the_status_bar(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(doctor, "free_bytes", lambda folder: 500 * 1024**2)
    ui = make_kiosk(tmp_path)
    qtbot.addWidget(ui.window)
    line = ui.window.screen_kiosk.status.self_test_label
    try:
        with qtbot.waitSignal(ui.window.self_test.finished, timeout=WAIT_MS) as blocker:
            ui.window.start()
        assert _by_name(blocker.args[0])["disk"].status is Status.WARN
        assert line.isVisible()
        assert line.text() == "⚠ Self-test: low disk space"
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()


def test_a_missing_camera_fails_and_says_the_scanner_still_works(qtbot: QtBot, tmp_path: Path) -> None:
    ui = make_kiosk(tmp_path, source_factory=lambda: OpenCVDeviceSource(0, capture_factory=UnpluggedCamera))
    qtbot.addWidget(ui.window)
    try:
        with qtbot.waitSignal(ui.window.self_test.finished, timeout=WAIT_MS) as blocker:
            ui.window.start()
        camera = _by_name(blocker.args[0])["camera"]
        assert camera.status is Status.FAIL
        assert "USB barcode scanner still work" in camera.detail
        assert ui.window.screen_kiosk.status.self_test_label.text() == "✖ Self-test: no camera picture"
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()


def test_the_coordinator_opens_the_self_test_page_and_checks_again(qtbot: QtBot, tmp_path: Path) -> None:
    ui = make_kiosk(tmp_path)
    window = ui.window
    qtbot.addWidget(window)
    try:
        with qtbot.waitSignal(window.self_test.finished, timeout=WAIT_MS):
            window.start()
        window._show_menu()  # as after a good PIN
        qtbot.mouseClick(window.screen_menu.self_test_button, Qt.MouseButton.LeftButton)
        page = window.screen_self_test
        assert window.pages.currentWidget() is page
        assert "everything works" in page.summary.text()
        assert set(page.row_labels) >= {"data", "database", "disk", "cloud"}
        assert "writable" in page.row_labels["data"].text()
        with qtbot.waitSignal(window.self_test.finished, timeout=WAIT_MS):
            qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
            assert "Checking" in page.summary.text()
        assert "everything works" in page.summary.text()
        qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)
        assert window.pages.currentWidget() is window.desk.screen
    finally:
        window.exit_kiosk()
        ui.kiosk.close()
