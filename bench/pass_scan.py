"""Benchmark check-ins by phone pass against check-ins by card: scanned text to durable commit.

    python bench/pass_scan.py [--volunteers 20000] [--scans 1000] [--json]

A kiosk store on a real file (WAL + synchronous=FULL) holds a roster of
``--volunteers`` volunteers, each with a phone pass as a pull leaves it. Each
of ``--scans`` volunteers checks in twice over, at two open activities: once
by card, once by a fresh pass code of their phone, in random order, through
``ScanService.handle_code`` (what the camera and the scanner call). A scan's
time runs from the text to the returned outcome (its event committed): for a
pass that is reading the code, finding the pass, verifying its Ed25519
signature, judging its step against platform time, and writing the step with
the event in the check-in's transaction. A code is signed for the current
step just before its scan and outside its time (the phone does that). The
kiosk checkpoints every 20 scans outside the timed scan, as it does when idle.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from checkin_protocol.codes.issuer import Issuer, generate_signing_key
from checkin_protocol.codes.pass_codes import sign_pass_code, step_of
from checkin_protocol.codes.trust import RevocationList, TrustedKeys, public_bytes_b64
from checkin_protocol.codes.verifier import TokenVerifier
from checkin_protocol.models import Activity, ActivityStatus, Method, OrgLevel
from checkin_protocol.policy import AttendancePolicy
from kiosk.clock import SystemClock
from kiosk.services.attendance import AttendanceService
from kiosk.services.outcome import OutcomeKind
from kiosk.services.scanning import ScanService
from kiosk.store import passes, pull_changes
from kiosk.store.activities import save_activity, set_activity_status
from kiosk.store.database import open_store

KIOSK_ID = "KBENCH1"
IDLE_CHECKPOINT_EVERY = 20


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def _activity(activity_id: str, now: datetime) -> Activity:
    return Activity(
        activity_id=activity_id,
        title="图书馆阅读推广志愿服务",
        org_name="江城市志愿服务联合会",
        org_level=OrgLevel.CITY,
        venue="江城市图书馆",
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=8),
        category="文化服务",
        status=ActivityStatus.OPEN,
    )


def _figures(values: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(values, 50), 2),
        "p95_ms": round(percentile(values, 95), 2),
        "p99_ms": round(percentile(values, 99), 2),
        "max_ms": round(max(values), 2),
        "mean_ms": round(statistics.mean(values), 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--volunteers", type=int, default=20_000)
    parser.add_argument("--scans", type=int, default=1_000, help="volunteers who check in (twice each)")
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    now = datetime.now(UTC)
    issuer = Issuer(generate_signing_key(), "bench1")

    with tempfile.TemporaryDirectory(prefix="kiosk-pass-bench-") as tmp:
        store = open_store(Path(tmp) / "kiosk.db")
        phones: list[Ed25519PrivateKey] = []
        with store.write() as db:
            for n in range(args.volunteers):
                volunteer_id = f"V{n:09d}"
                pull_changes.upsert_volunteer(db, volunteer_id, "测试志愿者", None, None, 1)
                phone = Ed25519PrivateKey.generate()
                phones.append(phone)
                key = public_bytes_b64(phone.public_key())
                passes.upsert_pass(db, f"P{n:010X}", volunteer_id, key, "2026-01-01T00:00:00.000+00:00", None)
            for activity_id in ("ACARD", "APASS"):
                save_activity(db, _activity(activity_id, now))
                set_activity_status(db, activity_id, ActivityStatus.OPEN)
        clock = SystemClock()
        verifier = TokenVerifier(TrustedKeys([("bench1", issuer.public_key_b64)]), RevocationList())
        attendance = AttendanceService(store, KIOSK_ID, clock, AttendancePolicy(), RevocationList())
        scanning = ScanService(store, KIOSK_ID, clock, verifier, attendance)

        chosen = rng.sample(range(args.volunteers), args.scans)
        scans = [("card", n) for n in chosen] + [("pass", n) for n in chosen]
        rng.shuffle(scans)
        cards = {n: issuer.issue_card(f"V{n:09d}", "测*员", issued_on=date.today()) for n in chosen}
        times: dict[str, list[float]] = {"card": [], "pass": []}
        started = time.perf_counter()
        for index, (kind, n) in enumerate(scans):
            if index % IDLE_CHECKPOINT_EVERY == 0:
                store.maintain()
            if kind == "card":
                text, activity_id = cards[n], "ACARD"
            else:
                text, activity_id = sign_pass_code(f"P{n:010X}", step_of(time.time()), phones[n]), "APASS"
            began = time.perf_counter_ns()
            outcome = scanning.handle_code(text, Method.SCANNER, activity_id)
            times[kind].append((time.perf_counter_ns() - began) / 1e6)
            if outcome.kind is not OutcomeKind.CHECKED_IN:
                raise SystemExit(f"a {kind} scan was not a check-in: {outcome}")
        elapsed = time.perf_counter() - started
        store.close()

    result: dict[str, object] = {
        "volunteers": args.volunteers,
        "scans_each": args.scans,
        "card": _figures(times["card"]),
        "pass": _figures(times["pass"]),
        "seconds": round(elapsed, 1),
    }
    for key, value in result.items():
        print(f"{key:<12} {value}")
    if args.json:
        print(json.dumps(result))


if __name__ == "__main__":
    main()
