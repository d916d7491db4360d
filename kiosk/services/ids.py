"""Event IDs: UUIDs whose first 48 bits are the creation time in milliseconds (UUIDv7 layout).

Time-ordered IDs are inserted at the end of the primary-key index instead of
at a random place, which keeps check-in commits small on a store with
millions of events. The remaining 74 bits are random, so IDs from different
kiosks never collide in practice.
"""

from __future__ import annotations

import secrets
import time
import uuid


def new_event_id() -> str:
    """A new time-ordered UUID (version 7, RFC 9562) as text."""
    millis = time.time_ns() // 1_000_000
    rand_a = secrets.randbits(12)
    rand_b = secrets.randbits(62)
    value = (millis & ((1 << 48) - 1)) << 80 | 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
    return str(uuid.UUID(int=value))
