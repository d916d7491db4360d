"""Turn a stream of per-frame sightings into scans: one scan per card presented.

A card held in front of the camera is decoded in many frames. The gate says
"new scan" once, when a text first appears; sightings of the same text less
than ``window_s`` apart are the same presentation. After a text was accepted
it is not accepted again for ``cooldown_s``, even if it left the view and came
back (a volunteer waving the card twice). Another text is accepted at once.

A phone pass shows a new text every 30 s. The text of the next step of a pass
whose current text is still in view (seen less than ``window_s`` ago) is the
same presentation, not a new scan: a phone held up across the change would
otherwise be scanned again at once (and answered "already recorded") right
after it checked someone in. A newer text after the phone left the view, or
one more than a step later (refreshed after a stale code), is a new scan.

The gate is pure: the caller passes the (monotonic) time of each sighting,
so tests need no clock. It remembers only texts seen within the last
``max(window_s, cooldown_s)`` seconds, and at most ``max_texts`` of them.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

from checkin_protocol.codes.pass_codes import PassCodeRefused, is_pass_code, read_pass_code


@dataclass
class _Seen:
    last_seen: float
    last_accepted: float
    pass_step: tuple[str, int] | None = None  # a phone pass code's pass ID and step


def _pass_step(text: str) -> tuple[str, int] | None:
    """The pass ID and step of a phone pass code; None for any other text."""
    if not is_pass_code(text):
        return None
    try:
        code = read_pass_code(text)
    except PassCodeRefused:
        return None
    return code.pass_id, code.step


class ScanGate:
    """Debounce decoded texts into scans (after Electrum's QR reader: seen, then cool-down)."""

    def __init__(self, window_s: float = 2.0, cooldown_s: float = 8.0, max_texts: int = 1024) -> None:
        if window_s < 0 or cooldown_s < 0 or max_texts < 1:
            raise ValueError("window_s and cooldown_s must be >= 0 and max_texts >= 1")
        self.window_s = window_s
        self.cooldown_s = cooldown_s
        self.max_texts = max_texts
        self._horizon = max(window_s, cooldown_s)
        self._seen: OrderedDict[str, _Seen] = OrderedDict()  # least recently seen first

    def offer(self, text: str, now: float) -> bool:
        """Record a sighting of ``text`` at ``now`` (seconds); True when it is a new scan to process."""
        self._forget_before(now)
        entry = self._seen.pop(text, None)
        if entry is None:
            pass_step = _pass_step(text)
            accepted = pass_step is None or not self._previous_step_in_view(pass_step, now)
            entry = _Seen(now, now, pass_step)
        else:
            still_in_view = now - entry.last_seen < self.window_s
            accepted = not still_in_view and now - entry.last_accepted >= self.cooldown_s
            entry.last_seen = max(entry.last_seen, now)
            if accepted:
                entry.last_accepted = now
        self._seen[text] = entry
        while len(self._seen) > self.max_texts:
            self._seen.popitem(last=False)
        return accepted

    def _previous_step_in_view(self, pass_step: tuple[str, int], now: float) -> bool:
        """Whether the text of the step before, of the same pass, was seen less than ``window_s`` ago."""
        before = (pass_step[0], pass_step[1] - 1)
        return any(e.pass_step == before and now - e.last_seen < self.window_s for e in self._seen.values())

    def __len__(self) -> int:
        """How many texts the gate remembers."""
        return len(self._seen)

    def clear(self) -> None:
        """Forget everything (a new activity was opened, say)."""
        self._seen.clear()

    def _forget_before(self, now: float) -> None:
        # Entries are ordered by last sighting, so the stale ones are at the front.
        while self._seen:
            text, entry = next(iter(self._seen.items()))
            if now - entry.last_seen <= self._horizon:
                break
            del self._seen[text]
