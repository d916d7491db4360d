"""The status line at the bottom: sync state and records waiting, camera, clock, kiosk ID.

Above it, only when the last self-test found something, one more line says
what (``⚠ 自检：磁盘空间不足``); the coordinator's Self-test page has the rest.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.camera.frame_source import CameraState
from kiosk.services.doctor import Status
from kiosk.ui import theme
from kiosk.ui.self_test_words import STATUS_TONE, problem_phrase
from kiosk.ui.widgets.camera_view import NO_CAMERA_STATE
from kiosk.ui.widgets.retranslating import RetranslatingFrame

#: How many problems the self-test line names before it says "and N more".
SELF_TEST_NAMED = 2


class KioskStatusBar(RetranslatingFrame):
    """Plain words, each with a symbol, so nobody has to decode a colour."""

    def __init__(self, kiosk_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("statusBar")  # the theme's status bar band
        self._kiosk_id = kiosk_id
        self._waiting = 0
        self._registered = False
        self._last_sync: str | None = None  # local HH:MM of the last successful sync
        self._failing = False
        self._camera = str(CameraState.STARTING)
        self._self_test_status = Status.OK
        self._self_test_problems: list[str] = []
        self.sync_label = QLabel()
        self.sync_label.setWordWrap(True)  # with larger text ([ui] text_scale) the line must fit 1280 px
        self.camera_label = QLabel()
        self.clock_label = QLabel()
        self.kiosk_label = QLabel()
        self.self_test_label = QLabel()
        self.self_test_label.setObjectName("selfTestLine")
        for label in (self.sync_label, self.camera_label, self.clock_label, self.kiosk_label):
            theme.text_role(label, "caption", tone="muted")
        theme.text_role(self.self_test_label, "caption", strong=True)
        self.self_test_label.setWordWrap(True)
        self.self_test_label.hide()
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 6, 16, 6)
        outer.setSpacing(2)
        outer.addWidget(self.self_test_label)
        layout = QHBoxLayout()
        outer.addLayout(layout)
        layout.addWidget(self.sync_label)
        layout.addStretch()
        layout.addWidget(self.camera_label)
        layout.addStretch()
        layout.addWidget(self.clock_label)
        layout.addSpacing(theme.SPACE_M)
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

    def set_self_test(self, worst: Status, problems: list[str]) -> None:
        """The last self-test's worst status and the names of the checks that failed or warned."""
        self._self_test_status, self._self_test_problems = worst, list(problems)
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
        if self._camera == NO_CAMERA_STATE:  # set up without a camera: not a fault
            mark, camera = "○ ", self.tr("No camera: barcode scanner")
        self.camera_label.setText(mark + (camera or ""))
        self.kiosk_label.setText(self.tr("Kiosk %1").replace("%1", self._kiosk_id))
        self._retranslate_self_test()

    def _retranslate_self_test(self) -> None:
        problems = self._self_test_problems
        if self._self_test_status is Status.OK or not problems:
            self.self_test_label.hide()
            return
        named = [problem_phrase(name) for name in problems[:SELF_TEST_NAMED]]
        text = self.tr(", ").join(named)
        if len(problems) > SELF_TEST_NAMED:
            text += self.tr(" and %n more", "", len(problems) - SELF_TEST_NAMED)
        mark = "✖" if self._self_test_status is Status.FAIL else "⚠"
        self.self_test_label.setText(mark + " " + self.tr("Self-test: %1").replace("%1", text))
        theme.set_tone(self.self_test_label, STATUS_TONE[self._self_test_status])
        self.self_test_label.show()
