"""ASGI middleware that admits a request body only in a form and size the server can afford.

For every request with a body method (POST, PUT, PATCH) that a route takes
(same path, same method), before the app sees it:

- ``Content-Type`` must be ``application/json`` (415 ``unsupported_media_type``)
  and ``Content-Encoding`` absent, ``identity`` or ``gzip`` (415 ``unsupported_encoding``);
- at most :data:`~cloud.protocol.MAX_WIRE_BYTES` arrive on the wire: a
  larger ``Content-Length`` is refused before reading, a chunked body as soon
  as it passes the limit (413 ``too_large``);
- a gzip body is inflated in a worker thread, in steps, and refused the moment
  it passes :data:`~cloud.protocol.MAX_DECODED_BYTES` (a gzip bomb costs at
  most that much memory); bad gzip is 400 ``malformed_gzip``;
- an empty body is 400 ``malformed_json``, and so is one nested deeper than
  :data:`~checkin_protocol.untrusted_json.MAX_DEPTH` levels (counted without recursion;
  the deepest real request, a face push, has 5).

A request no route takes goes to the app untouched, unread: routing answers
it (404, or 405 with ``Allow``: :mod:`cloud.methods`), whatever its body or
content type, because a wrong method or path is the thing to fix first.

The app then gets the plain body with matching headers. Refusing early
leaves the rest of the upload unread; uvicorn's h11 protocol (see
:mod:`cloud.server`) reads and discards it on a kept-alive connection, so
the client still receives the 413.
"""

from __future__ import annotations

import zlib

import anyio.to_thread
from starlette.datastructures import Headers
from starlette.routing import Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from checkin_protocol.untrusted_json import MAX_DEPTH, nesting_depth
from cloud.errors import ApiError, error_response
from cloud.methods import routed
from cloud.protocol import MAX_DECODED_BYTES, MAX_WIRE_BYTES

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_SCAN_INLINE_BYTES = 64 * 1024  # a push of 500 events is ~200 KB: scanned in a thread, as it is inflated
_GZIP_WBITS = 16 + zlib.MAX_WBITS


class _Disconnected(Exception):
    """The client went away while sending the body."""


def _too_large(what: str, limit: int) -> ApiError:
    return ApiError(413, "too_large", f"the body is over {limit // (1024 * 1024)} MiB {what}; send less")


def gunzip_limited(data: bytes, limit: int) -> bytes:
    """Inflate gzip ``data`` (one or more members), never holding more than ``limit`` + 1 bytes of output."""
    out = bytearray()
    pending = data
    try:
        while pending:
            inflater = zlib.decompressobj(wbits=_GZIP_WBITS)
            while not inflater.eof:
                chunk = inflater.decompress(pending, limit + 1 - len(out))
                pending = inflater.unconsumed_tail
                out += chunk
                if len(out) > limit:
                    raise _too_large("after decompression", limit)
                if not chunk and not pending:
                    raise ApiError(400, "malformed_gzip", "the gzip body is cut short")
            pending = inflater.unused_data
    except zlib.error:
        raise ApiError(400, "malformed_gzip", "the body is not valid gzip") from None
    return bytes(out)


def _is_json(content_type: str) -> bool:
    media_type, *params = [part.strip().lower() for part in content_type.split(";")]
    charsets = [p.partition("=")[2].strip('"') for p in params if p.startswith("charset=")]
    return media_type == "application/json" and all(c in ("utf-8", "utf8") for c in charsets)


def _check_headers(headers: Headers) -> tuple[ApiError | None, bool]:
    """A refusal the headers alone justify, and whether the body is gzip."""
    if not _is_json(headers.get("content-type", "")):
        return ApiError(415, "unsupported_media_type", "send the body as application/json (UTF-8)"), False
    encoding = headers.get("content-encoding", "identity").strip().lower()
    if encoding not in ("identity", "", "gzip", "x-gzip"):
        return ApiError(415, "unsupported_encoding", "the body may be sent plain or with gzip only"), False
    length = headers.get("content-length")
    if length is not None and length.strip().isdigit() and int(length) > MAX_WIRE_BYTES:
        return _too_large("on the wire", MAX_WIRE_BYTES), False
    return None, encoding in ("gzip", "x-gzip")


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Disconnected
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_WIRE_BYTES:
            raise _too_large("on the wire", MAX_WIRE_BYTES)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


async def _check_nesting(body: bytes) -> None:
    """400 ``malformed_json`` for a body nested deeper than any request of the protocol may be.

    Checked without recursion before the app parses it (its parser recurses per
    level); a long body is scanned in a worker thread, like the inflating.
    """
    if len(body) < _SCAN_INLINE_BYTES:
        depth = nesting_depth(body, stop_above=MAX_DEPTH)
    else:
        depth = await anyio.to_thread.run_sync(nesting_depth, body, MAX_DEPTH)
    if depth > MAX_DEPTH:
        raise ApiError(
            400, "malformed_json", f"the body is nested {depth} levels deep; at most {MAX_DEPTH} are allowed"
        )


class BodyGuard:
    """The middleware (see the module docstring)."""

    def __init__(self, app: ASGIApp, router: Router) -> None:
        self.app = app
        self.router = router

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in BODY_METHODS or not routed(self.router, scope):
            await self.app(scope, receive, send)
            return
        refusal, gzipped = _check_headers(Headers(scope=scope))
        try:
            if refusal is not None:
                raise refusal
            body = await _read_body(receive)
            if gzipped:
                body = await anyio.to_thread.run_sync(gunzip_limited, body, MAX_DECODED_BYTES)
            if not body:
                raise ApiError(400, "malformed_json", "the body is empty; send a JSON object")
            await _check_nesting(body)
        except ApiError as error:
            await error_response(error)(scope, receive, send)
            return
        except _Disconnected:
            return
        headers = [
            (name, value)
            for name, value in scope["headers"]
            if name not in (b"content-encoding", b"content-length", b"transfer-encoding")
        ]
        headers.append((b"content-length", str(len(body)).encode("ascii")))
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if delivered:
                return await receive()
            delivered = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app({**scope, "headers": headers}, replay, send)
