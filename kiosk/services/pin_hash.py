"""What a coordinator PIN is, and how it is kept: a salted scrypt hash, never the PIN.

A PIN set now has 6 to 8 ASCII digits (:func:`is_valid_pin`). Earlier
versions allowed 4 and 5; such PINs still open the desk (:func:`is_pin_shaped`
is what a try may be), and ``kiosk doctor`` asks for a longer one. Six
digits with the PIN pad's growing lock-outs (:mod:`kiosk.services.pin_lockout`)
keep a guesser at it for decades; four would fall within a year or two.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field

SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
KEY_BYTES = 32
MIN_PIN_DIGITS = 6  # for a PIN set now
MAX_PIN_DIGITS = 8
OLDEST_MIN_PIN_DIGITS = 4  # what versions before 6 digits allowed: still accepted at the PIN pad
# Bounds for a stored hash, so an edited database cannot make a check eat the memory.
_MAX_MEMORY = 64 * 1024 * 1024
# ASCII digits only: str.isdigit() accepts "١٢٣٤".
_NEW_PIN = re.compile(rf"[0-9]{{{MIN_PIN_DIGITS},{MAX_PIN_DIGITS}}}")
_ANY_PIN = re.compile(rf"[0-9]{{{OLDEST_MIN_PIN_DIGITS},{MAX_PIN_DIGITS}}}")

#: The rule for a new PIN, in the words errors use.
NEW_PIN_RULE = f"a new PIN is {MIN_PIN_DIGITS} to {MAX_PIN_DIGITS} digits (0-9)"


def is_valid_pin(pin: str) -> bool:
    """Whether ``pin`` may be set as a coordinator's PIN now: 6 to 8 ASCII digits."""
    return _NEW_PIN.fullmatch(pin) is not None


def is_pin_shaped(pin: str) -> bool:
    """Whether ``pin`` could be a PIN set by any version (4 to 8 ASCII digits): what a try may be."""
    return _ANY_PIN.fullmatch(pin) is not None


def is_short_pin(pin: str) -> bool:
    """Whether ``pin`` has fewer digits than a PIN set now needs (an earlier version's PIN)."""
    return len(pin) < MIN_PIN_DIGITS


@dataclass(frozen=True)
class PinHash:
    """A scrypt hash of a PIN, kept as ``scrypt$n$r$p$salt_b64$hash_b64``."""

    n: int
    r: int
    p: int
    salt: bytes = field(repr=False)
    key: bytes = field(repr=False)

    @classmethod
    def create(
        cls, pin: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P, salt: bytes | None = None
    ) -> PinHash:
        """Hash ``pin`` with a fresh random salt; ValueError unless it is 4 to 8 digits.

        The hash takes any PIN a version ever allowed; the rule for a PIN set
        now (6 to 8 digits) is the caller's (:class:`kiosk.services.pin.PinGuard`).
        """
        if not is_pin_shaped(pin):
            raise ValueError(f"a PIN is {OLDEST_MIN_PIN_DIGITS} to {MAX_PIN_DIGITS} digits")
        salt = secrets.token_bytes(SALT_BYTES) if salt is None else salt
        return cls(n, r, p, salt, cls._derive(pin, n, r, p, salt, KEY_BYTES))

    @classmethod
    def parse(cls, text: str) -> PinHash:
        """Read the stored form; ValueError if it is malformed or its costs are out of bounds."""
        parts = text.split("$")
        if len(parts) != 6 or parts[0] != "scrypt":
            raise ValueError("not a scrypt PIN hash")
        try:
            n, r, p = (int(x) for x in parts[1:4])
            salt, key = (base64.b64decode(x.encode("ascii"), validate=True) for x in parts[4:6])
        except ValueError as exc:  # binascii.Error is a ValueError
            raise ValueError(f"malformed scrypt PIN hash: {exc}") from exc
        if n < 2 or n & (n - 1) or not 1 <= r <= 32 or not 1 <= p <= 16 or 128 * n * r * 2 > _MAX_MEMORY:
            raise ValueError(f"scrypt costs out of bounds: n={n} r={r} p={p}")
        if len(salt) < 8 or not 16 <= len(key) <= 64:
            raise ValueError("scrypt salt or hash of the wrong length")
        return cls(n, r, p, salt, key)

    def __str__(self) -> str:
        salt, key = (base64.b64encode(x).decode("ascii") for x in (self.salt, self.key))
        return f"scrypt${self.n}${self.r}${self.p}${salt}${key}"

    def verify(self, pin: str) -> bool:
        """Whether ``pin`` is the PIN this hash was made from (compared in constant time)."""
        if not is_pin_shaped(pin):
            return False
        candidate = self._derive(pin, self.n, self.r, self.p, self.salt, len(self.key))
        return hmac.compare_digest(candidate, self.key)

    @staticmethod
    def _derive(pin: str, n: int, r: int, p: int, salt: bytes, length: int) -> bytes:
        return hashlib.scrypt(pin.encode("ascii"), salt=salt, n=n, r=r, p=p, maxmem=_MAX_MEMORY, dklen=length)
