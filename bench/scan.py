"""Benchmark the whole scan path, offscreen: frame -> decode -> verify -> durable commit -> result card.

    python bench/scan.py [--scans 500] [--json]
    python bench/scan.py --scans 10000 --soak [--json]     # memory growth and frame backlog

A synthetic camera shows the cards of a generated roster (perspective, blur,
noise, changing light) through the real pipeline threads, the real writer
thread and a real SQLite file; the time of a scan runs from the capture of the
frame that was decoded to the moment the result card was put on screen.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer

from checkin_protocol.codes.issuer import Issuer, generate_signing_key
from checkin_protocol.codes.trust import CODE_PURPOSES
from checkin_protocol.models import Activity, ActivityStatus, OrgLevel
from kiosk.app import build_kiosk
from kiosk.camera.synthetic_source import SyntheticSource
from kiosk.config import DataDir, load_config
from kiosk.services.outcome import Outcome
from kiosk.services.sound import SilentSoundPlayer
from kiosk.store.activities import save_activity, set_activity_status
from kiosk.store.trust import trust_key
from kiosk.ui.qt_app import build_window
from kiosk.ui.writer_worker import ScanRequest

CARDS = 600
FPS = 60.0


def rss_mb() -> float:
    """Resident memory of this process (Linux /proc; 0 elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except OSError:
        return 0.0
    return pages * os.sysconf("SC_PAGE_SIZE") / 1024**2


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scans", type=int, default=500)
    parser.add_argument("--soak", action="store_true", help="also report memory growth and frame backlog")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="kiosk-scan-bench-") as tmp:
        config = load_config(DataDir(Path(tmp), "cli"), env={"KIOSK_ATTENDANCE__DUPLICATE_WINDOW_S": "5"})
        kiosk = build_kiosk(config)
        issuer = Issuer(generate_signing_key(), "bench1")
        now = datetime.now(UTC)
        activity = Activity(
            activity_id="ABENCH",
            title="图书馆阅读推广志愿服务",
            org_name="江城市志愿服务联合会",
            org_level=OrgLevel.CITY,
            venue="江城市图书馆",
            starts_at=now - timedelta(hours=1),
            ends_at=now + timedelta(hours=12),
            category="文化服务",
            status=ActivityStatus.OPEN,
        )
        with kiosk.store.write() as db:
            trust_key(db, "bench1", issuer.public_key_b64, "bench", now, CODE_PURPOSES)
            save_activity(db, activity)
            set_activity_status(db, "ABENCH", ActivityStatus.OPEN)
        kiosk.reload_trust()
        cards = [issuer.issue_card(f"V{n:09d}", "测*员", issued_on=date.today()) for n in range(CARDS)]

        def source() -> SyntheticSource:
            return SyntheticSource(cards, size=(640, 480), fps=FPS, seed=1, dwell_frames=4, gap_frames=1)

        app, window = build_window(
            kiosk, source_factory=source, sounds=SilentSoundPlayer(), fullscreen=False, language="zh_CN"
        )
        latencies: list[float] = []
        kinds: dict[str, int] = {}
        memory: list[float] = []
        # Warm-up covers every code path: the first check-outs come when the cards
        # come round again (after CARDS scans), and SQLite's page caches fill.
        warm_up = min(2 * CARDS, args.scans // 2)
        memory_series: list[tuple[int, float]] = []
        started = time.perf_counter()

        def on_result(outcome: Outcome, request: ScanRequest | None) -> None:
            if request is None or request.seen_ns == 0:
                return
            latencies.append((time.perf_counter_ns() - request.seen_ns) / 1e6)
            kinds[outcome.kind.value] = kinds.get(outcome.kind.value, 0) + 1
            if len(latencies) % 1000 == 0 or len(latencies) in (warm_up, args.scans):
                memory_series.append((len(latencies), round(rss_mb(), 1)))
            if len(latencies) in (warm_up, args.scans):
                memory.append(rss_mb())
            if len(latencies) >= args.scans:
                window.exit_kiosk()

        window.result_shown.connect(on_result)
        QTimer.singleShot(3600 * 1000, window.exit_kiosk)  # a hard stop, never a hang
        window.start()
        app.exec()
        elapsed = time.perf_counter() - started
        pipeline = window.pipeline
        assert pipeline is not None
        frames = pipeline.capture.frames
        decoded = pipeline.decode.decoded_frames
        dropped = pipeline.mailbox.dropped
        kiosk.close()

    result: dict[str, object] = {
        "scans": len(latencies),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "max_ms": round(max(latencies), 1),
        "mean_ms": round(statistics.mean(latencies), 1),
        "outcomes": kinds,
        "seconds": round(elapsed, 1),
        "frames_captured": frames,
        "frames_decoded": decoded,
        "frames_dropped": dropped,
    }
    if args.soak and len(memory) == 2:
        result["rss_after_warmup_mb"] = round(memory[0], 1)
        result["rss_end_mb"] = round(memory[1], 1)
        result["memory_growth_mb"] = round(memory[1] - memory[0], 1)
        result["frame_backlog"] = 0 if pipeline.mailbox.take() is None else 1  # one slot at most, by design
        result["rss_series_mb"] = memory_series
    for key, value in result.items():
        print(f"{key:<20} {value}")
    if args.json:
        print(json.dumps(result))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
