"""The self-test's camera check: a picture and its size, or a plain failure that names the scanner."""

from __future__ import annotations

import numpy as np
from helpers.fakes import UnpluggedCamera

from kiosk.camera.device_source import OpenCVDeviceSource
from kiosk.camera.frame_source import CameraState, Frame
from kiosk.camera.synthetic_source import SyntheticSource
from kiosk.services.camera_check import (
    CameraObservation,
    check_camera,
    describe_source,
    no_camera_check,
    probe_camera,
)
from kiosk.services.doctor import Status


class Silent:
    """A source that opened but never gives a picture."""

    closed = False

    @property
    def fps(self) -> float | None:
        return 50.0

    @property
    def state(self) -> CameraState:
        return CameraState.STARTING

    def read(self) -> Frame | None:
        return None

    def close(self) -> None:
        Silent.closed = True


def test_the_synthetic_camera_gives_a_picture_of_its_size_at_once() -> None:
    seen = probe_camera(lambda: SyntheticSource(["x"], size=(320, 240), fps=30))
    assert seen.state == CameraState.LIVE and seen.frame_size == (320, 240)
    assert seen.waited_s < 2
    check = check_camera(seen, "synthetic", required=True)
    assert check.status is Status.OK and check.detail.startswith("synthetic: picture 320×240")


def test_a_camera_that_is_not_there_is_not_waited_for() -> None:
    seen = probe_camera(lambda: OpenCVDeviceSource(0, capture_factory=UnpluggedCamera), timeout_s=30)
    assert seen.state == CameraState.DISCONNECTED and seen.frame_size is None and seen.waited_s < 1
    required = check_camera(seen, "device 0", required=True)
    assert required.status is Status.FAIL
    assert "not connected" in required.detail and "USB barcode scanner still work" in required.detail
    assert check_camera(seen, "device 0", required=False).status is Status.WARN


def test_a_camera_without_a_picture_times_out_and_is_closed() -> None:
    Silent.closed = False
    seen = probe_camera(Silent, timeout_s=0.2)
    assert seen.frame_size is None and 0.2 <= seen.waited_s < 2
    assert Silent.closed
    assert "no picture within" in check_camera(seen, "device 1", required=True).detail


def test_a_source_that_cannot_be_made_is_a_failure_with_the_reason() -> None:
    def broken() -> OpenCVDeviceSource:
        raise RuntimeError("driver exploded")

    check = check_camera(probe_camera(broken), "device 0", required=True)
    assert check.status is Status.FAIL and "driver exploded" in check.detail


def test_an_observation_from_the_running_kiosk_is_worded_the_same_way() -> None:
    live = CameraObservation("live", (1280, 720), 0.4)
    assert check_camera(live, "the kiosk's camera", True).detail == (
        "the kiosk's camera: picture 1280×720 after 0.4 s"
    )
    ended = CameraObservation("ended", None, 3.0)
    assert "the video has ended" in check_camera(ended, "video a.mp4", True).detail


def test_no_camera_set_up_does_not_apply_and_the_sources_are_named() -> None:
    assert no_camera_check().status is Status.SKIPPED  # grey: neither good nor a problem
    assert describe_source({"source": "device", "device": "/dev/video2"}) == "device /dev/video2"
    assert describe_source({"source": "video", "path": "demo.mp4"}) == "video demo.mp4"
    assert describe_source({"source": "synthetic"}) == "synthetic"


def test_a_black_frame_still_counts_as_a_picture() -> None:
    class Black(Silent):
        def read(self) -> Frame | None:
            return np.zeros((48, 64, 3), dtype=np.uint8)

    assert probe_camera(Black).frame_size == (64, 48)
