"""Running the API with uvicorn.

The HTTP/1.1 implementation is pinned to h11: when the server refuses a body
early (413), h11 keeps reading and discarding the rest of the upload on a
kept-alive connection, so the client gets the reply instead of a reset
connection (:mod:`cloud.body_guard`). Sync endpoints run in anyio's worker
threads (40 by default), which is plenty for a few hundred kiosks: a push
is a few milliseconds of SQLite.
"""

from __future__ import annotations

import logging
import socket

import uvicorn

from cloud.api import create_app
from cloud.instance import CloudInstance

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765


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
        http="h11",
        lifespan="off",
        log_level=log_level,
        access_log=access_log,
        server_header=False,
        timeout_keep_alive=5,
    )
    return uvicorn.Server(config)


def serve(instance: CloudInstance, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> None:
    """Serve until interrupted (Ctrl+C or SIGTERM); the server's own log lines go to stderr."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    build_server(instance, host, port).run()


def bind_free_port(host: str = DEFAULT_HOST) -> socket.socket:
    """A listening socket on a free port of ``host``, to hand to ``uvicorn.Server.run(sockets=[...])``.

    Binding here, rather than picking a number and letting uvicorn bind it,
    leaves no moment in which another process could take the port.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    sock.listen(2048)
    return sock
