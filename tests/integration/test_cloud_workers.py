"""``kiosk-cloud serve --workers 2`` as a real process: kiosks register, push and pull through it.

The server runs as the operator runs it (a subprocess on a free port of
127.0.0.1: uvicorn's supervisor and two worker processes) against a
PostgreSQL database the tests start, and against SQLite. The test process
opens the same data folder beside it, as the ``kiosk-cloud`` command would,
to issue provisioning codes and to look into the database.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
import requests
from click.testing import CliRunner
from helpers.cloud_server import RunningCloud, kiosk_event_rows
from helpers.fakes import FakeClock, append_events
from helpers.postgres import PostgresServer, new_postgres_database
from uvicorn.config import STARTUP_FAILURE

from checkin_protocol.codes.issuer import generate_signing_key
from checkin_protocol.event_rows import event_to_row
from checkin_protocol.models import Event
from checkin_protocol.sealed import b64
from cloud.cli import cli
from cloud.instance import CloudInstance, init_instance
from cloud.provisioning import new_provisioning_code
from cloud.worker_app import DATA_VARIABLE, DATABASE_VARIABLE, create_worker_app
from kiosk.store.database import open_store
from kiosk.sync.client import SyncClient, open_sync_client
from kiosk.sync.transport import HttpTransport

WORKERS = 2
KIOSKS = 12
ROUNDS = 3
EVENTS_PER_ROUND = 150
#: libpq's application name for the server's connections, so the test can tell them from its own.
SERVER_APP_NAME = "kiosk-cloud-workers-test"
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0
_PID_LINE = re.compile(r"\[(\d+)\] INFO: +Started server process")
_ACCESS_LINE = re.compile(r"\[(\d+)\] INFO: +127\.0\.0\.1:\d+ - \"(\w+) (\S+) HTTP/1\.1\" (\d+)")

ROSTER = "volunteer_id,name,phone,org_id,org_name,org_level\n" + "".join(
    f"V{n:03d},志愿者{n},,ORG1,江城市志愿服务联合会,city\n" for n in range(40)
)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@dataclass
class ServedCloud:
    """The server process, where it listens, its log files, and the test's own view of its instance."""

    process: subprocess.Popen[bytes]
    base_url: str
    stdout: Path
    stderr: Path
    instance: CloudInstance

    @property
    def log(self) -> str:
        """Everything the server has written so far (access lines are on stdout, the rest on stderr)."""
        return self.stderr.read_text(errors="replace") + self.stdout.read_text(errors="replace")

    def worker_pids(self) -> set[int]:
        """The process IDs of the workers that started."""
        return {int(pid) for pid in _PID_LINE.findall(self.log)}

    def pids_that_answered(self, method: str, path: str) -> list[int]:
        """The worker process ID of each request ``method path`` the server answered, in log order."""
        return [int(pid) for pid, m, p, _ in _ACCESS_LINE.findall(self.log) if (m, p) == (method, path)]

    def as_running_cloud(self) -> RunningCloud:
        """The test helpers' view (provision, register over HTTP) of this server."""
        keys = self.instance.keys
        return RunningCloud(
            base_url=self.base_url,
            api_url=f"{self.base_url}/api/v1",
            store=self.instance.store,
            issuer=keys.card_issuer,
            activity_issuer=keys.activity_issuer,
            data=self.instance.data,
            instance=self.instance,
        )

    def stop(self) -> int:
        """SIGTERM to the supervisor; its exit code (``TimeoutExpired`` after :data:`STOP_TIMEOUT_S`)."""
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(STOP_TIMEOUT_S)


def _wait_until_serving(process: subprocess.Popen[bytes], stderr: Path, base_url: str, workers: int) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server ended with {process.returncode}:\n{stderr.read_text()}")
        started = stderr.read_text(errors="replace").count("Application startup complete.")
        if started >= workers:
            try:
                if requests.get(f"{base_url}/api/v1/time", timeout=5).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
        time.sleep(0.1)
    raise RuntimeError(
        f"the server did not start {workers} workers in {START_TIMEOUT_S} s:\n{stderr.read_text()}"
    )


@contextmanager
def served_cloud(folder: Path, database: str | None, workers: int = WORKERS) -> Iterator[ServedCloud]:
    """``folder`` initialised (as by ``kiosk-cloud init``) and served by ``kiosk-cloud serve --workers N``.

    Stopped by SIGTERM at the end if the test did not stop it; killed, workers and all, if that fails.
    """
    instance, _ = init_instance(folder, database=database)
    port = _free_port()
    command = [sys.executable, "-c", "from cloud.cli import main; main()", "--data", str(folder)]
    if database is not None:
        command += ["--database", database]
    command += ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_CLOUD_")}
    env["PGAPPNAME"] = SERVER_APP_NAME
    stdout, stderr = folder.parent / f"{folder.name}-stdout.log", folder.parent / f"{folder.name}-stderr.log"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        process = subprocess.Popen(
            command, stdout=out, stderr=err, env=env, stdin=subprocess.DEVNULL, start_new_session=True
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(process, stderr, base_url, workers)
        yield ServedCloud(process, base_url, stdout, stderr, instance)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)  # its own session: the supervisor and its workers
                process.wait()
        instance.close()


