"""The self-test on screen, in both languages: a warning in the status bar, and the coordinator's page.

Run with ``KIOSK_SCREENSHOTS=docs/screenshots`` to refresh the pictures in the
docs (``kiosk-self-test-*.png``, at 1920×1080, and at 1280×800 in
``1280x800/``); otherwise they go to a temporary folder and are only
checked. Every state is run through the layout audit at every screen size.
The disk is made to look nearly full, so one check warns; a kiosk never
registered has no platform to check ("not used here"); the page is shot with
its technical detail hidden (as it opens) and shown ("Details").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.coordinator import open_from_menu
from helpers.fakes import UnpluggedCamera, make_activity
from helpers.gui import make_kiosk
from helpers.screenshots import Shooter, screenshot_folder
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.camera.device_source import OpenCVDeviceSource
from kiosk.camera.frame_source import FrameSource
from kiosk.camera.synthetic_source import SyntheticSource
from kiosk.config import DataDir
from kiosk.services import data_folder_check, doctor, self_test
from kiosk.services.doctor import Check, Status

WAIT_MS = 20_000


def _as_on_a_stick(monkeypatch: pytest.MonkeyPatch) -> None:
    """The data folder as a venue would see it (a stick), not this test's temporary path."""
    real_check = data_folder_check.check_data_folder

    def check_shown_as_on_a_stick(data: DataDir, exe_dir: Path | None = None) -> Check:
        check = real_check(data, exe_dir)
        return replace(check, detail=check.detail.replace(str(data.path), r"E:\kiosk-data"))

    monkeypatch.setattr(self_test, "check_data_folder", check_shown_as_on_a_stick)


def _empty_scene() -> FrameSource:
    return SyntheticSource([], size=(640, 480), fps=15, seed=3)


def _unplugged() -> FrameSource:
    return OpenCVDeviceSource(0, capture_factory=UnpluggedCamera)


def _shoot(
    qtbot: QtBot,
    tmp_path: Path,
    language: str,
    camera: Callable[[], FrameSource],
    worst: Status,
    states: list[str],
) -> None:
    """Start a kiosk, shoot the status bar's line, open the Self-test page by taps and shoot ``states``."""
    ui = make_kiosk(tmp_path / "data", make_activity(capacity=30), language=language, source_factory=camera)
    window = ui.window
    qtbot.addWidget(window)
    shooter = Shooter(qtbot, window, "kiosk", language, screenshot_folder(tmp_path))
    try:
        with qtbot.waitSignal(window.self_test.finished, timeout=WAIT_MS) as blocker:
            window.start()
        assert blocker.args[0].worst is worst
        line = window.screen_kiosk.status.self_test_label
        assert line.isVisible() and line.text().startswith("⚠ " if worst is Status.WARN else "✖ ")
        qtbot.wait(300)
        if "self-test-warning" in states:
            shooter.shot("self-test-warning")
        page = window.screen_self_test
        open_from_menu(qtbot, ui, window.screen_menu.self_test_button, page)
        assert len(page.lines) == len(self_test.CHECK_ORDER)
        for state in states:
            if state == "self-test-warning":
                continue
            if page.details_shown != state.endswith("details"):
                qtbot.mouseClick(page.details_button, Qt.MouseButton.LeftButton)
            shooter.shot(state)
    finally:
        window.exit_kiosk()
        ui.kiosk.close()
    shooter.assert_clean()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_screenshots_of_the_self_test(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    monkeypatch.setattr(doctor, "free_bytes", lambda folder: 700 * 1024**2)
    _as_on_a_stick(monkeypatch)
    states = ["self-test-warning", "self-test", "self-test-details"]
    _shoot(qtbot, tmp_path, language, _empty_scene, Status.WARN, states)


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_screenshot_of_a_failed_camera_on_the_self_test_page(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    _as_on_a_stick(monkeypatch)
    _shoot(qtbot, tmp_path, language, _unplugged, Status.FAIL, ["self-test-camera-failed"])
