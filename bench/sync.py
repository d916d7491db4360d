"""Benchmark the push: N waiting events to the reference cloud server, optionally through a faulty network.

    python bench/sync.py --events 100000 [--faults] [--seed 1] [--json]

Starts the real reference server (``tests/helpers/cloud_server.running_cloud``)
on 127.0.0.1 in a temporary folder, registers a kiosk with a fresh data folder,
fills its outbox with N valid events in bulk (seq 1..N, time-ordered UUIDs,
protocol times; setup, not measured), then times ``push_pending()`` until
nothing waits. With ``--faults`` the client talks through the fault proxy
(``tests/helpers/fault_proxy``) with a short read timeout and pushes again
after each failure. ``delivered`` and ``duplicates`` are counted in the
server's own database.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections import Counter
from contextlib import nullcontext
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT, ROOT / "tests"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from helpers.cloud_server import RunningCloud, running_cloud  # noqa: E402
from helpers.fault_proxy import FaultPlan, fault_proxy  # noqa: E402

from kiosk.services.clock import SystemClock  # noqa: E402
from kiosk.services.ids import new_event_id  # noqa: E402
from kiosk.store.database import Store, open_store  # noqa: E402
from kiosk.store.events import EVENT_COLUMNS, format_utc  # noqa: E402
from kiosk.sync.client import SyncClient  # noqa: E402
from kiosk.sync.outbox import rejected_count, waiting_count  # noqa: E402
from kiosk.sync.transport import HttpTransport  # noqa: E402

KIOSK_ID = "KBENCHSYNC1"
FAULT_WEIGHTS = {
    "pass": 0.7,
    "drop_before": 0.05,
    "drop_after": 0.05,
    "error_500": 0.05,
    "truncated": 0.05,
    "slow": 0.05,
    "timeout": 0.03,
}
INSERT_CHUNK = 50_000


def fill_outbox(store: Store, count: int) -> None:
    """``count`` valid pending events (seq 1..count), inserted in bulk."""
    db = store.writer
    columns = ", ".join(EVENT_COLUMNS)
    marks = ", ".join("?" * len(EVENT_COLUMNS))
    start = datetime.now(UTC) - timedelta(days=1)
    enqueued = format_utc(datetime.now(UTC))
    events: list[tuple[object, ...]] = []
    outbox: list[tuple[str, str]] = []

    def flush() -> None:
        with store.write():
            db.conn.executemany(f"INSERT INTO events ({columns}) VALUES ({marks})", events)
            db.conn.executemany("INSERT INTO outbox (event_id, enqueued_utc) VALUES (?, ?)", outbox)
        events.clear()
        outbox.clear()

    for seq in range(1, count + 1):
        event_id = new_event_id()
        wall = format_utc(start + timedelta(milliseconds=250 * seq))
        action = "in" if seq % 2 else "out"
        events.append(
            (
                event_id,
                KIOSK_ID,
                seq,
                f"V{seq % 5000:09d}",
                f"A{seq // 1000:08d}",
                action,
                "qr",
                wall,
                480,
                1_000_000_000 + seq * 250_000_000,
                "boot-bench",
                None,
                0,
                None,
                None,
            )
        )
        outbox.append((event_id, enqueued))
        if len(events) >= INSERT_CHUNK:
            flush()
    if events:
        flush()


def server_counts(cloud: RunningCloud) -> tuple[int, int]:
    """(rows, distinct event IDs) the server holds for the bench kiosk."""
    with cloud.store.read() as reader:
        row = reader._conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT event_id) FROM events WHERE kiosk_id = ?", (KIOSK_ID,)
        ).fetchone()
    return int(row[0]), int(row[1])


def push_all(client: SyncClient, max_rounds: int) -> tuple[int, int, int]:
    """``push_pending()`` until nothing waits; (rounds, failed rounds, batches)."""
    rounds = failures = batches = 0
    while rounds < max_rounds:
        rounds += 1
        report = client.push_pending()
        batches += report.batches
        if report.error is not None:
            failures += 1
            if not report.error.retryable and report.error.kind != "garbled":
                raise RuntimeError(f"push failed for good: {report.error.kind}: {report.error.message}")
            continue
        if client.status().waiting == 0:
            break
    return rounds, failures, batches


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--faults", action="store_true", help="push through the fault-injecting proxy")
    parser.add_argument("--seed", type=int, default=1, help="seed of the fault plan")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kiosk-bench-sync-") as tmp:
        folder = Path(tmp)
        with running_cloud(folder / "cloud") as cloud:
            store = open_store(folder / "kiosk" / "kiosk.db")
            try:
                clock = SystemClock()
                SyncClient(store, KIOSK_ID, clock, HttpTransport(cloud.base_url)).register(cloud.provision())
                setup_started = time.perf_counter()
                fill_outbox(store, args.events)
                setup_s = time.perf_counter() - setup_started

                plan = FaultPlan(FAULT_WEIGHTS, seed=args.seed, timeout_hold_s=1.0)
                proxied = fault_proxy(cloud.base_url, plan) if args.faults else nullcontext(None)
                with proxied as proxy:
                    url = proxy.url if proxy is not None else cloud.base_url
                    timeout = 2.0 if args.faults else 30.0
                    client = SyncClient(store, KIOSK_ID, clock, HttpTransport(url, read_timeout_s=timeout))
                    started = time.perf_counter()
                    rounds, failures, batches = push_all(client, max_rounds=10 * (args.events // 500 + 10))
                    push_s = time.perf_counter() - started
                    faults = dict(Counter(proxy.counts)) if proxy is not None else {}
                waiting = waiting_count(store.writer)
                rejected = rejected_count(store.writer)
            finally:
                store.close()
            rows, distinct = server_counts(cloud)

    result = {
        "events": args.events,
        "delivered": distinct,
        "duplicates": rows - distinct,
        "waiting": waiting,
        "rejected": rejected,
        "push_s": round(push_s, 3),
        "events_per_s": round(args.events / push_s, 1) if push_s else None,
        "batches": batches,
        "push_rounds": rounds,
        "failed_rounds": failures,
        "setup_s": round(setup_s, 2),
        "faults": faults,
    }
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")
    if args.json:
        print(json.dumps(result))
    if distinct != args.events or rows != distinct or waiting or rejected:
        sys.exit(1)


if __name__ == "__main__":
    main()
