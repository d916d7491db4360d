"""Benchmark the local store: roster import, check-in and check-out latency to a durable commit, token verification.

    python bench/store.py --volunteers 500000 --checkins 2000 [--past-events 1000000] [--json]
    python bench/store.py ... --slow-stick fat|wal [--stick-fsync-ms 20]   # check-ins on a slow USB stick
    python bench/store.py ... --data-dir /media/stick                      # check-ins in a folder of your own

Everything runs on real files in a temporary folder with the kiosk's own
durability settings (WAL + synchronous=FULL here). With ``--slow-stick`` the
database, prepared on the internal disk, is copied onto a FUSE filesystem that
delays writes and fsyncs like a cheap USB 2 stick (``bench/slow_fs.py``), and
the check-ins are measured there, with the operations the stick served per
check-in: ``fat`` shows it as a FAT stick, so the kiosk's own detection picks
its rollback journal; ``wal`` as a stick formatted for Linux (WAL). The roster import is
compared with a raw ``sqlite3`` baseline measured in the same run: the same
CSV file read with ``csv.reader`` and inserted with ``executemany`` into an
identical empty table in one transaction, with the same pragmas, and without
the triggers that mark changed volunteers for the desk's search index (the
kiosk pays for those; the baseline is the bare table).
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from slow_fs import SlowStick, StickCounts, StickDelays, slow_stick

from checkin_protocol.codes.issuer import Issuer, generate_signing_key
from checkin_protocol.codes.trust import RevocationList, TrustedKeys
from checkin_protocol.codes.verifier import TokenVerifier
from checkin_protocol.event_rows import EVENT_COLUMNS, format_utc
from checkin_protocol.models import Activity, ActivityStatus, Identity, Method, OrgLevel
from checkin_protocol.policy import AttendancePolicy
from kiosk.clock import SystemClock
from kiosk.demo.roster import write_roster_csv
from kiosk.services.attendance import AttendanceService
from kiosk.services.outcome import TotalSource
from kiosk.store.activities import save_activity
from kiosk.store.database import Store, open_store
from kiosk.store.roster_import import import_roster
from kiosk.store.volunteer_totals import save_total

KIOSK_ID = "KBENCH1"
IDLE_CHECKPOINT_EVERY = 20  # scans between idle moments in which the kiosk checkpoints


@dataclass
class CheckinRun:
    """What the check-in measurement saw: the store's settings, latencies, checkpoints, stick operations."""

    filesystem: str
    journal_mode: str
    synchronous: str
    latencies: list[float] = field(default_factory=list)
    checkpoints: list[float] = field(default_factory=list)
    stick: StickCounts = field(default_factory=StickCounts)
    checkouts: list[float] = field(default_factory=list)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def raw_import(csv_path: Path, db_path: Path) -> float:
    """The baseline: csv.reader + executemany of the same rows into an identical table."""
    open_store(db_path).close()  # same schema and pragmas as the kiosk
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA synchronous=FULL")
    for verb in ("insert", "update", "delete"):
        conn.execute(f"DROP TRIGGER volunteers_search_{verb}")
    started = time.perf_counter()
    with csv_path.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        idx = [header.index(c) for c in ("volunteer_id", "name", "phone", "org_id")]
        rows = ((r[idx[0]], r[idx[1]], r[idx[2]], r[idx[3]], 1) for r in reader)
        conn.execute("BEGIN")
        conn.executemany(
            "INSERT INTO volunteers (volunteer_id, name, phone, org_id, active) VALUES (?, ?, ?, ?, ?)", rows
        )
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return elapsed


def kiosk_import(csv_path: Path, db_path: Path) -> float:
    store = open_store(db_path)
    started = time.perf_counter()
    report = import_roster(store.writer, csv_path)
    elapsed = time.perf_counter() - started
    assert report.imported and not report.bad_rows, report.bad_rows[:3]
    store.close()
    return elapsed


def _activity(activity_id: str, start: datetime, hours: float = 4) -> Activity:
    return Activity(
        activity_id=activity_id,
        title="图书馆阅读推广志愿服务",
        org_name="江城市志愿服务联合会",
        org_level=OrgLevel.CITY,
        venue="江城市图书馆",
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        category="文化服务",
        status=ActivityStatus.OPEN,
    )


