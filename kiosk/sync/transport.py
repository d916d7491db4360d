"""HTTP to the cloud (docs/sync-protocol.md): JSON in and out, every failure a :class:`SyncError`.

:class:`Transport` is the small interface the client needs; tests wrap or
replace it (a reply lost after the server handled the request, say).
:class:`HttpTransport` is the real one over a ``requests.Session`` with
explicit connect and read timeouts, gzip request bodies above a small size,
and no redirects (a POST must not silently turn into a GET elsewhere).

Network failures, 5xx and 429 become retryable errors; any other non-2xx a
permanent one carrying the server's ``error`` code. The bearer token is sent
in a header only and never appears in an error message or the log.

A reply is untrusted input: it is read in steps and refused once it passes
:data:`MAX_REPLY_BYTES` (after gzip is undone, so a small bomb cannot fill
the memory), and parsed by :func:`checkin_protocol.untrusted_json.loads_untrusted`
(size and nesting limits); either refusal is a retryable ``garbled`` error.
"""

from __future__ import annotations

import gzip
import json
import logging
import math
from collections.abc import Mapping
from typing import Any, Protocol

import requests

from checkin_protocol import __version__
from checkin_protocol.server_url import API_PREFIX, normalise_server_url
from checkin_protocol.untrusted_json import JsonRefused, loads_untrusted
from kiosk.sync.errors import SyncError, refusal

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 5.0
READ_TIMEOUT_S = 30.0
#: Bodies at least this long are gzip-compressed (a push of 500 events shrinks ~8x).
GZIP_MIN_BYTES = 1024
#: The largest reply read. The largest real one, a ``/changes`` page of 1,000 face records
#: of five templates each, is about 5 MB; a page of 1,000 volunteers about 0.2 MB.
MAX_REPLY_BYTES = 64 * 1024 * 1024
_READ_STEP_BYTES = 64 * 1024
# What of the server's own words goes into a message (it could send megabytes of them).
_SERVER_WORDS_CHARS = 200


