"""The SQL of what each kiosk last said of itself (table ``kiosk_status``), mixed into :class:`cloud.queries.Reader` and ``Writer``.

One row per kiosk, written by :mod:`cloud.kiosk_status` (which decides when):

- ``last_seen_utc``: the last time the cloud heard from the kiosk (an
  authenticated request, or the making of a USB bundle it imported); it
  never moves backwards;
- ``last_push_utc`` and ``clock_offset_s``: the last batch the kiosk pushed
  over the network, and the clock offset it carried;
- ``waiting``, ``self_test``, ``self_test_utc``, ``app_version``: the status
  the last push reported (``waiting`` is what the kiosk still holds once that
  push is answered). Null for a kiosk too old to report one.

Times are protocol times (:func:`cloud.protocol.format_time`), which sort as
text, so "later" is a text comparison on both databases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cloud.sql_connection import SqlConnection

#: Device IDs per ``IN (...)`` list, far below either database's limit of bound values.
_ID_CHUNK = 500
#: The later of the stored and the new ``last_seen_utc``.
_LATER_SEEN = (
    "CASE WHEN kiosk_status.last_seen_utc > excluded.last_seen_utc "
    "THEN kiosk_status.last_seen_utc ELSE excluded.last_seen_utc END"
)
_STATUS_COLUMNS = ("waiting", "self_test", "self_test_utc", "app_version")
_SELECT_STATUSES = (
    "SELECT d.device_id, d.area_id, COALESCE(s.app_version, d.app_version), d.registered_utc, "
    "s.last_seen_utc, s.last_push_utc, s.waiting, s.self_test, s.self_test_utc, s.clock_offset_s "
    "FROM devices d LEFT JOIN kiosk_status s ON s.device_id = d.device_id"
)


@dataclass(frozen=True, slots=True)
class KioskStatusRow:
    """A registered kiosk and what the cloud knows of its state (None: not known yet)."""

    device_id: str
    area_id: str
    #: What the kiosk last reported running, else what it registered with.
    app_version: str
    registered_utc: str
    last_seen_utc: str | None
    last_push_utc: str | None
    waiting: int | None
    self_test: str | None
    self_test_utc: str | None
    clock_offset_s: float | None


@dataclass(frozen=True, slots=True)
class ReportedStatus:
    """What a push said of its kiosk: records still waiting once it is answered, the self-test, the version."""

    waiting: int
    self_test: str
    self_test_utc: str | None
    app_version: str


def _status_row(row: Sequence[Any]) -> KioskStatusRow:
    waiting, offset = row[6], row[9]
    return KioskStatusRow(
        device_id=str(row[0]),
        area_id=str(row[1]),
        app_version=str(row[2]),
        registered_utc=str(row[3]),
        last_seen_utc=None if row[4] is None else str(row[4]),
        last_push_utc=None if row[5] is None else str(row[5]),
        waiting=None if waiting is None else int(waiting),
        self_test=None if row[7] is None else str(row[7]),
        self_test_utc=None if row[8] is None else str(row[8]),
        clock_offset_s=None if offset is None else float(offset),
    )


class KioskStatusReads:
    """Queries within one read snapshot."""

    _conn: SqlConnection

    def kiosk_last_seen(self, device_id: str) -> str | None:
        """When the cloud last heard from the kiosk (None: never, or no such kiosk)."""
        row = self._conn.execute(
            "SELECT last_seen_utc FROM kiosk_status WHERE device_id = ?", (device_id,)
        ).fetchone()
        return None if row is None else str(row[0])

    def kiosk_statuses(self, device_ids: list[str] | None = None) -> list[KioskStatusRow]:
        """Every registered kiosk (None), or those of ``device_ids`` that are registered, by device ID."""
        if device_ids is None:
            return [_status_row(r) for r in self._conn.execute(f"{_SELECT_STATUSES} ORDER BY d.device_id")]
        rows: list[KioskStatusRow] = []
        wanted = sorted(set(device_ids))
        for start in range(0, len(wanted), _ID_CHUNK):
            chunk = wanted[start : start + _ID_CHUNK]
            cursor = self._conn.execute(
                f"{_SELECT_STATUSES} WHERE d.device_id IN ({', '.join('?' * len(chunk))})", chunk
            )
            rows.extend(_status_row(r) for r in cursor)
        return sorted(rows, key=lambda row: row.device_id)


class KioskStatusWrites:
    """Statements within the write transaction."""

    _conn: SqlConnection

    def note_kiosk_seen(self, device_id: str, at_utc: str) -> None:
        """The cloud heard from the kiosk at ``at_utc``; a later time already stored stays."""
        self._conn.execute(
            "INSERT INTO kiosk_status (device_id, last_seen_utc) VALUES (?, ?) "
            f"ON CONFLICT (device_id) DO UPDATE SET last_seen_utc = {_LATER_SEEN}",
            (device_id, at_utc),
        )

    def record_kiosk_push(
        self, device_id: str, at_utc: str, clock_offset_s: float | None, status: ReportedStatus | None
    ) -> None:
        """The kiosk pushed a batch over the network at ``at_utc``, with its status if it sent one.

        Without a status (an older kiosk) the stored status stays as it was.
        """
        columns = ["device_id", "last_seen_utc", "last_push_utc", "clock_offset_s"]
        values: list[object] = [device_id, at_utc, at_utc, clock_offset_s]
        if status is not None:
            columns += _STATUS_COLUMNS
            values += [status.waiting, status.self_test, status.self_test_utc, status.app_version]
        updates = ", ".join(f"{c} = excluded.{c}" for c in columns[2:])
        self._conn.execute(
            f"INSERT INTO kiosk_status ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))}) "
            f"ON CONFLICT (device_id) DO UPDATE SET last_seen_utc = {_LATER_SEEN}, {updates}",
            values,
        )
