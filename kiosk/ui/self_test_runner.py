"""The self-test in the GUI: run on a plain thread, the report back on the UI thread by a signal.

The camera is not opened again: the window passes what its camera pipeline
has seen (:class:`~kiosk.services.camera_check.CameraObservation`), so the
self-test never competes with the capture thread for the device. The
database is read on the self-test's own read-only connection, never the
writer's, and the cloud is asked with a short time-out; nothing here blocks
a check-in.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.app import Kiosk
from kiosk.services.camera_check import CameraObservation, check_camera, no_camera_check
from kiosk.services.doctor import Check
from kiosk.services.self_test import SelfTestReport, SelfTestRequest, log_report, run_self_test

log = logging.getLogger(__name__)

CAMERA_WORDS = "the kiosk's camera"
JOIN_TIMEOUT_S = 10.0


class SelfTestRunner(QObject):
    """Runs one self-test at a time; ``finished(report)`` arrives on the UI thread."""

    finished = Signal(object)  # SelfTestReport
    _done = Signal(object)  # from the self-test thread

    def __init__(self, kiosk: Kiosk, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._kiosk = kiosk
        self._thread: threading.Thread | None = None
        self._closed = False
        self.last: SelfTestReport | None = None
        self._done.connect(self._on_done)

    @property
    def running(self) -> bool:
        """True while a self-test runs."""
        return self._thread is not None and self._thread.is_alive()

    def run(self, camera: CameraObservation | None) -> bool:
        """Start a self-test; ``camera`` is what the pipeline saw (None: the window has no camera).

        Returns False (and does nothing) while one is running or after :meth:`shutdown`.
        """
        if self._closed or self.running:
            return False
        request = SelfTestRequest(
            self._kiosk.config,
            self._kiosk.clock,
            report=self._kiosk.store.report,
            camera=self._camera_check(camera),
        )
        self._thread = threading.Thread(
            target=self._work, args=(request,), name="kiosk-self-test", daemon=True
        )
        self._thread.start()
        return True

    def _camera_check(self, camera: CameraObservation | None) -> Callable[[], Check] | None:
        if camera is not None:
            return partial(check_camera, camera, CAMERA_WORDS, True)
        if self._kiosk.config.get("camera", "source") == "none":
            return no_camera_check
        return None

    def shutdown(self) -> None:
        """The window closes: late reports are dropped; wait for a running self-test (its cloud time-out)."""
        self._closed = True
        if self._thread is not None:
            self._thread.join(JOIN_TIMEOUT_S)
            if self._thread.is_alive():
                log.error("the self-test did not finish in %.0f s", JOIN_TIMEOUT_S)

    def _work(self, request: SelfTestRequest) -> None:
        try:
            report = run_self_test(request)
            log_report(report)
        except Exception:  # run_self_test turns check errors into failures; this is a last guard
            log.exception("the self-test could not run")
            return
        if not self._closed:
            self._done.emit(report)

    @Slot(object)
    def _on_done(self, report: SelfTestReport) -> None:
        if self._closed:
            return
        self.last = report
        self.finished.emit(report)
