"""A child process for the sync crash test: push the outbox, die right after the N-th reply.

Usage: python sync_crash_child.py DB KIOSK_ID N

Opens the kiosk store at DB (already registered with a server), wraps the
transport's ``post_json`` so that once it has returned for the N-th time the
process kills itself with SIGKILL: the server has committed the batch and
answered, the kiosk has not yet marked anything. Then pushes everything
waiting; when fewer than N batches are sent it exits normally.
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path
from typing import Any

from kiosk.clock import SystemClock
from kiosk.store.database import open_store
from kiosk.sync.client import open_sync_client


def main() -> None:
    db_path, kiosk_id, kill_n = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    store = open_store(db_path)
    client = open_sync_client(store, kiosk_id, SystemClock())
    post_json = client.transport.post_json
    calls = 0

    def post_then_die(path: str, body: Any, *, token: str | None = None) -> dict[str, Any]:
        nonlocal calls
        reply = post_json(path, body, token=token)
        calls += 1
        if calls == kill_n:
            print(f"KILLING after reply {calls}", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)
        return reply

    client.transport.post_json = post_then_die  # type: ignore[method-assign]
    report = client.push_pending()
    print(f"FINISHED batches={report.batches} error={report.error}", flush=True)
    store.close()


if __name__ == "__main__":
    main()
