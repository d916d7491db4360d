"""The webcam source survives being unplugged: it reports it, backs off, and comes back by itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
from helpers.fakes import camera_state

from kiosk.camera import CameraState, FrameSource, OpenCVDeviceSource


@dataclass
class FakeWorld:
    """A USB port: the device is plugged in or not; counts what the source did."""

    plugged: bool = True
    opens: list[float] = field(default_factory=list)
    reads: int = 0
    released: int = 0
    now: float = 100.0
    gray: bool = False
    sizes: list[tuple[int, float]] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    def factory(self, device: int | str) -> FakeCapture:
        self.opens.append(self.now)
        return FakeCapture(self, opened=self.plugged)


class FakeCapture:
    def __init__(self, world: FakeWorld, opened: bool) -> None:
        self.world = world
        self.opened = opened

    def isOpened(self) -> bool:
        return self.opened

    def read(self) -> tuple[bool, Any]:
        self.world.reads += 1
        if not (self.opened and self.world.plugged):
            return False, None
        shape = (480, 640) if self.world.gray else (480, 640, 3)
        return True, np.full(shape, 7, dtype=np.uint8)

    def set(self, prop_id: int, value: float, /) -> bool:
        self.world.sizes.append((prop_id, value))
        return True

    def release(self) -> None:
        self.world.released += 1
        self.opened = False


def make(world: FakeWorld) -> OpenCVDeviceSource:
    return OpenCVDeviceSource(0, capture_factory=world.factory, clock=world.clock)


def live_source(world: FakeWorld) -> OpenCVDeviceSource:
    source = make(world)
    assert source.read() is None  # this read opens the device
    assert source.read() is not None
    return source


def test_the_device_opens_only_when_first_read_and_then_delivers_frames() -> None:
    world = FakeWorld()
    source = make(world)
    assert world.opens == [] and source.state is CameraState.STARTING
    assert source.read() is None
    assert source.state is CameraState.STARTING and len(world.opens) == 1
    frame = source.read()
    assert frame is not None and frame.shape == (480, 640, 3) and frame.dtype == np.uint8
    assert camera_state(source) is CameraState.LIVE
    assert source.fps is None
    assert isinstance(source, FrameSource)


def test_the_requested_size_is_asked_of_the_device() -> None:
    world = FakeWorld()
    source = OpenCVDeviceSource(0, width=1280, height=720, capture_factory=world.factory, clock=world.clock)
    source.read()
    assert [value for _, value in world.sizes] == [1280, 720]


def test_unplugging_shows_disconnected_and_retries_with_doubling_back_off_capped_at_8_s() -> None:
    world = FakeWorld()
    source = live_source(world)
    world.plugged = False
    lost_at = world.now
    assert source.read() is None
    assert source.state is CameraState.DISCONNECTED
    assert world.released == 1
    world.opens.clear()
    # Poll every 0.1 s for 40 s, as the capture thread would.
    for _ in range(400):
        world.now = round(world.now + 0.1, 6)
        assert source.read() is None
        assert source.state is CameraState.DISCONNECTED
    gaps = np.diff([lost_at, *world.opens]).round(6).tolist()
    assert gaps[:6] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]


def test_a_read_does_at_most_one_open_attempt_or_one_device_read() -> None:
    world = FakeWorld()
    source = live_source(world)
    world.plugged = False
    for _ in range(60):
        before = (len(world.opens), world.reads)
        source.read()
        after = (len(world.opens), world.reads)
        assert (after[0] - before[0]) + (after[1] - before[1]) <= 1
        world.now += 0.25


def test_plugging_back_in_reconnects_and_goes_live_with_the_back_off_reset() -> None:
    world = FakeWorld()
    source = live_source(world)
    world.plugged = False
    source.read()
    world.now += 0.5
    source.read()  # failed retry: the next wait is 1 s
    world.plugged = True
    world.now += 0.9
    assert source.read() is None and camera_state(source) is CameraState.DISCONNECTED  # still waiting
    world.now += 0.1
    assert source.read() is None
    assert camera_state(source) is CameraState.RECONNECTING
    assert source.read() is not None
    assert camera_state(source) is CameraState.LIVE
    assert source.retry_delay == 0.5


def test_a_device_missing_at_start_is_disconnected_not_an_error() -> None:
    world = FakeWorld(plugged=False)
    source = make(world)
    assert source.read() is None
    assert source.state is CameraState.DISCONNECTED


@pytest.mark.parametrize("failure", ["factory", "read"])
def test_driver_exceptions_become_a_disconnection(failure: str) -> None:
    world = FakeWorld()

    def raising_factory(device: int | str) -> FakeCapture:
        raise RuntimeError("driver exploded")

    class RaisingCapture(FakeCapture):
        def read(self) -> tuple[bool, Any]:
            raise RuntimeError("driver exploded")

    factory = raising_factory if failure == "factory" else (lambda device: RaisingCapture(world, True))
    source = OpenCVDeviceSource(0, capture_factory=factory, clock=world.clock)
    for _ in range(3):
        assert source.read() is None
    assert source.state is CameraState.DISCONNECTED


def test_gray_frames_from_the_device_are_handed_out_as_bgr() -> None:
    world = FakeWorld(gray=True)
    source = make(world)
    source.read()
    frame = source.read()
    assert frame is not None and frame.shape == (480, 640, 3)


def test_close_releases_the_device_and_later_reads_return_nothing() -> None:
    world = FakeWorld()
    source = live_source(world)
    source.close()
    assert world.released == 1
    assert source.read() is None
    assert source.state is CameraState.DISCONNECTED
    assert len(world.opens) == 1
