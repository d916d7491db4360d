"""Benchmark the push: N waiting events to the reference cloud server, optionally through a faulty network.

    python bench/sync.py --events 100000 [--faults] [--seed 1] [--json]
        [--pull-volunteers N] [--usb-events N] [--kiosks K --events-per-kiosk M] [--pull-faces N]

Starts the real reference server (``tests/helpers/cloud_server.running_cloud``)
on 127.0.0.1 in a temporary folder, registers a kiosk with a fresh data folder,
fills its outbox with N valid events in bulk (seq 1..N, time-ordered UUIDs,
protocol times; setup, not measured), then times ``push_pending()`` until
nothing waits. With ``--faults`` the client talks through the fault proxy
(``tests/helpers/fault_proxy``) with a short read timeout and pushes again
after each failure. ``delivered`` and ``duplicates`` are counted in the
server's own database.

``--pull-volunteers N`` also imports a generated roster of N volunteers into
the server (timed as ``import_s``, not part of the figure), gives every one
of them a platform total as a platform with a history of pushes has them
(one ``volunteer_totals`` row each, written through the table's trigger, so
each volunteer's log entry is the totals' one: ``totals_seed_s``, not part of
the figure either), then a freshly registered kiosk with an empty database
pulls everything; ``pull_s`` is the time of ``SyncClient.pull()``, the
kiosk's ``volunteers`` table must hold N, and ``pulled_totals`` counts the
volunteers pulled with a total above 0 (all N).

``--usb-events N`` also carries N events of a kiosk set up by provisioning
file over a "USB stick" (a folder): ``usb_export_s`` (``export_events``),
``usb_bundle_mb``, ``usb_cloud_import_s`` (open, verify, ingest, receipt),
``usb_receipt_s`` (the kiosk settles its outbox), then the update the cloud
writes for that kiosk (everything on the server, so with ``--pull-volunteers``
the whole roster): ``usb_update_s`` (export), ``usb_update_mb`` and
``usb_update_apply_s`` (the kiosk opens, verifies and applies it).

``--pull-faces N`` also enrols N volunteers (4 templates each, written in
bulk with their consent and face records: setup, not measured) at a kiosk,
times its ``push_faces()`` (``face_push_s``), then a second kiosk of the
same area pulls them all (``face_pull_s``: open with the area key, store
under its own key) and loads its gallery (``face_gallery_s``); the second
kiosk must hold 4N templates.

``--kiosks K --events-per-kiosk M`` also lets K kiosks (each its own data
folder, registration and M waiting events) push at once from K threads that
start together; ``batch_p95_ms`` is the 95th percentile of the push requests'
latency, ``errors`` the failed push rounds.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Mapping
from contextlib import nullcontext
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT, ROOT / "tests"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from helpers.cloud_server import RunningCloud, running_cloud  # noqa: E402
from helpers.fault_proxy import FaultPlan, fault_proxy  # noqa: E402

from checkin_protocol.bundle_files import write_bundle  # noqa: E402
from checkin_protocol.event_rows import EVENT_COLUMNS, format_utc  # noqa: E402
from cloud.bundles import export_changes, import_events_bundle, provisioning_bundle  # noqa: E402
from kiosk.clock import SystemClock  # noqa: E402
from kiosk.demo.roster import write_roster_csv  # noqa: E402
from kiosk.services.face_enrolment import FaceEnrolment  # noqa: E402
from kiosk.services.ids import new_event_id  # noqa: E402
from kiosk.store.database import Store, open_store  # noqa: E402
from kiosk.store.face_sync import ENROLMENT, record_made_here  # noqa: E402
from kiosk.store.face_templates import add_template, load_face_key  # noqa: E402
from kiosk.store.outbox import rejected_count, waiting_count  # noqa: E402
from kiosk.sync.client import SyncClient  # noqa: E402
from kiosk.sync.transport import HttpTransport  # noqa: E402
from kiosk.sync.usb import export_events, import_bundles  # noqa: E402
from kiosk.sync.usb_setup import register_offline  # noqa: E402

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


def fill_outbox(store: Store, count: int, kiosk_id: str = KIOSK_ID) -> None:
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
                kiosk_id,
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
                None,  # credential
            )
        )
        outbox.append((event_id, enqueued))
        if len(events) >= INSERT_CHUNK:
            flush()
    if events:
        flush()


def server_counts(cloud: RunningCloud, kiosk_ids: tuple[str, ...] = (KIOSK_ID,)) -> tuple[int, int]:
    """(rows, distinct event IDs) the server holds for the bench kiosks."""
    marks = ", ".join("?" * len(kiosk_ids))
    with cloud.store.read() as reader:
        row = reader._conn.execute(
            f"SELECT COUNT(*), COUNT(DISTINCT event_id) FROM events WHERE kiosk_id IN ({marks})", kiosk_ids
        ).fetchone()
    return int(row[0]), int(row[1])


class TotalsCountingTransport(HttpTransport):
    """The HTTP transport, counting the ``volunteer`` upserts pulled with a total above 0."""

    totals_seen = 0

    def get_json(
        self, path: str, *, params: Mapping[str, str | int] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        reply = super().get_json(path, params=params, token=token)
        for change in reply.get("changes") or []:
            if change.get("kind") == "volunteer" and (change.get("data") or {}).get("total_seconds", 0) > 0:
                self.totals_seen += 1
        return reply


def seed_totals(cloud: RunningCloud) -> int:
    """Give every volunteer a platform total above 0, as pushes would; the log's ``volunteer`` entries after.

    One statement: each row goes through the totals' trigger, which replaces
    the volunteer's roster entry in the log as a push's would (SQLite: ``rowid``).
    """
    computed = datetime.now(UTC).isoformat(timespec="milliseconds")
    with cloud.store.write() as writer:
        writer._conn.execute(
            "INSERT INTO volunteer_totals (volunteer_id, total_seconds, computed_utc) "
            "SELECT volunteer_id, 3600 + (rowid * 7919) % 360000, ? FROM volunteers WHERE true "
            "ON CONFLICT (volunteer_id) DO UPDATE SET total_seconds = excluded.total_seconds, "
            "computed_utc = excluded.computed_utc",  # the bench kiosk's pushed volunteers have one
            (computed,),
        )
        row = writer._conn.execute("SELECT COUNT(*) FROM changes WHERE kind = 'volunteer'").fetchone()
    return int(row[0])


def measure_pull(cloud: RunningCloud, folder: Path, count: int) -> dict[str, object]:
    """Import ``count`` generated volunteers into the server, then time a fresh kiosk's full pull."""
    roster = folder / "roster.csv"
    started = time.perf_counter()
    write_roster_csv(roster, count)
    cloud.store.import_roster(roster)
    import_s = time.perf_counter() - started
    started = time.perf_counter()
    log_entries = seed_totals(cloud)
    totals_seed_s = time.perf_counter() - started
    store = open_store(folder / "kiosk-pull" / "kiosk.db")
    transport = TotalsCountingTransport(cloud.base_url)
    try:
        client = SyncClient(store, "KBENCHPULL1", SystemClock(), transport)
        client.register(cloud.provision())
        started = time.perf_counter()
        report = client.pull()
        pull_s = time.perf_counter() - started
        kiosk_volunteers = int(store.writer.conn.execute("SELECT COUNT(*) FROM volunteers").fetchone()[0])
    finally:
        store.close()
    return {
        "pull_volunteers": count,
        "kiosk_volunteers": kiosk_volunteers,
        "pulled_totals": transport.totals_seen,
        "log_volunteer_entries": log_entries,
        "totals_seed_s": round(totals_seed_s, 2),
        "pull_s": round(pull_s, 3),
        "pull_pages": report.pages,
        "pull_applied": report.applied,
        "pull_error": report.error.message if report.error is not None else None,
        "import_s": round(import_s, 2),
    }


