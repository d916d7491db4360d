"""The cloud under load: its database, its data (roster, activities, provisioning codes) and its server process.

- :func:`backend_database`: nothing for SQLite (``cloud.db`` in the data
  folder), or a new database on a PostgreSQL started in a temporary folder
  (``tests/helpers/postgres.py``, durable: ``fsync`` on, as in production).
- :func:`prepare_cloud`: ``kiosk-cloud init`` done in this process
  (:func:`cloud.instance.init_instance`), then the roster imported with the
  project's roster import (a generated CSV of the demo city's volunteers,
  :func:`kiosk.demo.roster.write_roster_csv`, through
  ``store.import_roster``) and activities published as
  ``kiosk-cloud issue activity`` does (``writer.upsert_activity``), running
  now. The returned instance stays open: the bench issues provisioning
  codes with it, edits the roster during the run, and reads the database
  afterwards.
- :func:`served_cloud`: ``kiosk-cloud --data DIR [--database URL] serve
  --port P [--workers W]`` as a separate process (its own process group, its
  log in a file), until it answers ``GET /api/v1/time``; stopped with
  SIGTERM (the whole group: uvicorn's workers too) when the block ends.
- :class:`RosterEditor`: while the kiosks run, the platform edits a few
  volunteers every second (a small roster file imported), so every pull
  has changes to carry, as on a live platform.
"""

from __future__ import annotations

import contextlib
import csv
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import requests

from checkin_protocol.models import Activity, OrgLevel
from checkin_protocol.spreadsheet_cells import safe_row
from cloud.cli_issue import activity_values
from cloud.instance import CloudInstance, init_instance
from cloud.provisioning import new_provisioning_code
from kiosk.demo.roster import demo_organisations, generate_volunteers, write_roster_csv

STARTUP_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 20.0
BENCH_AREA = "bench"
CATEGORIES = ("社区服务", "环境保护", "助老助残", "文明交通", "文化宣传", "应急救援")


@contextlib.contextmanager
def backend_database(backend: str) -> Iterator[str | None]:
    """The ``--database`` URL of a fresh database for ``backend`` (``sqlite``: None, the data folder's ``cloud.db``)."""
    if backend == "sqlite":
        yield None
        return
    if backend != "postgres":
        raise ValueError(f"unknown backend {backend!r}")
    from helpers.postgres import new_postgres_database, running_postgres

    with running_postgres(durable=True) as server:
        yield new_postgres_database(server)


@dataclass(frozen=True)
class Roster:
    """What the bench seeded: the volunteers' IDs and names, and the activities' IDs."""

    volunteers: tuple[tuple[str, str], ...]
    activity_ids: tuple[str, ...]


def prepare_cloud(
    folder: Path, database: str | None, volunteers: int, activities: int, seed: int
) -> tuple[CloudInstance, Roster]:
    """Initialise the cloud's data folder (and database), import a roster and publish running activities."""
    instance, _ = init_instance(folder, database=database)
    try:
        roster_file = folder.parent / f"{folder.name}-roster.csv"
        write_roster_csv(roster_file, volunteers, seed)
        report = instance.store.import_roster(roster_file)
        if report.inserted != volunteers:
            raise RuntimeError(f"the roster import stored {report.inserted} of {volunteers} volunteers")
        roster = tuple((vid, name) for vid, name, _, _ in generate_volunteers(volunteers, seed))
        activity_ids = publish_activities(instance, activities, seed)
    except BaseException:
        instance.close()
        raise
    return instance, Roster(roster, activity_ids)


def publish_activities(
    instance: CloudInstance, count: int, seed: int, prefix: str = "ALOAD"
) -> tuple[str, ...]:
    """``count`` activities (``<prefix><n>``) of the demo city's organisations, from an hour ago to ten hours from now."""
    rng = random.Random(seed)
    now = instance.clock().replace(microsecond=0)
    organisations = [o for o in demo_organisations() if o.level in (OrgLevel.TOWNSHIP, OrgLevel.VILLAGE)]
    ids = []
    with instance.store.write() as writer:
        for n in range(1, count + 1):
            org = organisations[n % len(organisations)]
            activity = Activity(
                activity_id=f"{prefix}{n:05d}",
                title=f"{org.name}志愿服务 {n}",
                org_id=org.org_id,
                org_name=org.name,
                org_level=org.level,
                venue=f"{org.name}活动室",
                starts_at=now - timedelta(hours=1),
                ends_at=now + timedelta(hours=10),
                category=rng.choice(CATEGORIES),
            )
            writer.upsert_activity(activity_values(activity))
            ids.append(activity.activity_id)
    return tuple(ids)


