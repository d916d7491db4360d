"""The self-test's checks that involve the cloud: can it be reached, and does this kiosk's clock agree.

Offline-first: a cloud that cannot be reached is a warning, never a failure,
and a kiosk that was never registered is fine (offline use, USB transfers).
The clock is compared with the cloud's: the offset measured now when the
cloud answered, else the one stored at the last sync; a clock earlier than
the last sync was set back.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from checkin_protocol.models import ClockReading
from kiosk.clock import Clock
from kiosk.services.doctor import Check, Status
from kiosk.store import sync_state as state
from kiosk.store.database import Transaction
from kiosk.sync.client import parse_server_time
from kiosk.sync.errors import SyncError
from kiosk.sync.status import SyncStatus, read_status
from kiosk.sync.transport import HttpTransport

CLOUD_TIMEOUT_S = 2.0
#: Within this the clocks agree (the attendance rules' default clock-jump tolerance).
CLOCK_TOLERANCE_S = 120.0
#: Beyond this the clock is wrong enough to refuse check-ins for activities that are open.
CLOCK_WRONG_S = 3600.0
#: A clock this far before the last sync was set back.
SET_BACK_S = 300.0

TransportFactory = Callable[[str, float], HttpTransport]


def http_transport(server_url: str, timeout_s: float) -> HttpTransport:
    """The real transport with short timeouts, for the self-test."""
    return HttpTransport(server_url, connect_timeout_s=timeout_s, read_timeout_s=timeout_s)


@dataclass(frozen=True)
class SyncClock:
    """What the sync state says about time and the cloud (read once, used by both checks)."""

    status: SyncStatus
    offset_measured_utc: str | None


def read_sync_clock(db: Transaction) -> SyncClock:
    """The sync status and when its clock offset was measured."""
    return SyncClock(read_status(db), state.get_value(db, state.CLOCK_MEASURED_UTC))


@dataclass(frozen=True)
class CloudReading:
    """The cloud check and, when the cloud answered, the clock offset measured now (server minus device)."""

    check: Check
    offset_s: float | None = None


def _duration(seconds: float) -> str:
    seconds = abs(seconds)
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 90 * 60:
        return f"{seconds / 60:.0f} min"
    if seconds < 48 * 3600:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.0f} days"


def _waiting(status: SyncStatus) -> str:
    return f"{status.waiting} record{'' if status.waiting == 1 else 's'} waiting"


def check_cloud(
    sync: SyncClock,
    clock: Clock,
    *,
    timeout_s: float = CLOUD_TIMEOUT_S,
    transport_factory: TransportFactory = http_transport,
) -> CloudReading:
    """Ask a registered kiosk's cloud for its time (``GET /api/v1/time``); never a failure."""
    status = sync.status
    if not status.registered or not status.server_url:
        return CloudReading(
            Check("cloud", Status.SKIPPED, f"not registered (offline use; USB transfers); {_waiting(status)}")
        )
    transport = transport_factory(status.server_url, timeout_s)
    started = time.perf_counter()
    try:
        sent = clock.now().wall_utc
        reply = transport.get_json("/time")
        received = clock.now().wall_utc
        offset = (parse_server_time(reply) - (sent + (received - sent) / 2)).total_seconds()
    except SyncError as exc:
        return CloudReading(
            Check(
                "cloud", Status.WARN, f"{exc.message}; {_waiting(status)} (the kiosk keeps working offline)"
            )
        )
    finally:
        transport.close()
    elapsed_ms = (time.perf_counter() - started) * 1000
    last = f"last sync {status.last_success_utc}" if status.last_success_utc else "not synced yet"
    return CloudReading(
        Check(
            "cloud",
            Status.OK,
            f"{status.server_url} answered in {elapsed_ms:.0f} ms; {_waiting(status)}; {last}",
        ),
        round(offset, 3),
    )


def check_clock_sync(now: ClockReading, sync: SyncClock, measured_offset_s: float | None) -> Check:
    """This kiosk's clock against the cloud's, with the numbers."""
    status = sync.status
    local = now.local.isoformat(timespec="seconds")
    close_now = measured_offset_s is not None and abs(measured_offset_s) <= CLOCK_TOLERANCE_S
    if status.last_success_utc and not close_now:
        last = datetime.fromisoformat(status.last_success_utc)
        behind = (last - now.wall_utc).total_seconds()
        if behind > SET_BACK_S:
            return Check(
                "clock-sync",
                Status.FAIL,
                f"the clock says {local}, {_duration(behind)} earlier than the last sync "
                f"({status.last_success_utc}): it was set back; set the date and time",
                "set-back",
            )
    if measured_offset_s is not None:
        offset, when = measured_offset_s, "measured now"
    elif status.clock_offset_s is not None:
        offset, when = (
            status.clock_offset_s,
            f"at the last sync, {sync.offset_measured_utc or 'time unknown'}",
        )
    else:
        never = not status.last_success_utc
        said = "never synced" if never else "no offset measured yet"
        reason = "never-synced" if never else "not-measured"
        return Check("clock-sync", Status.SKIPPED, f"{said}: nothing to compare the clock with", reason)
    direction = "ahead of" if offset > 0 else "behind"
    words = f"the cloud's clock is {_duration(offset)} {direction} this kiosk's ({when})"
    if abs(offset) <= CLOCK_TOLERANCE_S:
        return Check("clock-sync", Status.OK, f"agrees with the cloud within {_duration(offset)} ({when})")
    if abs(offset) > CLOCK_WRONG_S:
        return Check("clock-sync", Status.FAIL, words + "; set the date and time (and the time zone)")
    return Check("clock-sync", Status.WARN, words + "; check the time settings")
