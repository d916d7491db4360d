"""The cloud's address as a person types it, and the path prefix of its API."""

from __future__ import annotations

from urllib.parse import urlsplit

#: Every endpoint of the sync protocol lives below this path (docs/sync-protocol.md).
API_PREFIX = "/api/v1"


def normalise_server_url(url: str) -> str:
    """The server root from what a person typed: no trailing ``/`` nor ``/api/v1``.

    ``ValueError`` in plain words when it is not an http(s) address.
    """
    text = url.strip().rstrip("/")
    if text.endswith(API_PREFIX):
        text = text[: -len(API_PREFIX)].rstrip("/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{url!r} is not a server address; give one like https://cloud.example.org")
    if parts.query or parts.fragment:
        raise ValueError(f"{url!r} must not contain '?' or '#'")
    return text


def is_plain_http_off_machine(url: str) -> bool:
    """Whether ``url`` is unencrypted HTTP to another machine (allowed, but worth a warning)."""
    parts = urlsplit(url)
    return parts.scheme == "http" and parts.hostname not in ("127.0.0.1", "localhost", "::1")
