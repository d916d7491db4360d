"""The token text: ``<prefix><version>:<base45 of payload || signature>``.

``VC1:`` starts a volunteer card, ``VA1:`` an activity code. The signature
covers ``b"VC1|" + payload`` (or ``b"VA1|"``), so a signature made for one
kind can never pass as the other.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from checkin_protocol.codes.base45 import Base45Error, b45decode, b45encode
from checkin_protocol.codes.results import Refusal, TokenRefused
from checkin_protocol.codes.tokens import MAX_ACTIVITY_PAYLOAD_BYTES, MAX_CARD_PAYLOAD_BYTES


class TokenKind(StrEnum):
    """The two kinds of token, by their prefix letters."""

    CARD = "VC"
    ACTIVITY = "VA"


VERSION = "1"
SIGNATURE_BYTES = 64
MIN_PAYLOAD_BYTES = 2  # "[]"
# The longest possible activity code is about 1,300 characters; anything much
# longer is refused before any decoding work.
MAX_TEXT_CHARS = 2000
CARD_MAX_QR_VERSION = 8
CARD_MAX_TEXT_CHARS = 221  # alphanumeric capacity of a version-8 QR code at error correction M

_MAX_PAYLOAD = {TokenKind.CARD: MAX_CARD_PAYLOAD_BYTES, TokenKind.ACTIVITY: MAX_ACTIVITY_PAYLOAD_BYTES}
# Explicit letter classes rather than re.IGNORECASE, which would also match
# non-ASCII letters that case-fold to these.
_PREFIX = re.compile(r"[Vv]([CcAa])([0-9]{1,3}):")


def prefix(kind: TokenKind) -> str:
    """The prefix and version of a kind, e.g. ``VC1``."""
    return f"{kind.value}{VERSION}"


def signing_input(kind: TokenKind, payload: bytes) -> bytes:
    """The bytes that are signed: ``b"VC1|" + payload`` (or ``b"VA1|"``)."""
    return prefix(kind).encode("ascii") + b"|" + payload


def frame(kind: TokenKind, payload: bytes, signature: bytes) -> str:
    """The token text for a payload and its signature."""
    if len(signature) != SIGNATURE_BYTES:
        raise ValueError(f"an Ed25519 signature is {SIGNATURE_BYTES} bytes, got {len(signature)}")
    return f"{prefix(kind)}:{b45encode(payload + signature)}"


@dataclass(frozen=True, slots=True)
class FramedToken:
    """A token text taken apart, nothing checked beyond its framing."""

    kind: TokenKind
    payload: bytes
    signature: bytes


def unframe(text: str) -> FramedToken:
    """Take a scanned text apart; raise :class:`TokenRefused` if it is not a token.

    Surrounding whitespace is stripped (scanners end with Enter). The prefix
    and the base45 part are read case-insensitively, because a scanner typing
    with Caps Lock on sends lowercase letters; base45 itself is uppercase.
    """
    text = text.strip()
    match = _PREFIX.match(text)
    if match is None:
        raise TokenRefused(Refusal.FOREIGN, "empty text" if not text else "no VC/VA prefix")
    kind = TokenKind.CARD if match[1] in "Cc" else TokenKind.ACTIVITY
    if match[2] != VERSION:
        raise TokenRefused(Refusal.UNSUPPORTED_VERSION, f"{kind.value} version {match[2]} is not supported")
    if len(text) > MAX_TEXT_CHARS:
        raise TokenRefused(Refusal.MALFORMED, f"text is {len(text)} characters, over {MAX_TEXT_CHARS}")
    body = text[match.end() :]
    if not body.isascii():  # str.upper() maps some non-ASCII letters (ı, ſ) to ASCII ones
        raise TokenRefused(Refusal.MALFORMED, "non-ASCII character after the prefix")
    try:
        raw = b45decode(body.upper())
    except Base45Error as exc:
        raise TokenRefused(Refusal.MALFORMED, str(exc)) from None
    if len(raw) < SIGNATURE_BYTES + MIN_PAYLOAD_BYTES:
        raise TokenRefused(Refusal.MALFORMED, f"{len(raw)} bytes is too short for a token")
    payload, signature = raw[:-SIGNATURE_BYTES], raw[-SIGNATURE_BYTES:]
    if len(payload) > _MAX_PAYLOAD[kind]:
        raise TokenRefused(Refusal.MALFORMED, f"payload is {len(payload)} bytes, over {_MAX_PAYLOAD[kind]}")
    return FramedToken(kind=kind, payload=payload, signature=signature)
