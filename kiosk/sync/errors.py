"""The one error of the sync client, and the plain words a coordinator reads for it.

A :class:`SyncError` is *retryable* (the network failed, the server failed
or is busy: try again after a back-off) or *permanent* (the server refused
the request with a 4xx: trying again unchanged gives the same answer).
``message`` is written for the coordinator: what happened and what to do.
"""

from __future__ import annotations

from typing import Final

#: Kinds of failure that a later attempt may cure.
RETRYABLE_KINDS: Final = frozenset({"network", "timeout", "server", "busy", "garbled"})

#: What the coordinator reads for the server's ``error`` codes (docs/sync-protocol.md).
PLAIN_WORDS: Final[dict[str, str]] = {
    "unknown_code": "the server does not know this provisioning code; check that it was copied "
    "exactly, or ask the platform administrator for a new one",
    "code_used": "this provisioning code was already used; ask the platform administrator for a new one",
    "kiosk_exists": "this kiosk is already registered on the server with another provisioning code; "
    "ask the platform administrator to check the kiosk's registration",
    "bad_nonce": "the server's registration challenge ran out before the kiosk answered it; "
    "register again (nothing was changed)",
    "bad_signature": "the server could not confirm this kiosk's device key; if the kiosk's data "
    "folder was replaced, ask the platform administrator for a new provisioning code",
    "unauthenticated": "the server did not accept this kiosk's credentials; register the kiosk "
    "again with a new provisioning code (kiosk register CODE --server URL)",
    "too_large": "the server refused the upload as too large; update the kiosk software",
    "batch_too_large": "the server refused a batch as too large; update the kiosk software",
    "invalid_cursor": "the server did not recognise where the last download stopped; "
    "the kiosk will download everything again",
    "invalid_request": "the server did not understand the kiosk's request; update the kiosk software",
    "malformed_json": "the server did not understand the kiosk's request; update the kiosk software",
    "malformed_gzip": "the server could not unpack the kiosk's request; update the kiosk software",
    "unsupported_media_type": "the server did not accept the kiosk's request format; "
    "update the kiosk software",
    "unsupported_encoding": "the server did not accept the kiosk's request format; update the kiosk software",
    "not_found": "the server address does not lead to a check-in server; check the address",
}


class SyncError(Exception):
    """A sync step failed; ``message`` says it in plain words for a coordinator.

    ``kind`` is one of ``network``, ``timeout``, ``server`` (5xx), ``busy``
    (429), ``garbled`` (a reply that could not be read), ``refused`` (a 4xx),
    ``not_registered`` and ``storage``. ``code`` is the server's ``error``
    code of a refusal, ``status`` the HTTP status when there was one.
    """

    def __init__(
        self,
        kind: str,
        message: str,
        *,
        code: str | None = None,
        status: int | None = None,
        retry_after_s: float | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.code = code
        self.status = status
        self.retry_after_s = retry_after_s

    @property
    def retryable(self) -> bool:
        """Whether the same request may succeed later (network, 5xx, 429)."""
        return self.kind in RETRYABLE_KINDS

    def __repr__(self) -> str:
        return f"SyncError({self.kind!r}, {self.message!r}, code={self.code!r}, status={self.status!r})"


def refusal(status: int, code: str | None, server_message: str | None) -> SyncError:
    """The permanent error of a 4xx reply, in plain words where the code is known."""
    words = PLAIN_WORDS.get(code or "")
    if words is None:
        detail = f": {server_message}" if server_message else ""
        words = f"the server refused the request ({status} {code or 'no code'}){detail}"
    return SyncError("refused", words, code=code, status=status)


def not_registered() -> SyncError:
    """The error of a sync attempted before the kiosk was registered."""
    return SyncError(
        "not_registered",
        "this kiosk is not registered with a server yet; run: kiosk register CODE --server URL",
    )
