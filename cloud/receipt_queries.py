"""The SQL of checking a service receipt against the platform, mixed into :class:`cloud.queries.Reader`.

A receipt (:mod:`checkin_protocol.codes.receipts`) names a kiosk, a volunteer,
an activity and the two events of one visit. :mod:`cloud.receipt_findings`
asks, in one read snapshot: are those events here, was either undone, how
did the platform pair and credit the visit, what is the volunteer's
platform total, and what do the roster and the activities say of the names.
Every query is by primary key or by an index (``events_volunteer``,
``UNIQUE (kiosk_id, seq)``), so a page costs a few lookups however many
events the platform holds. The SQL runs on SQLite and PostgreSQL alike
(:mod:`cloud.sql_connection`).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from checkin_protocol.event_rows import EVENT_COLUMNS, parse_utc, row_to_event
from checkin_protocol.models import Event
from cloud.sql_connection import SqlConnection


@dataclass(frozen=True, slots=True)
class KeptVisit:
    """The platform's own pairing of a visit (``visit_facts``): when it ended and what it credits."""

    check_out_utc: str | None
    credited_seconds: int


@dataclass(frozen=True, slots=True)
class PlatformTotal:
    """A volunteer's platform total of credited service, and when the cloud last recomputed it."""

    total_seconds: int
    computed_utc: str


@dataclass(frozen=True, slots=True)
class ReceiptLabels:
    """What the platform calls the receipt's volunteer and activity (None: not known here)."""

    volunteer_name: str | None
    volunteer_active: bool
    activity_title: str | None
    venue: str | None


def _placeholders(count: int) -> str:
    return ", ".join("?" * count)


class ReceiptReads:
    """Queries within one read snapshot."""

    _conn: SqlConnection

    def events_by_id(self, event_ids: Collection[str]) -> dict[str, Event]:
        """The stored events among ``event_ids`` (a receipt's two), by event ID."""
        wanted = sorted(set(event_ids))
        if not wanted:
            return {}
        rows = self._conn.execute(
            f"SELECT {', '.join(EVENT_COLUMNS)} FROM events WHERE event_id IN ({_placeholders(len(wanted))})",
            wanted,
        ).fetchall()
        events = (row_to_event(tuple(row)) for row in rows)
        return {event.event_id: event for event in events}

    def undos_of(self, volunteer_ids: Collection[str], event_ids: Collection[str]) -> dict[str, str]:
        """For each of ``event_ids`` that an undo event targets: that undo's ID.

        Looked for among the undo events of ``volunteer_ids`` (an undo names the
        volunteer of the event it cancels), which the volunteer index finds.
        """
        volunteers, targets = sorted(set(volunteer_ids)), sorted(set(event_ids))
        if not volunteers or not targets:
            return {}
        rows = self._conn.execute(
            f"SELECT ref_event_id, event_id FROM events WHERE volunteer_id IN ({_placeholders(len(volunteers))}) "
            f"AND action = 'undo' AND ref_event_id IN ({_placeholders(len(targets))}) ORDER BY seq",
            [*volunteers, *targets],
        ).fetchall()
        found: dict[str, str] = {}
        for target, undo in rows:
            found.setdefault(str(target), str(undo))
        return found

    def kiosk_utc_offset(self, kiosk_id: str) -> int | None:
        """The UTC offset (minutes) of the kiosk's newest event here: its local time (None: no event yet)."""
        row = self._conn.execute(
            "SELECT utc_offset_min FROM events WHERE kiosk_id = ? ORDER BY seq DESC LIMIT 1", (kiosk_id,)
        ).fetchone()
        return None if row is None else int(row[0])

    def kept_visit(self, check_in_event_id: str) -> KeptVisit | None:
        """The visit the platform paired from this check-in (``visit_facts``), if it holds one."""
        row = self._conn.execute(
            "SELECT check_out_utc, credited_seconds FROM visit_facts WHERE visit_id = ?", (check_in_event_id,)
        ).fetchone()
        if row is None:
            return None
        return KeptVisit(check_out_utc=None if row[0] is None else str(row[0]), credited_seconds=int(row[1]))

    def platform_total(self, volunteer_id: str) -> PlatformTotal | None:
        """The volunteer's platform total (``volunteer_totals``); None before the cloud first computed it."""
        row = self._conn.execute(
            "SELECT total_seconds, computed_utc FROM volunteer_totals WHERE volunteer_id = ?", (volunteer_id,)
        ).fetchone()
        if row is None or parse_utc(str(row[1])) is None:
            return None
        return PlatformTotal(total_seconds=int(row[0]), computed_utc=str(row[1]))

    def receipt_labels(self, volunteer_id: str, activity_id: str) -> ReceiptLabels:
        """The volunteer's name and standing (roster), the activity's title and venue, where the platform has them."""
        person = self._conn.execute(
            "SELECT name, active FROM volunteers WHERE volunteer_id = ?", (volunteer_id,)
        ).fetchone()
        activity = self._conn.execute(
            "SELECT title, venue FROM activities WHERE activity_id = ?", (activity_id,)
        ).fetchone()
        return ReceiptLabels(
            volunteer_name=None if person is None else str(person[0]),
            volunteer_active=person is not None and bool(person[1]),
            activity_title=None if activity is None else str(activity[0]),
            venue=None if activity is None else str(activity[1]),
        )
