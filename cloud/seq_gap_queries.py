"""The SQL of each kiosk's missing sequence numbers, mixed into :class:`cloud.queries.Reader` and ``Writer``.

Table (migration ``0006_seq_gaps``): ``seq_gaps (kiosk_id, first_seq,
last_seq, rejected)``, the runs of a kiosk's ``seq`` the cloud holds no
event for, below the highest it has seen of that kiosk; ``rejected`` is
null for numbers that never arrived, else why the event under them was
refused.

Kept in each write transaction, so that it always holds: every number from
1 to the kiosk's highest seen is either held in ``events`` or in exactly one
range; ranges never overlap, and neighbours with the same ``rejected`` are
one range. "Seen" is held or refused, so the highest seen is the larger of
the highest held ``seq`` and the end of the top range: there is no counter
to keep in step.
"""

from __future__ import annotations

from dataclasses import dataclass

from cloud.protocol import MAX_INT64
from cloud.sql_connection import SqlConnection


@dataclass(frozen=True, slots=True)
class SeqGap:
    """A run ``first_seq..last_seq`` of a kiosk's records the cloud does not hold."""

    kiosk_id: str
    first_seq: int
    last_seq: int
    #: None: never arrived; else the reason the cloud refused the event under these numbers.
    rejected: str | None

    @property
    def count(self) -> int:
        """How many records the run is."""
        return self.last_seq - self.first_seq + 1

    def as_wire(self) -> dict[str, int | str | None]:
        """The range as the protocol writes it (``missing`` of a changes page)."""
        return {"first_seq": self.first_seq, "last_seq": self.last_seq, "rejected": self.rejected}


@dataclass(frozen=True, slots=True)
class KioskGapTotals:
    """How much of one kiosk's sequence the cloud lacks: ranges, numbers never arrived, numbers refused."""

    kiosk_id: str
    ranges: int
    missing: int
    rejected: int


class SeqGapReads:
    """Queries of the missing ranges (a mixin of :class:`cloud.queries.Reader`)."""

    _conn: SqlConnection

    def seq_gaps(self, kiosk_id: str, limit: int) -> list[SeqGap]:
        """The kiosk's first ``limit`` ranges: never-arrived ones first, then refused ones, each by ``seq``.

        Never-arrived ones first because those are what the kiosk can still
        re-send; refused ones stay until a good copy arrives, and must not
        crowd them out of a bounded list.
        """
        rows = self._conn.execute(
            "SELECT first_seq, last_seq, rejected FROM seq_gaps WHERE kiosk_id = ? "
            "ORDER BY rejected IS NOT NULL, first_seq LIMIT ?",
            (kiosk_id, limit),
        )
        return [SeqGap(kiosk_id, int(r[0]), int(r[1]), r[2]) for r in rows]

    def seq_gap_totals(self) -> list[KioskGapTotals]:
        """Per kiosk with any range, by kiosk ID: its ranges and the numbers never arrived and refused."""
        # The ranges of one kiosk are disjoint numbers of 1..2^63-1, so neither sum overflows.
        rows = self._conn.execute(
            "SELECT kiosk_id, COUNT(*), "
            "SUM(CASE WHEN rejected IS NULL THEN last_seq - first_seq + 1 ELSE 0 END), "
            "SUM(CASE WHEN rejected IS NULL THEN 0 ELSE last_seq - first_seq + 1 END) "
            "FROM seq_gaps GROUP BY kiosk_id ORDER BY kiosk_id"
        )
        return [KioskGapTotals(str(r[0]), int(r[1]), int(r[2]), int(r[3])) for r in rows]

    def highest_seen_seq(self, kiosk_id: str) -> int:
        """The highest ``seq`` of the kiosk the cloud holds or refused (0 when none)."""
        held = self._conn.execute("SELECT MAX(seq) FROM events WHERE kiosk_id = ?", (kiosk_id,)).fetchone()[0]
        top = self._conn.execute(
            "SELECT last_seq FROM seq_gaps WHERE kiosk_id = ? ORDER BY first_seq DESC LIMIT 1", (kiosk_id,)
        ).fetchone()
        return max(int(held or 0), int(top[0]) if top else 0)

    def _gap_holding(self, kiosk_id: str, seq: int) -> SeqGap | None:
        row = self._conn.execute(
            "SELECT first_seq, last_seq, rejected FROM seq_gaps WHERE kiosk_id = ? AND first_seq <= ? "
            "ORDER BY first_seq DESC LIMIT 1",
            (kiosk_id, seq),
        ).fetchone()
        if row is None or row[1] < seq:
            return None
        return SeqGap(kiosk_id, int(row[0]), int(row[1]), row[2])


