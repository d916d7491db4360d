"""A child for the watchdog's tests: crashes on purpose, or waits for SIGTERM.

    python watchdog_child.py crash COUNT_FILE N    # exit 3 the first N runs, then 0
    python watchdog_child.py wait LOG_FILE [ignore] # wait for SIGTERM (or ignore it)

Every run appends a line to its file: ``start <time.monotonic()>``; a
SIGTERM received is written as ``SIGTERM``.
"""

from __future__ import annotations

import signal
import sys
import time
from pathlib import Path


def _note(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.write(text + "\n")


def main() -> int:
    mode, path = sys.argv[1], Path(sys.argv[2])
    _note(path, f"start {time.monotonic():.6f}")
    if mode == "crash":
        runs = sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("start"))
        return 3 if runs <= int(sys.argv[3]) else 0

    def on_term(signum: int, frame: object) -> None:
        _note(path, "SIGTERM")
        if len(sys.argv) <= 3:
            sys.exit(0)

    signal.signal(signal.SIGTERM, on_term)
    _note(path, "ready")
    while True:
        time.sleep(0.05)


if __name__ == "__main__":
    sys.exit(main())
