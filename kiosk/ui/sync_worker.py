"""Background sync for the GUI: the sync client's rounds, as one long task of the sync thread's runner.

Network calls happen on the sync thread; every database access the client
makes runs on the one writer thread through the writer's ``call`` (it
waits for the answer), so the process keeps exactly one writing connection
and a slow server never delays a check-in. After each round the window is
told by a queued signal; a pull that changed keys or revocations reloads the
kiosk's :class:`~kiosk.services.current_trust.CurrentTrust` on the writer
thread, in one swap.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Signal

from kiosk.clock import Clock
from kiosk.services.current_trust import CurrentTrust
from kiosk.store.database import Store
from kiosk.sync.client import SyncClient, open_sync_client
from kiosk.sync.errors import SyncError
from kiosk.sync.reports import SyncReport
from kiosk.ui.tasks import TaskRunner

log = logging.getLogger(__name__)


class SyncRunner(QObject):
    """Syncs on the ``worker`` runner's thread; ``round_finished`` arrives on the UI thread after every round."""

    round_finished = Signal(object)  # SyncReport

    def __init__(
        self,
        store: Store,
        kiosk_id: str,
        clock: Clock,
        trust: CurrentTrust,
        writer: TaskRunner,
        worker: TaskRunner,
    ) -> None:
        super().__init__()
        self._store = store
        self._kiosk_id = kiosk_id
        self._clock = clock
        self._trust = trust
        self._writer = writer
        self._worker = worker
        self._stop = threading.Event()
        self.client: SyncClient | None = None

    def start(self) -> bool:
        """Start syncing if this kiosk is registered with a cloud; False if it is not."""
        try:
            self.client = open_sync_client(
                self._store, self._kiosk_id, self._clock, executor=self._writer.call
            )
        except SyncError:
            log.info("not registered with a cloud: the kiosk works offline")
            return False
        self._worker.run(self._run, on_error=self._on_failed)
        return True

    def sync_now(self) -> None:
        """Start a round now (or as soon as the one under way ends)."""
        if self.client is not None:
            self.client.sync_now()

    def stop(self) -> None:
        """Ask the sync thread to stop after its current request and wait for it."""
        self._stop.set()
        if self.client is not None:
            self.client.sync_now()  # wakes a thread that is waiting out its back-off
        self._worker.close()

    def _run(self) -> None:
        assert self.client is not None
        self.client.run_with_backoff(self._stop, self._on_report)

    def _on_report(self, report: SyncReport) -> None:
        """On the sync thread, after a round."""
        if report.trust_changed and not self._stop.is_set():
            store, trust = self._store, self._trust
            self._writer.call(lambda: trust.reload(store))
        self.round_finished.emit(report)

    def _on_failed(self, exc: Exception) -> None:
        log.error("the sync thread stopped: %r", exc)
