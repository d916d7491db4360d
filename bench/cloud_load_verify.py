"""After the load: what the cloud's database holds against what the kiosks sent and were told.

The bench's cloud is its own (a fresh data folder or database), so every
stored event should be one a simulated kiosk sent. From the ledgers
(:class:`cloud_load_kiosk.Ledger`) and the database:

- ``duplicates``: an event the cloud answered ``accepted`` more than once
  (it stored it twice, or said so), plus stored rows beyond what was sent: a
  row whose event ID, kiosk and ``seq`` are not those of an event a kiosk
  sent (the primary key makes two rows of one ID impossible; this counts
  what would show it anyway).
- ``gaps``: events the cloud acknowledged (accepted or duplicate) that it
  does not hold, plus every number in the cloud's own missing ranges
  (``seq_gaps``, :mod:`cloud.seq_gap_queries`): both are records lost.
- ``waiting``: events still in the kiosks' outboxes at the end (recorded,
  neither acknowledged nor refused: their rounds failed); ``rejected``:
  events the cloud refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cloud_load_kiosk import Ledger

from cloud.storage import Storage


@dataclass(frozen=True)
class Verdict:
    """The checks' counts (see the module docstring)."""

    stored: int
    duplicates: int
    gaps: int
    seq_gap_numbers: int
    waiting: int
    rejected: int


def stored_events(store: Storage) -> list[tuple[str, str, int]]:
    """(event ID, kiosk ID, seq) of every event the cloud holds."""
    with store.read() as reader:
        rows = reader._conn.execute("SELECT event_id, kiosk_id, seq FROM events").fetchall()
    return [(str(r[0]), str(r[1]), int(r[2])) for r in rows]


def missing_numbers(store: Storage) -> int:
    """How many sequence numbers the cloud's missing ranges (``seq_gaps``) hold, over every kiosk."""
    with store.read() as reader:
        row = reader._conn.execute(
            "SELECT COALESCE(SUM(last_seq - first_seq + 1), 0) FROM seq_gaps"
        ).fetchone()
    return int(row[0])


def verify(store: Storage, ledgers: Sequence[Ledger]) -> Verdict:
    """Check the database against the kiosks' ledgers."""
    rows = stored_events(store)
    sent = {(event_id, ledger.kiosk_id, seq) for ledger in ledgers for event_id, seq in ledger.sent.items()}
    stored_ids = {event_id for event_id, _, _ in rows}
    accepted_again = sum(count - 1 for ledger in ledgers for count in ledger.accepted.values() if count > 1)
    beyond_sent = sum(1 for row in rows if row not in sent) + (len(rows) - len(stored_ids))
    lost = sum(1 for ledger in ledgers for event_id in ledger.acknowledged if event_id not in stored_ids)
    in_ranges = missing_numbers(store)
    return Verdict(
        stored=len(rows),
        duplicates=accepted_again + beyond_sent,
        gaps=lost + in_ranges,
        seq_gap_numbers=in_ranges,
        waiting=sum(ledger.waiting for ledger in ledgers),
        rejected=sum(len(ledger.rejected) for ledger in ledgers),
    )


def percentile(values: Sequence[float], percent: float) -> float | None:
    """The ``percent``-th percentile (nearest rank) of ``values``, or None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * percent // 100))
    return ordered[int(rank) - 1]
