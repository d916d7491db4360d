"""Benchmark the local store: roster import, scan-to-durable-commit latency, token verification.

    python bench/store.py --volunteers 500000 --checkins 2000 [--past-events 1000000] [--json]

Everything runs on real files in a temporary folder with the kiosk's own
durability settings (WAL + synchronous=FULL here). The roster import is
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
import sqlite3
import statistics
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from checkin_protocol.codes.issuer import Issuer, generate_signing_key
from checkin_protocol.codes.trust import RevocationList, TrustedKeys
from checkin_protocol.codes.verifier import TokenVerifier
from checkin_protocol.event_rows import EVENT_COLUMNS
from checkin_protocol.models import Activity, ActivityStatus, Identity, Method, OrgLevel
from checkin_protocol.policy import AttendancePolicy
from kiosk.clock import SystemClock
from kiosk.demo.roster import write_roster_csv
from kiosk.services.attendance import AttendanceService
from kiosk.store.activities import save_activity
from kiosk.store.database import open_store
from kiosk.store.roster_import import import_roster

KIOSK_ID = "KBENCH1"
IDLE_CHECKPOINT_EVERY = 20  # scans between idle moments in which the kiosk checkpoints


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
    db_path: Path, volunteer_ids: list[str], checkins: int
) -> tuple[list[float], list[float]]:
    """Scan-to-durable-commit latency of each check-in, and the idle-time checkpoints.

    Volunteers arrive seconds apart at a real kiosk, and the kiosk checkpoints
    the WAL in those gaps (``Store.maintain``); here that runs between scans,
    timed on its own.
    """
    store = open_store(db_path)
    store.maintain()
    now = datetime.now(UTC)
    with store.write() as db:
        save_activity(db, _activity("ABENCH", now - timedelta(hours=1), hours=8))
    service = AttendanceService(store, KIOSK_ID, SystemClock(), AttendancePolicy(), RevocationList())
    latencies, checkpoints = [], []
    for n, volunteer_id in enumerate(volunteer_ids[:checkins]):
        identity = Identity(volunteer_id, "测*", Method.QR, card_no=1)
        started = time.perf_counter()
        outcome = service.scan(identity, "ABENCH")
        latencies.append((time.perf_counter() - started) * 1000)
        assert outcome.confirmed, outcome
        if n % IDLE_CHECKPOINT_EVERY == IDLE_CHECKPOINT_EVERY - 1:
            started = time.perf_counter()
            store.maintain()
            checkpoints.append((time.perf_counter() - started) * 1000)
    store.close()
    return latencies, checkpoints


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volunteers", type=int, default=500_000)
    parser.add_argument("--checkins", type=int, default=2000)
    parser.add_argument("--past-events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3, help="import runs of each kind (median reported)")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
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
        latencies, checkpoints = measure_checkins(db_path, volunteer_ids, args.checkins)
        verify_ms = measure_verify()
        size_mb = sum(p.stat().st_size for p in folder.glob("kiosk0.db*")) / 1024**2

    result = {
        "volunteers": args.volunteers,
        "past_events": args.past_events,
        "checkins": args.checkins,
        "import_s": round(import_s, 3),
        "raw_import_s": round(raw_s, 3),
        "import_ratio_vs_raw": round(import_s / raw_s, 2),
        "checkin_p50_ms": round(percentile(latencies, 50), 3),
        "checkin_p95_ms": round(percentile(latencies, 95), 3),
        "checkin_p99_ms": round(percentile(latencies, 99), 3),
        "checkin_max_ms": round(max(latencies), 3),
        "idle_checkpoint_p50_ms": round(percentile(checkpoints, 50), 3) if checkpoints else None,
        "idle_checkpoint_max_ms": round(max(checkpoints), 3) if checkpoints else None,
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
