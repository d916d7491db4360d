"""From a camera frame to the row in the database to the result card, with real threads."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from helpers.gui import make_kiosk
from pytestqt.qtbot import QtBot

from kiosk.camera.device_source import OpenCVDeviceSource
from kiosk.camera.file_sources import ImageFolderSource
from kiosk.camera.synthetic_source import SyntheticSource
from kiosk.services.outcome import OutcomeKind

WAIT_MS = 20_000
DATASET = Path(__file__).resolve().parents[2].parent / "shared" / "datasets" / "qr-photos"
# Codes of other systems from the dataset: a URL, Japanese text, binary content, a vCard.
FOREIGN_IMAGES = ("qrcode-2/14.png", "qrcode-2/31.png", "qrcode-2/33.png", "qrcode-1/16.png")


def test_a_card_in_front_of_the_camera_is_checked_in(qtbot: QtBot, tmp_path: Path) -> None:
    holder: list[str] = []
    ui = make_kiosk(
        tmp_path,
        source_factory=lambda: SyntheticSource(
            holder, size=(640, 480), fps=20, seed=5, dwell_frames=30, gap_frames=5
        ),
    )
    holder.append(ui.card())
    qtbot.addWidget(ui.window)
    try:
        with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS) as blocker:
            ui.window.start()
        outcome, request = blocker.args
        assert outcome.kind is OutcomeKind.CHECKED_IN and request.method.value == "qr"
        assert ui.events() == [("V000000001", "in", "qr")]
        assert "Checked in" in ui.window.screen_kiosk.result.title.text()
        qtbot.waitUntil(
            lambda: "Camera on" in ui.window.screen_kiosk.status.camera_label.text(), timeout=WAIT_MS
        )
        # The card stays in view: the scan gate makes it one scan, not one per frame.
        qtbot.wait(1500)
        assert len(ui.events()) == 1
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()


class FlakyCamera:
    """A cv2.VideoCapture stand-in for a USB webcam that is unplugged and plugged back in."""

    plugged = True

    def __init__(self, device: object) -> None:
        self._open = FlakyCamera.plugged

    def isOpened(self) -> bool:
        return self._open and FlakyCamera.plugged

    def read(self) -> tuple[bool, np.ndarray | None]:
        if not (self._open and FlakyCamera.plugged):
            return False, None
        return True, np.full((480, 640, 3), 90, dtype=np.uint8)

    def set(self, prop: int, value: float) -> bool:
        return True

    def release(self) -> None:
        self._open = False


def test_an_unplugged_camera_is_reported_and_comes_back(qtbot: QtBot, tmp_path: Path) -> None:
    FlakyCamera.plugged = True
    ui = make_kiosk(tmp_path, source_factory=lambda: OpenCVDeviceSource(0, capture_factory=FlakyCamera))
    qtbot.addWidget(ui.window)
    status = ui.window.screen_kiosk.status.camera_label
    panel = ui.window.screen_kiosk.idle.title
    try:
        ui.window.start()
        qtbot.waitUntil(lambda: "Camera on" in status.text(), timeout=WAIT_MS)
        assert panel.text() == "Hold your volunteer QR code up to the camera"
        FlakyCamera.plugged = False
        qtbot.waitUntil(
            lambda: "not connected" in status.text() or "reconnecting" in status.text(), timeout=WAIT_MS
        )
        assert ui.window.isVisible()
        # no "hold your QR code up to the camera" without a camera: the scanner (or the coordinator)
        assert panel.text() == "Scan your volunteer card with the barcode scanner"
        FlakyCamera.plugged = True
        qtbot.waitUntil(lambda: "Camera on" in status.text(), timeout=WAIT_MS)
        assert panel.text() == "Hold your volunteer QR code up to the camera"
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()


@pytest.mark.skipif(not DATASET.is_dir(), reason="the shared qr-photos dataset is not beside the project")
def test_foreign_codes_from_the_dataset_are_refused_and_nothing_is_written(
    qtbot: QtBot, tmp_path: Path
) -> None:
    folder = tmp_path / "frames"
    folder.mkdir()
    for index, name in enumerate(FOREIGN_IMAGES):
        (folder / f"{index:02d}.png").symlink_to(DATASET / name)
    ui = make_kiosk(tmp_path / "data", source_factory=lambda: ImageFolderSource(folder, fps=10))
    qtbot.addWidget(ui.window)
    refused: list[str] = []
    ui.window.result_shown.connect(lambda outcome, _: refused.append(outcome.reason))
    try:
        ui.window.start()
        qtbot.waitUntil(lambda: len(refused) >= 3, timeout=WAIT_MS)
        assert set(refused) <= {"foreign", "malformed"}
        assert "Not a volunteer code" in ui.window.screen_kiosk.result.title.text() or "read" in (
            ui.window.screen_kiosk.result.title.text()
        )
        assert ui.events() == []
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()
