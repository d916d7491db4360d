"""Gaps mean loss: which of each kiosk's records the cloud lacks, for the platform's staff and the kiosk.

A kiosk numbers its events 1, 2, 3, ... with no gaps, so a number below the
highest the cloud has seen of it that the cloud holds no event for is a
record lost to the platform: one that never arrived, or one the cloud
refused. :mod:`cloud.seq_gap_queries` keeps these ranges as events are
stored; this module reads them for ``kiosk-cloud report``. The changes a
kiosk pulls carry its own first ranges (``missing``, :func:`cloud.changes.read_changes`),
so the kiosk re-sends what it still has.
"""

from __future__ import annotations

from dataclasses import dataclass

from cloud.seq_gap_queries import SeqGap
from cloud.storage import Storage

#: Ranges ``kiosk-cloud report`` prints per kiosk.
RANGES_SHOWN = 20


@dataclass(frozen=True)
class KioskGaps:
    """One kiosk's loss: records never arrived, records refused, in how many ranges, and the first ranges."""

    kiosk_id: str
    missing: int
    rejected: int
    ranges: int
    first_ranges: list[SeqGap]


def read_gap_report(store: Storage, ranges_shown: int = RANGES_SHOWN) -> list[KioskGaps]:
    """Every kiosk that lacks records, by kiosk ID, from one snapshot."""
    with store.read() as reader:
        return [
            KioskGaps(
                totals.kiosk_id,
                totals.missing,
                totals.rejected,
                totals.ranges,
                sorted(reader.seq_gaps(totals.kiosk_id, ranges_shown), key=lambda g: g.first_seq),
            )
            for totals in reader.seq_gap_totals()
        ]


def _range_words(gap: SeqGap) -> str:
    numbers = str(gap.first_seq) if gap.count == 1 else f"{gap.first_seq}-{gap.last_seq}"
    return f"{numbers} never arrived" if gap.rejected is None else f"{numbers} refused ({gap.rejected})"


def gap_report_lines(report: list[KioskGaps]) -> list[str]:
    """The report's section on lost records, in plain words (says so when nothing is missing)."""
    if not report:
        return ["Missing records: none (every kiosk's records arrived, up to the newest of each)"]
    total = sum(k.missing + k.rejected for k in report)
    kiosks = "1 kiosk" if len(report) == 1 else f"{len(report)} kiosks"
    lines = [f"Missing records: {total} of {kiosks} (by sequence number; a kiosk re-sends what it still has)"]
    for kiosk in report:
        ranges = "1 range" if kiosk.ranges == 1 else f"{kiosk.ranges} ranges"
        words = f"  {kiosk.kiosk_id}: {kiosk.missing} missing, {kiosk.rejected} refused, in {ranges}: "
        words += ", ".join(_range_words(g) for g in kiosk.first_ranges)
        if kiosk.ranges > len(kiosk.first_ranges):
            words += f", and {kiosk.ranges - len(kiosk.first_ranges)} more ranges"
        lines.append(words)
    return lines
