"""Which cameras this PC has: the OpenCV device indexes that open and deliver a frame.

The first-run setup lists them so the coordinator can pick one. Opening a
camera can take a second or more (Windows' media framework), so callers run
:func:`probe_devices` off the UI thread, and never while another part of the
kiosk holds a camera open (a device open twice may refuse the second).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kiosk.camera.device_source import Capture, open_video_capture

log = logging.getLogger(__name__)

MAX_DEVICE_INDEX = 5  # indexes 0..5: a kiosk PC has one or two cameras; Linux may skip numbers


def device_works(index: int, capture_factory: Callable[[int], Capture] = open_video_capture) -> bool:
    """Whether camera ``index`` opens and delivers one frame (it is released again)."""
    try:
        capture = capture_factory(index)
    except Exception:  # a broken driver is a camera that does not work, not a crash
        log.exception("camera %d: opening raised", index)
        return False
    try:
        if not capture.isOpened():
            return False
        ok, image = capture.read()
        return bool(ok) and image is not None
    except Exception:
        log.exception("camera %d: reading raised", index)
        return False
    finally:
        try:
            capture.release()
        except Exception:
            log.exception("camera %d: release raised", index)


def probe_devices(
    max_index: int = MAX_DEVICE_INDEX, capture_factory: Callable[[int], Capture] = open_video_capture
) -> list[int]:
    """The device indexes from 0 to ``max_index`` whose camera works, in order."""
    found = [index for index in range(max_index + 1) if device_works(index, capture_factory)]
    log.info("cameras found: %s", found or "none")
    return found


@dataclass(frozen=True)
class CameraChoice:
    """One camera the coordinator can choose, as the ``[camera]`` settings that name it.

    ``source`` is ``device`` (``device`` is an index or a device path),
    ``video`` or ``folder`` (``path``), ``synthetic`` (the demo camera) or
    ``none`` (no camera: a USB barcode scanner only).
    """

    source: str
    device: str = "0"
    path: str = ""

    def settings(self) -> dict[str, str]:
        """The ``[camera]`` settings that select this camera."""
        return {"source": self.source, "device": self.device, "path": self.path}


NO_CAMERA = CameraChoice("none")


def camera_choices(
    probed: Sequence[int], configured: Mapping[str, Any], offer_synthetic: bool
) -> list[CameraChoice]:
    """The cameras to offer: those found, the configured one (a file, a folder, a device path), the demo one.

    "No camera" (:data:`NO_CAMERA`) is not in the list: the setup always
    offers it on its own button.
    """
    choices = [CameraChoice("device", str(index)) for index in probed]
    source = str(configured.get("source", "device"))
    device, path = str(configured.get("device", "0")), str(configured.get("path", ""))
    if source == "device" and not device.isdigit():
        choices.append(CameraChoice("device", device))
    elif source in ("video", "folder") and path:
        choices.append(CameraChoice(source, path=path))
    if offer_synthetic or source == "synthetic":
        choices.append(CameraChoice("synthetic"))
    return choices


def configured_choice(choices: Sequence[CameraChoice], configured: Mapping[str, Any]) -> CameraChoice | None:
    """The choice the ``[camera]`` settings name now, if it is among ``choices`` (or is "no camera")."""
    source = str(configured.get("source", "device"))
    if source == "none":
        return NO_CAMERA
    for choice in choices:
        if choice.source != source:
            continue
        if source == "device" and choice.device == str(configured.get("device", "0")):
            return choice
        if source in ("video", "folder") and choice.path == str(configured.get("path", "")):
            return choice
        if source == "synthetic":
            return choice
    return None
