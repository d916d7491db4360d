"""The watchdog with real processes: restarts after a crash with back-off, not after a clean exit, passes SIGTERM on."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.services.watchdog import RestartPolicy, Watchdog

CHILD = Path(__file__).resolve().parents[1] / "helpers" / "watchdog_child.py"
ROOT = Path(__file__).resolve().parents[2]
FAST = RestartPolicy(first_delay_s=0.2, max_delay_s=0.5)

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")


def _starts(log: Path) -> list[float]:
    return [
        float(line.split()[1])
        for line in log.read_text(encoding="utf-8").splitlines()
        if line.startswith("start")
    ]


def _wait_for(predicate: Callable[[], bool], timeout_s: float = 15.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("timed out")


def test_a_crashing_kiosk_is_restarted_with_growing_pauses_until_it_exits_cleanly(tmp_path: Path) -> None:
    log = tmp_path / "child.log"
    dog = Watchdog([sys.executable, str(CHILD), "crash", str(log), "3"], FAST)
    assert dog.run() == 0
    assert dog.starts == 4
    assert [r.exit_code for r in dog.restarts] == [3, 3, 3]
    assert [r.delay_s for r in dog.restarts] == [0.2, 0.4, 0.5]
    gaps = [b - a for a, b in zip(_starts(log), _starts(log)[1:], strict=False)]
    assert all(gap >= r.delay_s for gap, r in zip(gaps, dog.restarts, strict=True)), gaps


def test_the_coordinators_exit_is_not_a_crash(tmp_path: Path) -> None:
    log = tmp_path / "child.log"
    dog = Watchdog([sys.executable, str(CHILD), "crash", str(log), "0"], FAST)
    assert dog.run() == 0
    assert dog.starts == 1 and dog.restarts == []


def test_it_gives_up_after_max_restarts_with_the_kiosks_exit_code(tmp_path: Path) -> None:
    log = tmp_path / "child.log"
    dog = Watchdog(
        [sys.executable, str(CHILD), "crash", str(log), "99"], RestartPolicy(0.1, 0.1, max_restarts=2)
    )
    assert dog.run() == 3
    assert dog.starts == 3


def test_a_program_that_cannot_start_is_retried(tmp_path: Path) -> None:
    dog = Watchdog([str(tmp_path / "no-such-kiosk")], RestartPolicy(0.1, 0.1, max_restarts=1))
    assert dog.run() == 127
    assert dog.starts == 2


def _watchdog_process(log: Path, *child_args: str, stop_timeout_s: float = 10.0) -> subprocess.Popen[str]:
    script = (
        "import sys\n"
        "from kiosk.services.watchdog import RestartPolicy, Watchdog\n"
        f"dog = Watchdog({[sys.executable, str(CHILD), 'wait', str(log), *child_args]!r}, "
        f"RestartPolicy(0.2, 0.5), stop_timeout_s={stop_timeout_s})\n"
        "dog.install_signal_handlers()\n"
        "code = dog.run()\n"
        "print('starts', dog.starts, 'restarts', len(dog.restarts))\n"
        "sys.exit(code)\n"
    )
    return subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, stdout=subprocess.PIPE, text=True)


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_sigterm_or_ctrl_c_stops_the_watchdog_and_is_passed_to_the_kiosk(tmp_path: Path, signum: int) -> None:
    log = tmp_path / "child.log"
    process = _watchdog_process(log)
    try:
        _wait_for(lambda: log.exists() and "ready" in log.read_text(encoding="utf-8"))
        process.send_signal(signum)
        out, _ = process.communicate(timeout=15)
    finally:
        process.kill()
    assert process.returncode == 0
    assert "SIGTERM" in log.read_text(encoding="utf-8"), "the kiosk was not told to stop"
    assert out.split() == ["starts", "1", "restarts", "0"]


def test_a_kiosk_that_ignores_sigterm_is_killed_after_the_stop_timeout(tmp_path: Path) -> None:
    log = tmp_path / "child.log"
    process = _watchdog_process(log, "ignore", stop_timeout_s=0.5)
    try:
        _wait_for(lambda: log.exists() and "ready" in log.read_text(encoding="utf-8"))
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=15)
    finally:
        process.kill()
    assert process.returncode == 0 and time.monotonic() - started < 5
    assert out.split() == ["starts", "1", "restarts", "0"]


def test_kiosk_watchdog_restarts_the_command_and_logs_it(tmp_path: Path) -> None:
    env = {**os.environ, "KIOSK_DATA": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "watchdog", "--max-restarts", "1", "--", "verify", "not-a-code"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "restart 1 in 1.0 s" in result.stderr
    logged = (tmp_path / "logs" / "watchdog.log").read_text(encoding="utf-8")
    assert logged.count("started the kiosk") == 2
    assert "the kiosk crashed (exit 1)" in logged and "giving up" in logged