def provision(instance: CloudInstance, count: int) -> list[str]:
    """``count`` one-time provisioning codes (``kiosk-cloud provision-kiosk``) for the bench's area."""
    return [new_provisioning_code(instance.store, BENCH_AREA, instance.clock()) for _ in range(count)]


def free_port() -> int:
    """A port of 127.0.0.1 free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def kiosk_cloud_command() -> list[str]:
    """How to run ``kiosk-cloud``: the script beside this Python, else from the module."""
    script = Path(sys.executable).parent / "kiosk-cloud"
    if script.is_file():
        return [str(script)]
    found = shutil.which("kiosk-cloud")
    if found:
        return [found]
    return [sys.executable, "-c", "from cloud.cli import main; main()"]


def serve_command(data: Path, database: str | None, port: int, workers: int) -> list[str]:
    """The ``kiosk-cloud ... serve`` command line; ``--workers`` only when more than one is asked for."""
    command = [*kiosk_cloud_command(), "--data", str(data)]
    if database is not None:
        command += ["--database", database]
    command += ["serve", "--host", "127.0.0.1", "--port", str(port)]
    if workers != 1:
        command += ["--workers", str(workers)]
    return command


@dataclass(frozen=True)
class ServedCloud:
    """A ``kiosk-cloud serve`` process: where it answers, its process ID and its log."""

    base_url: str
    pid: int
    log: Path


@contextlib.contextmanager
def served_cloud(data: Path, database: str | None, workers: int, log: Path) -> Iterator[ServedCloud]:
    """Run ``kiosk-cloud serve`` for ``data`` on a free port of 127.0.0.1 until the block ends."""
    port = free_port()
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            serve_command(data, database, port, workers),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # its own process group: the workers stop with it
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            _wait_until_answering(base_url, process, log)
            yield ServedCloud(base_url, process.pid, log)
        finally:
            _stop(process)


def _wait_until_answering(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            tail = log.read_text(errors="replace")[-2000:]
            raise RuntimeError(f"kiosk-cloud serve exited with {process.returncode}:\n{tail}")
        try:
            if requests.get(f"{base_url}/api/v1/time", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"kiosk-cloud serve did not answer within {STARTUP_TIMEOUT_S} s (log: {log})")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the server's process group (uvicorn stops its workers), SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(STOP_TIMEOUT_S)


class RosterEditor:
    """A thread that imports a small roster file every second: ``per_second`` volunteers get a new phone number."""

    def __init__(self, instance: CloudInstance, roster: Roster, folder: Path, per_second: int, seed: int):
        self.instance = instance
        self.roster = roster
        self.folder = folder
        self.per_second = per_second
        self.rng = random.Random(seed)
        self.imports = 0
        self.failures: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="roster-editor", daemon=True)

    def __enter__(self) -> RosterEditor:
        if self.per_second > 0:
            self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()

    def _run(self) -> None:
        path = self.folder / "roster-edit.csv"
        while not self._stop.wait(1.0):
            edited = self.rng.sample(
                self.roster.volunteers, min(self.per_second, len(self.roster.volunteers))
            )
            with path.open("w", encoding="utf-8", newline="") as out:
                writer = csv.writer(out, lineterminator="\n")
                writer.writerow(("volunteer_id", "name", "phone"))
                for volunteer_id, name in edited:
                    writer.writerow(safe_row((volunteer_id, name, f"139{self.rng.randrange(10**8):08d}")))
            try:
                self.instance.store.import_roster(path)
                self.imports += 1
            except Exception as exc:  # counted and shown: the bench goes on
                self.failures.append(f"{type(exc).__name__}: {exc}")