def add_past_events(db_path: Path, volunteer_ids: list[str], count: int, rng: random.Random) -> None:
    """A history of ``count`` delivered events over past activities (setup, not measured)."""
    store = open_store(db_path)
    db = store.writer
    start = datetime(2025, 1, 1, 1, 0, tzinfo=UTC)
    n_activities = max(1, count // 500)
    with store.write():
        for a in range(n_activities):
            activity = _activity(f"P{a:08d}", start + timedelta(hours=6 * a))
            save_activity(db, activity)
    columns = ", ".join(EVENT_COLUMNS)
    marks = ", ".join("?" * len(EVENT_COLUMNS))
    seq = 0
    batch: list[tuple[object, ...]] = []
    outbox: list[tuple[str, str, str]] = []

    def flush() -> None:
        with store.write():
            db.conn.executemany(f"INSERT INTO events ({columns}) VALUES ({marks})", batch)
            db.conn.executemany(
                "INSERT INTO outbox (event_id, enqueued_utc, delivered_utc) VALUES (?, ?, ?)", outbox
            )
        batch.clear()
        outbox.clear()

    for a in range(n_activities):
        when = start + timedelta(hours=6 * a)
        for _ in range(250):
            volunteer = rng.choice(volunteer_ids)
            for action, offset in (("in", 0), ("out", 3 * 3600)):
                seq += 1
                wall = (when + timedelta(seconds=offset)).isoformat(timespec="milliseconds")
                event_id = str(uuid.UUID(int=rng.getrandbits(128)))
                batch.append(
                    (
                        event_id,
                        KIOSK_ID,
                        seq,
                        volunteer,
                        f"P{a:08d}",
                        action,
                        "qr",
                        wall,
                        480,
                        seq,
                        "boot-old",
                        None,
                        0,
                        None,
                        None,
                        None,  # credential
                    )
                )
                outbox.append((event_id, wall, wall))
                if seq >= count:
                    break
            if seq >= count:
                break
        if len(batch) >= 50_000:
            flush()
        if seq >= count:
            break
    flush()
    store.close()


def measure_checkins(
    db_path: Path,
    volunteer_ids: list[str],
    checkins: int,
    stick_counts: Callable[[], StickCounts] | None = None,
) -> CheckinRun:
    """Scan-to-durable-commit latency of each check-in, and the idle-time checkpoints.

    Volunteers arrive seconds apart at a real kiosk, and the kiosk checkpoints
    the WAL in those gaps (``Store.maintain``); here that runs between scans,
    timed on its own. ``stick_counts`` (a slow stick's counters) gives what
    the check-ins alone cost the stick.
    """
    store = open_store(db_path)
    store.maintain()
    now = datetime.now(UTC)
    with store.write() as db:
        save_activity(db, _activity("ABENCH", now - timedelta(hours=1), hours=8))
    service = AttendanceService(store, KIOSK_ID, SystemClock(), AttendancePolicy(), RevocationList())
    run = CheckinRun(store.report.filesystem, store.report.journal_mode, store.report.synchronous)
    for n, volunteer_id in enumerate(volunteer_ids[:checkins]):
        identity = Identity(volunteer_id, "测*", Method.QR, card_no=1)
        before = stick_counts() if stick_counts else None
        started = time.perf_counter()
        outcome = service.scan(identity, "ABENCH")
        run.latencies.append((time.perf_counter() - started) * 1000)
        if stick_counts and before is not None:
            run.stick += stick_counts() - before
        assert outcome.confirmed, outcome
        if n % IDLE_CHECKPOINT_EVERY == IDLE_CHECKPOINT_EVERY - 1:
            started = time.perf_counter()
            store.maintain()
            run.checkpoints.append((time.perf_counter() - started) * 1000)
    measure_checkouts(store, service, volunteer_ids[:checkins], run)
    store.close()
    return run


def measure_checkouts(
    store: Store, service: AttendanceService, volunteer_ids: list[str], run: CheckinRun
) -> None:
    """Scan-to-durable-commit latency of checking the same volunteers out, each with a platform total.

    The total was received in the middle of the past history, so the card's
    figure adds the visits delivered after it (issue 18): the full rule, read
    in the same single read as the visits.
    """
    received = format_utc(datetime(2025, 6, 1, tzinfo=UTC))
    with store.write() as db:
        for volunteer_id in volunteer_ids:
            save_total(db, volunteer_id, 1_080_000, received, received)
    for n, volunteer_id in enumerate(volunteer_ids):
        identity = Identity(volunteer_id, "测*", Method.QR, card_no=1)
        started = time.perf_counter()
        outcome = service.scan(identity, "ABENCH", force_check_out=True)
        run.checkouts.append((time.perf_counter() - started) * 1000)
        assert outcome.confirmed and outcome.total_source is TotalSource.PLATFORM, outcome
        if n % IDLE_CHECKPOINT_EVERY == IDLE_CHECKPOINT_EVERY - 1:
            store.maintain()


def measure_verify(rounds: int = 5000) -> float:
    key = generate_signing_key()
    issuer = Issuer(key, "bench1")
    trusted = TrustedKeys([("bench1", issuer.public_key_b64)])
    verifier = TokenVerifier(trusted, RevocationList([("V000000009", 0)]))
    card = issuer.issue_card("V123456789", "雷*霞", issued_on=date(2026, 11, 29))
    today = date(2026, 11, 29)
    for _ in range(200):
        verifier.verify(card, today)
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        result = verifier.verify(card, today)
        samples.append((time.perf_counter() - started) * 1000)
        assert result.ok
    return statistics.median(samples)


def copy_database(db_path: Path, folder: Path) -> Path:
    """Copy the prepared database (with any companions) into ``folder``; the copy's path."""
    folder.mkdir(parents=True, exist_ok=True)
    for part in db_path.parent.glob(db_path.name + "*"):
        shutil.copyfile(part, folder / part.name)
    return folder / db_path.name


@contextmanager
def checkin_database(
    args: argparse.Namespace, db_path: Path, delays: StickDelays
) -> Iterator[tuple[Path, SlowStick | None]]:
    """The database the check-ins are measured on: on a slow stick, in the folder given, or as prepared.

    The stick (or the folder) already holds the kiosk's database: it is copied
    there before the measurement, untimed (onto the stick through its backing
    folder, not through the delays).
    """
    if args.slow_stick:
        scratch = db_path.parent
        copy_database(db_path, scratch / "stick-backing")
        with slow_stick(
            scratch / "stick-backing", scratch / "stick", delays, fat=args.slow_stick == "fat"
        ) as stick:
            yield stick.mount_point / db_path.name, stick
    elif args.data_dir:
        args.data_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="kiosk-bench-", dir=args.data_dir) as folder:
            yield copy_database(db_path, Path(folder)), None
    else:
        yield db_path, None


