"""A PIN lock-out as the PIN pad counts it down: how long is left, and until when.

The guard (:class:`kiosk.services.pin.PinGuard`) says how many whole seconds
of the lock-out were left when it answered; the pad counts down from that
reading on the device's monotonic clock (:meth:`ClockReading.seconds_since`),
so setting the wall clock while the pad shows the lock-out neither shortens
nor lengthens what it shows. The guard stays the judge: a try after the
count reached zero is checked again, and a lock-out it still holds is shown
again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from checkin_protocol.models import ClockReading
from kiosk.services.pin import PinResult


@dataclass(frozen=True)
class PinLock:
    """A lock-out read at ``read_at``: ``seconds`` were left then; it ends at ``until_text`` (local)."""

    read_at: ClockReading
    seconds: int
    until_text: str  # "09:35", or "11-30 09:35" when it ends on another day

    def seconds_left(self, now: ClockReading) -> int:
        """Whole seconds left at ``now`` (rounded up), 0 once it is over."""
        return max(0, math.ceil(self.seconds - now.seconds_since(self.read_at)))


def lock_from(result: PinResult, now: ClockReading) -> PinLock | None:
    """The lock-out in ``result`` (answered at ``now``), or None when the pad is not locked."""
    if result.locked_until is None:
        return None
    tz = now.local.tzinfo
    until = result.locked_until.astimezone(tz)
    text = until.strftime("%H:%M") if until.date() == now.local.date() else until.strftime("%m-%d %H:%M")
    return PinLock(now, max(1, result.locked_for_s), text)


def countdown_text(seconds: int) -> str:
    """``seconds`` as a clock counting down: ``4:59``, ``59:05``, ``3:59:59``."""
    hours, rest = divmod(max(0, seconds), 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"