FACE_MODEL = "dlib-resnet-v1"


def fill_faces(store: Store, count: int) -> None:
    """``count`` enrolled volunteers (consent, 4 encrypted templates, a face record each), in bulk."""
    key = load_face_key(store.path, create=True)
    assert key is not None
    rng = np.random.default_rng(7)
    now = datetime.now(UTC)
    for start in range(0, count, 1000):
        with store.write() as db:
            for n in range(start, min(start + 1000, count)):
                volunteer = f"V{n:09d}"
                db.execute(
                    "INSERT INTO face_consents (volunteer_id, consented_utc, coordinator, notice_version) "
                    "VALUES (?, ?, 'bench', '2026-11')",
                    [volunteer, format_utc(now)],
                )
                vectors = rng.normal(size=(4, 128)).astype(np.float32)
                for vector in vectors / np.linalg.norm(vectors, axis=1, keepdims=True):
                    add_template(db, key, new_event_id(), volunteer, FACE_MODEL, vector, now)
                record_made_here(db, ENROLMENT, volunteer, new_event_id(), now)


def measure_faces(cloud: RunningCloud, folder: Path, count: int) -> dict[str, object]:
    """Push ``count`` enrolments from one kiosk, then time a second kiosk of the area pulling them."""
    stores = [open_store(folder / name / "kiosk.db") for name in ("faces-a", "faces-b")]
    try:
        clients = []
        for store, kiosk_id in zip(stores, ("KBENCHFACEA", "KBENCHFACEB"), strict=True):
            client = SyncClient(store, kiosk_id, SystemClock(), HttpTransport(cloud.base_url))
            client.register(cloud.provision("faces"))
            clients.append(client)
        started = time.perf_counter()
        fill_faces(stores[0], count)
        setup_s = time.perf_counter() - started
        started = time.perf_counter()
        pushed = clients[0].push_faces()
        push_s = time.perf_counter() - started
        started = time.perf_counter()
        pulled = clients[1].pull()
        pull_s = time.perf_counter() - started
        templates = int(stores[1].writer.execute("SELECT COUNT(*) FROM face_templates").fetchone()[0])
        started = time.perf_counter()
        gallery = FaceEnrolment(stores[1], "KBENCHFACEB", SystemClock()).load_gallery(FACE_MODEL)
        gallery_s = time.perf_counter() - started
    finally:
        for store in stores:
            store.close()
    return {
        "pull_faces": count,
        "face_push_s": round(push_s, 3),
        "face_push_batches": pushed.batches,
        "face_push_error": pushed.error.message if pushed.error is not None else None,
        "face_pull_s": round(pull_s, 3),
        "face_pull_per_volunteer_ms": round(1000 * pull_s / count, 3) if count else None,
        "face_pull_error": pulled.error.message if pulled.error is not None else None,
        "face_templates_b": templates,
        "face_gallery_s": round(gallery_s, 3),
        "face_gallery_templates": len(gallery),
        "face_setup_s": round(setup_s, 2),
    }


