"""Benchmark check-outs with and without the signed service receipt, offscreen, through the real window.

    python bench/receipt.py [--visits 300] [--json]

A kiosk with a real SQLite file and writer thread takes card scans as the USB
scanner sends them: every volunteer checks in, an hour passes (a clock that
the benchmark moves), and every volunteer checks out. The time of a check-out
runs from the scan to the moment its card was put on screen (``result_shown``,
as ``bench/scan.py`` measures). It is measured twice: a kiosk without a
device key (no receipt), and one with (the card's receipt is signed before
it is shown); both know the same unreachable cloud address. ``qr_ready_ms`` is
the further time, after the card is on screen, until the receipt's QR code is
worked out (the next turn of the event loop) and painted. Each card is
painted before the next scan, in both runs, as when volunteers come seconds
apart.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from checkin_protocol.codes.issuer import Issuer, generate_signing_key
from checkin_protocol.codes.trust import CODE_PURPOSES
from checkin_protocol.models import Activity, ActivityStatus, ClockReading, OrgLevel
from kiosk.app import build_kiosk
from kiosk.config import DataDir, load_config
from kiosk.services.outcome import Outcome, OutcomeKind
from kiosk.services.sound import SilentSoundPlayer
from kiosk.store import sync_state
from kiosk.store.activities import save_activity, set_activity_status
from kiosk.store.device_keys import device_key
from kiosk.store.trust import trust_key
from kiosk.ui.qt_app import build_window
from kiosk.ui.writer_worker import ScanRequest


class SteppedClock:
    """The real clock, plus an offset the benchmark moves (an hour between check-in and check-out)."""

    def __init__(self) -> None:
        self.offset = timedelta()
        self._monotonic_offset_ns = 0

    def advance(self, seconds: int) -> None:
        self.offset += timedelta(seconds=seconds)
        self._monotonic_offset_ns += seconds * 1_000_000_000

    def now(self) -> ClockReading:
        return ClockReading(
            datetime.now(UTC) + self.offset,
            480,
            time.monotonic_ns() + self._monotonic_offset_ns,
            "bench-boot",
        )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def run(visits: int, receipts: bool) -> dict[str, object]:
    """Check ``visits`` volunteers in, then out; the check-outs' times (and the QR codes' extra time)."""
    with tempfile.TemporaryDirectory(prefix="kiosk-receipt-bench-") as tmp:
        clock = SteppedClock()
        config = load_config(DataDir(Path(tmp), "cli"), env={})
        kiosk = build_kiosk(config, clock=clock)
        issuer = Issuer(generate_signing_key(), "bench1")
        now = clock.now().wall_utc
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
            # Both kiosks know a cloud address (nothing answers there: the sync runs the same, and
            # fails the same, in both); only the second has the device key that signs receipts.
            sync_state.set_value(db, sync_state.SERVER_URL, "http://127.0.0.1:9")
        if receipts:
            device_key(kiosk.store.path, create=True)
        kiosk.reload_trust()
        cards = [issuer.issue_card(f"V{n:09d}", "测*员", issued_on=date.today()) for n in range(visits)]
        app, window = build_window(
            kiosk, source_factory=None, sounds=SilentSoundPlayer(), fullscreen=False, language="zh_CN"
        )
        assert isinstance(app, QApplication)
        window.resize(1920, 1080)
        check_outs: list[float] = []
        qr_ready: list[float] = []
        queue = [*cards, None, *cards]  # None: an hour passes
        card = window.screen_kiosk.result
        code = card.receipt.code

        def submit_next() -> None:
            while queue and queue[0] is None:
                queue.pop(0)
                clock.advance(3600)
            if not queue:
                window.exit_kiosk()
                return
            text = queue.pop(0)
            assert text is not None
            window.submit_code(text)

        def on_result(outcome: Outcome, request: ScanRequest | None) -> None:
            if request is None:
                return
            shown_ns = time.perf_counter_ns()
            if outcome.kind is OutcomeKind.CHECKED_OUT:
                check_outs.append((shown_ns - request.seen_ns) / 1e6)
            # The card is worked out (the QR code in the next turn) and painted before the next scan,
            # in both runs, as when volunteers come seconds apart: a scan never waits for a paint.
            app.processEvents()
            card.repaint()
            if receipts and outcome.kind is OutcomeKind.CHECKED_OUT:
                assert code.ready and code.text, "a check-out of a kiosk with a device key shows a receipt"
                qr_ready.append((time.perf_counter_ns() - shown_ns) / 1e6)
            QTimer.singleShot(0, submit_next)

        window.result_shown.connect(on_result)
        QTimer.singleShot(600 * 1000, window.exit_kiosk)  # a hard stop, never a hang
        window.start()
        QTimer.singleShot(0, submit_next)
        app.exec()
        kiosk.close()
    result: dict[str, object] = {
        "receipts": receipts,
        "check_outs": len(check_outs),
        "p50_ms": round(percentile(check_outs, 50), 2),
        "p99_ms": round(percentile(check_outs, 99), 2),
        "max_ms": round(max(check_outs), 2),
    }
    if qr_ready:
        result["qr_ready_p50_ms"] = round(percentile(qr_ready, 50), 2)
        result["qr_ready_p99_ms"] = round(percentile(qr_ready, 99), 2)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--visits", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = [run(args.visits, receipts=False), run(args.visits, receipts=True)]
    for result in results:
        print("  ".join(f"{key} {value}" for key, value in result.items()))
    if args.json:
        print(json.dumps(results))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
