"""A USB step's result as lines: a summary line first, then one line per thing it did, each with its tone.

Success is green (✓), a warning amber (⚠), a failure red (✖); what only
informs (records still waiting, the next step) is grey or plain. The USB
screen (:mod:`kiosk.ui.screens.usb_panel`) words them in the kiosk's language.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.ui.theme import Tone

MARKS: dict[Tone | None, str] = {"good": "✓", "warn": "⚠", "bad": "✖"}
"""The icon before a line of each tone (colour is never the only signal); none for the others."""


@dataclass(frozen=True)
class UsbLine:
    """One line of a result: its words and its tone (None: the plain text colour)."""

    text: str
    tone: Tone | None = None

    @property
    def shown(self) -> str:
        """The line as shown: its icon, then its words."""
        mark = MARKS.get(self.tone)
        return f"{mark} {self.text}" if mark and self.text else self.text


@dataclass(frozen=True)
class UsbResult:
    """The summary line and the lines under it."""

    summary: UsbLine
    lines: tuple[UsbLine, ...] = ()
