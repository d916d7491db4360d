"""A reference cloud running inside this process, on 127.0.0.1: for the demo and the tests.

``kiosk demo`` starts one beside the kiosk so a newcomer sees records reach
a cloud; the test helper ``tests/helpers/cloud_server.py`` builds on it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

from cloud.instance import Clock, CloudInstance, init_instance, utc_now
from cloud.server import bind_free_port, build_server

STARTUP_TIMEOUT_S = 15.0
SHUTDOWN_TIMEOUT_S = 15.0


@dataclass(frozen=True)
class LocalCloud:
    """A running local cloud: its root URL and its instance (store, keys, clock)."""

    base_url: str
    instance: CloudInstance


def _wait_until_answering(url: str, thread: threading.Thread) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError("the cloud server thread stopped while starting; see the log")
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException as exc:
            last_error = exc
        time.sleep(0.02)
    raise RuntimeError(f"the cloud server did not answer {url} within {STARTUP_TIMEOUT_S} s") from last_error


@contextmanager
def local_cloud(
    folder: Path, *, quiet: bool = True, clock: Clock = utc_now, database: str | None = None
) -> Iterator[LocalCloud]:
    """Initialise ``folder`` (or reuse it) and serve it on a free port of 127.0.0.1 until the block ends.

    ``clock`` is the server's clock (tests pass one they move); ``database`` a ``postgresql://``
    URL to keep the data in (None: ``cloud.db`` in ``folder``).
    """
    instance, _ = init_instance(Path(folder), clock, database)
    try:
        with bind_free_port("127.0.0.1") as sock:
            port = sock.getsockname()[1]
            level = "warning" if quiet else "info"
            server = build_server(instance, "127.0.0.1", port, log_level=level, access_log=not quiet)
            thread = threading.Thread(
                target=server.run, kwargs={"sockets": [sock]}, name="cloud-server", daemon=True
            )
            thread.start()
            try:
                base_url = f"http://127.0.0.1:{port}"
                _wait_until_answering(f"{base_url}/api/v1/time", thread)
                yield LocalCloud(base_url, instance)
            finally:
                server.should_exit = True
                thread.join(SHUTDOWN_TIMEOUT_S)
                if thread.is_alive():
                    raise RuntimeError(f"the cloud server did not stop within {SHUTDOWN_TIMEOUT_S} s")
    finally:
        instance.close()
