"""The self-test at every start: logged, a status-bar line on a problem, the page in plain words."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import numpy as np
import pytest
from helpers.coordinator import open_from_menu
from helpers.fakes import UnpluggedCamera
from helpers.gui import KioskUnderTest, make_kiosk
from helpers.layout_audit import layout_problems
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from checkin_protocol import __version__
from kiosk.camera.device_source import OpenCVDeviceSource
from kiosk.camera.frame_source import CameraState
from kiosk.camera.synthetic_source import SyntheticSource
from kiosk.services import doctor
from kiosk.services.doctor import Status
from kiosk.services.self_test import CHECK_ORDER, SelfTestReport
from kiosk.sync.kiosk_status import current_status

WAIT_MS = 20_000
SIZES = [(1280, 800), (1366, 768), (1920, 1080)]


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

        # Kept for the cloud's fleet, on the writer thread: the next push carries it.
        def kept() -> dict[str, object]:
            db = ui.kiosk.store.reader()  # its own connection: the writer thread owns the writer's
            try:
                return current_status(db)
            finally:
                db.conn.close()

        qtbot.waitUntil(lambda: kept().get("self_test") == "ok", timeout=WAIT_MS)
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
        page = window.screen_self_test
        open_from_menu(qtbot, ui, window.screen_menu.self_test_button, page)
        assert "everything works" in page.summary.text()
        assert set(page.lines) >= {"data", "database", "disk", "cloud"}
        assert page.lines["data"].words.text() == "Records can be saved here"
        assert "writable" in page.lines["data"].detail.text()
        assert not page.lines["data"].detail.isVisibleTo(window), "the detail waits behind Details"
        with qtbot.waitSignal(window.self_test.finished, timeout=WAIT_MS):
            qtbot.mouseClick(page.run_button, Qt.MouseButton.LeftButton)
            assert "Checking" in page.summary.text()
        assert "everything works" in page.summary.text()
        qtbot.mouseClick(page.details_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: page.lines["data"].detail.isVisibleTo(window))  # lines added while shown
        qtbot.mouseClick(page.back_button, Qt.MouseButton.LeftButton)
        assert window.pages.currentWidget() is window.desk.screen
        qtbot.mouseClick(window.screen_menu.self_test_button, Qt.MouseButton.LeftButton)
        assert not page.details_shown, "the next visit starts with the plain words"
        assert not page.lines["data"].detail.isVisibleTo(window)
    finally:
        window.exit_kiosk()
        ui.kiosk.close()


# Latin words on the Chinese page: none but "USB" (the scanner's name in the camera's advice).
LATIN_WORD = re.compile(r"[A-Za-z_][A-Za-z_0-9=.]+")
TECHNICAL = ("quick_check", "journal_mode", "synchronous", "GiB", "kiosk.db")


def _shown_texts(page: QWidget) -> list[str]:
    return [label.text() for label in page.findChildren(QLabel) if label.isVisibleTo(page) and label.text()]


def test_the_chinese_page_shows_plain_chinese_until_details_is_tapped(qtbot: QtBot, tmp_path: Path) -> None:
    ui = make_kiosk(tmp_path, language="zh_CN")
    window = ui.window
    qtbot.addWidget(window)
    try:
        with qtbot.waitSignal(window.self_test.finished, timeout=WAIT_MS):
            window.start()
        page = window.screen_self_test
        open_from_menu(qtbot, ui, window.screen_menu.self_test_button, page)
        shown = _shown_texts(page)
        english = [w for text in shown for w in LATIN_WORD.findall(text) if w != "USB"]
        assert english == [], shown
        assert page.lines["database"].words.text() == "数据库完好"
        assert page.lines["clock-sync"].words.text() == "从未同步：本机尚未连接平台"
        assert page.details_button.text() == "详情"
        assert page.version.text() == f"版本 {__version__}" and page.version.isVisibleTo(page)

        qtbot.mouseClick(page.details_button, Qt.MouseButton.LeftButton)
        shown = _shown_texts(page)
        assert all(line.detail.isVisibleTo(page) for line in page.lines.values())
        assert all(any(word in text for text in shown) for word in ("quick_check", "journal_mode")), shown
        assert page.lines["database"].detail.text() == _detail(ui, "database"), "the detail as it is"
        assert page.details_button.text() == "收起详情"

        qtbot.mouseClick(page.details_button, Qt.MouseButton.LeftButton)
        assert not any(word in text for text in _shown_texts(page) for word in TECHNICAL)
    finally:
        window.exit_kiosk()
        ui.kiosk.close()


def _detail(ui: KioskUnderTest, name: str) -> str:
    report = ui.window.self_test.runner.last
    assert report is not None
    return _by_name(report)[name].detail


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_each_line_takes_the_colour_and_icon_of_its_state(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    """An unplugged camera fails, a nearly full disk warns, a kiosk never registered has no cloud to check."""
    monkeypatch.setattr(doctor, "free_bytes", lambda folder: 500 * 1024**2)
    ui = make_kiosk(
        tmp_path,
        language=language,
        source_factory=lambda: OpenCVDeviceSource(0, capture_factory=UnpluggedCamera),
    )
    window = ui.window
    qtbot.addWidget(window)
    try:
        with qtbot.waitSignal(window.self_test.finished, timeout=WAIT_MS):
            window.start()
        page = window.screen_self_test
        open_from_menu(qtbot, ui, window.screen_menu.self_test_button, page)
        expected = {
            "database": (Status.OK, "good", "✓"),
            "disk": (Status.WARN, "warn", "⚠"),
            "camera": (Status.FAIL, "bad", "✖"),
            "cloud": (Status.SKIPPED, "muted", "○"),
        }
        for name, (status, tone, mark) in expected.items():
            line = page.lines[name]
            assert line.check.status is status, name
            assert line.mark.text() == mark, name
            assert line.mark.property("tone") == tone, name
            assert line.words.property("tone") == tone, name
            assert line.advice.isVisibleTo(page) == (status in (Status.WARN, Status.FAIL)), name
        assert {line.words.property("tone") for line in page.lines.values()} <= {
            "good",
            "warn",
            "bad",
            "muted",
        }
    finally:
        window.exit_kiosk()
        ui.kiosk.close()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_the_page_fits_every_screen_size_with_and_without_details(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    monkeypatch.setattr(doctor, "free_bytes", lambda folder: 500 * 1024**2)  # a warning, with its advice
    ui = make_kiosk(tmp_path, language=language)
    window = ui.window
    qtbot.addWidget(window)
    try:
        with qtbot.waitSignal(window.self_test.finished, timeout=WAIT_MS):
            window.start()
        page = window.screen_self_test
        open_from_menu(qtbot, ui, window.screen_menu.self_test_button, page)
        for details in (False, True):
            if page.details_shown != details:
                qtbot.mouseClick(page.details_button, Qt.MouseButton.LeftButton)
            for size in SIZES:
                window.resize(*size)
                qtbot.wait(50)
                assert layout_problems(page) == [], (size, details)
    finally:
        window.exit_kiosk()
        ui.kiosk.close()
