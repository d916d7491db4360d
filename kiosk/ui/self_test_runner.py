"""The self-test in the GUI: run as a task of its own runner's thread, the report back on the UI thread.

The camera is not opened again: the window passes what its camera pipeline
has seen (:class:`~kiosk.services.camera_check.CameraObservation`), so the
self-test never competes with the capture thread for the device. The
database is read on the self-test's own read-only connection, never the
writer's, and the cloud is asked with a short time-out; nothing here blocks
a check-in.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject, Signal

from kiosk.clock import Clock
from kiosk.config import Config
from kiosk.services.camera_check import CameraObservation, check_camera, no_camera_check
from kiosk.services.doctor import Check
from kiosk.services.self_test import SelfTestReport, SelfTestRequest, log_report, run_self_test
from kiosk.store.database import OpenReport
from kiosk.ui.tasks import TaskRunner

log = logging.getLogger(__name__)

CAMERA_WORDS = "the kiosk's camera"


class SelfTestRunner(QObject):
    """Runs one self-test at a time on ``runner``'s thread; ``finished(report)`` arrives on the UI thread."""

    finished = Signal(object)  # SelfTestReport

    def __init__(
        self,
        config: Config,
        clock: Clock,
        store_report: OpenReport,
        runner: TaskRunner,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._config = config
        self._clock = clock
        self._store_report = store_report
        self._runner = runner
        self._running = False
        self._closed = False
        self.last: SelfTestReport | None = None

    @property
    def running(self) -> bool:
        """True while a self-test runs."""
        return self._running

    def run(self, camera: CameraObservation | None) -> bool:
        """Start a self-test; ``camera`` is what the pipeline saw (None: the window has no camera).

        Returns False (and does nothing) while one is running or after :meth:`shutdown`.
        """
        if self._closed or self._running:
            return False
        request = SelfTestRequest(
            self._config, self._clock, report=self._store_report, camera=self._camera_check(camera)
        )
        self._running = True
        self._runner.run(partial(_run, request), self._on_done, self._on_failed)
        return True

    def _camera_check(self, camera: CameraObservation | None) -> Callable[[], Check] | None:
        if camera is not None:
            return partial(check_camera, camera, CAMERA_WORDS, True)
        if self._config.get("camera", "source") == "none":
            return no_camera_check
        return None

    def shutdown(self) -> None:
        """The window closes: late reports are dropped; wait for a running self-test (its cloud time-out)."""
        self._closed = True
        self._runner.close()

    def _on_done(self, report: SelfTestReport) -> None:
        self._running = False
        if self._closed:
            return
        self.last = report
        self.finished.emit(report)

    def _on_failed(self, exc: Exception) -> None:
        # run_self_test turns check errors into failures; this is a last guard
        self._running = False
        log.error("the self-test could not run: %r", exc)


def _run(request: SelfTestRequest) -> SelfTestReport:
    """On the self-test's thread: run it and log its report."""
    report = run_self_test(request)
    log_report(report)
    return report
