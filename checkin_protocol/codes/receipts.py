"""The service receipt (``VR1``): a visit signed by the kiosk that recorded it.

After a check-out the kiosk shows the receipt as a QR code of a URL; the
volunteer scans it with their phone and keeps it. It is signed with the
kiosk's device key (the cloud knows its public half), so the cloud, or the
same kiosk, can tell a true receipt from an altered or forged one.

- Payload: a compact JSON array ``[kiosk_id, volunteer_id, activity_id,
  in_unix, out_unix, minutes, in_event, out_event]``; the event IDs are the
  22-character base64url (no padding) of the UUID's 16 bytes.
- Signature: Ed25519 over ``b"VR1|" + payload``.
- Text: ``VR1:`` + RFC 4648 base32 (upper case, no padding) of
  ``payload || signature``. Base32 upper case is within the QR
  alphanumeric alphabet, and so is the URL around it when its scheme and
  host are upper case (see :func:`receipt_url`).

The format is documented in ``docs/codes.md`` ("Service receipt (VR1)").
"""

from __future__ import annotations

import base64
import binascii
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from urllib.parse import unquote, urlsplit, urlunsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from checkin_protocol.codes.fields import (
    check_id,
    check_instant,
    check_int,
    from_payload,
    to_instant,
    to_payload,
    to_seconds,
)

