"""Load-generator processes of the cloud load bench: each drives many simulated kiosks, one thread per kiosk.

:func:`run_phase` starts one process per :class:`Assignment` (``spawn``: a
clean interpreter, no copy of the bench's own threads or connections). Each
sets its kiosks up first (registration, and for the load the first full
pull a new kiosk makes), says it is ready, and waits; when every process
is ready the bench gives one start time (``time.monotonic()`` is the same
clock in every process on Linux) and the measured window begins for all at
once. Each process sends back what it measured and its kiosks' ledgers.

- :func:`load_process`: every kiosk syncs every ``interval_s`` seconds for
  ``seconds`` seconds, its first round at an offset spread evenly over the
  interval (so the load is steady, not in waves). Before each round the
  kiosk records a few scans (uniform 0 to ``2 × events_per_round``). A round
  is timed from its first request to the end of its last reply; a failed
  round (``SyncError``: transport error or non-2xx) is an error and its
  events wait for the next round, as on a kiosk.
- :func:`catchup_process`: every kiosk holds a backlog recorded offline
  and pushes it at once, batch after batch; a failed batch is retried
  (counted as an error). The process reports when its last kiosk was done.
"""

from __future__ import annotations

import logging
import multiprocessing
import queue
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from typing import Any

from cloud_load_kiosk import KioskPlan, Ledger, SimulatedKiosk

from kiosk.sync.errors import SyncError

SETUP_THREADS = 8
SETUP_TIMEOUT_S = 900.0
START_DELAY_S = 1.0
MAX_ERROR_SAMPLES = 5
CATCHUP_MAX_FAILURES = 20  # per kiosk: past this the kiosk gives up and its events stay waiting


@dataclass(frozen=True)
class Assignment:
    """One generator process's kiosks, and the position of the first among all (for the start offsets)."""

    plans: tuple[KioskPlan, ...]
    first_index: int = 0


@dataclass(frozen=True)
class LoadSettings:
    """How the kiosks of the load phase behave."""

    base_url: str
    interval_s: float
    seconds: float
    events_per_round: int
    total_kiosks: int
    seed: int


@dataclass(frozen=True)
class CatchupSettings:
    """The catch-up phase: where, and how many events each kiosk recorded offline."""

    base_url: str
    backlog: int
    seed: int


@dataclass
class Outcome:
    """What one generator process measured (sent back to the bench: plain data only)."""

    latencies_s: list[float] = field(default_factory=list)  # rounds (load) or batches (catch-up)
    failures: int = 0
    error_kinds: Counter[str] = field(default_factory=Counter)
    error_samples: list[str] = field(default_factory=list)
    acknowledged: int = 0
    changes_pulled: int = 0
    finished_at: float = 0.0  # time.monotonic() when the last kiosk was done
    ledgers: list[Ledger] = field(default_factory=list)
    transport_log: list[str] = field(default_factory=list)  # what the transport logged of failed requests

    def failed(self, exc: Exception) -> None:
        """Count a failed round or batch."""
        self.failures += 1
        kind = exc.kind if isinstance(exc, SyncError) else type(exc).__name__
        self.error_kinds[kind] += 1
        if len(self.error_samples) < MAX_ERROR_SAMPLES:
            self.error_samples.append(f"{kind}: {exc}")


class TransportLog(logging.Handler):
    """Keeps the first lines the kiosk transport logs of failed requests (the exception's type: ``ConnectionError``, ...)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        """Keep the line, up to a few."""
        if len(self.lines) < MAX_ERROR_SAMPLES:
            self.lines.append(record.getMessage())

    @classmethod
    def install(cls) -> TransportLog:
        """Listen to :mod:`kiosk.sync.transport`'s log in this process."""
        handler = cls()
        logger = logging.getLogger("kiosk.sync.transport")
        logger.setLevel(logging.INFO)
        logger.addHandler(handler)
        return handler


def _kiosks(plans: Sequence[KioskPlan], base_url: str, seed: int, first_index: int) -> list[SimulatedKiosk]:
    return [
        SimulatedKiosk(plan, base_url, random.Random(seed * 1_000_003 + first_index + n))
        for n, plan in enumerate(plans)
    ]


def _set_up(kiosks: list[SimulatedKiosk], step: Callable[[SimulatedKiosk], None]) -> None:
    with ThreadPoolExecutor(SETUP_THREADS) as pool:
        for future in [pool.submit(step, kiosk) for kiosk in kiosks]:
            future.result()


def _first_sync(kiosk: SimulatedKiosk) -> None:
    kiosk.register()
    kiosk.pull()  # a new kiosk's first pull brings the whole roster: setup, not the steady load


def _wait_for_start(ready: Any, go: Any, start_at: Any) -> float:
    ready.put(None)
    go.wait()
    start = float(start_at.value)
    time.sleep(max(0.0, start - time.monotonic()))
    return start


