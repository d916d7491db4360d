"""A fault-injecting HTTP proxy for sync tests, on 127.0.0.1 only.

Every client connection carries one request (the proxy forces
``Connection: close``). For each, a seeded random choice decides the fault:

- ``pass``: forwarded, the reply relayed whole;
- ``drop_before``: the connection is closed before the request reaches the server;
- ``drop_after``: the server handles the request, the reply is thrown away;
- ``error_500``: a 500 reply without asking the server;
- ``timeout``: nothing is answered until the client gives up (bounded wait);
- ``slow``: the reply trickles out in small pieces, but whole;
- ``truncated``: the server handles it; half the reply is sent, then the connection closes.

``drop_after`` and ``truncated`` are the dangerous ones: the server has the
events, the kiosk does not know it.
"""

from __future__ import annotations

import contextlib
import random
import socket
import socketserver
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

FAULTS = ("pass", "drop_before", "drop_after", "error_500", "timeout", "slow", "truncated")
MAX_HEADER = 64 * 1024
ERROR_500 = (
    b"HTTP/1.1 500 Internal Server Error\r\nContent-Type: application/json\r\n"
    b'Content-Length: 52\r\nConnection: close\r\n\r\n{"error": "internal", "message": "injected by proxy"}'
)


@dataclass
class FaultPlan:
    """Weights of each fault; ``seed`` makes a run repeatable."""

    weights: Mapping[str, float] = field(default_factory=lambda: {"pass": 1.0})
    seed: int = 0
    timeout_hold_s: float = 3.0

    def __post_init__(self) -> None:
        unknown = set(self.weights) - set(FAULTS)
        if unknown:
            raise ValueError(f"unknown faults: {unknown}")
        self._rng = random.Random(self.seed)
        self._lock = threading.Lock()

    def choose(self) -> str:
        with self._lock:
            names = list(self.weights)
            return self._rng.choices(names, weights=[self.weights[n] for n in names])[0]


def _read_request(conn: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
        if len(data) > MAX_HEADER and b"\r\n\r\n" not in data:
            return None
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        body += chunk
    lines = [
        line for line in head.split(b"\r\n") if not line.lower().startswith((b"connection:", b"keep-alive:"))
    ]
    return b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body


def _forward(request: bytes, upstream: tuple[str, int]) -> bytes:
    with socket.create_connection(upstream, timeout=60) as server:
        server.sendall(request)
        parts = []
        while True:
            chunk = server.recv(65536)
            if not chunk:
                break
            parts.append(chunk)
    return b"".join(parts)


class FaultProxy:
    """Runs the proxy in a background thread; ``url`` is what the client talks to."""

    def __init__(self, upstream_url: str, plan: FaultPlan) -> None:
        host_port = upstream_url.split("://", 1)[1].split("/", 1)[0]
        host, _, port = host_port.partition(":")
        self.upstream = (host, int(port))
        self.plan = plan
        self.counts: Counter[str] = Counter()
        self._stop = threading.Event()
        proxy = self

        class Handler(socketserver.BaseRequestHandler):
            def handle(self) -> None:
                proxy._handle(self.request)

        socketserver.ThreadingTCPServer.allow_reuse_address = True
        self._server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="fault-proxy", daemon=True)

    def _handle(self, conn: socket.socket) -> None:
        conn.settimeout(30)
        try:
            request = _read_request(conn)
            if request is None:
                return
            fault = self.plan.choose()
            self.counts[fault] += 1
            if fault == "drop_before":
                return
            if fault == "error_500":
                conn.sendall(ERROR_500)
                return
            if fault == "timeout":
                self._stop.wait(self.plan.timeout_hold_s)
                return
            reply = _forward(request, self.upstream)
            if fault == "drop_after":
                return
            if fault == "truncated":
                conn.sendall(reply[: max(1, len(reply) // 2)])
                return
            if fault == "slow":
                for start in range(0, len(reply), 256):
                    conn.sendall(reply[start : start + 256])
                    time.sleep(0.002)
                return
            conn.sendall(reply)
        except OSError:
            pass  # the client gave up; that is part of the game
        finally:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()


@contextmanager
def fault_proxy(upstream_url: str, plan: FaultPlan) -> Iterator[FaultProxy]:
    """A running proxy in front of ``upstream_url``; stopped when the block ends."""
    proxy = FaultProxy(upstream_url, plan)
    proxy.start()
    try:
        yield proxy
    finally:
        proxy.stop()
