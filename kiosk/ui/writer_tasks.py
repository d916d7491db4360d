"""Run a function on the writer thread and get its result back on the UI thread.

The desk's screens write (manual sign-ins, corrections) and some reads want
the writer's view; all of it must run on the one writer thread, and the
answer must come back to the screen without blocking it. This is the small
``run_task(func, next_func)`` of the guide::

    tasks = WriterTasks(writer_worker)
    tasks.run(lambda: desk.sign_in(ids, activity, actor, reason), self._on_signed_in)

``next_func`` runs on the UI thread with the function's result; an exception
in the function is logged and handed to ``on_error`` if given (else dropped).
"""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from kiosk.ui.writer_worker import WriterCall, WriterWorker

log = logging.getLogger(__name__)


class WriterTasks(QObject):
    """Hands functions to the writer thread; calls the continuation with the result on this thread."""

    task_submitted = Signal(object)  # WriterCall -> the writer's run_task

    def __init__(self, writer: WriterWorker, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._next_id = itertools.count(1)
        self._waiting: dict[int, tuple[Callable[[Any], None], Callable[[BaseException], None] | None]] = {}
        self.task_submitted.connect(writer.run_task)
        writer.task_finished.connect(self._on_task_finished)

    def run(
        self,
        fn: Callable[[], Any],
        next_fn: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run ``fn`` on the writer thread, then ``next_fn(result)`` here."""
        call = WriterCall(fn)
        call.task_id = next(self._next_id)
        self._waiting[call.task_id] = (next_fn, on_error)
        self.task_submitted.emit(call)

    @property
    def pending(self) -> int:
        """Tasks handed over whose answer has not come back yet."""
        return len(self._waiting)

    @Slot(object)
    def _on_task_finished(self, call: WriterCall) -> None:
        callbacks = self._waiting.pop(call.task_id, None)
        if callbacks is None:
            return  # another WriterTasks' task
        next_fn, on_error = callbacks
        if call.error is not None:
            log.error("a desk task failed: %r", call.error)
            if on_error is not None:
                on_error(call.error)
            return
        next_fn(call.result)
