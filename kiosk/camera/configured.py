"""The frame source the configuration names: a webcam, a video, a folder of photos, or the demo's synthetic cards.

``kiosk run`` opens it on the capture thread, and the self-test opens the
same factory, so the check opens exactly what the kiosk screen opens. No Qt.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from kiosk.camera.device_source import OpenCVDeviceSource
from kiosk.camera.file_sources import ImageFolderSource, VideoFileSource
from kiosk.camera.frame_source import FrameSource
from kiosk.camera.synthetic_source import SyntheticSource
from kiosk.config import Config

DEMO_CARDS_SHOWN = 12
DEMO_FOREIGN_CODE = "https://example.com/this-is-not-a-volunteer-card"


def configured_camera(config: Config) -> Callable[[], FrameSource] | None:
    """The factory of the configured camera, or ``None`` for ``source = "none"`` (a USB scanner only)."""
    if config.get("camera", "source") == "none":
        return None
    return camera_factory(config)


def camera_factory(config: Config) -> Callable[[], FrameSource]:
    """A factory for the configured frame source (built on the capture thread).

    ``ValueError`` for ``source = "none"``; :func:`configured_camera` answers ``None`` for it.
    """
    source = config.get("camera", "source")
    if source == "none":
        raise ValueError("camera.source is none: this kiosk has no camera")
    width, height = int(config.get("camera", "width")), int(config.get("camera", "height"))
    fps = float(config.get("camera", "fps"))
    path = Path(str(config.get("camera", "path")))
    if source == "video":
        return lambda: VideoFileSource(path)
    if source == "folder":
        return lambda: ImageFolderSource(path, fps=fps)
    if source == "synthetic":
        texts = demo_scene_texts(config)
        # Each card stays 3 s and the scene is empty for 2 s: one result card at a time.
        dwell, gap = round(fps * 3), round(fps * 2)
        return lambda: SyntheticSource(
            texts, size=(width, height), fps=fps, dwell_frames=dwell, gap_frames=gap
        )
    device_text = str(config.get("camera", "device"))
    device: int | str = int(device_text) if device_text.isdigit() else device_text
    return lambda: OpenCVDeviceSource(device, width=width, height=height)


def demo_scene_texts(config: Config) -> list[str]:
    """The demo cards the synthetic camera shows, with one foreign code among them."""
    cards_csv = config.demo_dir / "cards" / "cards.csv"
    texts: list[str] = []
    if cards_csv.exists():
        with cards_csv.open(encoding="utf-8-sig", newline="") as fh:
            texts = [row["card"] for row in csv.DictReader(fh)][:DEMO_CARDS_SHOWN]
    texts.insert(min(5, len(texts)), DEMO_FOREIGN_CODE)
    return texts