@pytest.fixture(params=["sqlite", "postgres"])
def database(request: pytest.FixtureRequest) -> str | None:
    """None for ``cloud.db`` in the data folder, or the URL of a new PostgreSQL database."""
    if request.param == "sqlite":
        return None
    server: PostgresServer = request.getfixturevalue("postgres_server")
    return new_postgres_database(server)


def _server_connections(database: str) -> set[int]:
    """The backend process IDs of the server's connections to ``database`` (by their application name)."""
    with psycopg.connect(database, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = %s",
            (SERVER_APP_NAME,),
        ).fetchall()
    return {int(row[0]) for row in rows}


def _one_connection_per_request() -> requests.Session:
    """A session that opens a new connection for each request, so each request is a new draw of a worker.

    (A kept-alive connection stays with the worker that accepted it.)
    """
    session = requests.Session()
    session.headers["Connection"] = "close"
    return session


def _kiosk_syncs(folder: Path, kiosk_id: str, code: str, base_url: str) -> list[Event]:
    """A kiosk that registers, then records and syncs :data:`ROUNDS` times; the events it recorded."""
    store = open_store(folder / kiosk_id / "kiosk.db")  # each kiosk its own folder (and keys/)
    try:
        clock = FakeClock()
        client = SyncClient(
            store, kiosk_id, clock, HttpTransport(base_url, session=_one_connection_per_request())
        )
        client.register(code)
        events: list[Event] = []
        for _ in range(ROUNDS):
            events += append_events(store, kiosk_id, clock, EVENTS_PER_ROUND)
            report = client.sync_once()
            assert report.ok, report.lines()
        assert client.status().waiting == 0
        pulled = store.writer.execute("SELECT COUNT(*) FROM volunteers").fetchone()[0]
        assert pulled == 40, f"{kiosk_id} pulled {pulled} volunteers of 40"
        return events
    finally:
        store.close()


def _push_twice_at_once(folder: Path, cloud: RunningCloud) -> tuple[int, list[Event]]:
    """One kiosk's events pushed by two clients at the same moment (a retry racing its original); accepted in all."""
    kiosk_id = "KTWIN"
    first = open_store(folder / kiosk_id / "kiosk.db")
    second = open_store(folder / kiosk_id / "kiosk.db")  # a second connection to the same kiosk
    try:
        clock = FakeClock()
        open_sync_client(first, kiosk_id, clock, server_url=cloud.base_url).register(cloud.provision("twin"))
        events = append_events(first, kiosk_id, clock, 400)
        clients = [
            open_sync_client(store, kiosk_id, clock, server_url=cloud.base_url) for store in (first, second)
        ]
        barrier = threading.Barrier(2)

        def push(index: int) -> int:
            barrier.wait()
            report = clients[index].push_pending()
            assert report.error is None, report.error
            return report.accepted

        with ThreadPoolExecutor(2) as pool:
            accepted = sum(pool.map(push, range(2)))
        return accepted, events
    finally:
        first.close()
        second.close()


@pytest.mark.timeout(300)
def test_kiosks_sync_through_two_workers_every_event_lands_once_and_sigterm_stops_all(
    tmp_path: Path, database: str | None
) -> None:
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    kiosks = tmp_path / "kiosks"
    kiosks.mkdir()
    with served_cloud(tmp_path / "cloud", database) as served:
        workers = served.worker_pids()
        assert len(workers) == WORKERS, served.log
        cloud = served.as_running_cloud()
        cloud.store.import_roster(roster)  # beside the running server, as `kiosk-cloud import-roster` does
        now = datetime.now(UTC)
        codes = {f"K{n:02d}": new_provisioning_code(cloud.store, "north", now) for n in range(KIOSKS)}

        with ThreadPoolExecutor(KIOSKS) as pool:
            futures = {
                k: pool.submit(_kiosk_syncs, kiosks, k, code, served.base_url) for k, code in codes.items()
            }
            recorded = {kiosk_id: future.result() for kiosk_id, future in futures.items()}
        accepted, twin_events = _push_twice_at_once(kiosks, cloud)

        for kiosk_id, events in recorded.items():
            assert kiosk_event_rows(cloud.store, kiosk_id) == [event_to_row(e) for e in events], kiosk_id
        assert kiosk_event_rows(cloud.store, "KTWIN") == [event_to_row(e) for e in twin_events]
        assert accepted == len(twin_events), "two pushes of the same events at once are accepted once"
        assert cloud.store.table_counts()["events"] == KIOSKS * ROUNDS * EVENTS_PER_ROUND + len(twin_events)

        pushes = served.pids_that_answered("POST", "/api/v1/events")
        assert len(pushes) >= KIOSKS * ROUNDS
        answered = set(served.pids_that_answered("POST", "/api/v1/register")) | set(pushes)
        assert answered <= workers
        assert len(answered) == WORKERS, f"one worker answered every registration and push: {answered}"
        if database is not None:
            assert len(_server_connections(database)) >= WORKERS, "each worker has its own connections"

        assert ("warning: on SQLite the workers take turns" in served.log) == (database is None)
        assert served.stop() == 0
        log = served.log
        assert log.count("stopped and closed its database connections") == WORKERS, log
        assert all(_gone(pid) for pid in workers)
        if database is not None:
            deadline = time.monotonic() + 5
            while _server_connections(database) and time.monotonic() < deadline:
                time.sleep(0.1)
            assert _server_connections(database) == set(), "every connection of the workers was closed"


