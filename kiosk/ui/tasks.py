"""The one way the GUI runs work off the UI thread: ``runner.run(fn, then, on_error)``.

This is the guide's ``run_task(func, next_func)`` (after Picard)::

    writer.run(lambda: desk.check_in(ids, activity, actor, reason), self._on_checked_in, self._on_failed)

``fn`` runs on the runner's thread; ``then(result)`` or ``on_error(exc)``
runs afterwards on the UI thread (an error with no ``on_error`` is logged).
``call(fn)`` runs ``fn`` there too and waits for its result, for the few
places that must (the sync thread's database work on the writer thread).
After :meth:`TaskRunner.close` the tasks already handed over still run, in
order, but their answers are dropped (the window is gone).

The backends:

- :class:`ThreadRunner`: a ``QThread`` of its own with a :class:`TaskWorker`
  on it. The database writer is one (its worker is
  :class:`~kiosk.ui.writer_worker.WriterWorker`: every database write of the
  kiosk window goes through it); the sync, the self-test and the setup's
  camera search have plain ones.
- :class:`InlineRunner`: runs each function at once on the calling thread,
  so tests of a controller are deterministic and need no threads.

PySide6 lesson of this project: every signal and timer of a worker is made
and connected *before* its thread starts (a ``connect`` on the worker's
thread while a timer fired deadlocked PySide: the GIL against Qt's
connection lock). :class:`ThreadRunner` connects everything in its
constructor; a :class:`TaskWorker` subclass makes its timers in its own
constructor and only starts them in :meth:`TaskWorker.start`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot

log = logging.getLogger(__name__)

T = TypeVar("T")
ErrorHandler = Callable[[Exception], None]


class TaskRunner(Protocol):
    """Runs functions off the UI thread (or inline, in tests); answers come back on the UI thread."""

    @property
    def pending(self) -> int:
        """Tasks handed over whose answer has not come back yet."""
        ...

    def run(
        self,
        fn: Callable[[], T],
        then: Callable[[T], None] | None = None,
        on_error: ErrorHandler | None = None,
    ) -> None:
        """Run ``fn`` on the runner's thread, then ``then(result)`` (or ``on_error(exc)``) on this one."""
        ...

    def call(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` on the runner's thread and wait for its result (its exception is raised here)."""
        ...

    def close(self) -> None:
        """Let the tasks handed over finish, drop their answers, and end the runner's thread."""
        ...


class _Job:
    """One function handed to a runner, with its continuation and, once run, its result or error."""

    __slots__ = ("error", "fn", "on_error", "result", "then")

    def __init__(
        self, fn: Callable[[], Any], then: Callable[[Any], None] | None, on_error: ErrorHandler | None
    ):
        self.fn = fn
        self.then = then
        self.on_error = on_error
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.fn()
        except BaseException as exc:  # handed back to the caller: nothing kills the runner's thread
            self.error = exc

    def answer(self, runner: str) -> None:
        """Call the continuation (on the UI thread)."""
        if self.error is None:
            if self.then is not None:
                self.then(self.result)
        elif isinstance(self.error, Exception) and self.on_error is not None:
            log.warning("%s: a task failed: %r", runner, self.error)
            self.on_error(self.error)
        else:
            log.error("%s: a task failed", runner, exc_info=self.error)


class InlineRunner:
    """Runs each function at once on the calling thread, its answer right after (tests)."""

    def __init__(self, name: str = "inline") -> None:
        self.name = name
        self._closed = False

    @property
    def pending(self) -> int:
        """Always 0: every answer has come back by the time :meth:`run` returns."""
        return 0

    def run(
        self,
        fn: Callable[[], T],
        then: Callable[[T], None] | None = None,
        on_error: ErrorHandler | None = None,
    ) -> None:
        """Run ``fn`` now, then ``then(result)`` (or ``on_error(exc)``)."""
        job = _Job(fn, then, on_error)
        job.run()
        if not self._closed:
            job.answer(self.name)

    def call(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` now and return its result."""
        return fn()

    def close(self) -> None:
        """Answers of later tasks are dropped, like a closed thread's."""
        self._closed = True


class TaskWorker(QObject):
    """The object on a :class:`ThreadRunner`'s thread that runs its tasks.

    Subclasses add slots of their own (the writer's scans) and timers, made
    in their constructor and started in :meth:`thread_started`. They never
    override this class's slots: PySide6 then calls the override through a
    receiver on the main thread (seen here: ``start`` ran on the UI thread,
    and ``stop`` waited forever for a UI thread that was waiting for it).
    """

    job_done = Signal(object)  # _Job, back to the runner on the UI thread

    @Slot()
    def start(self) -> None:
        """The thread started (connected to ``QThread.started``)."""
        self.thread_started()

    def thread_started(self) -> None:
        """Called on this thread when it starts; subclasses start their timers here."""

    def thread_stopping(self) -> None:
        """Called on this thread before it ends, after every task handed over; subclasses stop timers here."""

    @Slot(object)
    def run_job(self, job: _Job) -> None:
        """Run a task of :meth:`ThreadRunner.run` and send it back with its result or error."""
        job.run()
        self.job_done.emit(job)
        self.after_job()

    def after_job(self) -> None:
        """Called on this thread after each task of :meth:`ThreadRunner.run` was sent back."""

    @Slot(object)
    def call_job(self, job: _Job) -> None:
        """Run a task of :meth:`ThreadRunner.call` (its caller waits)."""
        job.run()

    @Slot()
    def stop(self) -> None:
        """The thread's last task: hand this worker back to the main thread and end the thread's loop.

        Tasks are queued in order, so every task handed over before has run.
        """
        self.thread_stopping()
        thread = QThread.currentThread()
        app = QCoreApplication.instance()
        if app is not None:
            self.moveToThread(app.thread())
        thread.quit()


class ThreadRunner(QObject):
    """A thread of its own with a :class:`TaskWorker` on it; a :class:`TaskRunner`.

    The thread starts with :meth:`start`, or with the first task; ``stop_wait_s``
    is how long :meth:`close` waits for the tasks under way (``None``: until
    they are done, as the writer must).
    """

    _submitted = Signal(object)  # _Job -> worker.run_job
    _call_requested = Signal(object)  # _Job -> worker.call_job, the caller blocked
    _stop_requested = Signal()  # -> worker.stop, after the tasks queued before

    def __init__(
        self,
        name: str,
        worker: TaskWorker | None = None,
        *,
        stop_wait_s: float | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.name = name
        self.worker = worker if worker is not None else TaskWorker()
        self.qthread = QThread()
        self.qthread.setObjectName(name)
        self._stop_wait_s = stop_wait_s
        self._pending = 0
        self._started = False
        self._closed = False
        self.worker.moveToThread(self.qthread)
        # Every connection is made here, before the thread starts (see the module docstring).
        queued = Qt.ConnectionType.QueuedConnection
        self.qthread.started.connect(self.worker.start)
        self._submitted.connect(self.worker.run_job, queued)
        self._call_requested.connect(self.worker.call_job, Qt.ConnectionType.BlockingQueuedConnection)
        self._stop_requested.connect(self.worker.stop, queued)
        self.worker.job_done.connect(self._on_job_done, queued)

    @property
    def pending(self) -> int:
        """Tasks handed over whose answer has not come back yet."""
        return self._pending

    def start(self) -> None:
        """Start the thread (once; a closed runner never starts again)."""
        if not self._started and not self._closed:
            self._started = True
            self.qthread.start()

    def run(
        self,
        fn: Callable[[], T],
        then: Callable[[T], None] | None = None,
        on_error: ErrorHandler | None = None,
    ) -> None:
        """Run ``fn`` on the thread, then ``then(result)`` (or ``on_error(exc)``) on this object's thread."""
        if self._closed:
            log.warning("%s: a task was handed over after close; dropped", self.name)
            return
        self.start()
        self._pending += 1
        self._submitted.emit(_Job(fn, then, on_error))

    def call(self, fn: Callable[[], T]) -> T:
        """Run ``fn`` on the thread and wait for it (from any other thread; on the thread itself, run it)."""
        if self.worker.thread() is QThread.currentThread():
            return fn()
        self.start()
        if self._closed or not self.qthread.isRunning():
            raise RuntimeError(f"{self.name}: the thread is not running")
        job = _Job(fn, None, None)
        self._call_requested.emit(job)
        if job.error is not None:
            raise job.error
        result: T = job.result
        return result

    def close(self) -> None:
        """Let the tasks handed over finish, drop their answers, and end the thread."""
        if self._closed:
            return
        self._closed = True
        if not self.qthread.isRunning():
            return
        self._stop_requested.emit()
        if self._stop_wait_s is None:
            stopped = self.qthread.wait()
        else:
            stopped = self.qthread.wait(int(self._stop_wait_s * 1000))
        if not stopped:
            log.error("the %s thread did not stop in %.0f s", self.name, self._stop_wait_s or 0)

    @Slot(object)
    def _on_job_done(self, job: _Job) -> None:
        self._pending -= 1
        if not self._closed:
            job.answer(self.name)
