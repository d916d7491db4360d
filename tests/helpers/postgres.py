"""A throwaway PostgreSQL server for tests and benchmarks: Debian's own binaries, a cluster in a temporary folder.

:func:`running_postgres` runs ``initdb`` into a new temporary folder,
starts the server with ``pg_ctl`` listening on 127.0.0.1 at a free port
(and on a Unix socket in the same folder), yields a :class:`PostgresServer`
with its connection string, then stops it and removes the folder. Nothing
else is touched: no system service, no ``/var/lib/postgresql``.

PostgreSQL refuses to run as root. When the tests run as root (CI does),
the cluster belongs to the ``postgres`` user that Debian's package creates,
and the commands run as that user (``setpriv``); the tests connect over TCP
as the cluster's superuser, ``postgres``, with ``trust`` authentication
on 127.0.0.1 only.

The binaries are found with ``pg_config --bindir`` or under
``/usr/lib/postgresql/<version>/bin``; :func:`postgres_bin_dir` is
``None`` when PostgreSQL is not installed (``scripts/system-deps.sh bundle``
installs it), and the tests that need it then fail with that reason.

``durable=False`` (the default for tests) sets ``fsync=off``: a crashed test
cluster is thrown away anyway. Benchmarks pass ``durable=True``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg

SERVICE_USER = "postgres"
START_TIMEOUT_S = 60


@dataclass(frozen=True)
class PostgresServer:
    """A running throwaway server: where it listens and how to reach it."""

    host: str
    port: int
    folder: Path
    user: str = "postgres"

    def dsn(self, database: str = "postgres") -> str:
        """A libpq connection string (``postgresql://…``) to ``database`` on this server."""
        return f"postgresql://{self.user}@{self.host}:{self.port}/{database}"


def postgres_bin_dir() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``, or None when PostgreSQL's server is not installed."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        result = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False)
        if result.returncode == 0:
            candidates.append(Path(result.stdout.strip()))
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: _version(p.parent.name))
    candidates.extend(reversed(versions))
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def _version(name: str) -> tuple[int, ...]:
    return tuple(int(part) for part in name.split(".") if part.isdigit())


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def _cluster_owner() -> tuple[int, int]:
    import pwd  # POSIX only; this module is imported (not used) on Windows too

    owner = pwd.getpwnam(SERVICE_USER)
    return owner.pw_uid, owner.pw_gid


def _as_cluster_owner(command: list[str]) -> list[str]:
    """``command`` run as the ``postgres`` user when we are root (PostgreSQL will not run as root)."""
    if not _running_as_root():
        return command
    uid, gid = _cluster_owner()
    return ["setpriv", f"--reuid={uid}", f"--regid={gid}", "--clear-groups", *command]


def _give_to_cluster_owner(folder: Path) -> None:
    if _running_as_root():
        os.chown(folder, *_cluster_owner())


@contextlib.contextmanager
def running_postgres(*, durable: bool = False) -> Iterator[PostgresServer]:
    """A PostgreSQL server with its cluster in a new temporary folder; stopped and removed on leaving."""
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        raise RuntimeError(
            "PostgreSQL's server is not installed (Debian: postgresql; see scripts/system-deps.sh)"
        )
    # In the system's temporary folder: the postgres user can reach it there (a test's own tmp_path is root's).
    folder = Path(tempfile.mkdtemp(prefix="kiosk-postgres-"))
    try:
        _give_to_cluster_owner(folder)
        with _started(bin_dir, folder, durable) as server:
            yield server
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _started(bin_dir: Path, folder: Path, durable: bool) -> Iterator[PostgresServer]:
    data = folder / "data"
    log = folder / "server.log"
    subprocess.run(
        _as_cluster_owner(
            [
                str(bin_dir / "initdb"),
                "-D",
                str(data),
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-instructions",
            ]
        ),
        check=True,
        capture_output=True,
        text=True,
    )
    port = _free_port()
    options = [
        "-c listen_addresses=127.0.0.1",
        f"-c port={port}",
        f"-c unix_socket_directories={folder}",
        "-c max_connections=200",
    ]
    if not durable:
        options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
    started = subprocess.run(
        _as_cluster_owner(
            [
                str(bin_dir / "pg_ctl"),
                "-D",
                str(data),
                "-l",
                str(log),
                "-w",
                "-t",
                str(START_TIMEOUT_S),
                "-o",
                " ".join(options),
                "start",
            ]
        ),
        capture_output=True,
        text=True,
        check=False,
    )
    if started.returncode != 0:
        detail = log.read_text(errors="replace") if log.exists() else started.stderr
        raise RuntimeError(f"PostgreSQL did not start: {started.stderr.strip()}\n{detail}")
    try:
        yield PostgresServer("127.0.0.1", port, folder)
    finally:
        subprocess.run(
            _as_cluster_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]),
            capture_output=True,
            check=False,
        )


def new_postgres_database(server: PostgresServer) -> str:
    """A new, empty database on ``server``; its URL."""
    name = f"cloud_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server.dsn(), autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return server.dsn(name)