def test_kiosks_registering_at_once_in_a_new_area_through_two_workers_get_one_face_key(
    tmp_path: Path, database: str | None
) -> None:
    with served_cloud(tmp_path / "cloud", database) as served:
        cloud = served.as_running_cloud()
        bodies = [
            cloud.registration_body(cloud.provision("fresh"), f"KF{n}", generate_signing_key())
            for n in range(16)
        ]
        barrier = threading.Barrier(len(bodies))

        def register(body: dict[str, str]) -> str:
            with requests.Session() as session:
                session.get(f"{cloud.api_url}/time", timeout=10)  # connected before the race starts
                barrier.wait()
                reply = session.post(f"{cloud.api_url}/register", json=body, timeout=30)
            assert reply.status_code == 201, reply.text
            return str(reply.json()["face_key"])

        with ThreadPoolExecutor(len(bodies)) as pool:
            face_keys = set(pool.map(register, bodies))
        on_disk = (tmp_path / "cloud" / "keys" / "face-area-fresh.key").read_bytes()
        assert face_keys == {b64(on_disk)}, "every kiosk of the area got the one key the server keeps"
        assert served.stop() == 0


# A process that asks for an area's face key on a slow disk (every os.write takes 0.2 s), once told to go.
_RACER = """
import os, sys, time
from pathlib import Path

real_write = os.write
def slow_write(fd, data):
    time.sleep(0.2)
    return real_write(fd, data)
os.write = slow_write

from cloud.face_keys import AreaFaceKeys

keys = AreaFaceKeys(Path(sys.argv[1]))
go = Path(sys.argv[2])
print("ready", flush=True)
while not go.exists():
    time.sleep(0.002)
print(keys.key(sys.argv[3]).hex(), flush=True)
"""


@pytest.mark.parametrize("racers", [2, 4])
def test_processes_racing_for_a_new_area_key_all_get_the_one_key_on_disk(tmp_path: Path, racers: int) -> None:
    keys_dir, go = tmp_path / "keys", tmp_path / "go"
    keys_dir.mkdir(mode=0o700)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", _RACER, str(keys_dir), str(go), "east"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(racers)
    ]
    try:
        for process in processes:
            assert process.stdout is not None and process.stdout.readline().strip() == "ready"
        go.touch()
        results = [process.communicate(timeout=30) for process in processes]
    finally:
        for process in processes:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert [p.returncode for p in processes] == [0] * racers, [err for _, err in results]
    keys = {out.strip() for out, _ in results}
    assert keys == {(keys_dir / "face-area-east.key").read_bytes().hex()}, (
        "every process uses the key on disk"
    )
    assert sorted(p.name for p in keys_dir.iterdir()) == ["face-area-east.key"], "no temporary file is left"
    assert (keys_dir / "face-area-east.key").stat().st_mode & 0o777 == 0o600


def test_a_worker_that_dies_is_replaced_and_the_service_goes_on(tmp_path: Path) -> None:
    with served_cloud(tmp_path / "cloud", None) as served:
        lost = min(served.worker_pids())
        os.kill(lost, signal.SIGKILL)
        deadline = time.monotonic() + START_TIMEOUT_S
        while len(served.worker_pids() - {lost}) < WORKERS and time.monotonic() < deadline:
            time.sleep(0.1)
        assert f"Child process [{lost}] died" in served.log
        assert len(served.worker_pids() - {lost}) == WORKERS, served.log
        for _ in range(10):
            assert requests.get(f"{served.base_url}/api/v1/time", timeout=10).status_code == 200
        assert served.stop() == 0


def test_a_worker_that_cannot_open_the_cloud_exits_with_the_start_up_failure_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(DATA_VARIABLE, str(tmp_path / "never-initialised"))
    monkeypatch.delenv(DATABASE_VARIABLE, raising=False)
    with pytest.raises(SystemExit) as exit_info:
        create_worker_app()
    assert exit_info.value.code == STARTUP_FAILURE, "the supervisor then stops instead of restarting it"


def test_serve_refuses_a_worker_count_below_one(tmp_path: Path) -> None:
    for bad in ("0", "-3", "two"):
        result = CliRunner().invoke(cli, ["--data", str(tmp_path / "cloud"), "serve", "--workers", bad])
        assert result.exit_code == 2, result.output
        assert "--workers" in result.output
    assert not (tmp_path / "cloud").exists(), "nothing was opened or created"
