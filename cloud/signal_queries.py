"""The SQL of presence signals, mixed into :class:`cloud.queries.Reader` and ``Writer`` (through the dashboard's).

Table ``presence_signals`` (:mod:`cloud.schema_signals`), kept by
:mod:`cloud.presence_signals` in the transaction that keeps the visits. A
volunteer's visits are read **by window**: (volunteer, first check-in, last
check-in) triples joined as a ``VALUES`` list, each an indexed range
(``visit_facts_volunteer_time``), never a scan; signals by their visits (the
table's key). Times are the protocol's text, so text order is time order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from cloud.sql_connection import SqlConnection

#: (volunteer_id, first check-in, last check-in), both ends included, as protocol time text.
Window = tuple[str, str, str]
_WINDOWS_A_STATEMENT = 250  # 750 parameters: within either database's limit


class PresenceSignal(NamedTuple):
    """One row of ``presence_signals``: a visit flagged, why, and what against (a tuple: a push may
    compare thousands)."""

    visit_id: str
    signal: str
    other_id: str  # the other visit's ID; card_after_pass: the pass ID
    volunteer_id: str
    service_date: str
    check_in_utc: str
    other_utc: str  # the other visit's check-in; card_after_pass: when the pass was registered


_SIGNAL_COLUMNS = ", ".join(PresenceSignal._fields)


@dataclass(frozen=True, slots=True)
class SignalVisit:
    """A kept visit with what the signals compare: its activity's venue and its check-in's credential."""

    visit_id: str
    volunteer_id: str
    activity_id: str
    kiosk_id: str
    service_date: str
    check_in_utc: str
    check_out_utc: str | None
    review: str
    venue: str | None  # None: the roster does not know the activity
    credential: str | None = None  # 'card', 'pass' or None (face, by hand, an older kiosk; not read)


@dataclass(frozen=True, slots=True)
class PassSpan:
    """A phone pass of a volunteer: registered at ``created_utc``, in use until ``revoked_utc`` (None: still)."""

    pass_id: str
    created_utc: str
    revoked_utc: str | None


@dataclass(frozen=True, slots=True)
class SignalDetail:
    """A signal of a visit as staff see it: the other visit's place and times, or the pass's registration."""

    visit_id: str
    signal: str
    other_id: str
    other_utc: str
    activity_id: str | None  # the other visit's (None for card_after_pass, or a visit no longer kept)
    title: str | None
    venue: str | None
    kiosk_id: str | None
    check_in_utc: str | None
    check_out_utc: str | None

    def shown(self) -> dict[str, Any]:
        """The signal as the dashboard's review list sends it (docs/dashboard.md)."""
        if self.signal == "card_after_pass":
            return {"signal": self.signal, "pass_since_utc": self.other_utc}
        other = {
            "activity_id": self.activity_id,
            "title": self.title,
            "venue": self.venue,
            "kiosk_id": self.kiosk_id,
            "check_in_utc": self.check_in_utc or self.other_utc,
            "check_out_utc": self.check_out_utc,
        }
        return {"signal": self.signal, "other": other}


def _values(windows: Sequence[Window]) -> tuple[str, list[str]]:
    """A ``VALUES`` list of ``windows`` (columns ``column1``..``column3`` on both databases) and its parameters."""
    return ", ".join("(?, ?, ?)" for _ in windows), [part for window in windows for part in window]


def _window_chunks(windows: Iterable[Window]) -> Iterable[list[Window]]:
    ordered = sorted(set(windows))
    for start in range(0, len(ordered), _WINDOWS_A_STATEMENT):
        yield ordered[start : start + _WINDOWS_A_STATEMENT]


def _id_chunks(ids: Iterable[str], size: int = 500) -> Iterable[list[str]]:
    ordered = sorted(set(ids))
    for start in range(0, len(ordered), size):
        yield ordered[start : start + size]


def _marks(chunk: Sequence[str]) -> str:
    return ", ".join("?" for _ in chunk)


