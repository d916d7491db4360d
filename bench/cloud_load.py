"""Load the reference cloud with many kiosks syncing at once, on SQLite and on PostgreSQL, and check what it stored.

    python bench/cloud_load.py --dashboard [--scale 1.0] [--rounds 5] [--json]
    python bench/cloud_load.py [--json] [--backend sqlite|postgres|both] [--kiosks 500]
        [--seconds 60] [--interval 5] [--workers 2] [--processes 3] [--events-per-round 2]
        [--catchup-kiosks 50] [--catchup-events 2000] [--volunteers 1000] [--roster-edits 5]

For each backend (SQLite, then PostgreSQL in a temporary folder, in the same
run), ``bench/cloud_load_server.py`` sets up a fresh cloud (roster imported,
activities published, one provisioning code per kiosk) and starts
``kiosk-cloud serve --workers W`` as its own process. Then, from
``--processes`` load-generator processes apart from the server
(``bench/cloud_load_generator.py``), each driving its share of the kiosks
from one thread per kiosk (``bench/cloud_load_kiosk.py``):

1. **Setup** (not measured): every kiosk registers over HTTP as a kiosk does
   (device key, signed nonce) and makes its first full pull.
2. **Load**: ``--kiosks`` kiosks sync every ``--interval`` seconds for
   ``--seconds`` seconds, as a kiosk's sync round does: ``GET /time``, push
   the scans recorded since the last round (check-ins and check-outs of the
   roster's volunteers, 0 to 2 × ``--events-per-round`` a round), pull the
   changes from the kiosk's cursor. Meanwhile the platform edits
   ``--roster-edits`` volunteers a second, so pulls carry changes.
   ``p50_ms`` / ``p95_ms`` are of whole rounds, timed in the generator
   processes; ``rounds_per_s`` and ``events_per_s`` (acknowledged) are over
   the window.
3. **Catch-up**: ``--catchup-kiosks`` other kiosks, each holding a backlog of
   ``--catchup-events`` scans recorded offline (its volunteers checked in
   and out at one activity after another, 25 with the defaults), push at
   once in batches of the protocol's largest (500); ``catchup_events_per_s``
   is the events over the wall time until the last one was acknowledged.
4. **Checks** against the database (``bench/cloud_load_verify.py``), over
   both phases: ``errors`` (failed rounds or batches: transport errors and
   non-2xx), ``duplicates``, ``gaps`` (acknowledged but not stored, and the
   cloud's own missing ranges), ``waiting`` and ``rejected``.

Prints the figures of each backend; with ``--json`` the last line is a JSON
list with one object per backend. Exits 1 when any backend has errors,
duplicates, gaps, or events left waiting or rejected. Targets (this 2-core
machine, PostgreSQL, the defaults): p95 ≤ 250 ms, 0 errors, 0 duplicates,
0 gaps, catch-up ≥ 5,000 events/s.

``--dashboard`` instead loads a province (``bench/cloud_load_province.py``:
5,000,000 volunteers, 20,000 organisations, 10,000,000 events; ``--scale``
for a fraction) into a durable PostgreSQL with COPY and times every panel
of the dashboard for an area of each level (``bench/cloud_dashboard.py``);
target p95 ≤ 200 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT, ROOT / "tests", ROOT / "bench"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from cloud_dashboard import time_panels  # noqa: E402
from cloud_load_generator import (  # noqa: E402
    CatchupSettings,
    LoadSettings,
    Outcome,
    PhaseResult,
    catchup_process,
    load_process,
    run_phase,
    split,
)
from cloud_load_kiosk import KioskPlan, Ledger  # noqa: E402
from cloud_load_province import ProvinceSize, load_province  # noqa: E402
from cloud_load_server import (  # noqa: E402
    Roster,
    RosterEditor,
    backend_database,
    prepare_cloud,
    provision,
    publish_activities,
    served_cloud,
)
from cloud_load_verify import percentile, verify  # noqa: E402
from helpers.postgres import new_postgres_database, running_postgres  # noqa: E402

from cloud.storage_postgres import PostgresCloudStore  # noqa: E402

BACKENDS = {"sqlite": ("sqlite",), "postgres": ("postgres",), "both": ("sqlite", "postgres")}
VOLUNTEERS_PER_KIOSK = 40
TARGET_P95_MS = 250.0
TARGET_CATCHUP_EVENTS_PER_S = 5000.0
TARGET_DASHBOARD_P95_MS = 200.0


def kiosk_plans(
    prefix: str,
    codes: list[str],
    roster: Roster,
    rng: random.Random,
    backlog_activities: tuple[str, ...] = (),
) -> list[KioskPlan]:
    """One plan per code: kiosk ``<prefix><n>``, an activity of the roster, a few of its volunteers.

    ``backlog_activities`` are shared out in equal runs, one run per kiosk
    (the activities each catch-up kiosk served while offline).
    """
    volunteer_ids = [volunteer_id for volunteer_id, _ in roster.volunteers]
    sample = min(VOLUNTEERS_PER_KIOSK, len(volunteer_ids))
    run = len(backlog_activities) // max(1, len(codes))
    return [
        KioskPlan(
            kiosk_id=f"{prefix}{n:05d}",
            code=code,
            activity_id=roster.activity_ids[n % len(roster.activity_ids)],
            volunteers=tuple(rng.sample(volunteer_ids, sample)),
            backlog_activities=backlog_activities[(n - 1) * run : n * run],
        )
        for n, code in enumerate(codes, start=1)
    ]


def backlog_activity_count(args: argparse.Namespace, volunteers: int) -> int:
    """Activities the catch-up kiosks served offline: one per visit of each of their volunteers."""
    per_kiosk = -(-int(args.catchup_events) // (2 * min(VOLUNTEERS_PER_KIOSK, volunteers)))
    return int(args.catchup_kiosks) * per_kiosk


def _merged(phase: PhaseResult) -> Outcome:
    merged = Outcome()
    for outcome in phase.outcomes:
        merged.latencies_s += outcome.latencies_s
        merged.failures += outcome.failures
        merged.error_kinds.update(outcome.error_kinds)
        merged.error_samples += outcome.error_samples
        merged.acknowledged += outcome.acknowledged
        merged.changes_pulled += outcome.changes_pulled
        merged.finished_at = max(merged.finished_at, outcome.finished_at)
        merged.ledgers += outcome.ledgers
        merged.transport_log += outcome.transport_log
    return merged


def _ms(seconds: float | None) -> float | None:
    return round(seconds * 1000, 1) if seconds is not None else None


def run_backend(backend: str, args: argparse.Namespace, tmp: Path) -> dict[str, Any]:
    """Set up a cloud on ``backend``, run the load and the catch-up against its server, check its database."""
    began = time.monotonic()
    rng = random.Random(args.seed)
    folder = tmp / backend
    folder.mkdir()
    with backend_database(backend) as database:
        instance, roster = prepare_cloud(
            folder / "cloud", database, args.volunteers, args.activities, args.seed
        )
        with instance:
            load_plans = kiosk_plans("KLOAD", provision(instance, args.kiosks), roster, rng)
            offline = publish_activities(
                instance, backlog_activity_count(args, args.volunteers), args.seed, prefix="ACATCH"
            )
            catchup_plans = kiosk_plans(
                "KCATCH", provision(instance, args.catchup_kiosks), roster, rng, offline
            )
            with served_cloud(folder / "cloud", database, args.workers, folder / "server.log") as served:
                settings = LoadSettings(
                    served.base_url,
                    args.interval,
                    args.seconds,
                    args.events_per_round,
                    args.kiosks,
                    args.seed,
                )
                with RosterEditor(instance, roster, folder, args.roster_edits, args.seed) as editor:
                    load_phase = run_phase(load_process, split(load_plans, args.processes), settings)
                load = _merged(load_phase)
                catchup: Outcome | None = None
                catchup_s: float | None = None
                if catchup_plans:
                    catchup_settings = CatchupSettings(served.base_url, args.catchup_events, args.seed)
                    catchup_phase = run_phase(
                        catchup_process, split(catchup_plans, args.processes), catchup_settings
                    )
                    catchup = _merged(catchup_phase)
                    catchup_s = catchup.finished_at - catchup_phase.started_at
            ledgers: list[Ledger] = load.ledgers + (catchup.ledgers if catchup else [])
            verdict = verify(instance.store, ledgers)
    window_s = max(load.finished_at - load_phase.started_at, 1e-9)
    catchup_events = args.catchup_kiosks * args.catchup_events
    errors = load.failures + (catchup.failures if catchup else 0)
    for sample in load.error_samples + (catchup.error_samples if catchup else []):
        print(f"[{backend}] error: {sample}", file=sys.stderr)
    for line in load.transport_log + (catchup.transport_log if catchup else []):
        print(f"[{backend}] transport: {line}", file=sys.stderr)
    for failure in editor.failures[:5]:
        print(f"[{backend}] roster edit failed: {failure}", file=sys.stderr)
    return {
        "backend": backend,
        "kiosks": args.kiosks,
        "workers": args.workers,
        "processes": len(load_phase.outcomes),
        "interval_s": args.interval,
        "window_s": round(window_s, 1),
        "rounds": len(load.latencies_s),
        "rounds_per_s": round(len(load.latencies_s) / window_s, 1),
        "events_per_s": round(load.acknowledged / window_s, 1),
        "p50_ms": _ms(percentile(load.latencies_s, 50)),
        "p95_ms": _ms(percentile(load.latencies_s, 95)),
        "p99_ms": _ms(percentile(load.latencies_s, 99)),
        "max_ms": _ms(max(load.latencies_s, default=None)),
        "changes_pulled": load.changes_pulled,
        "roster_edits": editor.imports,
        "errors": errors,
        "error_kinds": dict(load.error_kinds + (catchup.error_kinds if catchup else Counter())),
        "duplicates": verdict.duplicates,
        "gaps": verdict.gaps,
        "seq_gap_numbers": verdict.seq_gap_numbers,
        "waiting": verdict.waiting,
        "rejected": verdict.rejected,
        "stored_events": verdict.stored,
        "catchup_kiosks": args.catchup_kiosks,
        "catchup_events": catchup_events,
        "catchup_s": round(catchup_s, 2) if catchup_s is not None else None,
        "catchup_events_per_s": round(catchup_events / catchup_s, 1) if catchup_s else None,
        "catchup_batch_p95_ms": _ms(percentile(catchup.latencies_s, 95)) if catchup else None,
        "catchup_errors": catchup.failures if catchup else 0,
        "backend_s": round(time.monotonic() - began, 1),
    }


def targets(result: dict[str, Any]) -> dict[str, bool]:
    """Which of the issue's targets a backend's figures meet."""
    p95, catchup = result["p95_ms"], result["catchup_events_per_s"]
    return {
        "p95<=250ms": p95 is not None and p95 <= TARGET_P95_MS,
        "errors=0": result["errors"] == 0,
        "duplicates=0": result["duplicates"] == 0,
        "gaps=0": result["gaps"] == 0,
        "catchup>=5000/s": catchup is not None and catchup >= TARGET_CATCHUP_EVENTS_PER_S,
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """The command line (see the module docstring)."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print a JSON list, one object per backend, last")
    parser.add_argument("--backend", choices=sorted(BACKENDS), default="both")
    parser.add_argument("--kiosks", type=int, default=500, help="kiosks syncing in the load phase")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the load phase")
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between a kiosk's rounds")
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--processes", type=int, default=3, help="load-generator processes")
    parser.add_argument(
        "--events-per-round", type=int, default=2, help="mean scans a kiosk records between rounds"
    )
    parser.add_argument("--catchup-kiosks", type=int, default=50)
    parser.add_argument("--catchup-events", type=int, default=2000, help="backlog of each catch-up kiosk")
    parser.add_argument("--volunteers", type=int, default=1000, help="roster size")
    parser.add_argument("--activities", type=int, default=20)
    parser.add_argument(
        "--roster-edits", type=int, default=5, help="volunteers the platform edits every second"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--dashboard",
        action="store_true",
        help="instead: load a province into PostgreSQL with COPY and time the dashboard's panels",
    )
    parser.add_argument("--scale", type=float, default=1.0, help="--dashboard: fraction of the full province")
    parser.add_argument("--rounds", type=int, default=5, help="--dashboard: rounds of every panel and area")
    args = parser.parse_args(argv)
    for name in ("kiosks", "workers", "processes", "volunteers", "activities"):
        if getattr(args, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.seconds <= 0 or args.interval <= 0:
        parser.error("--seconds and --interval must be positive")
    if min(args.catchup_kiosks, args.catchup_events, args.events_per_round, args.roster_edits) < 0:
        parser.error("counts must not be negative")
    return args


def run_dashboard(args: argparse.Namespace) -> int:
    """``--dashboard``: a province (``--scale`` of issue 15's) loaded with COPY, then its panels timed."""
    size = ProvinceSize().scaled(args.scale) if args.scale != 1.0 else ProvinceSize()
    now = datetime.now(UTC)
    with running_postgres(durable=True) as server:
        database = new_postgres_database(server)
        load = load_province(database, size, now=now, progress=lambda line: print(line, flush=True))
        with PostgresCloudStore.open(database) as store:
            timing = time_panels(store, now, args.rounds)
    result = {
        "backend": "postgres",
        "size": asdict(size),
        "rows": load.rows,
        "load_s": load.total_s,
        **timing,
        "target_p95_ms": TARGET_DASHBOARD_P95_MS,
    }
    for key, value in result.items():
        print(f"{key:<14}  {value}")
    met = result["p95_ms"] <= TARGET_DASHBOARD_P95_MS
    print(f"targets: p95<={TARGET_DASHBOARD_P95_MS}ms {'met' if met else 'MISSED'}")
    if args.json:
        print(json.dumps(result))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the bench; 0 when every backend stored exactly what was acknowledged, without errors."""
    args = parse_args(argv)
    if args.dashboard:
        return run_dashboard(args)
    started = time.monotonic()
    results = []
    with tempfile.TemporaryDirectory(prefix="kiosk-bench-cloud-load-") as tmp:
        for backend in BACKENDS[args.backend]:
            result = run_backend(backend, args, Path(tmp))
            results.append(result)
            width = max(len(k) for k in result)
            print(f"== {backend}")
            for key, value in result.items():
                print(f"{key:<{width}}  {value}")
            met = targets(result)
            print("targets: " + ", ".join(f"{name} {'met' if ok else 'MISSED'}" for name, ok in met.items()))
    print(f"total_s  {time.monotonic() - started:.1f}")
    if args.json:
        print(json.dumps(results))
    bad = [
        r["backend"]
        for r in results
        if r["errors"] or r["duplicates"] or r["gaps"] or r["waiting"] or r["rejected"]
    ]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
