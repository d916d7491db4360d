"""A small watchdog: run the kiosk as a child process and start it again after a crash.

``kiosk watchdog`` runs ``kiosk run`` (or the arguments given) and waits.
When the child crashes (any exit but 0, or killed by a signal) it is started
again after a back-off: 1 s, 2 s, 4 s … at most 60 s, back to 1 s once a run
lasted 10 minutes. A clean exit (0: the coordinator's Exit) ends the watchdog
too. SIGTERM or Ctrl+C (SIGINT; SIGBREAK on Windows) stop it: the signal is
passed to the child, which gets :data:`STOP_TIMEOUT_S` to finish before it is
killed, and nothing is restarted. Every start, crash and restart is logged.

The OS's own restarters (a systemd user unit, Windows Task Scheduler) are in
``resources/deploy/``; see ``docs/staying-up.md``.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import FrameType

log = logging.getLogger(__name__)

POLL_S = 0.2
STOP_TIMEOUT_S = 10.0
#: The exit code used when the child could not be started at all (as a shell says "not found").
NOT_STARTED = 127


@dataclass(frozen=True)
class RestartPolicy:
    """How long to wait before each restart, and when to give up (``max_restarts`` 0: never)."""

    first_delay_s: float = 1.0
    max_delay_s: float = 60.0
    reset_after_s: float = 600.0
    max_restarts: int = 0

    def next_delay(self, previous_s: float | None, ran_s: float) -> float:
        """The wait before the next start: double the last one, capped; the first after a good run."""
        if previous_s is None or ran_s >= self.reset_after_s:
            return self.first_delay_s
        return min(previous_s * 2, self.max_delay_s)


@dataclass(frozen=True)
class Restart:
    """One crash and the restart that followed (for the log and for tests)."""

    exit_code: int
    ran_s: float
    delay_s: float


@dataclass
class Watchdog:
    """Runs ``command`` until it exits cleanly or the watchdog is stopped; see the module docstring."""

    command: Sequence[str]
    policy: RestartPolicy = field(default_factory=RestartPolicy)
    env: Mapping[str, str] | None = None
    clock: Callable[[], float] = time.monotonic
    stop_timeout_s: float = STOP_TIMEOUT_S
    restarts: list[Restart] = field(default_factory=list)
    starts: int = 0

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._signum = int(signal.SIGTERM)

    def run(self) -> int:
        """Run (and restart) the child; the exit code to end with: 0 after a clean exit or a stop."""
        delay: float | None = None
        while not self._stop.is_set():
            started = self.clock()
            code = self._run_child_once()
            ran = self.clock() - started
            if self._stop.is_set():
                log.info("watchdog stopped; the kiosk ended with %s", describe_exit(code))
                return 0
            if code == 0:
                log.info("the kiosk exited cleanly after %.1f s; the watchdog stops too", ran)
                return 0
            if self.policy.max_restarts and len(self.restarts) >= self.policy.max_restarts:
                log.error(
                    "the kiosk crashed (%s); %d restarts done, giving up",
                    describe_exit(code),
                    len(self.restarts),
                )
                return code
            delay = self.policy.next_delay(delay, ran)
            self.restarts.append(Restart(code, ran, delay))
            log.warning(
                "the kiosk crashed (%s) after %.1f s; restart %d in %.1f s",
                describe_exit(code),
                ran,
                len(self.restarts),
                delay,
            )
            self._sleep(delay)
        return 0

    def _sleep(self, seconds: float) -> None:
        """Wait out a back-off in short steps, so a stop is noticed at once."""
        until = self.clock() + seconds
        while not self._stop.is_set() and self.clock() < until:
            self._stop.wait(min(POLL_S, max(until - self.clock(), 0.0)))

    def _run_child_once(self) -> int:
        self.starts += 1
        try:
            child = subprocess.Popen(list(self.command), env=None if self.env is None else dict(self.env))
        except OSError as exc:
            log.error("the kiosk could not be started (%s): %s", " ".join(self.command), exc)
            return NOT_STARTED
        log.info("started the kiosk (pid %d): %s", child.pid, " ".join(self.command))
        stopping_since: float | None = None
        while True:
            try:
                return child.wait(timeout=POLL_S)
            except subprocess.TimeoutExpired:
                pass
            if not self._stop.is_set():
                continue
            if stopping_since is None:
                stopping_since = self.clock()
                self._pass_on(child)
            elif self.clock() - stopping_since > self.stop_timeout_s:
                log.error("the kiosk did not stop in %.0f s; killing it", self.stop_timeout_s)
                child.kill()

    def _pass_on(self, child: subprocess.Popen[bytes]) -> None:
        log.info("passing signal %d to the kiosk (pid %d)", self._signum, child.pid)
        try:
            if sys.platform == "win32":
                child.terminate()
            else:
                child.send_signal(self._signum)
        except OSError:
            pass  # it exited in between

    def stop(self, signum: int = signal.SIGTERM) -> None:
        """Stop for good: ``signum`` goes on to the child, nothing restarts. Safe in a signal handler."""
        self._signum = int(signum)
        self._stop.set()

    def install_signal_handlers(self) -> None:
        """SIGTERM and Ctrl+C (and Ctrl+Break on Windows) stop the watchdog and its child."""

        def handler(signum: int, frame: FrameType | None) -> None:
            self.stop(signal.SIGTERM if signum == signal.SIGINT else signum)

        for name in ("SIGTERM", "SIGINT", "SIGBREAK"):
            signum = getattr(signal, name, None)
            if signum is not None:
                signal.signal(signum, handler)


def kiosk_command(args: Sequence[str]) -> list[str]:
    """The command line that runs ``kiosk ARGS`` again: the frozen executable, or this Python."""
    if getattr(sys, "frozen", False):
        return [sys.executable, *args]
    return [sys.executable, "-m", "kiosk", *args]


def describe_exit(code: int) -> str:
    """An exit code in words for the log (negative: killed by a signal on POSIX)."""
    if code < 0 and os.name != "nt":
        try:
            return f"killed by {signal.Signals(-code).name}"
        except ValueError:
            return f"killed by signal {-code}"
    return f"exit {code}"
