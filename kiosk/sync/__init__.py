"""Sync with the cloud (docs/sync-protocol.md): register, push the outbox, pull the changes.

No Qt here: the GUI runs :class:`SyncClient` on a worker thread and passes an
executor that runs database work on its writer thread.
"""

from __future__ import annotations

from kiosk.sync.backoff import Backoff
from kiosk.sync.client import SyncClient, open_sync_client
from kiosk.sync.errors import SyncError
from kiosk.sync.executor import Executor, run_inline
from kiosk.sync.reports import PullReport, PushReport, SyncReport
from kiosk.sync.status import SyncStatus
from kiosk.sync.transport import HttpTransport, Transport

__all__ = [
    "Backoff",
    "Executor",
    "HttpTransport",
    "PullReport",
    "PushReport",
    "SyncClient",
    "SyncError",
    "SyncReport",
    "SyncStatus",
    "Transport",
    "open_sync_client",
    "run_inline",
]