class SignalReads:
    """Queries within one read snapshot."""

    _conn: SqlConnection

    def signal_visits(self, windows: Iterable[Window]) -> list[SignalVisit]:
        """The kept visits whose check-in falls in one of ``windows``, with their activities' venues.

        ``credential`` is left None: it is read only where it can matter (:meth:`event_credentials`).
        """
        rows: list[Any] = []
        for chunk in _window_chunks(windows):
            values, params = _values(chunk)
            rows += self._conn.execute(
                "SELECT v.visit_id, v.volunteer_id, v.activity_id, v.kiosk_id, v.service_date, v.check_in_utc, "
                f"v.check_out_utc, v.review FROM (VALUES {values}) w JOIN visit_facts v "
                "ON v.volunteer_id = w.column1 AND v.check_in_utc >= w.column2 AND v.check_in_utc <= w.column3",
                params,
            ).fetchall()
        venues: dict[str, str] = {}
        for activities in _id_chunks(row[2] for row in rows):
            venues.update(
                self._conn.execute(
                    f"SELECT activity_id, venue FROM activities WHERE activity_id IN ({_marks(activities)})",
                    activities,
                ).fetchall()
            )
        return [
            SignalVisit(
                visit_id,
                volunteer_id,
                activity,
                kiosk_id,
                day,
                check_in,
                check_out,
                review,
                venues.get(activity),
            )
            for visit_id, volunteer_id, activity, kiosk_id, day, check_in, check_out, review in rows
        ]

    def event_credentials(self, event_ids: Iterable[str]) -> dict[str, str]:
        """What was shown at each event asked for (``card`` or ``pass``); events without one are left out."""
        found: dict[str, str] = {}
        for chunk in _id_chunks(event_ids):
            rows = self._conn.execute(
                f"SELECT event_id, credential FROM events WHERE event_id IN ({_marks(chunk)}) "
                "AND credential IS NOT NULL",
                chunk,
            ).fetchall()
            found.update({str(row[0]): str(row[1]) for row in rows})
        return found

    def signals_of_visits(self, visit_ids: Iterable[str]) -> list[PresenceSignal]:
        """The signals kept of the visits asked for (by the table's key: bounded by the visits asked for)."""
        found: list[PresenceSignal] = []
        for chunk in _id_chunks(visit_ids):
            rows = self._conn.execute(
                f"SELECT {_SIGNAL_COLUMNS} FROM presence_signals WHERE visit_id IN ({_marks(chunk)})", chunk
            ).fetchall()
            found += [PresenceSignal(*row) for row in rows]
        return found

    def pass_spans(self, volunteer_ids: Iterable[str]) -> dict[str, list[PassSpan]]:
        """Every phone pass of the volunteers asked for (revoked ones too), oldest first."""
        found: dict[str, list[PassSpan]] = {}
        ordered = sorted(set(volunteer_ids))
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            rows = self._conn.execute(
                "SELECT volunteer_id, pass_id, created_utc, revoked_utc FROM passes "
                f"WHERE volunteer_id IN ({', '.join('?' * len(chunk))}) ORDER BY volunteer_id, created_utc",
                chunk,
            ).fetchall()
            for volunteer_id, *span in rows:
                found.setdefault(volunteer_id, []).append(PassSpan(*span))
        return found

    def newest_flagged_visits(self, area_join: str, area_params: list[Any], limit: int) -> list[str]:
        """The IDs of the newest ``limit`` visits with signals, newest first, within an area's join on ``v``.

        A visit's rows share its service date and check-in, so the distinct
        triples are the distinct visits, read newest first along
        ``presence_signals_newest``.
        """
        rows = self._conn.execute(
            "SELECT DISTINCT s.service_date, s.check_in_utc, s.visit_id FROM presence_signals s "
            f"JOIN visit_facts v ON v.visit_id = s.visit_id{area_join} "
            "ORDER BY s.service_date DESC, s.check_in_utc DESC, s.visit_id LIMIT ?",
            (*area_params, limit),
        ).fetchall()
        return [row[2] for row in rows]

    def signal_details(self, visit_ids: Iterable[str]) -> dict[str, list[SignalDetail]]:
        """The signals of the visits asked for, each with the other visit's activity, venue, kiosk and times."""
        found: dict[str, list[SignalDetail]] = {}
        ordered = sorted(set(visit_ids))
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            rows = self._conn.execute(
                "SELECT s.visit_id, s.signal, s.other_id, s.other_utc, o.activity_id, a.title, a.venue, "
                "o.kiosk_id, o.check_in_utc, o.check_out_utc FROM presence_signals s "
                "LEFT JOIN visit_facts o ON o.visit_id = s.other_id "
                "LEFT JOIN activities a ON a.activity_id = o.activity_id "
                f"WHERE s.visit_id IN ({', '.join('?' * len(chunk))}) ORDER BY s.visit_id, s.signal, s.other_utc",
                chunk,
            ).fetchall()
            for row in rows:
                found.setdefault(row[0], []).append(SignalDetail(*row))
        return found


class SignalWrites:
    """Statements within the write transaction."""

    _conn: SqlConnection

    def replace_signals(self, gone: Iterable[PresenceSignal], came: Iterable[PresenceSignal]) -> None:
        """Delete the signals ``gone`` and keep those that ``came`` (one already kept is left as it is)."""
        gone_keys = sorted({(s.visit_id, s.signal, s.other_id) for s in gone})
        if gone_keys:
            self._conn.executemany(
                "DELETE FROM presence_signals WHERE visit_id = ? AND signal = ? AND other_id = ?", gone_keys
            )
        rows = sorted({tuple(signal) for signal in came})
        if rows:
            self._conn.executemany(
                f"INSERT INTO presence_signals ({_SIGNAL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT DO NOTHING",
                rows,
            )

    def clear_presence_signals(self) -> None:
        """Forget every signal (before a rebuild of the kept visits)."""
        self._conn.execute("DELETE FROM presence_signals")
