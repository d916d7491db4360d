"""The status line at the bottom: sync state and records waiting, camera, clock, kiosk ID."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from kiosk.camera.frame_source import CameraState
from kiosk.ui.widgets.retranslating import RetranslatingFrame


class KioskStatusBar(RetranslatingFrame):
    """Plain words, each with a symbol, so nobody has to decode a colour."""

    def __init__(self, kiosk_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")
        self.setStyleSheet("#statusBar { background: #ECEFF1; } QLabel { font-size: 18px; color: #37474F; }")
        self._kiosk_id = kiosk_id
        self._waiting = 0
        self._registered = False
        self._last_sync: str | None = None  # local HH:MM of the last successful sync
        self._failing = False
        self._camera = str(CameraState.STARTING)
        self.sync_label = QLabel()
        self.camera_label = QLabel()
        self.clock_label = QLabel()
        self.kiosk_label = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(16, 6, 16, 6)
        layout.addWidget(self.sync_label)
        layout.addStretch()
        layout.addWidget(self.camera_label)
        layout.addStretch()
        layout.addWidget(self.clock_label)
        layout.addWidget(self.kiosk_label, 0, Qt.AlignmentFlag.AlignRight)
        self.retranslate()

    def set_sync_state(self, waiting: int, registered: bool, last_sync: str | None, failing: bool) -> None:
        """Records waiting; whether a cloud is set up; the last success (HH:MM); a failing last try."""
        self._waiting, self._registered, self._last_sync, self._failing = (
            waiting,
            registered,
            last_sync,
            failing,
        )
        self.retranslate()

    def set_camera_state(self, state: str) -> None:
        self._camera = state
        self.retranslate()

    def set_clock(self, now: datetime) -> None:
        self.clock_label.setText(now.strftime("%Y-%m-%d %H:%M"))

    def retranslate(self) -> None:
        waiting = self.tr("%n record(s) waiting to sync", "", self._waiting)
        if not self._registered:
            state = "○ " + self.tr("Offline")
        elif self._failing:
            state = "▲ " + self.tr("Cannot reach the cloud, will retry")
        elif self._last_sync:
            state = "● " + self.tr("Synced at %1").replace("%1", self._last_sync)
        else:
            state = "○ " + self.tr("Connecting to the cloud")
        self.sync_label.setText(state + " · " + waiting)
        camera = {
            CameraState.LIVE: self.tr("Camera on"),
            CameraState.STARTING: self.tr("Camera starting"),
            CameraState.DISCONNECTED: self.tr("Camera not connected"),
            CameraState.RECONNECTING: self.tr("Camera reconnecting"),
            CameraState.ENDED: self.tr("Video ended"),
        }.get(CameraState(self._camera) if self._camera in set(CameraState) else CameraState.STARTING)
        mark = "● " if self._camera == CameraState.LIVE else "▲ "
        self.camera_label.setText(mark + (camera or ""))
        self.kiosk_label.setText(self.tr("Kiosk %1").replace("%1", self._kiosk_id))
