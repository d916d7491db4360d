"""The face thread: runs the current face task on the latest camera frame, off the UI thread.

```
CaptureWorker --(its own LatestFrame slot)--> FaceWorker (thread "kiosk-face")
    when idle and a task is set: task.feed(frame, now) -> update(result) when not None
```

The worker knows nothing about faces itself: a *task* does the work. The
kiosk screen sets an identification task, the desk's enrolment page an
enrolment task (``kiosk/face/session.py``, ``kiosk/face/enrol_capture.py``);
with no task, frames are dropped unread (nothing runs, nothing is kept).
A task is any object with ``feed(frame, at) -> object | None``; whatever it
returns (except ``None``) is emitted with :attr:`FaceWorker.update` together
with the task, so a receiver can ignore updates of a task it has replaced.

A face frame costs 100-200 ms (dlib), so most frames are skipped, as the
decoder skips them: the worker always takes the newest. The engine's models
are loaded on this thread when it starts (:attr:`FaceWorker.ready`), so the
first volunteer does not wait for them and start-up is not slowed.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Protocol

import numpy as np
from PySide6.QtCore import QMetaObject, QObject, Qt, QThread, Signal, Slot

from kiosk.face.engine import FaceEngine, FaceEngineError
from kiosk.ui.camera_pipeline import CameraPipeline, LatestFrame, PollingWorker

log = logging.getLogger(__name__)

FACE_POLL_MS = 10


class FaceTask(Protocol):
    """Work done on each frame the face thread takes."""

    def feed(self, frame: np.ndarray, at: float) -> object | None:
        """Process one BGR frame seen at ``at`` (monotonic seconds); a result to emit, or None."""
        ...


class FaceWorker(PollingWorker):
    """Feeds the latest frame to the current task; lives on the face thread."""

    update = Signal(object, object)  # (task, what its feed returned)
    ready = Signal(bool)  # the engine's models loaded (True) or could not be (False)
    poll_ms = FACE_POLL_MS

    def __init__(self, engine: FaceEngine, mailbox: LatestFrame) -> None:
        super().__init__(mailbox)
        self.engine = engine
        self._lock = threading.Lock()
        self._task: FaceTask | None = None
        self.frames = 0

    @property
    def task(self) -> FaceTask | None:
        """The task frames go to now."""
        with self._lock:
            return self._task

    def set_task(self, task: FaceTask | None) -> None:
        """Send the next frames to ``task`` (None: to nothing). Thread-safe; frames already waiting are dropped."""
        with self._lock:
            self._task = task
        self._mailbox.take()

    def _before_polling(self) -> None:
        """Load the engine's models (here, not on the UI thread)."""
        load = getattr(self.engine, "load", None)
        ok = True
        if callable(load):
            try:
                load()
            except (FaceEngineError, OSError, RuntimeError) as exc:
                log.error("the face engine could not load its models: %s", exc)
                ok = False
        self.ready.emit(ok)

    @Slot()
    def _on_poll(self) -> None:
        taken = self._mailbox.take()
        task = self.task
        if taken is None or task is None:
            return
        frame, _captured_ns = taken
        try:
            result = task.feed(frame, time.monotonic())
        except Exception:  # one bad frame must not stop face check-in; the QR path is unaffected anyway
            log.exception("the face task failed on a frame")
            return
        self.frames += 1
        if result is not None:
            self.update.emit(task, result)


class FaceThread(QObject):
    """Owns the face thread and its worker, fed by a camera pipeline's capture."""

    update = Signal(object, object)
    ready = Signal(bool)

    def __init__(self, engine: FaceEngine, pipeline: CameraPipeline) -> None:
        super().__init__()
        self.mailbox = LatestFrame()
        self._thread = QThread()
        self._thread.setObjectName("kiosk-face")
        self.worker = FaceWorker(engine, self.mailbox)
        self.worker.moveToThread(self._thread)
        self._thread.started.connect(self.worker.start)
        self.worker.update.connect(self.update)
        self.worker.ready.connect(self.ready)
        pipeline.capture.add_mailbox(self.mailbox)

    @property
    def engine(self) -> FaceEngine:
        return self.worker.engine

    def set_task(self, task: FaceTask | None) -> None:
        """See :meth:`FaceWorker.set_task`."""
        self.worker.set_task(task)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        if self._thread.isRunning():
            self.worker.set_task(None)
            QMetaObject.invokeMethod(self.worker, "stop", Qt.ConnectionType.BlockingQueuedConnection)
            self._thread.quit()
            if not self._thread.wait(5000):
                log.error("thread kiosk-face did not stop in 5 s")