PREFIX = "VR1"
SIGNATURE_BYTES = 64
MAX_KIOSK_ID = 32
MAX_VOLUNTEER_ID = 20
MAX_ACTIVITY_ID = 32
MAX_MINUTES = 100_000
FIELD_COUNT = 8
EVENT_ID_CHARS = 22  # base64url of 16 bytes, no padding
# The longest receipt payload is about 200 bytes (longest IDs, 12-digit times,
# 6-digit minutes); 256 leaves room and bounds the decoding work.
MAX_PAYLOAD_BYTES = 256
MAX_TEXT_CHARS = len(PREFIX) + 1 + -(-(MAX_PAYLOAD_BYTES + SIGNATURE_BYTES) * 8 // 5)  # 516
# A whole URL around the text is allowed this much; anything longer is refused unread.
MAX_INPUT_CHARS = 2000
URL_PATH = "/R/"

_PREFIX = re.compile(r"[Vv][Rr]([0-9]{1,3}):")
_BASE32_BODY = re.compile(r"[A-Z2-7]*")
_BASE64URL = re.compile(r"[A-Za-z0-9_-]{22}")


class ReceiptRefusal(StrEnum):
    """Why a scanned text could not be read as a receipt (before any signature check)."""

    FOREIGN = "foreign"  # not a receipt at all: other text, another URL, empty
    UNSUPPORTED_VERSION = "unsupported_version"  # VR with a version this reader does not know
    MALFORMED = "malformed"  # VR1, but damaged or invalid content


class ReceiptRefused(Exception):
    """A text is not a readable receipt; ``reason`` says why, ``detail`` is short English for logs."""

    def __init__(self, reason: ReceiptRefusal, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def _check_event_id(field: str, value: object) -> str:
    if type(value) is not str:
        raise ValueError(f"{field} must be a string")
    try:
        canonical = str(uuid.UUID(value))
    except ValueError:
        raise ValueError(f"{field} must be a UUID, got {value!r}") from None
    if canonical != value:
        raise ValueError(f"{field} must be a UUID in lower-case 8-4-4-4-12 form, got {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class ServiceReceipt:
    """One visit as the kiosk recorded it: who, where, in and out, and the minutes credited.

    ``checked_in`` and ``checked_out`` are the events' wall-clock times (UTC,
    whole seconds; any timezone-aware value is kept as UTC). ``minutes`` is
    what the check-out card showed as credited. ``in_event_id`` and
    ``out_event_id`` are the UUIDs of the check-in and check-out events.
    """

    kiosk_id: str
    volunteer_id: str
    activity_id: str
    checked_in: datetime
    checked_out: datetime
    minutes: int
    in_event_id: str
    out_event_id: str

    def __post_init__(self) -> None:
        check_id("kiosk_id", self.kiosk_id, MAX_KIOSK_ID)
        check_id("volunteer_id", self.volunteer_id, MAX_VOLUNTEER_ID)
        check_id("activity_id", self.activity_id, MAX_ACTIVITY_ID)
        object.__setattr__(self, "checked_in", check_instant("checked_in", self.checked_in))
        object.__setattr__(self, "checked_out", check_instant("checked_out", self.checked_out))
        if self.checked_out < self.checked_in:
            raise ValueError("checked_out must not be before checked_in")
        check_int("minutes", self.minutes, 0, MAX_MINUTES)
        _check_event_id("in_event_id", self.in_event_id)
        _check_event_id("out_event_id", self.out_event_id)
        if self.in_event_id == self.out_event_id:
            raise ValueError("in_event_id and out_event_id must be different events")

    def to_payload(self) -> bytes:
        """The payload bytes that are signed."""
        return to_payload(
            [
                self.kiosk_id,
                self.volunteer_id,
                self.activity_id,
                to_seconds(self.checked_in),
                to_seconds(self.checked_out),
                self.minutes,
                _event_to_wire(self.in_event_id),
                _event_to_wire(self.out_event_id),
            ]
        )

    @classmethod
    def from_payload(cls, payload: bytes) -> ServiceReceipt:
        """Parse payload bytes; ``ValueError`` naming the field if any is invalid."""
        kiosk_id, volunteer_id, activity_id, in_unix, out_unix, minutes, in_event, out_event = from_payload(
            payload, FIELD_COUNT
        )
        return cls(
            kiosk_id=check_id("kiosk_id", kiosk_id, MAX_KIOSK_ID),
            volunteer_id=check_id("volunteer_id", volunteer_id, MAX_VOLUNTEER_ID),
            activity_id=check_id("activity_id", activity_id, MAX_ACTIVITY_ID),
            checked_in=to_instant("checked_in", in_unix),
            checked_out=to_instant("checked_out", out_unix),
            minutes=check_int("minutes", minutes, 0, MAX_MINUTES),
            in_event_id=_event_from_wire("in_event_id", in_event),
            out_event_id=_event_from_wire("out_event_id", out_event),
        )


def _event_to_wire(event_id: str) -> str:
    return base64.urlsafe_b64encode(uuid.UUID(event_id).bytes).rstrip(b"=").decode("ascii")


def _event_from_wire(field: str, value: object) -> str:
    if type(value) is not str or _BASE64URL.fullmatch(value) is None:
        raise ValueError(f"{field} must be {EVENT_ID_CHARS} base64url characters")
    raw = base64.urlsafe_b64decode(value + "==")
    # The last character carries 2 spare bits; only the encoder's own form (spare bits 0) is accepted,
    # so one receipt has exactly one text.
    if _event_to_wire(str(uuid.UUID(bytes=raw))) != value:
        raise ValueError(f"{field} is not the canonical base64url of 16 bytes")
    return str(uuid.UUID(bytes=raw))


def signing_input(payload: bytes) -> bytes:
    """The bytes the kiosk signs: ``b"VR1|" + payload``."""
    return PREFIX.encode("ascii") + b"|" + payload


@dataclass(frozen=True, slots=True)
class SignedReceipt:
    """A receipt read from a text: the parsed visit, the payload as sent, and its signature."""

    receipt: ServiceReceipt
    payload: bytes
    signature: bytes

    def verify(self, public_key: Ed25519PublicKey) -> bool:
        """Whether ``public_key`` (the device key of the receipt's kiosk) made this signature."""
        try:
            public_key.verify(self.signature, signing_input(self.payload))
        except InvalidSignature:
            return False
        return True

    @property
    def text(self) -> str:
        """The receipt's text, ``VR1:`` + base32."""
        return _frame(self.payload, self.signature)


def _frame(payload: bytes, signature: bytes) -> str:
    body = base64.b32encode(payload + signature).decode("ascii").rstrip("=")
    return f"{PREFIX}:{body}"


def sign_receipt(receipt: ServiceReceipt, private_key: Ed25519PrivateKey) -> str:
    """The receipt's text, signed with the kiosk's device key."""
    payload = receipt.to_payload()
    if (
        len(payload) > MAX_PAYLOAD_BYTES
    ):  # cannot happen within the field limits; a guard for the reader's bound
        raise ValueError(f"receipt payload is {len(payload)} bytes, over {MAX_PAYLOAD_BYTES}")
    return _frame(payload, private_key.sign(signing_input(payload)))


def _text_of(scanned: str) -> str:
    """The receipt text inside a scan: the bare text, or the last path segment of a URL."""
    text = scanned.strip()
    if "/" not in text:
        return text
    try:
        path = urlsplit(text).path
    except ValueError:
        raise ReceiptRefused(ReceiptRefusal.FOREIGN, "not a URL of a receipt") from None
    # A phone may send ':' as %3A; the text itself has no '%'.
    return unquote(path.rsplit("/", 1)[-1])


def read_receipt(text_or_url: str) -> SignedReceipt:
    """Read a scanned receipt, the bare text or any URL whose last path segment is the text.

    Letters may be in either case (a scanner with Caps Lock on, a phone that
    lower-cases a URL). Raises :class:`ReceiptRefused`; the signature is not
    checked here (:meth:`SignedReceipt.verify`), since that needs the
    public key of the kiosk the receipt names.
    """
    if len(text_or_url) > MAX_INPUT_CHARS:
        raise ReceiptRefused(
            ReceiptRefusal.FOREIGN, f"{len(text_or_url)} characters is too long for a receipt"
        )
    text = _text_of(text_or_url)
    match = _PREFIX.match(text)
    if match is None:
        raise ReceiptRefused(ReceiptRefusal.FOREIGN, "empty text" if not text else "no VR prefix")
    if match[1] != PREFIX[2:]:
        raise ReceiptRefused(ReceiptRefusal.UNSUPPORTED_VERSION, f"VR version {match[1]} is not supported")
    if len(text) > MAX_TEXT_CHARS:
        raise ReceiptRefused(
            ReceiptRefusal.MALFORMED, f"text is {len(text)} characters, over {MAX_TEXT_CHARS}"
        )
    body = text[match.end() :]
    if not body.isascii():  # str.upper() maps some non-ASCII letters (ı, ſ) to ASCII ones
        raise ReceiptRefused(ReceiptRefusal.MALFORMED, "non-ASCII character after the prefix")
    body = body.upper()
    if _BASE32_BODY.fullmatch(body) is None or len(body) % 8 in (1, 3, 6):
        raise ReceiptRefused(ReceiptRefusal.MALFORMED, "not unpadded base32")
    try:
        raw = base64.b32decode(body + "=" * (-len(body) % 8))
    except binascii.Error as exc:
        raise ReceiptRefused(ReceiptRefusal.MALFORMED, f"not base32 ({exc})") from None
    if base64.b32encode(raw).decode("ascii").rstrip("=") != body:
        raise ReceiptRefused(ReceiptRefusal.MALFORMED, "base32 with stray bits in its last character")
    if len(raw) < SIGNATURE_BYTES + 2:  # "[]" and a signature
        raise ReceiptRefused(ReceiptRefusal.MALFORMED, f"{len(raw)} bytes is too short for a receipt")
    payload, signature = raw[:-SIGNATURE_BYTES], raw[-SIGNATURE_BYTES:]
    try:
        receipt = ServiceReceipt.from_payload(payload)
    except ValueError as exc:
        raise ReceiptRefused(ReceiptRefusal.MALFORMED, str(exc)) from None
    return SignedReceipt(receipt=receipt, payload=payload, signature=signature)


def receipt_url(server_url: str, text: str) -> str:
    """The URL a receipt's QR code holds: the server URL, then ``/R/`` and the text.

    Scheme and host are upper-cased (URLs read them case-insensitively) and
    the path is kept as it is, so for a server URL with no lower-case path
    the whole URL is in the QR code's alphanumeric alphabet, which makes a
    much smaller code than byte mode.
    """
    parts = urlsplit(server_url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError(f"the server URL must be http(s)://host[:port][/path], got {server_url!r}")
    base = urlunsplit((parts.scheme.upper(), parts.netloc.upper(), parts.path.rstrip("/"), "", ""))
    return f"{base}{URL_PATH}{text}"
