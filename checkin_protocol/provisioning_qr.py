"""The provisioning QR code: the server's address and a one-time provisioning code in one scan.

``kiosk-cloud provision-kiosk --qr FILE --server-url URL`` prints it; the
kiosk's first-run setup reads it with the camera or a USB barcode scanner
and registers online (docs/sync-protocol.md, "Authentication")::

    VKPROV1:<base64url, no padding, of the UTF-8 JSON {"code": "KP1:...", "url": "https://..."}>

The JSON object has exactly the two keys, sorted, with no spaces. Reading is
strict: the prefix, the alphabet, canonical base64url (no padding, no
trailing bits), exactly those keys, a ``KP1`` code of the right shape and an
http(s) server address. Anything else is a :class:`ProvisioningQrError`
whose ``reason`` a screen turns into words, and nothing is done with it.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass
from typing import Final

from checkin_protocol.server_url import normalise_server_url
from checkin_protocol.untrusted_json import JsonRefused, loads_untrusted

PREFIX: Final = "VKPROV1:"
FAMILY: Final = "VKPROV"  # any version of the format starts so
MAX_TEXT_CHARS: Final = 1024
MAX_URL_CHARS: Final = 400
CODE_RE: Final = re.compile(r"KP1:[A-Za-z0-9_-]{1,32}:[A-Z2-7]{32}")
_BASE64URL_RE: Final = re.compile(r"[A-Za-z0-9_-]+")
_VOLUNTEER_PREFIXES: Final = ("VC1:", "VA1:")
_KEYS: Final = frozenset({"code", "url"})


class ProvisioningQrError(ValueError):
    """The text is not a usable provisioning QR code; ``reason`` says why, for the screen.

    Reasons: ``foreign`` (some other QR code), ``volunteer_code`` (a volunteer
    card or activity code), ``bare_code`` (a ``KP1`` code without the server's
    address), ``unsupported_version`` (a newer format), ``malformed`` (the
    right prefix, a damaged content).
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass(frozen=True)
class ProvisioningQr:
    """What a provisioning QR code carries: where to register, and the one-time code."""

    server_url: str
    code: str


def provisioning_qr_text(server_url: str, code: str) -> str:
    """The text of the provisioning QR code for ``code`` at ``server_url``; ``ValueError`` if either is wrong."""
    url = normalise_server_url(server_url)
    if len(url) > MAX_URL_CHARS:
        raise ValueError(f"the server address is longer than {MAX_URL_CHARS} characters")
    if not CODE_RE.fullmatch(code):
        raise ValueError(f"{code!r} is not a provisioning code (KP1:<area>:<32 characters>)")
    body = json.dumps({"code": code, "url": url}, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    encoded = base64.urlsafe_b64encode(body.encode("utf-8")).decode("ascii").rstrip("=")
    return PREFIX + encoded


def _malformed(detail: str) -> ProvisioningQrError:
    return ProvisioningQrError("malformed", f"the provisioning QR code is damaged or incomplete: {detail}")


def _decode_body(encoded: str) -> object:
    if not _BASE64URL_RE.fullmatch(encoded) or len(encoded) % 4 == 1:
        raise _malformed("not base64url text")
    try:
        raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
    except (binascii.Error, ValueError):
        raise _malformed("not base64url text") from None
    if base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=") != encoded:
        raise _malformed("not canonical base64url")
    try:
        return loads_untrusted(raw, max_bytes=MAX_TEXT_CHARS)
    except JsonRefused as exc:
        raise _malformed(f"its content cannot be read: {exc.reason}") from None


def parse_provisioning_qr(text: str) -> ProvisioningQr:
    """Read a scanned text as a provisioning QR code, strictly; :class:`ProvisioningQrError` otherwise."""
    text = text.strip()
    if text.startswith(_VOLUNTEER_PREFIXES):
        raise ProvisioningQrError(
            "volunteer_code", "this is a volunteer card or an activity code, not the kiosk's setup code"
        )
    if CODE_RE.fullmatch(text) or text.startswith("KP1:"):
        raise ProvisioningQrError(
            "bare_code",
            "this is a provisioning code without the server's address; use the setup QR code "
            "(kiosk-cloud provision-kiosk --qr FILE --server-url URL)",
        )
    if not text.startswith(FAMILY):
        raise ProvisioningQrError("foreign", "this QR code is not a setup code of the volunteer platform")
    if not text.startswith(PREFIX):
        raise ProvisioningQrError(
            "unsupported_version",
            "this setup code is of a newer kind than this kiosk reads; update the kiosk",
        )
    if len(text) > MAX_TEXT_CHARS:
        raise _malformed(f"longer than {MAX_TEXT_CHARS} characters")
    value = _decode_body(text[len(PREFIX) :])
    if not isinstance(value, dict) or set(value) != _KEYS:
        raise _malformed('it must hold exactly "code" and "url"')
    code, url = value["code"], value["url"]
    if not isinstance(code, str) or not CODE_RE.fullmatch(code):
        raise _malformed("its provisioning code has the wrong form")
    if not isinstance(url, str) or len(url) > MAX_URL_CHARS:
        raise _malformed("its server address is missing or too long")
    try:
        server_url = normalise_server_url(url)
    except ValueError:
        raise _malformed("its server address is not an http(s) address") from None
    return ProvisioningQr(server_url, code)
