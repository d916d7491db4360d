"""The kiosk window's self-test: when it runs, what the camera showed it, where its report goes.

At every start the self-test waits for the camera's first picture (or for the
camera to say it has none, or :data:`CAMERA_WAIT_MS`), then runs with what
the camera pipeline saw, never opening the device itself. Its report goes to
the log (by the runner), to the status bar as one line when a check warned or
failed, and to the coordinator's Self-test page, where "Check again" runs it
once more.
"""

from __future__ import annotations

import time
from datetime import tzinfo

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QImage

from kiosk.camera.frame_source import CameraState
from kiosk.clock import Clock
from kiosk.services.camera_check import CameraObservation
from kiosk.services.self_test import SelfTestReport
from kiosk.ui.screens.self_test_page import SelfTestPage
from kiosk.ui.self_test_runner import SelfTestRunner
from kiosk.ui.widgets.status_bar import KioskStatusBar

CAMERA_WAIT_MS = 5_000  # the start-up self-test waits this long at most for a first picture


class SelfTestController(QObject):
    """Owns the runner and the page; the window feeds it the camera's signals."""

    finished = Signal(object)  # SelfTestReport, after the status bar and the page show it

    def __init__(
        self, runner: SelfTestRunner, clock: Clock, status_bar: KioskStatusBar, has_camera: bool
    ) -> None:
        super().__init__()
        self._clock = clock
        self._status_bar = status_bar
        self._has_camera = has_camera
        self.runner = runner
        self.page = SelfTestPage()
        self._camera_state = str(CameraState.STARTING)
        self._camera_size: tuple[int, int] | None = None
        self._started_at = time.monotonic()
        self._pending = False
        self._closed = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._run_start_up)
        self.page.run_requested.connect(self.run)
        self.runner.finished.connect(self._on_finished)

    def start(self) -> None:
        """The window started: run the self-test once the camera has had its chance."""
        self._started_at = time.monotonic()
        self._pending = True
        self._timer.start(CAMERA_WAIT_MS if self._has_camera else 0)

    def shutdown(self) -> None:
        """The window closes: no more runs; waits for one that is running."""
        self._closed = True
        self._timer.stop()
        self.runner.shutdown()

    @Slot(QImage)
    def on_preview(self, image: QImage) -> None:
        """A camera picture (``CameraPipeline.preview_ready``): the camera works, at this size."""
        self._camera_size = (image.width(), image.height())
        if self._pending:
            self._run_start_up()

    @Slot(str)
    def on_camera_state(self, state: str) -> None:
        """The camera's state (``CameraPipeline.camera_state_changed``)."""
        self._camera_state = state
        if self._pending and state in (CameraState.DISCONNECTED, CameraState.ENDED):
            self._run_start_up()

    def camera_observation(self) -> CameraObservation | None:
        """What the camera pipeline has shown so far (None: the window has no camera)."""
        if not self._has_camera:
            return None
        live = self._camera_state == CameraState.LIVE and self._camera_size is not None
        waited = time.monotonic() - self._started_at
        return CameraObservation(self._camera_state, self._camera_size if live else None, waited)

    @Slot()
    def _run_start_up(self) -> None:
        if not self._pending or self._closed:
            return
        self._pending = False
        self._timer.stop()
        self.run()

    @Slot()
    def run(self) -> None:
        """Run the self-test now (unless one is running); the page says it is checking."""
        if not self._closed and self.runner.run(self.camera_observation()):
            self.page.show_running()

    def _timezone(self) -> tzinfo:
        tz = self._clock.now().local.tzinfo
        assert tz is not None
        return tz

    @Slot(object)
    def _on_finished(self, report: SelfTestReport) -> None:
        if self._closed:
            return
        self._status_bar.set_self_test(report.worst, [c.name for c in report.problems()])
        self.page.show_report(report, self._timezone())
        self.finished.emit(report)
