"""The sync loop for a worker thread: a round, then the normal interval or the back-off.

The GUI's sync worker can run :func:`run_with_backoff` on a plain thread, or
drive its own ``QTimer`` with :meth:`SyncClient.next_delay
<kiosk.sync.client.SyncClient.next_delay>`. :meth:`SyncClient.sync_now
<kiosk.sync.client.SyncClient.sync_now>` cuts the current wait short.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from kiosk.sync.errors import SyncError
from kiosk.sync.reports import SyncReport

if TYPE_CHECKING:
    from kiosk.sync.client import SyncClient

log = logging.getLogger(__name__)

#: How often a wait checks ``stop_event`` (a wake from sync_now() is immediate).
STOP_POLL_S = 0.5


def run_with_backoff(
    client: SyncClient,
    stop_event: threading.Event,
    on_report: Callable[[SyncReport], None] | None = None,
) -> None:
    """Sync in rounds until ``stop_event`` is set; never raises.

    Between rounds it waits ``client.next_delay(report)``: the normal interval
    after a success, the jittered back-off (2 s doubling up to 5 minutes)
    after a failure. ``on_report`` gets every report, on this thread (the GUI
    emits a signal from it and reloads trust on the writer thread when
    ``report.trust_changed``).
    """
    while not stop_event.is_set():
        client.wake.clear()
        try:
            report = client.sync_once()
        except Exception:  # a bug must not end sync for the rest of the day
            log.exception("sync round failed unexpectedly")
            report = SyncReport(errors=[SyncError("internal", "sync failed unexpectedly; see the log")])
        if on_report is not None:
            try:
                on_report(report)
            except Exception:
                log.exception("the sync report handler failed")
        deadline = time.monotonic() + client.next_delay(report)
        while not stop_event.is_set():
            remaining = deadline - time.monotonic()
            if remaining <= 0 or client.wake.wait(min(remaining, STOP_POLL_S)):
                break
