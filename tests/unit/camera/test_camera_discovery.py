"""Finding the cameras that work, and what the setup offers to choose."""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np

from kiosk.camera.discovery import NO_CAMERA, CameraChoice, camera_choices, configured_choice, probe_devices


class FakeCapture:
    """Cameras 0 and 2 deliver frames; 1 opens but gives none; 3 raises; the rest do not open."""

    released: ClassVar[list[int]] = []

    def __init__(self, index: int) -> None:
        if index == 3:
            raise RuntimeError("driver crashed")
        self.index = index

    def isOpened(self) -> bool:
        return self.index in (0, 1, 2)

    def read(self) -> tuple[bool, Any]:
        if self.index == 1:
            return False, None
        return True, np.zeros((4, 4, 3), np.uint8)

    def set(self, prop_id: int, value: float, /) -> bool:
        return True

    def release(self) -> None:
        FakeCapture.released.append(self.index)


def test_only_cameras_that_deliver_a_frame_are_found_and_every_one_is_released() -> None:
    FakeCapture.released = []
    assert probe_devices(5, FakeCapture) == [0, 2]
    assert FakeCapture.released == [0, 1, 2, 4, 5]


def test_the_choices_are_the_cameras_found_the_configured_source_and_the_demo_camera_on_request() -> None:
    device = {"source": "device", "device": "0", "path": ""}
    assert camera_choices([0, 2], device, False) == [CameraChoice("device", "0"), CameraChoice("device", "2")]
    assert configured_choice(
        camera_choices([0, 2], device, False), {**device, "device": "2"}
    ) == CameraChoice("device", "2")
    assert configured_choice(camera_choices([], device, False), device) is None  # configured, but not found
    folder = {"source": "folder", "device": "0", "path": "/cards"}
    choices = camera_choices([], folder, True)
    assert choices == [CameraChoice("folder", path="/cards"), CameraChoice("synthetic")]
    assert configured_choice(choices, folder) == CameraChoice("folder", path="/cards")
    by_path = {"source": "device", "device": "/dev/video4", "path": ""}
    assert camera_choices([0], by_path, False) == [
        CameraChoice("device", "0"),
        CameraChoice("device", "/dev/video4"),
    ]
    assert configured_choice([], {"source": "none"}) == NO_CAMERA
    assert NO_CAMERA.settings() == {"source": "none", "device": "0", "path": ""}
