"""The camera pipeline: capture on one thread, decoding on another, the preview on the UI thread.

```
CaptureWorker (thread "kiosk-capture")
    reads the FrameSource at its rate -> LatestFrame (one slot: a newer frame replaces an older one)
                                     -> more LatestFrame slots (add_mailbox: the face worker's)
                                     -> preview_ready(QImage), only when the last preview was shown
DecodeWorker (thread "kiosk-decode")
    takes the latest frame when idle -> DecoderChain -> ScanGate -> code_seen(text, frame_time_ns)
FaceWorker (thread "kiosk-face", kiosk/ui/face_worker.py)
    takes the latest frame from its own slot when idle -> the current face task
```

Every slot gets the same array: readers never write into a frame.

Nothing queues up: a slow decode means frames are dropped, not delayed; a
slow screen means previews are skipped. The camera's state (live, unplugged,
reconnecting) is reported by ``camera_state_changed``.

When the first preview has been shown the kiosk is "camera-ready": the log
says so, and if ``KIOSK_READY_FILE`` names a file, the wall-clock time is
written there (``bench/bundle.py`` measures the bundle's cold start with it).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QMetaObject, QObject, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtGui import QImage

from kiosk.camera.decoder_chain import DecoderChain
from kiosk.camera.frame_source import CameraState, FrameSource
from kiosk.camera.scan_gate import ScanGate

log = logging.getLogger(__name__)

DECODE_POLL_MS = 5
DEFAULT_CAPTURE_INTERVAL_MS = 33
READY_FILE_ENV = "KIOSK_READY_FILE"


def announce_camera_ready(env: Mapping[str, str] | None = None) -> None:
    """Log that the first camera picture is on screen and, if asked, write the time to ``KIOSK_READY_FILE``.

    Never raises: a benchmark's marker must not stop a kiosk.
    """
    log.info("camera ready: the first picture is on screen")
    target = (os.environ if env is None else env).get(READY_FILE_ENV)
    if not target:
        return
    try:
        Path(target).write_text(f"{time.time():.6f}\n", encoding="utf-8")
    except OSError as error:
        log.warning("could not write the ready file %s: %s", target, error)


class LatestFrame:
    """A one-frame mailbox between the capture and decode threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._frame: np.ndarray | None = None
        self._captured_ns = 0
        self.dropped = 0

    def put(self, frame: np.ndarray, captured_ns: int) -> None:
        with self._lock:
            if self._frame is not None:
                self.dropped += 1
            self._frame, self._captured_ns = frame, captured_ns

    def take(self) -> tuple[np.ndarray, int] | None:
        with self._lock:
            if self._frame is None:
                return None
            frame, captured = self._frame, self._captured_ns
            self._frame = None
            return frame, captured


def _return_to_main_thread(worker: QObject) -> None:
    """Hand a stopped worker (and its timers) back to the main thread, which deletes it."""
    app = QCoreApplication.instance()
    if app is not None:
        worker.moveToThread(app.thread())


def frame_to_qimage(frame: np.ndarray) -> QImage:
    """A deep copy of a BGR (or gray) frame as a QImage the UI thread can own."""
    height, width = frame.shape[:2]
    if frame.ndim == 2:
        return QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_Grayscale8).copy()
    return QImage(frame.data, width, height, frame.strides[0], QImage.Format.Format_BGR888).copy()


class CaptureWorker(QObject):
    """Reads frames at the source's rate; lives on the capture thread."""

    preview_ready = Signal(QImage)
    camera_state_changed = Signal(str)

    def __init__(self, source_factory: Callable[[], FrameSource], mailbox: LatestFrame) -> None:
        super().__init__()
        self._source_factory = source_factory
        self._mailboxes: tuple[LatestFrame, ...] = (mailbox,)
        self._source: FrameSource | None = None
        # Made and connected here, on the main thread before any worker thread runs: it moves to the
        # capture thread with its parent. Connecting on a worker thread while another thread's timer
        # fires can deadlock PySide (the GIL against Qt's connection lock), seen as a hung test.
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._on_tick)
        self._state = ""
        self._preview_pending = threading.Event()
        self.frames = 0

    @Slot()
    def start(self) -> None:
        self._source = self._source_factory()
        fps = self._source.fps
        self._timer.setInterval(round(1000 / fps) if fps else DEFAULT_CAPTURE_INTERVAL_MS)
        self._timer.start()
        self._report_state()

    @Slot()
    def stop(self) -> None:
        self._timer.stop()
        if self._source is not None:
            self._source.close()
            self._source = None
        _return_to_main_thread(self)

    def preview_shown(self) -> None:
        """Called by the UI thread once it painted the last preview (thread-safe)."""
        self._preview_pending.clear()

    def add_mailbox(self, mailbox: LatestFrame) -> None:
        """Deliver every frame to ``mailbox`` too (thread-safe: the tuple is replaced whole)."""
        self._mailboxes = (*self._mailboxes, mailbox)

    @Slot()
    def _on_tick(self) -> None:
        if self._source is None:
            return
        try:
            frame = self._source.read()
        except Exception:  # a broken driver must not stop the kiosk; the source reconnects
            log.exception("camera read failed")
            frame = None
        self._report_state()
        if frame is None:
            return
        self.frames += 1
        captured_ns = time.perf_counter_ns()
        for mailbox in self._mailboxes:
            mailbox.put(frame, captured_ns)
        if not self._preview_pending.is_set():
            self._preview_pending.set()
            self.preview_ready.emit(frame_to_qimage(frame))

    def _report_state(self) -> None:
        state = self._source.state if self._source is not None else CameraState.DISCONNECTED
        if state != self._state:
            self._state = state
            self.camera_state_changed.emit(str(state))


