"""A child process for the crash tests: check volunteers in and out until killed.

Usage: python crash_child.py DB COUNT [--kill-at POINT:N]

Prints ``CONFIRMED <event_id> <seq>`` (flushed) after each outcome the service
reported as confirmed, the way the screen would show it. POINT is where the
process kills itself with SIGKILL on the N-th scan:
``before_commit`` (COMMIT about to run), ``after_commit`` (committed, not yet
reported) or ``between`` (reported, before the next scan).
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from checkin_protocol.codes.trust import RevocationList
from checkin_protocol.models import Identity, Method
from checkin_protocol.policy import AttendancePolicy
from kiosk.clock import SystemClock
from kiosk.services.attendance import AttendanceService
from kiosk.store.database import open_store

KIOSK_ID = "KCRASH1"
ACTIVITY_ID = "A20261129001"


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def main() -> None:
    db_path, count = Path(sys.argv[1]), int(sys.argv[2])
    point, kill_n = "", -1
    if len(sys.argv) > 4 and sys.argv[3] == "--kill-at":
        point, _, n = sys.argv[4].partition(":")
        kill_n = int(n)
    store = open_store(db_path)
    service = AttendanceService(
        store, KIOSK_ID, SystemClock(), AttendancePolicy(duplicate_window_s=0), RevocationList()
    )
    scan_no = 0

    def trace(statement: str) -> None:
        if point == "before_commit" and scan_no == kill_n and statement.strip().upper() == "COMMIT":
            _die()

    store.writer.conn.set_trace_callback(trace)
    for scan_no in range(count):
        identity = Identity(f"V{scan_no % 17:09d}", "测*", Method.QR)
        outcome = service.scan(identity, ACTIVITY_ID)
        if point == "after_commit" and scan_no == kill_n:
            _die()
        if outcome.event is not None:
            print(f"CONFIRMED {outcome.event.event_id} {outcome.event.seq}", flush=True)
        else:
            print(f"NOT-CONFIRMED {outcome.kind} {outcome.reason}", flush=True)
        if point == "between" and scan_no == kill_n:
            _die()


if __name__ == "__main__":
    main()
