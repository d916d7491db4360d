"""Every page of the first-run setup, in both languages, rendered offscreen and run through the layout audit.

``make screenshots`` refreshes the pictures in ``docs/deploy.md``
(:mod:`helpers.screenshots`: 1920x1080 and 1280x800, audited at 1366x768
too); otherwise they go to a temporary folder and are only checked. ``KIOSK_TRANSLATIONS=DIR`` renders with the compiled translations
of DIR instead of ``resources/i18n`` (texts not merged there yet). The
camera pictures are synthetic renders (``SyntheticSource``), never photos.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from helpers.cloud_server import running_cloud
from helpers.screenshots import MAIN_SIZE, Shooter, screenshot_folder
from helpers.setup_gui import WAIT_MS, launcher_for, new_kiosk, setup_deps, write_config
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from checkin_protocol.provisioning_qr import provisioning_qr_text
from kiosk.camera.frame_source import CameraState
from kiosk.camera.synthetic_source import SyntheticSource
from kiosk.ui.camera_pipeline import frame_to_qimage
from kiosk.ui.setup.wizard import SetupWizard
from kiosk.ui.widgets.camera_view import CameraView

TRANSLATIONS = Path(os.environ["KIOSK_TRANSLATIONS"]) if os.environ.get("KIOSK_TRANSLATIONS") else None


def _show_picture(view: CameraView, text: str, seed: int) -> None:
    """A synthetic camera picture of the QR code of ``text`` on the preview."""
    source = SyntheticSource([text], size=(640, 480), fps=15, seed=seed, dwell_frames=50, gap_frames=1)
    frame = None
    for _ in range(3):
        frame = source.read()
    assert frame is not None
    view.set_camera_state(str(CameraState.LIVE))
    view.show_frame(frame_to_qimage(frame))


def _as_on_a_stick(qtbot: QtBot, wizard: SetupWizard) -> None:
    """Show the records folder as on a venue's stick, not the test's temporary folder (the picture only)."""
    qtbot.waitUntil(
        lambda: wizard.page_done.summary is not None and wizard.tasks.pending == 0, timeout=WAIT_MS
    )
    summary = wizard.page_done.summary
    assert summary is not None
    wizard.page_done.set_summary(replace(summary, data_folder="E:\\kiosk-data", portable=True))


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_screenshots_of_every_setup_page(qtbot: QtBot, tmp_path: Path, language: str) -> None:
    data = tmp_path / "kiosk-data"
    write_config(data, kiosk={"language": language})
    kiosk = new_kiosk(data)
    # No camera is opened: the pictures are painted by hand, so every screenshot is the same each run.
    launcher, _ = launcher_for(
        kiosk, setup_deps(cameras=[0, 1], source_for=lambda _config: None), translations=TRANSLATIONS
    )
    with running_cloud(tmp_path / "cloud") as cloud:
        setup_qr = provisioning_qr_text(cloud.base_url, cloud.provision())
        launcher.start()
        wizard = launcher.wizard
        assert isinstance(wizard, SetupWizard)
        qtbot.addWidget(wizard)
        wizard.resize(*MAIN_SIZE)
        qtbot.waitUntil(lambda: wizard.step == "language", timeout=WAIT_MS)
        shooter = Shooter(qtbot, wizard, "setup", language, screenshot_folder(tmp_path))

        def shot(name: str) -> None:
            qtbot.waitUntil(lambda: wizard.tasks.pending == 0, timeout=WAIT_MS)
            shooter.shot(name)

        try:
            shot("language")
            qtbot.mouseClick(wizard.page_language.next_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: wizard.step == "provisioning", timeout=WAIT_MS)
            page = wizard.page_provisioning
            qtbot.waitUntil(lambda: wizard.tasks.pending == 0, timeout=WAIT_MS)
            _show_picture(page.camera, setup_qr, seed=4)
            shot("connect")
            wizard.provisioning.submit_text("https://weixin.qq.com/r/not-a-setup-code")
            shot("connect-refused")
            unreachable = provisioning_qr_text("http://127.0.0.1:9", cloud.provision())
            with qtbot.waitSignal(wizard.provisioning.code_handled, timeout=WAIT_MS):
                wizard.provisioning.submit_text(unreachable)
            shot("connect-unreachable")
            qtbot.mouseClick(page.offline_button, Qt.MouseButton.LeftButton)
            shot("offline")
            qtbot.mouseClick(page.offline_back_button, Qt.MouseButton.LeftButton)
            with qtbot.waitSignal(wizard.provisioning.code_handled, timeout=WAIT_MS):
                wizard.provisioning.submit_text(setup_qr)
            page.camera.set_camera_state(str(CameraState.DISCONNECTED))
            shot("connected")
            qtbot.mouseClick(page.next_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: bool(wizard.page_camera.choice_buttons), timeout=WAIT_MS)
            qtbot.waitUntil(lambda: wizard.tasks.pending == 0, timeout=WAIT_MS)
            _show_picture(wizard.page_camera.camera, "VC1:a-volunteer-card-held-up-for-the-test", seed=9)
            wizard.page_camera.set_test("read")
            shot("camera")
            qtbot.mouseClick(wizard.page_camera.next_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: wizard.step == "coordinator", timeout=WAIT_MS)
            coordinator = wizard.page_coordinator
            coordinator.name_edit.setText(
                "王芳" if language == "zh_CN" else "Wang Fang"
            )  # an input method types it
            qtbot.keyClicks(coordinator.pin_edit, "246813")
            qtbot.keyClicks(coordinator.again_edit, "246814")
            qtbot.mouseClick(coordinator.add_button, Qt.MouseButton.LeftButton)
            shot("coordinator")
            coordinator.again_edit.setText("246813")
            qtbot.mouseClick(coordinator.add_button, Qt.MouseButton.LeftButton)
            qtbot.waitUntil(lambda: wizard.step == "done", timeout=WAIT_MS)
            _as_on_a_stick(qtbot, wizard)
            shot("done")
        finally:
            wizard.close()
            kiosk.close()
    pictures = shooter.pictures.values()
    assert len({bytes(img.constBits()) for img in pictures}) == len(pictures), "every page looks different"
    shooter.assert_clean()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_screenshot_of_the_summary_of_a_kiosk_set_up_offline(
    qtbot: QtBot, tmp_path: Path, language: str
) -> None:
    data = tmp_path / "kiosk-data"
    write_config(data, kiosk={"language": language}, camera={"source": "none"})
    kiosk = new_kiosk(data)
    launcher, _ = launcher_for(kiosk, setup_deps(), translations=TRANSLATIONS)
    launcher.start()
    wizard = launcher.wizard
    assert isinstance(wizard, SetupWizard)
    qtbot.addWidget(wizard)
    wizard.resize(*MAIN_SIZE)
    shooter = Shooter(qtbot, wizard, "setup", language, screenshot_folder(tmp_path))
    try:
        qtbot.waitUntil(lambda: wizard.step == "language", timeout=WAIT_MS)
        wizard.show_step("provisioning")
        page = wizard.page_provisioning
        qtbot.waitUntil(lambda: page.panels.currentWidget() is page.options, timeout=WAIT_MS)
        qtbot.mouseClick(page.offline_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(page.continue_offline_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: wizard.step == "camera", timeout=WAIT_MS)
        qtbot.waitUntil(lambda: wizard.page_camera.selected is not None, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: wizard.tasks.pending == 0, timeout=WAIT_MS)
        shooter.shot("camera-none")
        qtbot.mouseClick(wizard.page_camera.next_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: wizard.step == "coordinator", timeout=WAIT_MS)
        coordinator = wizard.page_coordinator
        coordinator.name_edit.setText("李老师" if language == "zh_CN" else "Ms Li")
        coordinator.pin_edit.setText("135724")
        coordinator.again_edit.setText("135724")
        qtbot.mouseClick(coordinator.add_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: wizard.step == "done", timeout=WAIT_MS)
        qtbot.waitUntil(lambda: wizard.page_done.warning.isVisibleTo(wizard.page_done), timeout=WAIT_MS)
        qtbot.waitUntil(lambda: wizard.tasks.pending == 0, timeout=WAIT_MS)
        _as_on_a_stick(qtbot, wizard)
        shooter.shot("done-offline")
    finally:
        wizard.close()
        kiosk.close()
    shooter.assert_clean()