def measure_usb(cloud: RunningCloud, folder: Path, count: int) -> dict[str, object]:
    """Carry ``count`` events from an offline kiosk to the cloud by bundle, and an update back."""
    stick, kiosk_id = folder / "stick", "KBENCHUSB1"
    stick.mkdir()
    clock = SystemClock()
    store = open_store(folder / "kiosk-usb" / "kiosk.db")
    try:
        _, setup = provisioning_bundle(cloud.instance, "bench", cloud.instance.clock())
        write_bundle(setup, stick / "setup.kbundle")
        register_offline(store, kiosk_id, stick / "setup.kbundle", clock.now().wall_utc)
        fill_outbox(store, count, kiosk_id)

        started = time.perf_counter()
        exported = export_events(store, kiosk_id, stick, clock.now().wall_utc)
        export_s = time.perf_counter() - started
        bundle_bytes = sum(b.path.stat().st_size for b in exported)

        started = time.perf_counter()
        for bundle in exported:
            result = import_events_bundle(cloud.instance, bundle.path.read_bytes(), cloud.instance.clock())
            write_bundle(result.receipt, stick / f"receipt-{result.bundle_id}.kbundle")
        cloud_import_s = time.perf_counter() - started

        started = time.perf_counter()
        report = import_bundles(store, kiosk_id, stick, clock.now().wall_utc)
        receipt_s = time.perf_counter() - started
        waiting = waiting_count(store.writer)

        started = time.perf_counter()
        update = export_changes(cloud.instance, kiosk_id, cloud.instance.clock())
        update_path = write_bundle(update.bundle, stick / f"changes-{update.next_cursor}.kbundle")
        update_s = time.perf_counter() - started
        started = time.perf_counter()
        applied = import_bundles(store, kiosk_id, update_path, clock.now().wall_utc)
        apply_s = time.perf_counter() - started
        kiosk_volunteers = int(store.writer.conn.execute("SELECT COUNT(*) FROM volunteers").fetchone()[0])
    finally:
        store.close()
    rows, distinct = server_counts(cloud, (kiosk_id,))
    return {
        "usb_events": count,
        "usb_bundles": len(exported),
        "usb_delivered": distinct,
        "usb_duplicates": rows - distinct,
        "usb_waiting": waiting,
        "usb_refused": len(report.refused) + len(applied.refused),
        "usb_export_s": round(export_s, 2),
        "usb_bundle_mb": round(bundle_bytes / 1e6, 1),
        "usb_cloud_import_s": round(cloud_import_s, 2),
        "usb_receipt_s": round(receipt_s, 2),
        "usb_update_changes": update.changes,
        "usb_update_s": round(update_s, 2),
        "usb_update_mb": round(update_path.stat().st_size / 1e6, 1),
        "usb_update_apply_s": round(apply_s, 2),
        "usb_kiosk_volunteers": kiosk_volunteers,
    }


