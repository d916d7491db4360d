"""Telling a USB barcode scanner from a person at a keyboard, by the rhythm of the keys.

A scanner in keyboard-wedge mode types a code's characters a few milliseconds
apart and ends with Enter (some send Tab). A person types tens of milliseconds
apart or slower. The kiosk screen has no text field: it feeds every key press
to a :class:`WedgeDetector`, which returns a code only when a terminator closes
a burst of at least ``min_length`` characters, each, and the terminator, less
than ``max_gap_s`` after the one before. Anything else is dropped.

The desk has text fields, and its on-screen keyboard steps aside when a
person types on a physical one: :class:`TypingRhythm` tells the two apart
on a field, burst by burst.

Times are passed in (seconds from any monotonic clock), so the detector is a
pure state machine that tests drive key by key.
"""

from __future__ import annotations

from typing import Literal

TERMINATORS = frozenset("\r\n\t")
MAX_BUFFER = 4096  # a stuck key or a runaway device cannot grow memory beyond this


class WedgeDetector:
    """Collects fast bursts of key presses and returns those that look like a scanned code."""

    def __init__(self, max_gap_s: float = 0.05, min_length: int = 8, max_length: int = MAX_BUFFER) -> None:
        if max_gap_s <= 0 or min_length < 1 or max_length < min_length:
            raise ValueError("need max_gap_s > 0 and 1 <= min_length <= max_length")
        self.max_gap_s = max_gap_s
        self.min_length = min_length
        self.max_length = max_length
        self._chars: list[str] = []
        self._last_t: float | None = None  # time of the last key of the current burst
        self._overflowed = False  # the current burst passed max_length: it is not a code

    @property
    def pending(self) -> int:
        """How many characters the current burst holds."""
        return len(self._chars)

    def key(self, char: str, t: float) -> str | None:
        """A printable key was pressed at time ``t``.

        ``char`` is the key's text, normally one character; a terminator in it
        (``"\\r"``, ``"\\n"``, ``"\\t"``) acts as :meth:`enter` and may return a code.
        Other unprintable characters are ignored.
        """
        code: str | None = None
        for c in char:
            if c in TERMINATORS:
                code = self.enter(t)
            elif c.isprintable():
                self._add(c, t)
        return code

    def enter(self, t: float) -> str | None:
        """Enter, Return or Tab was pressed at time ``t``: the scanned code, or None."""
        code = "".join(self._chars)
        complete = self._is_fast(t) and not self._overflowed and len(code) >= self.min_length
        self._reset()
        return code if complete else None

    def flush_stale(self, t: float) -> bool:
        """Drop a burst that no terminator closed in time; True if one was dropped.

        Call it from an idle timer so a half-typed code does not linger; the
        next key after a long pause drops it as well.
        """
        if self._last_t is not None and not self._is_fast(t):
            self._reset()
            return True
        return False

    def _add(self, c: str, t: float) -> None:
        if not self._is_fast(t):
            # A slow key is not part of the burst before it; it may start a new one.
            self._reset()
        self._last_t = t
        if self._overflowed:
            return
        if len(self._chars) >= self.max_length:
            self._chars.clear()
            self._overflowed = True
            return
        self._chars.append(c)

    def _is_fast(self, t: float) -> bool:
        """Whether ``t`` follows the last key closely enough to belong to its burst."""
        # A time going backwards is not trusted as fast either.
        return self._last_t is not None and 0 <= t - self._last_t < self.max_gap_s

    def _reset(self) -> None:
        self._chars.clear()
        self._last_t = None
        self._overflowed = False


Typist = Literal["person", "scanner"]


class TypingRhythm:
    """Whether the key presses on a text field came from a person or from a scanner, burst by burst.

    The on-screen keyboard steps aside once a person has used a physical
    keyboard, but not for a USB scanner typing a card into the same field.
    A burst is a run of key presses each less than ``max_gap_s`` after the
    one before (a scanner's Shift presses, without text, count for the
    timing only). A burst of at least ``min_length`` characters is a
    scanner's, with or without a closing Enter; anything else (a single
    key, a person's slower keys) is a person's. Times come in, as for
    :class:`WedgeDetector`.
    """

    def __init__(self, max_gap_s: float = 0.05, min_length: int = 8) -> None:
        if max_gap_s <= 0 or min_length < 1:
            raise ValueError("need max_gap_s > 0 and min_length >= 1")
        self.max_gap_s = max_gap_s
        self.min_length = min_length
        self._chars = 0
        self._last_t: float | None = None

    def key(self, has_text: bool, t: float) -> Typist | None:
        """A key was pressed at ``t``; who typed the burst it ended, if it ended one (else None)."""
        verdict = self.settle(t)
        self._chars += 1 if has_text else 0
        self._last_t = t
        return verdict

    def settle(self, t: float) -> Typist | None:
        """Who typed the last burst, once it is over at ``t`` (and forget it); None while it may go on."""
        if self._last_t is None or 0 <= t - self._last_t < self.max_gap_s:
            return None
        verdict: Typist = "scanner" if self._chars >= self.min_length else "person"
        self._chars = 0
        self._last_t = None
        return verdict
