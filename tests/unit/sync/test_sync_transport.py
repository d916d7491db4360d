"""HTTP transport: timeouts, gzip bodies, and every failure mapped to a retryable or permanent error."""

from __future__ import annotations

import contextlib
import gzip
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from checkin_protocol.server_url import is_plain_http_off_machine, normalise_server_url
from kiosk.sync.errors import SyncError
from kiosk.sync.transport import HttpTransport

SECRET = "s3cr3t-never-shown"


@dataclass
class Scripted:
    """What the test server answers, and what it received."""

    status: int = 200
    body: bytes = b'{"ok": true}'
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    received: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
def server() -> Iterator[tuple[str, Scripted]]:
    script = Scripted()

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            script.received.append((self.path, dict(self.headers), self.rfile.read(length)))
            time.sleep(script.delay_s)
            self.send_response(script.status)
            for name, value in script.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(script.body)))
            self.end_headers()
            with contextlib.suppress(OSError):  # the client gave up (the timeout test)
                self.wfile.write(script.body)

        do_GET = do_POST = _answer

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", script
    httpd.shutdown()
    httpd.server_close()


def _error(call: object) -> SyncError:
    with pytest.raises(SyncError) as caught:
        call()  # type: ignore[operator]
    assert SECRET not in caught.value.message and SECRET not in repr(caught.value)
    return caught.value


def test_a_reply_is_json_and_the_token_goes_in_a_header(server: tuple[str, Scripted]) -> None:
    url, script = server
    transport = HttpTransport(url + "/api/v1/")
    assert transport.get_json("/changes", params={"cursor": "5"}, token=f"K1.{SECRET}") == {"ok": True}
    path, headers, _ = script.received[0]
    assert path == "/api/v1/changes?cursor=5"
    assert headers["Authorization"] == f"Bearer K1.{SECRET}"


