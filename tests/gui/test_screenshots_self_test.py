"""The self-test on screen, in both languages: a warning in the status bar, and the coordinator's page.

Run with ``KIOSK_SCREENSHOTS=docs/screenshots`` to refresh the pictures in the
docs (``kiosk-self-test-*.png``); otherwise they go to a temporary folder and
are only checked. The disk is made to look nearly full, so one check warns.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.fakes import make_activity
from helpers.gui import make_kiosk
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from kiosk.camera.synthetic_source import SyntheticSource
from kiosk.config import DataDir
from kiosk.services import data_folder_check, doctor, self_test
from kiosk.services.doctor import Check, Status

WAIT_MS = 20_000
SIZE = (1280, 800)


def _target(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("KIOSK_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_screenshots_of_the_self_test(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    monkeypatch.setattr(doctor, "free_bytes", lambda folder: 700 * 1024**2)
    real_check = data_folder_check.check_data_folder

    def check_shown_as_on_a_stick(data: DataDir, exe_dir: Path | None = None) -> Check:
        """The data folder as a venue would see it (a stick), not this test's temporary path."""
        check = real_check(data, exe_dir)
        return replace(check, detail=check.detail.replace(str(data.path), r"E:\kiosk-data"))

    monkeypatch.setattr(self_test, "check_data_folder", check_shown_as_on_a_stick)
    ui = make_kiosk(
        tmp_path / "data",
        make_activity(capacity=30),
        language=language,
        source_factory=lambda: SyntheticSource([], size=(640, 480), fps=15, seed=3),  # an empty scene
    )
    window = ui.window
    qtbot.addWidget(window)
    window.resize(*SIZE)
    folder = _target(tmp_path)
    try:
        with qtbot.waitSignal(window.self_test.finished, timeout=WAIT_MS) as blocker:
            window.start()
        assert blocker.args[0].worst is Status.WARN
        line = window.screen_kiosk.status.self_test_label
        assert line.isVisible() and line.text().startswith("⚠ ")
        qtbot.wait(300)
        kiosk_shot = window.grab()
        assert kiosk_shot.width() == SIZE[0]
        kiosk_shot.save(str(folder / f"kiosk-self-test-warning-{language}.png"))
        window._show_menu()  # as after a good PIN
        qtbot.mouseClick(window.screen_menu.self_test_button, Qt.MouseButton.LeftButton)
        assert window.pages.currentWidget() is window.screen_self_test
        assert len(window.screen_self_test.row_labels) == len(self_test.CHECK_ORDER)
        qtbot.wait(100)
        window.grab().save(str(folder / f"kiosk-self-test-{language}.png"))
    finally:
        window.exit_kiosk()
        ui.kiosk.close()
