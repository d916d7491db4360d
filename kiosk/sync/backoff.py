"""How long to wait before the next sync: capped exponential back-off with full jitter.

Pure: the random source is injected, so tests repeat exactly. After ``n``
failures in a row the wait is drawn uniformly from ``[0, min(cap, base * 2**(n-1))]``
("full jitter": kiosks that lost the network together do not come back
together). After a success the wait is the normal interval and the failure
count starts again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

DEFAULT_BASE_S = 2.0
DEFAULT_CAP_S = 300.0
DEFAULT_INTERVAL_S = 60.0


def backoff_ceiling(failures: int, base_s: float = DEFAULT_BASE_S, cap_s: float = DEFAULT_CAP_S) -> float:
    """The longest wait after ``failures`` failures in a row (0 failures: no wait)."""
    if failures <= 0:
        return 0.0
    # The exponent is bounded so a kiosk offline for weeks does not overflow a float.
    return min(cap_s, base_s * 2.0 ** min(failures - 1, 64))


@dataclass
class Backoff:
    """The sync schedule: call :meth:`failed` or :meth:`succeeded` after each round.

    Each returns the seconds to wait before the next round. :meth:`reset`
    forgets the failures ("sync now", or a network that came back).
    """

    base_s: float = DEFAULT_BASE_S
    cap_s: float = DEFAULT_CAP_S
    interval_s: float = DEFAULT_INTERVAL_S
    rng: random.Random = field(default_factory=random.Random)
    failures: int = 0

    def __post_init__(self) -> None:
        if not 0 < self.base_s <= self.cap_s:
            raise ValueError("the back-off needs 0 < base_s <= cap_s")
        if self.interval_s < 0:
            raise ValueError("interval_s must not be negative")

    def failed(self, retry_after_s: float | None = None) -> float:
        """Count a failure; the jittered wait before trying again, never above the cap.

        A server's ``Retry-After`` raises the wait to at least that much, still capped.
        """
        self.failures += 1
        delay = self.rng.uniform(0.0, backoff_ceiling(self.failures, self.base_s, self.cap_s))
        if retry_after_s is not None and retry_after_s > delay:
            delay = retry_after_s
        return min(delay, self.cap_s)

    def succeeded(self) -> float:
        """Forget the failures; the normal wait until the next round."""
        self.failures = 0
        return self.interval_s

    def reset(self) -> None:
        """Forget the failures without a round (the coordinator pressed "sync now")."""
        self.failures = 0