class PollingWorker(QObject):
    """A worker that looks into its mailbox every ``poll_ms`` on its own thread (see the subclasses).

    ``start`` and ``stop`` run on the worker's thread (connected to the
    thread's ``started``, invoked blocking on stop); ``_on_poll`` does the work
    and ``_before_polling`` any set-up. Subclasses must not override the slots
    ``start`` and ``stop``: PySide then no longer sees them as slots and runs
    them on the thread that emitted ``started``'s receiver, the main thread.
    """

    poll_ms = DECODE_POLL_MS

    def __init__(self, mailbox: LatestFrame) -> None:
        super().__init__()
        self._mailbox = mailbox
        # Made and connected on the main thread, before the worker's thread runs (see CaptureWorker).
        self._timer = QTimer(self)
        self._timer.setInterval(self.poll_ms)
        self._timer.timeout.connect(self._on_poll)

    @Slot()
    def start(self) -> None:
        self._before_polling()
        self._timer.start()

    @Slot()
    def stop(self) -> None:
        self._timer.stop()
        _return_to_main_thread(self)

    def _before_polling(self) -> None:
        """Set-up on the worker's thread before the first poll (nothing by default)."""

    @Slot()
    def _on_poll(self) -> None:
        raise NotImplementedError


class DecodeWorker(PollingWorker):
    """Decodes the latest frame whenever it is free; lives on the decode thread."""

    code_seen = Signal(str, object)  # text, the capture time of its frame (perf_counter ns; > 32 bits)

    def __init__(self, chain: DecoderChain, gate: ScanGate, mailbox: LatestFrame) -> None:
        super().__init__(mailbox)
        self._chain = chain
        self._gate = gate
        self.decoded_frames = 0

    @Slot()
    def _on_poll(self) -> None:
        taken = self._mailbox.take()
        if taken is None:
            return
        frame, captured_ns = taken
        try:
            results = self._chain.decode(frame)
        except Exception:
            log.exception("decoder failed on a frame")
            return
        self.decoded_frames += 1
        now = time.monotonic()
        for result in results:
            if self._gate.offer(result.text, now):
                self.code_seen.emit(result.text, captured_ns)


class CameraPipeline(QObject):
    """Owns the capture and decode threads; the UI connects to its signals."""

    preview_ready = Signal(QImage)
    camera_state_changed = Signal(str)
    code_seen = Signal(str, object)

    def __init__(
        self, source_factory: Callable[[], FrameSource], chain: DecoderChain, gate: ScanGate
    ) -> None:
        super().__init__()
        self.mailbox = LatestFrame()
        self._capture_thread = QThread()
        self._capture_thread.setObjectName("kiosk-capture")
        self._decode_thread = QThread()
        self._decode_thread.setObjectName("kiosk-decode")
        self.capture = CaptureWorker(source_factory, self.mailbox)
        self.decode = DecodeWorker(chain, gate, self.mailbox)
        self.capture.moveToThread(self._capture_thread)
        self.decode.moveToThread(self._decode_thread)
        self._capture_thread.started.connect(self.capture.start)
        self._decode_thread.started.connect(self.decode.start)
        self.capture.preview_ready.connect(self.preview_ready)
        self.capture.camera_state_changed.connect(self.camera_state_changed)
        self.decode.code_seen.connect(self.code_seen)
        self._ready_announced = False

    def start(self) -> None:
        self._decode_thread.start()
        self._capture_thread.start()

    def stop(self) -> None:
        for thread, worker in ((self._capture_thread, self.capture), (self._decode_thread, self.decode)):
            if thread.isRunning():
                QMetaObject.invokeMethod(worker, "stop", Qt.ConnectionType.BlockingQueuedConnection)
                thread.quit()
                if not thread.wait(5000):
                    log.error("thread %s did not stop in 5 s", thread.objectName())

    def preview_shown(self) -> None:
        """The UI thread painted the last preview: capture may send the next (the first one marks ready)."""
        self.capture.preview_shown()
        if not self._ready_announced:
            self._ready_announced = True
            announce_camera_ready()