def p95(values: list[float]) -> float | None:
    """The 95th percentile (nearest rank) of ``values``, or None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * 95 // 100) - 1)]


def measure_kiosks(cloud: RunningCloud, folder: Path, kiosks: int, per_kiosk: int) -> dict[str, object]:
    """``kiosks`` kiosks, each with ``per_kiosk`` waiting events, push at once from their own threads."""
    kiosk_ids = tuple(f"KBENCHMULTI{i:04d}" for i in range(1, kiosks + 1))
    codes = [cloud.provision() for _ in kiosk_ids]
    barrier = threading.Barrier(kiosks + 1)
    latencies: list[float] = []
    errors: list[str] = []
    failed_rounds = [0]
    lock = threading.Lock()

    def run(kiosk_id: str, code: str) -> None:
        store = None
        try:
            store = open_store(folder / "kiosks" / kiosk_id / "kiosk.db")
            transport = HttpTransport(cloud.base_url)
            client = SyncClient(store, kiosk_id, SystemClock(), transport)
            client.register(code)
            fill_outbox(store, per_kiosk, kiosk_id)
            post_json = transport.post_json

            def timed_post_json(*args: object, **kwargs: object) -> dict[str, object]:
                sent = time.perf_counter()
                try:
                    return post_json(*args, **kwargs)  # type: ignore[arg-type]
                finally:
                    with lock:
                        latencies.append(time.perf_counter() - sent)

            transport.post_json = timed_post_json  # type: ignore[method-assign]
        except Exception as exc:
            with lock:
                errors.append(f"{kiosk_id} setup: {exc}")
                failed_rounds[0] += 1
            barrier.abort()
            if store is not None:
                store.close()
            return
        try:
            barrier.wait()
            _, failures, _ = push_all(client, max_rounds=10 * (per_kiosk // 500 + 10))
            with lock:
                failed_rounds[0] += failures
        except Exception as exc:
            with lock:
                errors.append(f"{kiosk_id}: {exc}")
                failed_rounds[0] += 1
        finally:
            store.close()

    threads = [
        threading.Thread(target=run, args=pair, daemon=True) for pair in zip(kiosk_ids, codes, strict=True)
    ]
    for thread in threads:
        thread.start()
    with contextlib.suppress(threading.BrokenBarrierError):  # a kiosk's setup failed: counted in ``errors``
        barrier.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    push_s = time.perf_counter() - started
    rows, distinct = server_counts(cloud, kiosk_ids)
    for error in errors[:5]:
        print(f"error: {error}", file=sys.stderr)
    p95_s = p95(latencies)
    return {
        "kiosks": kiosks,
        "kiosk_events": kiosks * per_kiosk,
        "kiosks_delivered": distinct,
        "kiosks_duplicates": rows - distinct,
        "errors": failed_rounds[0],
        "kiosks_push_s": round(push_s, 3),
        "kiosk_requests": len(latencies),
        "batch_p95_ms": round(p95_s * 1000, 1) if p95_s is not None else None,
    }


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
    parser.add_argument(
        "--pull-volunteers", type=int, default=0, help="also time a fresh kiosk pulling N volunteers"
    )
    parser.add_argument("--usb-events", type=int, default=0, help="also carry N events by USB bundle")
    parser.add_argument("--kiosks", type=int, default=0, help="also push from K kiosks at once")
    parser.add_argument(
        "--pull-faces",
        type=int,
        default=0,
        help="also push N volunteers' face templates and pull them at another kiosk",
    )
    parser.add_argument(
        "--events-per-kiosk", type=int, default=200, help="waiting events of each of the K kiosks"
    )
    args = parser.parse_args()
    extra: dict[str, object] = {}

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
            if args.pull_volunteers:
                extra.update(measure_pull(cloud, folder, args.pull_volunteers))
            if args.usb_events:
                extra.update(measure_usb(cloud, folder, args.usb_events))
            if args.kiosks:
                extra.update(measure_kiosks(cloud, folder, args.kiosks, args.events_per_kiosk))
            if args.pull_faces:
                extra.update(measure_faces(cloud, folder, args.pull_faces))

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
        **extra,
    }
    width = max(len(k) for k in result)
    for key, value in result.items():
        print(f"{key:<{width}}  {value}")
    if args.json:
        print(json.dumps(result))
    if distinct != args.events or rows != distinct or waiting or rejected:
        sys.exit(1)
    if args.pull_volunteers and (
        extra["kiosk_volunteers"] != args.pull_volunteers
        or extra["pulled_totals"] != args.pull_volunteers
        or extra["pull_error"]
    ):
        sys.exit(1)
    if args.usb_events and (
        extra["usb_delivered"] != args.usb_events
        or extra["usb_duplicates"]
        or extra["usb_waiting"]
        or extra["usb_refused"]
    ):
        sys.exit(1)
    if args.pull_faces and (
        extra["face_templates_b"] != 4 * args.pull_faces
        or extra["face_push_error"]
        or extra["face_pull_error"]
    ):
        sys.exit(1)
    if args.kiosks and (
        extra["errors"] or extra["kiosks_duplicates"] or extra["kiosks_delivered"] != extra["kiosk_events"]
    ):
        sys.exit(1)


if __name__ == "__main__":
    main()
