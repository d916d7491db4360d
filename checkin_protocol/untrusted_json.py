"""Parsing JSON that came from outside: a size limit, a nesting limit, and one refusal with a reason.

Every JSON text the project did not write itself (bundle files from a USB
stick, server replies, request bodies, roster lines) goes through
:func:`loads_untrusted`. Before ``json.loads`` sees the text it checks:

1. the size, against the caller's limit for that format (a file, a reply);
2. that it is UTF-8 (every format of the project is);
3. the nesting depth, against :data:`MAX_DEPTH`, *without recursion*: the
   standard parser recurses once per ``[`` or ``{``, so 6 KB of brackets
   would otherwise end in an uncaught ``RecursionError``.

Any failure, including what ``json.loads`` itself raises, becomes
:class:`JsonRefused` (a ``ValueError``) whose ``reason`` says in plain
words what was wrong; callers turn it into their own error type.

The depth check works on bytes with C-speed string methods only (about
0.4 s for a 100 MB roster update, against 2.6 s for ``json.loads``): the
contents of strings are dropped (escapes first, then every even-numbered
stretch between quotes), and the running depth of the brackets that are
left is the nesting depth.
"""

from __future__ import annotations

import json
import math
from itertools import accumulate
from operator import sub
from typing import Any, Final

#: The deepest nesting any format of the project allows. The deepest real
#: document is a change bundle's payload (6 levels: pages, a page, its
#: changes, a change, its data, a face template); 32 leaves room to grow.
MAX_DEPTH: Final = 32

_NOT_STRUCTURE: Final = bytes(range(256)).translate(None, b'"[]{}')
# Openers count +1, closers -1: mapped to 2 and 0, and 1 is taken off per position.
_STEPS: Final = bytes.maketrans(b"[]{}", b"\x02\x00\x02\x00")


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text[:20]} is too large a number")
    return value


class JsonRefused(ValueError):
    """JSON text that was not parsed; ``reason`` says why in plain words (too large, too deep, not JSON)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def nesting_depth(data: bytes, stop_above: int | None = None) -> int:
    """The deepest nesting of ``[`` and ``{`` outside strings in JSON bytes (0 for a scalar).

    For text that is not JSON the answer is exact up to its first mistake,
    which is as far as a parser gets. ``stop_above``: when there are no more
    brackets than that in the whole text, their count is returned at once.
    """
    openers = data.count(b"[") + data.count(b"{")
    if stop_above is not None and openers <= stop_above:
        return openers
    if b"\\" in data:
        # An escape is a backslash and the next character: "\\" first, so "\\" + '"' ends a string.
        data = data.replace(b"\\\\", b"").replace(b'\\"', b"")
    structure = data.translate(None, _NOT_STRUCTURE)
    # Dropping two adjacent quotes changes no bracket's side of a string (the number of
    # quotes before each bracket keeps its parity), and leaves few quotes to split on.
    structure = structure.replace(b'""', b"")
    if b'"' in structure:
        structure = b"".join(structure.split(b'"')[::2])  # the stretches outside strings
    steps = structure.translate(_STEPS)
    return max(0, max(map(sub, accumulate(steps), range(1, len(steps) + 1)), default=0))


def _size_words(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / (1024 * 1024):.1f} MiB"
    if count >= 1024:
        return f"{count / 1024:.1f} KiB"
    return f"{count} bytes"


def check_size(size: int, max_bytes: int) -> None:
    """:class:`JsonRefused` when ``size`` bytes are more than ``max_bytes`` (for callers that read in steps)."""
    if size > max_bytes:
        raise JsonRefused(
            f"it is {_size_words(size)}, more than the {_size_words(max_bytes)} this format may be"
        )


def loads_untrusted(data: bytes | str, *, max_bytes: int, max_depth: int = MAX_DEPTH) -> Any:
    """Parse JSON from outside, within ``max_bytes`` (UTF-8) and ``max_depth`` levels of nesting.

    :class:`JsonRefused` with the reason when it is too large, not UTF-8,
    nested too deeply or not JSON; nothing else escapes.
    """
    if isinstance(data, str):
        if len(data) > max_bytes:  # each character is at least one byte
            check_size(len(data), max_bytes)
        raw = data.encode("utf-8", errors="surrogatepass")
    else:
        raw = bytes(data)
    check_size(len(raw), max_bytes)
    try:
        text = data if isinstance(data, str) else raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JsonRefused(f"it is not UTF-8 text (a bad byte at offset {exc.start})") from None
    depth = nesting_depth(raw, stop_above=max_depth)
    if depth > max_depth:
        raise JsonRefused(f"it is nested {depth} levels deep, more than the {max_depth} allowed")
    try:
        # NaN and Infinity are Python's extensions, not JSON: refused like 1e999, which would be infinite.
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite_float)
    except json.JSONDecodeError as exc:
        what = exc.msg.removesuffix(
            " at"
        )  # "Unterminated string starting at", "Invalid control character at"
        raise JsonRefused(f"it is not JSON ({what} at line {exc.lineno}, column {exc.colno})") from None
    except (ValueError, RecursionError) as exc:  # e.g. an integer of more than 4,300 digits
        raise JsonRefused(f"it is not JSON ({exc})") from None
