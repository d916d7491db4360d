"""The setup's background work: one thread, results back on the UI thread.

Before the kiosk window exists there is no writer thread, so the setup has
its own single-thread executor: it is the only user of the store's writing
connection while the setup runs (the UI thread never touches the database),
and it also makes the network calls of registration, which nothing else
waits for during setup. This is the guide's ``run_task(func, next_func)``::

    tasks = SerialTasks("kiosk-setup")
    tasks.run(lambda: register(code), self._on_registered, self._on_failed)

``next_func`` and ``on_error`` run on the UI thread. After :meth:`shutdown`
no continuation runs (the window is gone).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

log = logging.getLogger(__name__)


class _Job:
    def __init__(
        self,
        fn: Callable[[], Any],
        next_fn: Callable[[Any], None],
        on_error: Callable[[Exception], None] | None,
    ) -> None:
        self.fn = fn
        self.next_fn = next_fn
        self.on_error = on_error
        self.result: Any = None
        self.error: Exception | None = None


class SerialTasks(QObject):
    """Runs functions one after the other on its own thread; ``pending`` counts those not answered yet."""

    _finished = Signal(object)  # _Job, from the worker thread to this object's (the UI) thread
    idle = Signal()  # every task handed over has been answered

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._pending = 0
        self._closed = False
        self._finished.connect(self._on_finished)

    @property
    def pending(self) -> int:
        """Tasks handed over whose continuation has not run yet."""
        return self._pending

    def run(
        self,
        fn: Callable[[], Any],
        next_fn: Callable[[Any], None],
        on_error: Callable[[Exception], None] | None = None,
    ) -> None:
        """Run ``fn`` on the setup thread, then ``next_fn(result)`` (or ``on_error(exc)``) here."""
        if self._closed:
            log.warning("a setup task was handed over after shutdown; dropped")
            return
        self._pending += 1
        self._pool.submit(self._work, _Job(fn, next_fn, on_error))

    def _work(self, job: _Job) -> None:
        try:
            job.result = job.fn()
        except Exception as exc:  # handed to on_error on the UI thread
            job.error = exc
        self._finished.emit(job)

    @Slot(object)
    def _on_finished(self, job: _Job) -> None:
        self._pending -= 1
        if not self._closed:
            if job.error is None:
                job.next_fn(job.result)
            elif job.on_error is not None:
                job.on_error(job.error)
            else:
                log.error("a setup task failed: %r", job.error, exc_info=job.error)
        if self._pending == 0:
            self.idle.emit()

    def shutdown(self) -> None:
        """Wait for the task running now (and those queued) to end; drop their continuations."""
        self._closed = True
        self._pool.shutdown(wait=True)
