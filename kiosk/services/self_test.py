"""The self-test: everything a kiosk needs to work, checked in a few seconds, in plain words.

Run by ``kiosk doctor``, by ``kiosk run --self-test`` (exit 1 on a failure),
and by the kiosk window at every start (off the UI thread; the result goes to
the log, the status bar and the coordinator's Self-test page).

The checks: the data folder (where, why, writable, filesystem), who else can
read it (owner-only files), the database
(integrity), its journal mode (a rollback journal on FAT/exFAT), free disk,
the camera, the device clock, the clock against the cloud's, the cloud, the
audit chain, the face models and key, and the coordinator PINs' length.
The self-test only reads: it opens a read-only connection of its own (so it
never touches the writer's), and it still runs when the kiosk could not
open its store (a read-only stick), so it can say why. The camera and the
cloud are checked on two threads while the database is read, which keeps
the whole under the camera's time-out.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kiosk.clock import Clock
from kiosk.config import Config
from kiosk.services import doctor
from kiosk.services.access_check import check_access
from kiosk.services.data_folder_check import check_data_folder
from kiosk.services.doctor import Check, Status
from kiosk.services.sync_checks import (
    CLOUD_TIMEOUT_S,
    CloudReading,
    TransportFactory,
    check_clock_sync,
    check_cloud,
    http_transport,
    read_sync_clock,
)
from kiosk.store.database import DatabaseFailure, OpenReport, Transaction
from kiosk.store.filesystem import filesystem_type
from kiosk.store.integrity import open_read_only

log = logging.getLogger(__name__)

#: The order a person reads the checks in.
CHECK_ORDER = (
    "data",
    "access",
    "database",
    "journal",
    "disk",
    "camera",
    "clock",
    "clock-sync",
    "cloud",
    "audit",
    "face",
    "pins",
)
STATUS_MARK = {Status.OK: "ok  ", Status.WARN: "WARN", Status.FAIL: "FAIL", Status.SKIPPED: "--  "}


@dataclass(frozen=True)
class SelfTestRequest:
    """What to check and with what.

    ``report`` is how the kiosk opened its store (None, with ``open_error``
    saying why, when it could not); ``camera`` gives the camera check (None:
    no camera check); ``exe_dir`` stands in for the program's folder in tests.
    """

    config: Config
    clock: Clock
    report: OpenReport | None = None
    open_error: str | None = None
    camera: Callable[[], Check] | None = None
    full: bool = False
    cloud_timeout_s: float = CLOUD_TIMEOUT_S
    transport_factory: TransportFactory = http_transport
    exe_dir: Path | None = None


@dataclass(frozen=True)
class SelfTestReport:
    """The checks in reading order, when the self-test ran (device time) and how long it took."""

    checks: tuple[Check, ...]
    started_utc: datetime
    duration_s: float

    @property
    def failed(self) -> bool:
        """True when any check failed (``--self-test`` exits 1)."""
        return any(c.status is Status.FAIL for c in self.checks)

    @property
    def worst(self) -> Status:
        """The worst status of all the checks."""
        statuses = {c.status for c in self.checks}
        return next((s for s in (Status.FAIL, Status.WARN) if s in statuses), Status.OK)

    def problems(self) -> list[Check]:
        """The checks that failed, then those that warned."""
        return [c for c in self.checks if c.status is Status.FAIL] + [
            c for c in self.checks if c.status is Status.WARN
        ]

    def summary(self) -> str:
        """``8 ok, 1 warning, 1 failed in 1.2 s`` (``, 2 not used here`` when checks were skipped)."""
        counts = {s: sum(1 for c in self.checks if c.status is s) for s in Status}
        warnings = counts[Status.WARN]
        skipped = f", {counts[Status.SKIPPED]} not used here" if counts[Status.SKIPPED] else ""
        return (
            f"{counts[Status.OK]} ok, {warnings} warning{'' if warnings == 1 else 's'}, "
            f"{counts[Status.FAIL]} failed{skipped} in {self.duration_s:.1f} s"
        )

    def lines(self) -> list[str]:
        """One line per check, as ``kiosk doctor`` prints them."""
        return [f"[{STATUS_MARK[c.status]}] {c.name:<10} {c.detail}" for c in self.checks]


def open_reader(database: Path) -> Transaction:
    """A read-only connection of the self-test's own.

    Falls back to SQLite's ``immutable`` mode for a database on a read-only
    folder, where a WAL database cannot otherwise be opened at all.
    """
    return open_read_only(database)


def _guarded(name: str, fn: Callable[[], Check]) -> Check:
    try:
        return fn()
    except Exception as exc:  # one broken check must not hide the others
        log.exception("self-test check %s raised", name)
        return Check(name, Status.FAIL, f"the check itself failed: {exc}", "error")


def _database_checks(db: Transaction, request: SelfTestRequest, database: Path) -> list[Check]:
    report = request.report
    filesystem = report.filesystem if report is not None else filesystem_type(database)
    checks = doctor.store_checks(
        db,
        database,
        request.clock.now(),
        synchronous=report.synchronous if report is not None else None,
        filesystem=filesystem,
        full=request.full,
        face_enabled=bool(request.config.get("face", "enabled")),
    )
    if request.open_error is not None:
        integrity = checks[0]
        checks[0] = Check(
            "database",
            Status.FAIL,
            f"the kiosk cannot open it for writing ({request.open_error}); read-only {integrity.detail}",
            "read-only",
        )
    return checks


def run_self_test(request: SelfTestRequest) -> SelfTestReport:
    """Run every check; a check that raises becomes a failure of its own, never an exception here."""
    started_utc = request.clock.now().wall_utc
    started = time.perf_counter()
    database = request.config.database_path
    checks: list[Check] = [
        _guarded("data", lambda: check_data_folder(request.config.data, request.exe_dir)),
        _guarded("access", lambda: check_access(request.config.data.path)),
    ]
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="self-test") as pool:
        camera: Future[Check] | None = None
        if request.camera is not None:
            camera = pool.submit(_guarded, "camera", request.camera)
        try:
            db = open_reader(database)
        except DatabaseFailure as exc:
            checks.append(Check("database", Status.FAIL, f"{database} cannot be read: {exc}", "unreadable"))
            checks.append(_guarded("disk", lambda: doctor.check_free_space(database.parent)))
        else:
            try:
                sync = read_sync_clock(db)
                cloud = pool.submit(
                    check_cloud,
                    sync,
                    request.clock,
                    timeout_s=request.cloud_timeout_s,
                    transport_factory=request.transport_factory,
                )
                checks.extend(_database_checks(db, request, database))
                reading = _cloud_result(cloud)
                checks.append(reading.check)
                now = request.clock.now()
                checks.append(_guarded("clock-sync", lambda: check_clock_sync(now, sync, reading.offset_s)))
            except (DatabaseFailure, OSError) as exc:
                checks.append(
                    Check("database", Status.FAIL, f"{database} could not be read: {exc}", "unreadable")
                )
            finally:
                db.close()
        if camera is not None:
            checks.append(camera.result())
    return SelfTestReport(_in_order(checks), started_utc, time.perf_counter() - started)


def _cloud_result(future: Future[CloudReading]) -> CloudReading:
    try:
        return future.result()
    except Exception as exc:  # the cloud check never fails the kiosk: offline-first
        log.exception("self-test cloud check raised")
        return CloudReading(Check("cloud", Status.WARN, f"the cloud could not be checked: {exc}", "error"))


def _in_order(checks: Iterable[Check]) -> tuple[Check, ...]:
    rank = {name: i for i, name in enumerate(CHECK_ORDER)}
    return tuple(sorted(checks, key=lambda c: rank.get(c.name, len(rank))))


def log_report(report: SelfTestReport, logger: logging.Logger = log) -> None:
    """Write the self-test to the log: one line per check at its level, then the summary."""
    levels = {
        Status.OK: logging.INFO,
        Status.SKIPPED: logging.INFO,
        Status.WARN: logging.WARNING,
        Status.FAIL: logging.ERROR,
    }
    for check in report.checks:
        logger.log(levels[check.status], "self-test %s %s: %s", check.status, check.name, check.detail)
    logger.log(levels[report.worst], "self-test: %s", report.summary())
