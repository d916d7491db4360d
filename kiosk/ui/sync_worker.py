"""Background sync for the GUI: a plain thread running the sync client's rounds.

Network calls happen on the sync thread; every database access the client
makes is run on the one writer thread through :class:`WriterExecutor` (a
blocking queued call), so the process keeps exactly one writing connection
and a slow server never delays a check-in. After each round the window is
told by a queued signal; a pull that changed keys or revocations reloads the
verifier on the writer thread.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Qt, Signal

from kiosk.app import Kiosk
from kiosk.sync.client import SyncClient, open_sync_client
from kiosk.sync.errors import SyncError
from kiosk.sync.reports import SyncReport
from kiosk.ui.writer_worker import WriterCall, WriterWorker

log = logging.getLogger(__name__)
T = TypeVar("T")


class WriterExecutor(QObject):
    """Runs a function on the writer thread and waits for it (call it from any other thread)."""

    call_requested = Signal(object)

    def __init__(self, writer: WriterWorker) -> None:
        super().__init__()
        self.call_requested.connect(writer.run_call, Qt.ConnectionType.BlockingQueuedConnection)

    def __call__(self, fn: Callable[[], T]) -> T:
        call = WriterCall(fn)
        self.call_requested.emit(call)
        if call.error is not None:
            raise call.error
        result: Any = call.result
        return result  # type: ignore[no-any-return]


class SyncRunner(QObject):
    """Owns the sync thread; ``round_finished`` arrives on the UI thread after every round."""

    round_finished = Signal(object)  # SyncReport

    def __init__(self, kiosk: Kiosk, writer: WriterWorker) -> None:
        super().__init__()
        self._kiosk = kiosk
        self._executor = WriterExecutor(writer)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.client: SyncClient | None = None

    def start(self) -> bool:
        """Start syncing if this kiosk is registered with a cloud; False if it is not."""
        try:
            self.client = open_sync_client(
                self._kiosk.store, self._kiosk.kiosk_id, self._kiosk.clock, executor=self._executor
            )
        except SyncError:
            log.info("not registered with a cloud: the kiosk works offline")
            return False
        self._thread = threading.Thread(target=self._run, name="kiosk-sync", daemon=True)
        self._thread.start()
        return True

    def sync_now(self) -> None:
        if self.client is not None:
            self.client.sync_now()

    def stop(self) -> None:
        """Ask the sync thread to stop after its current request and wait for it."""
        self._stop.set()
        if self.client is not None:
            self.client.sync_now()  # wakes a thread that is waiting out its back-off
        if self._thread is not None:
            self._thread.join(timeout=40)
            if self._thread.is_alive():
                log.error("the sync thread did not stop in 40 s")

    def _run(self) -> None:
        assert self.client is not None
        self.client.run_with_backoff(self._stop, self._on_report)

    def _on_report(self, report: SyncReport) -> None:
        if report.trust_changed and not self._stop.is_set():
            self._executor(self._kiosk.reload_trust)
        self.round_finished.emit(report)
