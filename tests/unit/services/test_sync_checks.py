"""The self-test's cloud and clock checks: offline is never a failure; a wrong clock says by how much."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from helpers.cloud_server import running_cloud
from helpers.fakes import FakeClock, open_test_store

from checkin_protocol.event_rows import format_utc
from kiosk.clock import SystemClock
from kiosk.services.doctor import Status
from kiosk.services.sync_checks import SyncClock, check_clock_sync, check_cloud, read_sync_clock
from kiosk.store import sync_state as state
from kiosk.store.database import Store
from kiosk.sync.status import SyncStatus


def _register(store: Store, server_url: str) -> None:
    with store.write() as db:
        state.set_value(db, state.SERVER_URL, server_url)
        state.set_value(db, state.DEVICE_ID, "D1")
        state.set_value(db, state.DEVICE_SECRET, "secret")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def _silent_server() -> Iterator[str]:
    """A server that accepts connections and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        sock.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(sock.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        sock.close()


def _status(**values: object) -> SyncClock:
    base: dict[str, object] = {
        "waiting": 0,
        "last_success_utc": None,
        "last_error": None,
        "registered": True,
        "clock_offset_s": None,
    }
    base.update(values)
    return SyncClock(SyncStatus(**base), "2026-11-28T09:00:00.000+00:00")  # type: ignore[arg-type]


def test_an_unregistered_kiosk_has_no_cloud_to_check(tmp_path: Path) -> None:
    store = open_test_store(tmp_path / "k.db")
    reading = check_cloud(read_sync_clock(store.writer), FakeClock())
    assert reading.check.status is Status.SKIPPED and reading.check.detail.startswith(
        "not registered (offline use"
    )
    assert reading.offset_s is None
    store.close()


def test_a_reachable_cloud_answers_with_its_time(tmp_path: Path) -> None:
    store = open_test_store(tmp_path / "k.db")
    with running_cloud(tmp_path / "cloud") as cloud:
        _register(store, cloud.base_url)
        reading = check_cloud(read_sync_clock(store.writer), SystemClock())
    assert reading.check.status is Status.OK, reading.check
    assert f"{cloud.base_url} answered in" in reading.check.detail
    assert reading.offset_s is not None and abs(reading.offset_s) < 5
    store.close()


def test_an_unreachable_cloud_is_a_warning_never_a_failure(tmp_path: Path) -> None:
    store = open_test_store(tmp_path / "k.db")
    _register(store, f"http://127.0.0.1:{_free_port()}")
    reading = check_cloud(read_sync_clock(store.writer), FakeClock(), timeout_s=1)
    assert reading.check.status is Status.WARN
    assert (
        "cannot reach the server" in reading.check.detail and "keeps working offline" in reading.check.detail
    )
    store.close()


def test_a_cloud_that_does_not_answer_is_given_up_on_after_the_time_out(tmp_path: Path) -> None:
    store = open_test_store(tmp_path / "k.db")
    with _silent_server() as url:
        _register(store, url)
        started = time.monotonic()
        reading = check_cloud(read_sync_clock(store.writer), FakeClock(), timeout_s=0.3)
        took = time.monotonic() - started
    assert reading.check.status is Status.WARN and "did not answer in time" in reading.check.detail
    assert took < 2
    store.close()


def test_a_clock_that_agrees_with_the_cloud_passes() -> None:
    check = check_clock_sync(FakeClock().now(), _status(clock_offset_s=3.0), measured_offset_s=None)
    assert check.status is Status.OK and "within 3 s (at the last sync" in check.detail
    assert check_clock_sync(FakeClock().now(), _status(), measured_offset_s=-1.5).status is Status.OK


def test_a_clock_minutes_off_warns_and_hours_off_fails_with_the_numbers() -> None:
    now = FakeClock().now()
    warn = check_clock_sync(now, _status(), measured_offset_s=300)
    assert warn.status is Status.WARN
    assert warn.detail.startswith("the cloud's clock is 5 min ahead of this kiosk's (measured now)")
    fail = check_clock_sync(now, _status(clock_offset_s=-2 * 3600.0), measured_offset_s=None)
    assert fail.status is Status.FAIL and "2.0 h behind this kiosk's" in fail.detail


def test_a_clock_set_back_before_the_last_sync_fails() -> None:
    clock = FakeClock()
    last = format_utc(clock.now().wall_utc + timedelta(days=1))
    check = check_clock_sync(clock.now(), _status(last_success_utc=last, clock_offset_s=1.0), None)
    assert check.status is Status.FAIL
    assert "earlier than the last sync" in check.detail
    assert "24.0 h earlier" in check.detail
    # The cloud answering now with a small offset shows the clock was put right since.
    assert check_clock_sync(clock.now(), _status(last_success_utc=last), 2.0).status is Status.OK


def test_never_synced_has_nothing_to_compare() -> None:
    check = check_clock_sync(FakeClock().now(), _status(registered=False), None)
    assert check.status is Status.SKIPPED and check.detail.startswith("never synced")
