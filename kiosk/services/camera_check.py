"""The self-test's camera check: is there a picture, and how big is it.

Two ways to look: :func:`probe_camera` opens the configured source, reads
until a frame comes (or a few seconds pass) and closes it again (``kiosk run
--self-test``, ``kiosk doctor``); the running kiosk instead hands over what
its camera pipeline already saw (:class:`CameraObservation`), so the device
is never opened twice. :func:`check_camera` words either the same way.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from kiosk.camera.frame_source import CameraState, FrameSource
from kiosk.services.doctor import Check, Status

log = logging.getLogger(__name__)

PROBE_TIMEOUT_S = 3.0
PROBE_IDLE_SLEEP_S = 0.01
SCANNER_STILL_WORKS = "cards by USB barcode scanner still work"


@dataclass(frozen=True)
class CameraObservation:
    """What a camera did: its state, the size of a frame it gave (None: no frame), how long it was given."""

    state: str
    frame_size: tuple[int, int] | None  # (width, height)
    waited_s: float
    error: str | None = None


def probe_camera(
    factory: Callable[[], FrameSource],
    timeout_s: float = PROBE_TIMEOUT_S,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> CameraObservation:
    """Open a source, read until the first frame or ``timeout_s``, close it; what it did.

    A source that reports itself disconnected (a device that would not open) or
    ended is not waited for: the answer comes at once.
    """
    started = clock()
    try:
        source = factory()
    except Exception as exc:  # a broken driver or a bad setting: the self-test reports it
        log.warning("camera probe: the source could not be made: %s", exc)
        return CameraObservation(str(CameraState.DISCONNECTED), None, 0.0, str(exc))
    try:
        pause = 1.0 / source.fps if source.fps else PROBE_IDLE_SLEEP_S
        while True:
            frame = source.read()
            waited = clock() - started
            if frame is not None:
                height, width = frame.shape[:2]
                return CameraObservation(str(CameraState.LIVE), (int(width), int(height)), waited)
            state = source.state
            if state in (CameraState.DISCONNECTED, CameraState.ENDED) or waited >= timeout_s:
                return CameraObservation(str(state), None, waited)
            sleep(pause)
    finally:
        source.close()


def check_camera(observation: CameraObservation, source: str, required: bool) -> Check:
    """The camera check from what the camera did; a missing picture fails only where ``required``.

    ``source`` names the configured source for the words (``device 0``,
    ``video demo.mp4``, ``synthetic``).
    """
    if observation.frame_size is not None:
        width, height = observation.frame_size
        return Check(
            "camera", Status.OK, f"{source}: picture {width}×{height} after {observation.waited_s:.1f} s"
        )
    bad = Status.FAIL if required else Status.WARN
    if observation.error is not None:
        why = f"could not be opened ({observation.error})"
    elif observation.state == CameraState.ENDED:
        why = "the video has ended"
    elif observation.state == CameraState.DISCONNECTED:
        why = "not connected or could not be opened"
    else:
        why = f"no picture within {observation.waited_s:.0f} s"
    return Check(
        "camera",
        bad,
        f"{source}: {why}; check the cable and [camera] in config.toml ({SCANNER_STILL_WORKS})",
    )


def no_camera_check() -> Check:
    """The camera check of a kiosk set up without a camera (``[camera] source = "none"``)."""
    return Check(
        "camera", Status.SKIPPED, f"no camera is set up ([camera] source = none); {SCANNER_STILL_WORKS}"
    )


def describe_source(values: Mapping[str, object]) -> str:
    """The ``[camera]`` settings in a few words: ``device 0``, ``video demo.mp4``, ``synthetic``."""
    kind = str(values.get("source", "device"))
    if kind == "device":
        return f"device {values.get('device', '0')}"
    if kind in ("video", "folder"):
        return f"{kind} {values.get('path', '')}".strip()
    return kind
