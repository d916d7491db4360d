"""Running the API with uvicorn: in this process (:func:`serve`), or as N worker processes (:func:`serve_workers`).

The HTTP/1.1 implementation is pinned to h11: when the server refuses a body
early (413), h11 keeps reading and discarding the rest of the upload on a
kept-alive connection, so the client gets the reply instead of a reset
connection (:mod:`cloud.body_guard`). Sync endpoints run in anyio's worker
threads (40 by default), which is plenty for a few hundred kiosks: a push
is a few milliseconds of SQLite.

With ``workers`` above 1, uvicorn's supervisor binds the socket once and
starts that many worker processes that accept on it; each one opens its own
:class:`~cloud.instance.CloudInstance` (:mod:`cloud.worker_app`) from the
data folder and database this process hands down in environment variables,
and closes it when it stops. Everything the API remembers between requests
is in the database or the keys folder, so any worker may answer any request
(``docs/cloud-deploy.md``). SIGTERM or Ctrl+C stops the supervisor, which
stops every worker and waits for it.
"""

from __future__ import annotations

import copy
import logging
import os
import socket
from pathlib import Path
from typing import Any

import uvicorn
from uvicorn.config import LOGGING_CONFIG, STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess

from cloud.api import create_app
from cloud.instance import CloudInstance
from cloud.worker_app import WORKER_APP, WorkerSettings

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
#: The settings both ways of serving share: h11 (see above), no ``server`` header.
#: Keep-alive outlasts a kiosk's sync interval (60 s by default, 5 s in the load bench), so the kiosk's next
#: round does not race the server closing its connection; a TLS proxy in front keeps its own.
SERVER_SETTINGS: dict[str, Any] = {"http": "h11", "server_header": False, "timeout_keep_alive": 75}
#: How long a stopping worker lets requests in flight finish before it closes their connections.
WORKER_GRACEFUL_SHUTDOWN_S = 10


class WorkersFailed(RuntimeError):
    """A worker process could not start (the database unreachable, the keys missing); its log says why."""


def build_server(
    instance: CloudInstance,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    log_level: str = "info",
    access_log: bool = True,
) -> uvicorn.Server:
    """A uvicorn server for ``instance``; call ``run()`` (blocks), set ``should_exit`` to stop it."""
    config = uvicorn.Config(
        create_app(instance),
        host=host,
        port=port,
        lifespan="off",
        log_level=log_level,
        access_log=access_log,
        **SERVER_SETTINGS,
    )
    return uvicorn.Server(config)


def serve(instance: CloudInstance, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Serve until interrupted (Ctrl+C or SIGTERM); the server's own log lines go to stderr."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    build_server(instance, host, port).run()


def worker_log_config() -> dict[str, Any]:
    """uvicorn's logging set-up with the time and the worker's process ID on every line.

    The cloud's own loggers (``cloud.*``) go to stderr in the same format.
    Access lines stay on stdout, as uvicorn has them.
    """
    config = copy.deepcopy(LOGGING_CONFIG)
    config["formatters"]["default"]["fmt"] = "%(asctime)s [%(process)d] %(levelprefix)s %(message)s"
    config["formatters"]["access"]["fmt"] = (
        '%(asctime)s [%(process)d] %(levelprefix)s %(client_addr)s - "%(request_line)s" %(status_code)s'
    )
    config["loggers"]["cloud"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config


def serve_workers(
    data: Path,
    database: str | None,
    workers: int,
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    *,
    log_level: str = "info",
) -> None:
    """Serve ``data`` (and ``database``) from ``workers`` processes until SIGTERM or Ctrl+C.

    The folder must be initialised and its database reachable: open it once
    before calling this (``kiosk-cloud serve`` does), so migrations run once
    and a mistake is one clear message instead of one per worker.
    :class:`WorkersFailed` when a worker could not start; the others are
    stopped first.
    """
    if workers < 2:
        raise ValueError("serve_workers is for 2 or more workers; serve() runs one in this process")
    WorkerSettings(data.absolute(), database).export(os.environ)  # inherited by the workers
    config = uvicorn.Config(
        WORKER_APP,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        lifespan="on",
        log_level=log_level,
        log_config=worker_log_config(),
        timeout_graceful_shutdown=WORKER_GRACEFUL_SHUTDOWN_S,
        **SERVER_SETTINGS,
    )
    sock = tcp_socket(config.bind_socket())
    supervisor = Multiprocess(config, sockets=[sock])
    try:
        supervisor.run()
    finally:
        sock.close()
    failed = [p.pid for p in supervisor.processes if p.exitcode == STARTUP_FAILURE]
    if failed:
        raise WorkersFailed(f"worker process {failed[0]} could not start; its log lines above say why")


def tcp_socket(sock: socket.socket) -> socket.socket:
    """``sock`` as a socket object that says it is TCP, so every connection it accepts gets ``TCP_NODELAY``.

    asyncio turns Nagle's algorithm off only for sockets whose ``proto`` is
    ``IPPROTO_TCP``; a socket made with protocol 0 (uvicorn's
    ``bind_socket``, a plain ``socket.socket()``) hands that 0 to every
    connection it accepts, and then each reply on a kept-alive connection
    waited about 40 ms for the client's delayed acknowledgement
    (``bench/cloud_load.py`` measured 44 ms a request).
    """
    if sock.proto == socket.IPPROTO_TCP:
        return sock
    return socket.socket(sock.family, sock.type, socket.IPPROTO_TCP, fileno=sock.detach())


def bind_free_port(host: str = DEFAULT_HOST) -> socket.socket:
    """A listening socket on a free port of ``host``, to hand to ``uvicorn.Server.run(sockets=[...])``.

    Binding here, rather than picking a number and letting uvicorn bind it,
    leaves no moment in which another process could take the port.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)  # see tcp_socket
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    sock.listen(2048)
    return sock
