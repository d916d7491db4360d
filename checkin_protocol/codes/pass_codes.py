"""Phone pass codes (``VP1:``): a code the volunteer's phone signs anew every 30 seconds.

A phone pass is a key pair made on the volunteer's phone (WebCrypto,
non-extractable); the cloud knows its public half by ``pass_id``. Every
:data:`STEP_SECONDS` the phone signs ``[pass_id, step]``, where ``step`` counts
30-second steps of platform time (the phone's clock corrected by the offset it
measured against the cloud). A screenshot of the code is stale within a minute,
and the kiosk refuses a step it has already accepted for the pass.

Text: ``VP1:`` + base45 (RFC 9285) of ``payload || signature``; the signature
is Ed25519 over ``b"VP1|" + payload``. The format is documented in
``docs/codes.md``. This module reads, signs and judges codes; looking up the
pass and remembering steps is the kiosk's work.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from checkin_protocol.codes.base45 import Base45Error, b45decode, b45encode
from checkin_protocol.codes.fields import check_id, check_int, from_payload, to_payload

STEP_SECONDS = 30
PREFIX = "VP1"
MAX_PASS_ID = 16
# Steps up to the year 9999, like the other instants of the codes.
MAX_STEP = 253_402_300_799 // STEP_SECONDS
SIGNATURE_BYTES = 64
# '["<16 chars>",<10 digits>]' is 31 bytes; anything longer is not a pass code.
MAX_PAYLOAD_BYTES = 40
MAX_TEXT_CHARS = 4 + (MAX_PAYLOAD_BYTES + SIGNATURE_BYTES + 1) // 2 * 3
_SIGNING_PREFIX = PREFIX.encode("ascii") + b"|"
# Explicit letter classes rather than re.IGNORECASE, which would also match
# non-ASCII letters that case-fold to these.
_PREFIX = re.compile(r"[Vv][Pp]([0-9]{1,3}):")


class PassCodeRefusal(StrEnum):
    """Why a scanned text could not be read as a pass code."""

    FOREIGN = "foreign"  # not a VP code at all
    UNSUPPORTED_VERSION = "unsupported_version"  # VP, but a version this kiosk does not know
    MALFORMED = "malformed"  # VP1, but damaged or invalid content


class PassCodeRefused(Exception):
    """A text that is not a readable pass code; ``detail`` is short English for logs."""

    def __init__(self, reason: PassCodeRefusal, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


class Freshness(StrEnum):
    """How a code's step compares with platform time now."""

    FRESH = "fresh"
    STALE = "stale"  # older than the current step and the one before: a screenshot, or a slow phone clock
    AHEAD = "ahead"  # from a step that has not begun: the phone's platform clock runs ahead


@dataclass(frozen=True, slots=True)
class SignedPassCode:
    """A pass code as read, its signature not yet checked."""

    pass_id: str
    step: int
    payload: bytes
    signature: bytes

    def verify(self, public_key: Ed25519PublicKey) -> bool:
        """Whether the pass's public key signed this code."""
        try:
            public_key.verify(self.signature, _SIGNING_PREFIX + self.payload)
        except InvalidSignature:
            return False
        return True


def step_of(unix_seconds: float) -> int:
    """The 30-second step that holds ``unix_seconds`` (platform time)."""
    return math.floor(unix_seconds / STEP_SECONDS)


def sign_pass_code(pass_id: str, step: int, private_key: Ed25519PrivateKey) -> str:
    """The ``VP1:`` text of ``[pass_id, step]`` signed with ``private_key`` (tests and tools; phones use WebCrypto)."""
    payload = to_payload([check_id("pass_id", pass_id, MAX_PASS_ID), check_int("step", step, 0, MAX_STEP)])
    signature = private_key.sign(_SIGNING_PREFIX + payload)
    return f"{PREFIX}:{b45encode(payload + signature)}"


def is_pass_code(text: str) -> bool:
    """Whether ``text`` starts like a pass code of any version (``VP<digits>:``, any case)."""
    return _PREFIX.match(text.strip()) is not None


def read_pass_code(text: str) -> SignedPassCode:
    """Take a scanned text apart and check its fields; raise :class:`PassCodeRefused`.

    Surrounding whitespace is stripped (scanners end with Enter) and the text
    is read case-insensitively (a scanner with Caps Lock on sends lowercase).
    The signature is not checked here: that needs the pass's public key.
    """
    text = text.strip()
    match = _PREFIX.match(text)
    if match is None:
        raise PassCodeRefused(PassCodeRefusal.FOREIGN, "empty text" if not text else "no VP prefix")
    if match[1] != PREFIX[2:]:
        raise PassCodeRefused(PassCodeRefusal.UNSUPPORTED_VERSION, f"VP version {match[1]} is not supported")
    if len(text) > MAX_TEXT_CHARS:
        raise PassCodeRefused(
            PassCodeRefusal.MALFORMED, f"text is {len(text)} characters, over {MAX_TEXT_CHARS}"
        )
    body = text[match.end() :]
    if not body.isascii():  # str.upper() maps some non-ASCII letters (ı, ſ) to ASCII ones
        raise PassCodeRefused(PassCodeRefusal.MALFORMED, "non-ASCII character after the prefix")
    try:
        raw = b45decode(body.upper())
    except Base45Error as exc:
        raise PassCodeRefused(PassCodeRefusal.MALFORMED, str(exc)) from None
    payload, signature = raw[:-SIGNATURE_BYTES], raw[-SIGNATURE_BYTES:]
    if len(raw) <= SIGNATURE_BYTES or len(payload) > MAX_PAYLOAD_BYTES:
        raise PassCodeRefused(PassCodeRefusal.MALFORMED, f"{len(raw)} bytes is not a payload and a signature")
    try:
        pass_id, step = from_payload(payload, 2)
        check_id("pass_id", pass_id, MAX_PASS_ID)
        check_int("step", step, 0, MAX_STEP)
    except ValueError as exc:
        raise PassCodeRefused(PassCodeRefusal.MALFORMED, str(exc)) from None
    assert isinstance(pass_id, str) and isinstance(step, int)  # checked just above; for the type checker
    return SignedPassCode(pass_id=pass_id, step=step, payload=payload, signature=signature)


def judge_freshness(step: int, platform_now_unix: float, tolerance_s: float) -> Freshness:
    """Whether a code of ``step`` is fresh at ``platform_now_unix``.

    Fresh iff ``step*30 - tolerance <= now < (step+2)*30 + tolerance``: the
    current step and the one before, widened by ``tolerance_s`` on both sides
    for the disagreement between the phone's and the kiosk's platform clocks.
    """
    if platform_now_unix < step * STEP_SECONDS - tolerance_s:
        return Freshness.AHEAD
    if platform_now_unix >= (step + 2) * STEP_SECONDS + tolerance_s:
        return Freshness.STALE
    return Freshness.FRESH
