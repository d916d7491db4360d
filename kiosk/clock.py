"""Reading the device clocks for events (the real clock; tests pass their own)."""

from __future__ import annotations

import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from checkin_protocol.models import ClockReading

BOOT_ID_FILE = Path("/proc/sys/kernel/random/boot_id")


class Clock(Protocol):
    """Anything that gives the current :class:`ClockReading`."""

    def now(self) -> ClockReading: ...


def read_boot_id() -> str:
    """An ID of the current boot, so monotonic readings are compared only within one.

    Linux names each boot; elsewhere a per-process ID is used, which is stricter
    (monotonic time is then trusted only within one run of the program).
    """
    if sys.platform.startswith("linux"):
        try:
            return BOOT_ID_FILE.read_text(encoding="ascii").strip()
        except OSError:
            pass
    return f"proc-{uuid.uuid4()}"


def _monotonic_ns() -> int:
    # CLOCK_BOOTTIME keeps counting while the machine sleeps; CLOCK_MONOTONIC
    # would make a visit look shorter by the time a laptop was suspended.
    boottime = getattr(time, "CLOCK_BOOTTIME", None)
    if boottime is not None:
        return time.clock_gettime_ns(boottime)
    return time.monotonic_ns()


class SystemClock:
    """The machine's wall clock, local UTC offset and a monotonic clock since boot."""

    def __init__(self) -> None:
        self._boot_id = read_boot_id()

    def now(self) -> ClockReading:
        wall = datetime.now(UTC)
        offset = wall.astimezone().utcoffset()
        offset_min = int(offset.total_seconds() // 60) if offset is not None else 0
        return ClockReading(wall, offset_min, _monotonic_ns(), self._boot_id)
