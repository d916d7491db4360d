"""Base45 (RFC 9285): binary data as text in the QR alphanumeric alphabet.

QR codes store the 45 characters ``0-9 A-Z space $ % * + - . / :`` at 5.5 bits
each, against 8 bits in byte mode, so a base45 token makes a smaller code than
base64 would. Every two bytes become three characters, a last odd byte two.
"""

from __future__ import annotations

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_VALUES = {char: value for value, char in enumerate(ALPHABET)}


class Base45Error(ValueError):
    """The text is not valid base45."""


def b45encode(data: bytes) -> str:
    """Encode ``data`` as base45 text (uppercase only)."""
    out: list[str] = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        n, c = divmod(n, 45)
        e, d = divmod(n, 45)
        out += (ALPHABET[c], ALPHABET[d], ALPHABET[e])
    if len(data) % 2:
        e, c = divmod(data[-1], 45)
        out += (ALPHABET[c], ALPHABET[e])
    return "".join(out)


def b45decode(text: str) -> bytes:
    """Decode base45 ``text``; raise :class:`Base45Error` on anything invalid.

    Lowercase letters are invalid here: callers that want to tolerate them
    upper-case the text first.
    """
    if len(text) % 3 == 1:
        raise Base45Error(f"base45 length {len(text)} leaves a lone character")
    try:
        values = [_VALUES[char] for char in text]
    except KeyError as exc:
        raise Base45Error(f"character {exc.args[0]!r} is not in the base45 alphabet") from None
    out = bytearray()
    for i in range(0, len(values), 3):
        group = values[i : i + 3]
        if len(group) == 3:
            n = group[0] + group[1] * 45 + group[2] * 2025
            if n > 0xFFFF:
                raise Base45Error(f"base45 group at {i} exceeds two bytes")
            out += n.to_bytes(2, "big")
        else:
            n = group[0] + group[1] * 45
            if n > 0xFF:
                raise Base45Error(f"base45 final group at {i} exceeds one byte")
            out.append(n)
    return bytes(out)