def load_process(
    assignment: Assignment, settings: LoadSettings, ready: Any, go: Any, start_at: Any, results: Any
) -> None:
    """Set up this process's kiosks, wait for the start, sync them all on schedule, send back the outcome."""
    transport_log = TransportLog.install()
    try:
        kiosks = _kiosks(assignment.plans, settings.base_url, settings.seed, assignment.first_index)
        _set_up(kiosks, _first_sync)
    except BaseException as exc:
        ready.put(f"load setup failed: {type(exc).__name__}: {exc}")
        return
    for kiosk in kiosks:
        kiosk.changes_pulled = 0  # what the first pull brought is setup
    start = _wait_for_start(ready, go, start_at)
    end = start + settings.seconds
    outcome = Outcome()
    lock = threading.Lock()

    def drive(kiosk: SimulatedKiosk, index: int) -> None:
        tick = start + settings.interval_s * index / settings.total_kiosks
        while tick < end:
            time.sleep(max(0.0, tick - time.monotonic()))
            began = time.monotonic()
            try:
                kiosk.record(kiosk.rng.randint(0, 2 * settings.events_per_round))
                began = time.monotonic()
                acknowledged = kiosk.sync_round()
            except Exception as exc:
                with lock:
                    outcome.failed(exc)
            else:
                took = time.monotonic() - began
                with lock:
                    outcome.latencies_s.append(took)
                    outcome.acknowledged += acknowledged
            tick += settings.interval_s

    threads = [
        threading.Thread(target=drive, args=(kiosk, assignment.first_index + n), daemon=True)
        for n, kiosk in enumerate(kiosks)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcome.finished_at = time.monotonic()
    outcome.changes_pulled = sum(k.changes_pulled for k in kiosks)
    outcome.ledgers = [k.ledger for k in kiosks]
    outcome.transport_log = transport_log.lines
    for kiosk in kiosks:
        kiosk.close()
    results.put(outcome)


def catchup_process(
    assignment: Assignment, settings: CatchupSettings, ready: Any, go: Any, start_at: Any, results: Any
) -> None:
    """Register this process's kiosks and fill their backlogs, wait for the start, push everything at once."""
    transport_log = TransportLog.install()
    try:
        kiosks = _kiosks(assignment.plans, settings.base_url, settings.seed, assignment.first_index)
        _set_up(kiosks, lambda kiosk: kiosk.register())
        for kiosk in kiosks:
            kiosk.record_backlog(settings.backlog)
    except BaseException as exc:
        ready.put(f"catch-up setup failed: {type(exc).__name__}: {exc}")
        return
    _wait_for_start(ready, go, start_at)
    outcome = Outcome()
    lock = threading.Lock()

    def batch_done(seconds: float) -> None:
        with lock:
            outcome.latencies_s.append(seconds)

    def catch_up(kiosk: SimulatedKiosk) -> None:
        failures = 0
        while kiosk.outbox and failures < CATCHUP_MAX_FAILURES:
            try:
                acknowledged = kiosk.push(on_batch=batch_done)
            except Exception as exc:
                failures += 1
                with lock:
                    outcome.failed(exc)
                time.sleep(0.2)
            else:
                with lock:
                    outcome.acknowledged += acknowledged
        with lock:
            outcome.finished_at = max(outcome.finished_at, time.monotonic())

    threads = [threading.Thread(target=catch_up, args=(kiosk,), daemon=True) for kiosk in kiosks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcome.ledgers = [k.ledger for k in kiosks]
    outcome.transport_log = transport_log.lines
    for kiosk in kiosks:
        kiosk.close()
    results.put(outcome)


def split(plans: Sequence[KioskPlan], processes: int) -> list[Assignment]:
    """``plans`` in ``processes`` contiguous shares (fewer when there are fewer kiosks)."""
    count = max(1, min(processes, len(plans)))
    size, extra = divmod(len(plans), count)
    shares, start = [], 0
    for n in range(count):
        end = start + size + (1 if n < extra else 0)
        shares.append(Assignment(tuple(plans[start:end]), start))
        start = end
    return shares


@dataclass(frozen=True)
class PhaseResult:
    """Every process's outcome, and the moment (``time.monotonic()``) the phase started."""

    outcomes: list[Outcome]
    started_at: float


def run_phase(
    target: Callable[..., None], assignments: Sequence[Assignment], settings: object
) -> PhaseResult:
    """Run ``target`` in one process per assignment: set up, start together, collect the outcomes."""
    context = multiprocessing.get_context("spawn")
    ready, results = context.Queue(), context.Queue()
    go, start_at = context.Event(), context.Value("d", 0.0)
    processes = [
        context.Process(
            target=target, args=(assignment, settings, ready, go, start_at, results), name=f"kiosks-{n}"
        )
        for n, assignment in enumerate(assignments)
    ]
    for process in processes:
        process.start()
    try:
        for _ in processes:
            message = _next(ready, processes, SETUP_TIMEOUT_S)
            if message is not None:
                raise RuntimeError(str(message))
        start_at.value = time.monotonic() + START_DELAY_S
        go.set()
        outcomes = [_next(results, processes, SETUP_TIMEOUT_S) for _ in processes]
    finally:
        for process in processes:
            process.join(5 if go.is_set() else 0.1)
            if process.is_alive():
                process.terminate()
                process.join()
    return PhaseResult(outcomes, float(start_at.value))


def _next(source: Any, processes: Sequence[BaseProcess], timeout_s: float) -> Any:
    """The next message of ``source``; ``RuntimeError`` when a process died first or time ran out."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            return source.get(timeout=1.0)
        except queue.Empty:
            dead = [p for p in processes if p.exitcode not in (None, 0)]
            if dead:
                raise RuntimeError(
                    f"generator process {dead[0].name} died (exit code {dead[0].exitcode})"
                ) from None
    raise RuntimeError(f"no word from the generator processes within {timeout_s:.0f} s")
