"""Field checks and conversions shared by the token payloads.

Every check raises ``ValueError`` naming the field, so the issuer can report
bad input and the verifier can report a malformed token with the same words.
Dates travel as unix day numbers (days since 1970-01-01), instants as unix
seconds (UTC).
"""

from __future__ import annotations

import json
import unicodedata
from datetime import UTC, date, datetime, timedelta

from checkin_protocol.untrusted_json import JsonRefused, loads_untrusted

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
_MAX_DAY = date.max.toordinal() - _EPOCH_ORDINAL
_MAX_SECONDS = int((datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC) - _EPOCH).total_seconds())
# Above the largest payload of a card or an activity code (a version-40 QR code holds under 3 KB).
_MAX_PAYLOAD_BYTES = 4096
# Printable ASCII without space, '"' and '\\' (those two would be escaped in JSON).
_ID_CHARS = frozenset(chr(c) for c in range(0x21, 0x7F)) - {'"', "\\"}


def check_id(field: str, value: object, max_len: int) -> str:
    """Check an identifier: 1 to ``max_len`` printable ASCII characters, no spaces."""
    if type(value) is not str:
        raise ValueError(f"{field} must be a string")
    if not 1 <= len(value) <= max_len:
        raise ValueError(f"{field} must be 1 to {max_len} characters, got {len(value)}")
    for char in value:
        if char not in _ID_CHARS:
            raise ValueError(
                f"{field} may hold only printable ASCII without spaces, quotes or backslashes; found {char!r}"
            )
    return value


def check_text(field: str, value: object, max_len: int) -> str:
    """Check a display text: 1 to ``max_len`` characters, not blank, no control characters."""
    if type(value) is not str:
        raise ValueError(f"{field} must be a string")
    if not 1 <= len(value) <= max_len:
        raise ValueError(f"{field} must be 1 to {max_len} characters, got {len(value)}")
    if not value.strip():
        raise ValueError(f"{field} must not be blank")
    for char in value:
        if unicodedata.category(char) in ("Cc", "Cs"):
            raise ValueError(f"{field} contains the control character {char!r}")
    return value


def check_int(field: str, value: object, low: int, high: int) -> int:
    """Check an integer (booleans are not integers here) in ``low..high``."""
    if type(value) is not int:
        raise ValueError(f"{field} must be an integer")
    if not low <= value <= high:
        raise ValueError(f"{field} must be between {low} and {high}, got {value}")
    return value


def check_date(field: str, value: object) -> date:
    """Check a calendar date (not a datetime) after 1970-01-01, so its day number is at least 1."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValueError(f"{field} must be a date")
    if value.toordinal() <= _EPOCH_ORDINAL:
        raise ValueError(f"{field} must be after 1970-01-01")
    return value


def date_to_day(value: date) -> int:
    """The day number of a date: days since 1970-01-01 (the unix day)."""
    return value.toordinal() - _EPOCH_ORDINAL


def day_to_date(field: str, value: object) -> date:
    """The date of a day number; day 0 is not a valid date here."""
    return date.fromordinal(check_int(field, value, 1, _MAX_DAY) + _EPOCH_ORDINAL)


def check_instant(field: str, value: object) -> datetime:
    """Check a timezone-aware datetime of whole seconds in the unix-seconds range; return it in UTC."""
    if not isinstance(value, datetime) or value.utcoffset() is None:
        raise ValueError(f"{field} must be a timezone-aware datetime")
    if value.microsecond:
        raise ValueError(f"{field} must be a whole second")
    seconds = (value - _EPOCH) // timedelta(seconds=1)
    check_int(f"{field} (unix seconds)", seconds, 0, _MAX_SECONDS)
    return value.astimezone(UTC)


def to_instant(field: str, value: object) -> datetime:
    """The UTC datetime of a unix-seconds field."""
    return _EPOCH + timedelta(seconds=check_int(field, value, 0, _MAX_SECONDS))


def to_seconds(value: datetime) -> int:
    """Unix seconds of a timezone-aware datetime."""
    return (value - _EPOCH) // timedelta(seconds=1)


def to_payload(fields: list[object]) -> bytes:
    """Serialise fields as the compact JSON array that is signed."""
    return json.dumps(fields, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def from_payload(payload: bytes, count: int) -> list[object]:
    """Parse payload bytes into a JSON array of exactly ``count`` fields."""
    try:
        # Parsed before the signature is checked (it names the key), so as untrusted input.
        value = loads_untrusted(payload, max_bytes=_MAX_PAYLOAD_BYTES)
    except JsonRefused as exc:
        raise ValueError(f"payload is not UTF-8 JSON ({exc.reason})") from None
    if not isinstance(value, list):
        raise ValueError("payload is not a JSON array")
    if len(value) != count:
        raise ValueError(f"payload has {len(value)} fields, expected {count}")
    return value