def stick_figures(run: CheckinRun, stick: SlowStick | None, delays: StickDelays) -> dict[str, Any]:
    """What the slow stick served per check-in (empty when there is no stick)."""
    if stick is None:
        return {}
    n = len(run.latencies)
    return {
        "stick_fs_type": stick.fs_type,
        "stick_delays_ms": {
            "write": delays.per_write_s * 1000,
            "mib": delays.per_mib_s * 1000,
            "fsync": delays.per_fsync_s * 1000,
            "write_through": delays.write_through,
        },
        "fsyncs_per_checkin": round(run.stick.fsyncs / n, 2),
        "dir_fsyncs_per_checkin": round(run.stick.dir_fsyncs / n, 2),
        "device_syncs_per_checkin": round(run.stick.device_syncs / n, 2),
        "write_calls_per_checkin": round(run.stick.writes / n, 2),
        "device_writes_per_checkin": round(run.stick.device_writes / n, 2),
        "metadata_changes_per_checkin": round(run.stick.metadata_changes / n, 2),
        "kib_written_per_checkin": round(run.stick.bytes_written / n / 1024, 1),
        "device_kib_per_checkin": round(run.stick.device_bytes / n / 1024, 1),
        "stick_delay_per_checkin_ms": round(run.stick.delayed_s / n * 1000, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volunteers", type=int, default=500_000)
    parser.add_argument("--checkins", type=int, default=2000)
    parser.add_argument("--past-events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3, help="import runs of each kind (median reported)")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--slow-stick",
        choices=("fat", "wal"),
        help="measure the check-ins on a slow USB stick (bench/slow_fs.py) shown as FAT or as a WAL-capable fs",
    )
    where.add_argument("--data-dir", type=Path, help="measure the check-ins in a temporary folder inside DIR")
    defaults = StickDelays()
    parser.add_argument("--stick-write-ms", type=float, default=defaults.per_write_s * 1000)
    parser.add_argument("--stick-mib-ms", type=float, default=defaults.per_mib_s * 1000)
    parser.add_argument("--stick-fsync-ms", type=float, default=defaults.per_fsync_s * 1000)
    parser.add_argument(
        "--stick-write-through",
        action="store_true",
        help="each write call pays at once (no host write cache)",
    )
    args = parser.parse_args()
    rng = random.Random(42)

    with tempfile.TemporaryDirectory(prefix="kiosk-bench-") as tmp:
        folder = Path(tmp)
        roster = folder / "roster.csv"
        write_roster_csv(roster, args.volunteers, seed=7)
        raw_times, kiosk_times = [], []
        for run in range(args.runs):
            raw_times.append(raw_import(roster, folder / f"raw{run}.db"))
            kiosk_times.append(kiosk_import(roster, folder / f"kiosk{run}.db"))
            (folder / f"raw{run}.db").unlink()
        import_s = statistics.median(kiosk_times)
        raw_s = statistics.median(raw_times)
        db_path = folder / "kiosk0.db"
        for extra in range(1, args.runs):
            (folder / f"kiosk{extra}.db").unlink(missing_ok=True)

        conn = sqlite3.connect(db_path)
        volunteer_ids = [r[0] for r in conn.execute("SELECT volunteer_id FROM volunteers")]
        conn.close()
        past_started = time.perf_counter()
        add_past_events(db_path, volunteer_ids, args.past_events, rng)
        past_s = time.perf_counter() - past_started
        rng.shuffle(volunteer_ids)
        delays = StickDelays(
            args.stick_write_ms / 1000,
            args.stick_mib_ms / 1000,
            args.stick_fsync_ms / 1000,
            args.stick_write_through,
        )
        with checkin_database(args, db_path, delays) as (measured, stick):
            checkin_run = measure_checkins(
                measured, volunteer_ids, args.checkins, stick.counts if stick else None
            )
            size_mb = sum(p.stat().st_size for p in measured.parent.glob(measured.name + "*")) / 1024**2
        verify_ms = measure_verify()

    latencies, checkpoints = checkin_run.latencies, checkin_run.checkpoints
    result = {
        "volunteers": args.volunteers,
        "past_events": args.past_events,
        "checkins": args.checkins,
        "data_dir": f"slow-stick-{args.slow_stick}" if args.slow_stick else str(args.data_dir or "internal"),
        "filesystem": checkin_run.filesystem,
        "journal_mode": checkin_run.journal_mode,
        "synchronous": checkin_run.synchronous,
        "import_s": round(import_s, 3),
        "raw_import_s": round(raw_s, 3),
        "import_ratio_vs_raw": round(import_s / raw_s, 2),
        "checkin_p50_ms": round(percentile(latencies, 50), 3),
        "checkin_p95_ms": round(percentile(latencies, 95), 3),
        "checkin_p99_ms": round(percentile(latencies, 99), 3),
        "checkin_max_ms": round(max(latencies), 3),
        "checkout_p50_ms": round(percentile(checkin_run.checkouts, 50), 3),
        "checkout_p99_ms": round(percentile(checkin_run.checkouts, 99), 3),
        "idle_checkpoint_p50_ms": round(percentile(checkpoints, 50), 3) if checkpoints else None,
        "idle_checkpoint_max_ms": round(max(checkpoints), 3) if checkpoints else None,
        **stick_figures(checkin_run, stick, delays),
        "verify_ms": round(verify_ms, 4),
        "db_size_mb": round(size_mb, 1),
        "past_events_setup_s": round(past_s, 1),
    }
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
