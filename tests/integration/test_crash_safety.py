"""SIGKILL at fixed and random points never loses a confirmed check-in nor half-writes one.

A child process checks volunteers in and out against a real SQLite file and
is killed; after each kill the store is reopened (as the kiosk does at start)
and must hold every event the child reported as confirmed, with contiguous
sequence numbers and an outbox row for each event.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers.fakes import make_activity, open_test_store

from kiosk.store.database import open_store

CHILD = Path(__file__).resolve().parents[1] / "helpers" / "crash_child.py"
ROOT = Path(__file__).resolve().parents[2]
SCANS_PER_RUN = 40


def _prepare(path: Path) -> None:
    start = make_activity().starts_at
    now = __import__("datetime").datetime.now(__import__("datetime").UTC)
    activity = make_activity(starts_at=min(start, now), hours=24 * 365)
    open_test_store(path, activity).close()


def _run_child(path: Path, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, str(CHILD), str(path), str(SCANS_PER_RUN), *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _confirmed(stdout: str) -> dict[str, int]:
    confirmed = {}
    for line in stdout.splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "CONFIRMED":  # a line cut by the kill is not a confirmation
            confirmed[parts[1]] = int(parts[2])
    return confirmed


def _check_store(path: Path, confirmed: dict[str, int]) -> int:
    store = open_store(path)
    try:
        assert store.report.quarantined_to is None, "a crash must never damage the database"
        db = store.writer
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = dict(db.execute("SELECT event_id, seq FROM events").fetchall())
        missing = {e: s for e, s in confirmed.items() if rows.get(e) != s}
        assert not missing, f"check-ins shown as confirmed were lost: {missing}"
        seqs = sorted(rows.values())
        assert seqs == list(range(1, len(seqs) + 1)), "sequence numbers must have no gaps"
        orphans = db.execute(
            "SELECT COUNT(*) FROM events e LEFT JOIN outbox o USING (event_id) WHERE o.event_id IS NULL"
        ).fetchone()[0]
        assert orphans == 0, "every event must have its outbox row"
        return len(seqs)
    finally:
        store.close()


FIXED_POINTS = [
    f"{point}:{n}" for point in ("before_commit", "after_commit", "between") for n in (0, 1, 7, 23)
]


@pytest.mark.slow
@pytest.mark.timeout(600)
@pytest.mark.parametrize("kill_at", FIXED_POINTS)
def test_kill_at_a_fixed_point(tmp_path: Path, kill_at: str) -> None:
    path = tmp_path / "kiosk.db"
    _prepare(path)
    child = _run_child(path, "--kill-at", kill_at)
    stdout, stderr = child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL, stderr
    confirmed = _confirmed(stdout)
    point, _, n = kill_at.partition(":")
    expected = {"before_commit": int(n), "after_commit": int(n), "between": int(n) + 1}[point]
    assert len(confirmed) == expected
    stored = _check_store(path, confirmed)
    # before COMMIT the n-th event is gone; after COMMIT it is stored though never reported.
    assert stored == {"before_commit": int(n), "after_commit": int(n) + 1, "between": int(n) + 1}[point]


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_kill_at_random_points_across_restarts(tmp_path: Path) -> None:
    """40 kills at random moments on one database, each run continuing after the last."""
    path = tmp_path / "kiosk.db"
    _prepare(path)
    rng = random.Random(20261129)
    all_confirmed: dict[str, int] = {}
    kills = 0
    for _ in range(40):
        child = _run_child(path)
        # Wait until the child has started writing, then kill it somewhere in its burst.
        deadline = time.monotonic() + 30
        first = child.stdout.readline() if child.stdout else ""
        assert first or time.monotonic() < deadline
        time.sleep(rng.uniform(0, 0.05))
        child.send_signal(signal.SIGKILL)
        rest, _ = child.communicate(timeout=60)
        kills += child.returncode == -signal.SIGKILL
        all_confirmed.update(_confirmed(first + rest))
        _check_store(path, all_confirmed)
    assert kills >= 30, "most runs must really have been killed mid-burst"
