"""The setup's camera: at most one camera pipeline open at a time, with its preview and decoded codes.

The provisioning page reads the setup QR code with it, the camera page shows
the chosen camera and its test scan. Opening another camera closes the one
before first, so a device is never opened twice; the setup closes it before
the kiosk window opens its own.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QImage

from kiosk.camera.decoder_chain import default_chain
from kiosk.camera.frame_source import FrameSource
from kiosk.camera.scan_gate import ScanGate
from kiosk.ui.camera_pipeline import CameraPipeline

SourceFactory = Callable[[], FrameSource]


class PreviewCamera(QObject):
    """One camera pipeline at a time; its signals are re-emitted while it is the open one."""

    preview_ready = Signal(QImage)
    camera_state_changed = Signal(str)
    code_seen = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pipeline: CameraPipeline | None = None

    @property
    def is_open(self) -> bool:
        """Whether a camera is open now."""
        return self._pipeline is not None

    def open(self, factory: SourceFactory) -> None:
        """Close the camera open now (if any), then start ``factory``'s."""
        self.close()
        # A short window: a code taken away and shown again is read again (a second try).
        pipeline = CameraPipeline(factory, default_chain(), ScanGate(window_s=1.0, cooldown_s=3.0))
        pipeline.preview_ready.connect(self._on_preview_ready)
        pipeline.camera_state_changed.connect(self._on_camera_state_changed)
        pipeline.code_seen.connect(self._on_code_seen)
        self._pipeline = pipeline
        pipeline.start()

    def close(self) -> None:
        """Stop the camera's threads and release the device (nothing if none is open)."""
        pipeline, self._pipeline = self._pipeline, None
        if pipeline is not None:
            pipeline.preview_ready.disconnect(self._on_preview_ready)
            pipeline.camera_state_changed.disconnect(self._on_camera_state_changed)
            pipeline.code_seen.disconnect(self._on_code_seen)
            pipeline.stop()
            self.camera_state_changed.emit("disconnected")

    @Slot(QImage)
    def _on_preview_ready(self, image: QImage) -> None:
        if self._pipeline is not None:
            self.preview_ready.emit(image)
            self._pipeline.preview_shown()

    @Slot(str)
    def _on_camera_state_changed(self, state: str) -> None:
        if self._pipeline is not None:
            self.camera_state_changed.emit(state)

    @Slot(str, object)
    def _on_code_seen(self, text: str, _captured_ns: object) -> None:
        if self._pipeline is not None:
            self.code_seen.emit(text)