class Transport(Protocol):
    """JSON requests to one server's API; raises :class:`SyncError` for anything but a 2xx."""

    base_url: str

    def get_json(
        self, path: str, *, params: Mapping[str, str | int] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        """GET ``path`` (below ``/api/v1``) and return the JSON object of the reply."""
        ...

    def post_json(self, path: str, body: Mapping[str, Any], *, token: str | None = None) -> dict[str, Any]:
        """POST ``body`` as JSON to ``path`` (below ``/api/v1``) and return the JSON object of the reply."""
        ...


def _retry_after(headers: Mapping[str, str]) -> float | None:
    value = headers.get("Retry-After", "")
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if 0 <= seconds < math.inf else None  # "nan" and "1e999" parse as floats too


def _error_body(body: bytes, limit: int) -> tuple[str | None, str | None]:
    """The ``error`` code and ``message`` of a refusal's body, when it has them (cut short)."""
    try:
        parsed = loads_untrusted(body, max_bytes=limit)
    except JsonRefused:
        return None, None
    if not isinstance(parsed, dict):
        return None, None
    code, message = parsed.get("error"), parsed.get("message")
    return (
        code[:_SERVER_WORDS_CHARS] if isinstance(code, str) else None,
        message[:_SERVER_WORDS_CHARS] if isinstance(message, str) else None,
    )


class _ReplyTooLarge(Exception):
    """The reply passed the limit while it was read."""


def _read_reply(reply: requests.Response, limit: int) -> bytes:
    """The reply's body with any gzip undone, read in steps; :class:`_ReplyTooLarge` past ``limit``."""
    declared = reply.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > limit:
        raise _ReplyTooLarge
    chunks: list[bytes] = []
    size = 0
    for chunk in reply.iter_content(_READ_STEP_BYTES):
        size += len(chunk)
        if size > limit:
            raise _ReplyTooLarge
        chunks.append(chunk)
    return b"".join(chunks)


class HttpTransport:
    """The real transport: ``requests`` with timeouts, gzip bodies and plain-words errors."""

    def __init__(
        self,
        base_url: str,
        *,
        session: requests.Session | None = None,
        connect_timeout_s: float = CONNECT_TIMEOUT_S,
        read_timeout_s: float = READ_TIMEOUT_S,
        max_reply_bytes: int = MAX_REPLY_BYTES,
    ) -> None:
        self.base_url = normalise_server_url(base_url)
        self._session = session or requests.Session()
        self._timeouts = (connect_timeout_s, read_timeout_s)
        self._max_reply_bytes = max_reply_bytes
        self._session.headers["User-Agent"] = f"volunteer-kiosk/{__version__}"

    def get_json(
        self, path: str, *, params: Mapping[str, str | int] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        """GET ``path`` below ``/api/v1``; the reply's JSON object."""
        return self._send("GET", path, params=params, token=token)

    def post_json(self, path: str, body: Mapping[str, Any], *, token: str | None = None) -> dict[str, Any]:
        """POST ``body`` as JSON (gzip above :data:`GZIP_MIN_BYTES`); the reply's JSON object."""
        data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        if len(data) >= GZIP_MIN_BYTES:
            data = gzip.compress(data, compresslevel=6, mtime=0)
            headers["Content-Encoding"] = "gzip"
        return self._send("POST", path, data=data, headers=headers, token=token)

    def close(self) -> None:
        """Close the pooled connections."""
        self._session.close()

    def _send(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None = None,
        data: bytes | None = None,
        headers: dict[str, str] | None = None,
        token: str | None = None,
    ) -> dict[str, Any]:
        headers = dict(headers or {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        url = f"{self.base_url}{API_PREFIX}{path}"
        try:
            reply = self._session.request(
                method,
                url,
                params=dict(params) if params else None,
                data=data,
                headers=headers,
                timeout=self._timeouts,
                allow_redirects=False,
                stream=True,  # read below, in steps, up to the limit
            )
            try:
                # Read it all here, so a connection cut mid-reply is a network error.
                body = _read_reply(reply, self._max_reply_bytes)
            finally:
                reply.close()
        except _ReplyTooLarge:
            log.info("%s %s: the reply was over %d bytes", method, path, self._max_reply_bytes)
            raise SyncError(
                "garbled",
                f"the server's reply was more than the {self._max_reply_bytes:,} bytes a reply may be "
                "(is the address that of a check-in server?); the kiosk will try again",
            ) from None
        except requests.Timeout as exc:
            log.info("%s %s timed out: %s", method, path, type(exc).__name__)
            raise SyncError(
                "timeout",
                f"the server at {self.base_url} did not answer in time; the kiosk keeps working "
                "offline and will try again",
            ) from None
        except requests.RequestException as exc:
            log.info("%s %s failed: %s", method, path, type(exc).__name__)
            raise SyncError(
                "network",
                f"cannot reach the server at {self.base_url}; check the network connection "
                "(the kiosk keeps working offline and will try again)",
            ) from None
        try:
            return parse_reply(reply.status_code, reply.headers, body, max_bytes=self._max_reply_bytes)
        except SyncError as exc:
            if exc.kind == "refused":
                log.info("%s %s refused: %s %s", method, path, exc.status, exc.code)
            raise


def parse_reply(
    status: int, headers: Mapping[str, str], body: bytes, *, max_bytes: int = MAX_REPLY_BYTES
) -> dict[str, Any]:
    """The JSON object of a 2xx reply; :class:`SyncError` for any other status or body, never another error.

    ``headers`` are the reply's (``Retry-After``, ``Location``); ``body`` is
    what was read, with any gzip undone.
    """
    if status == 429:
        raise SyncError(
            "busy",
            "the server is busy; the kiosk will try again shortly",
            status=status,
            retry_after_s=_retry_after(headers),
        )
    if status >= 500:
        raise SyncError(
            "server",
            f"the server had a problem ({status}); the kiosk will try again later",
            status=status,
        )
    if 300 <= status < 400:
        where = headers.get("Location", "another address")[:_SERVER_WORDS_CHARS]
        raise SyncError(
            "refused",
            f"the server address redirects to {where}; register again with that address",
            status=status,
        )
    if status >= 400:
        code, message = _error_body(body, max_bytes)
        raise refusal(status, code, message)
    try:
        parsed = loads_untrusted(body, max_bytes=max_bytes)
    except JsonRefused as exc:
        raise SyncError(
            "garbled",
            f"the server's reply could not be read ({exc.reason}); the kiosk will try again",
            status=status,
        ) from None
    if not isinstance(parsed, dict):
        raise SyncError(
            "garbled",
            "the server's reply could not be read (cut off or not from a check-in server); "
            "the kiosk will try again",
            status=status,
        )
    return parsed