class SeqGapWrites(SeqGapReads):
    """Keeping the ranges as events are stored or refused (a mixin of :class:`cloud.queries.Writer`).

    The highest number seen of each kiosk is remembered for the rest of the
    transaction (a writer lives for one), so a batch in order costs no query
    beyond its inserts.
    """

    def seen_before(self, kiosk_id: str) -> int:
        """:meth:`highest_seen_seq`, remembered for this transaction; ask it before storing an event."""
        seen: dict[str, int] = self.__dict__.setdefault("_highest_seen", {})
        if kiosk_id not in seen:
            seen[kiosk_id] = self.highest_seen_seq(kiosk_id)
        return seen[kiosk_id]

    def seq_arrived(self, kiosk_id: str, seq: int, highest_before: int, rejected: str | None = None) -> None:
        """Record that the kiosk's event ``seq`` was stored (``rejected`` None) or refused for ``rejected``.

        ``highest_before`` is :meth:`seen_before` as it was before the event
        was stored. Above it, the numbers in between open a never-arrived range;
        at or below it, the number leaves the range that held it (stored),
        or becomes a refused one (refused). A refusal of a number the cloud
        holds (a conflict with the stored event) changes nothing: the
        sequence lacks nothing.
        """
        if seq > highest_before:
            self.__dict__.setdefault("_highest_seen", {})[kiosk_id] = seq
            if seq > highest_before + 1:
                self._add_gap(kiosk_id, highest_before + 1, seq - 1, None)
            if rejected is not None:
                self._add_gap(kiosk_id, seq, seq, rejected)
            return
        gap = self._gap_holding(kiosk_id, seq)
        if gap is None or (rejected is not None and gap.rejected == rejected):
            return
        self._cut(gap, seq)
        if rejected is not None:
            self._add_gap(kiosk_id, seq, seq, rejected)

    def note_refused_seq(self, kiosk_id: str, seq: int, reason: str) -> None:
        """Record that the kiosk's event ``seq`` was refused for ``reason`` (see :meth:`seq_arrived`)."""
        self.seq_arrived(kiosk_id, seq, self.seen_before(kiosk_id), reason)

    def _cut(self, gap: SeqGap, seq: int) -> None:
        """Take ``seq`` out of ``gap``, keeping the numbers on either side."""
        self._conn.execute(
            "DELETE FROM seq_gaps WHERE kiosk_id = ? AND first_seq = ?", (gap.kiosk_id, gap.first_seq)
        )
        insert = "INSERT INTO seq_gaps (kiosk_id, first_seq, last_seq, rejected) VALUES (?, ?, ?, ?)"
        if gap.first_seq < seq:
            self._conn.execute(insert, (gap.kiosk_id, gap.first_seq, seq - 1, gap.rejected))
        if seq < gap.last_seq:
            self._conn.execute(insert, (gap.kiosk_id, seq + 1, gap.last_seq, gap.rejected))

    def _add_gap(self, kiosk_id: str, first: int, last: int, rejected: str | None) -> None:
        """Add ``first..last`` (in no range yet), joined with neighbours of the same ``rejected``."""
        same = "rejected IS NOT DISTINCT FROM ?"  # NULLs compare equal too
        if first > 1:
            left = self._conn.execute(
                f"SELECT first_seq FROM seq_gaps WHERE kiosk_id = ? AND last_seq = ? AND {same}",
                (kiosk_id, first - 1, rejected),
            ).fetchone()
            if left is not None:
                first = int(left[0])
                self._conn.execute(
                    "DELETE FROM seq_gaps WHERE kiosk_id = ? AND first_seq = ?", (kiosk_id, first)
                )
        if last < MAX_INT64:
            right = self._conn.execute(
                f"SELECT last_seq FROM seq_gaps WHERE kiosk_id = ? AND first_seq = ? AND {same}",
                (kiosk_id, last + 1, rejected),
            ).fetchone()
            if right is not None:
                self._conn.execute(
                    "DELETE FROM seq_gaps WHERE kiosk_id = ? AND first_seq = ?", (kiosk_id, last + 1)
                )
                last = int(right[0])
        self._conn.execute(
            "INSERT INTO seq_gaps (kiosk_id, first_seq, last_seq, rejected) VALUES (?, ?, ?, ?)",
            (kiosk_id, first, last, rejected),
        )