def test_large_bodies_are_gzipped_small_ones_not(server: tuple[str, Scripted]) -> None:
    url, script = server
    transport = HttpTransport(url)
    big = {"events": [{"event_id": str(i), "name": "雷彩霞"} for i in range(300)]}
    transport.post_json("/events", big)
    transport.post_json("/time", {"a": 1})
    (_, big_headers, big_body), (_, small_headers, small_body) = script.received
    assert big_headers["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(big_body)) == big
    assert len(big_body) < len(json.dumps(big).encode()) / 4
    assert "Content-Encoding" not in small_headers and json.loads(small_body) == {"a": 1}
    assert big_headers["Content-Type"] == "application/json"


@pytest.mark.parametrize(
    ("status", "headers", "kind", "retry_after"),
    [(500, {}, "server", None), (503, {}, "server", None), (429, {"Retry-After": "7"}, "busy", 7.0)],
)
def test_server_failures_are_retryable(
    server: tuple[str, Scripted], status: int, headers: dict[str, str], kind: str, retry_after: float | None
) -> None:
    url, script = server
    script.status, script.headers = status, headers
    script.body = b'{"error": "internal", "message": "x"}'
    error = _error(lambda: HttpTransport(url).post_json("/events", {}, token=f"K1.{SECRET}"))
    assert (error.kind, error.retryable, error.status, error.retry_after_s) == (
        kind,
        True,
        status,
        retry_after,
    )


def test_a_refusal_is_permanent_in_plain_words_with_the_servers_code(server: tuple[str, Scripted]) -> None:
    url, script = server
    script.status = 409
    script.body = b'{"error": "code_used", "message": "this provisioning code was used already"}'
    error = _error(lambda: HttpTransport(url).post_json("/register", {}))
    assert (error.kind, error.code, error.status, error.retryable) == ("refused", "code_used", 409, False)
    assert "already used" in error.message


def test_an_unknown_refusal_still_says_what_the_server_said(server: tuple[str, Scripted]) -> None:
    url, script = server
    script.status, script.body = 400, b'{"error": "novel_thing", "message": "be nicer"}'
    error = _error(lambda: HttpTransport(url).get_json("/time"))
    assert error.code == "novel_thing" and "be nicer" in error.message and not error.retryable


def test_a_redirect_is_not_followed(server: tuple[str, Scripted]) -> None:
    url, script = server
    script.status, script.headers, script.body = 301, {"Location": "https://elsewhere.example"}, b""
    error = _error(lambda: HttpTransport(url).post_json("/events", {}))
    assert "elsewhere.example" in error.message and len(script.received) == 1


@pytest.mark.parametrize("body", [b"<html>proxy login</html>", b"[1, 2]", b'{"cut": '])
def test_an_unreadable_reply_is_retryable(server: tuple[str, Scripted], body: bytes) -> None:
    url, script = server
    script.body = body
    error = _error(lambda: HttpTransport(url).get_json("/time"))
    assert error.kind == "garbled" and error.retryable


def test_a_slow_server_times_out(server: tuple[str, Scripted]) -> None:
    url, script = server
    script.delay_s = 0.6
    error = _error(lambda: HttpTransport(url, read_timeout_s=0.2).get_json("/time"))
    assert error.kind == "timeout" and error.retryable


def test_no_server_is_a_network_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    error = _error(lambda: HttpTransport(f"http://127.0.0.1:{port}").get_json("/time", token=f"K.{SECRET}"))
    assert error.kind == "network" and error.retryable and "check the network" in error.message


def test_server_addresses_are_normalised() -> None:
    assert normalise_server_url(" https://cloud.example.org/api/v1/ ") == "https://cloud.example.org"
    assert normalise_server_url("http://127.0.0.1:8080") == "http://127.0.0.1:8080"
    for bad in ("cloud.example.org", "ftp://x", "https://", "https://x/?a=1"):
        with pytest.raises(ValueError):
            normalise_server_url(bad)
    assert is_plain_http_off_machine("http://cloud.example.org")
    assert not is_plain_http_off_machine("http://127.0.0.1:80")
    assert not is_plain_http_off_machine("https://cloud.example.org")


# -- hostile replies: each is a SyncError with a reason, never another exception -----------------------


@pytest.mark.parametrize("status", [200, 400])
def test_a_reply_nested_too_deeply_is_refused_without_a_recursion_error(
    server: tuple[str, Scripted], status: int
) -> None:
    url, script = server
    script.status, script.body = status, b'{"error": ' + b"[" * 100_000
    error = _error(lambda: HttpTransport(url).get_json("/changes"))
    if status == 200:
        assert error.kind == "garbled" and "nested 100001 levels deep" in error.message, error
    else:
        assert error.kind == "refused" and error.status == 400 and error.code is None, error


def test_a_reply_larger_than_the_limit_is_refused_while_reading(server: tuple[str, Scripted]) -> None:
    url, script = server
    script.body = json.dumps({"changes": ["x" * 1000] * 200}).encode()
    error = _error(lambda: HttpTransport(url, max_reply_bytes=100_000).get_json("/changes"))
    assert error.kind == "garbled" and "more than the 100,000 bytes" in error.message, error


def test_a_gzip_bomb_reply_is_refused_without_inflating_it_all(server: tuple[str, Scripted]) -> None:
    url, script = server
    script.headers = {"Content-Encoding": "gzip", "Content-Type": "application/json"}
    script.body = gzip.compress(b'{"a": "' + b" " * 50_000_000 + b'"}', compresslevel=1)
    assert len(script.body) < 1_000_000
    error = _error(lambda: HttpTransport(url, max_reply_bytes=1_000_000).get_json("/changes"))
    assert error.kind == "garbled" and "more than the 1,000,000 bytes" in error.message, error


def test_a_reply_within_the_limit_and_gzip_is_read(server: tuple[str, Scripted]) -> None:
    url, script = server
    script.headers = {"Content-Encoding": "gzip"}
    script.body = gzip.compress(json.dumps({"name": "雷彩霞"}).encode())
    assert HttpTransport(url, max_reply_bytes=1000).get_json("/time") == {"name": "雷彩霞"}
