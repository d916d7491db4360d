"""Roster lookups: one volunteer by ID, the names (with organisations) that reports show, names to type."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from sqlite_utils import Database

from checkin_protocol.models import Volunteer


def get_volunteer(db: Database, volunteer_id: str) -> Volunteer | None:
    row = db.execute(
        "SELECT volunteer_id, name, org_id, phone, active FROM volunteers WHERE volunteer_id = ?",
        [volunteer_id],
    ).fetchone()
    if row is None:
        return None
    return Volunteer(volunteer_id=row[0], name=row[1], org_id=row[2], phone=row[3], active=bool(row[4]))


# Volunteer IDs per roster query (well below SQLite's limit on parameters).
_CHUNK = 500


class VolunteerName(NamedTuple):
    """A volunteer's name and their organisation's name (None: no organisation, or not known)."""

    name: str
    organisation: str | None


def names_of_volunteers_with_events(db: Database) -> dict[str, VolunteerName]:
    """Name and organisation of every volunteer in the roster with at least one stored event."""
    return {
        r[0]: VolunteerName(r[1], r[2])
        for r in db.execute(
            "SELECT v.volunteer_id, v.name, o.name FROM volunteers v LEFT JOIN organisations o USING (org_id)"
            " WHERE v.volunteer_id IN (SELECT DISTINCT volunteer_id FROM events)"
        )
    }


def volunteer_names(db: Database, volunteer_ids: Iterable[str]) -> dict[str, VolunteerName]:
    """Name and organisation of those of ``volunteer_ids`` the roster knows, by ID (sorted)."""
    wanted = sorted(set(volunteer_ids))
    found: dict[str, VolunteerName] = {}
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        rows = db.execute(
            "SELECT v.volunteer_id, v.name, o.name FROM volunteers v"
            " LEFT JOIN organisations o USING (org_id)"
            f" WHERE v.volunteer_id IN ({', '.join('?' * len(chunk))})",
            chunk,
        )
        for volunteer_id, name, organisation in rows:
            found[volunteer_id] = VolunteerName(name, organisation)
    return found


def names_for_typing(db: Database, limit: int) -> list[str]:
    """Up to ``limit`` distinct names of active volunteers: the most recently seen first, then the roster's.

    For the touch keyboard's pinyin candidates; two bounded reads (the newest
    events by ``events_wall``, then the roster in its own order), whatever
    the size of the roster.
    """
    if limit <= 0:
        return []
    recent = db.execute(
        "SELECT v.name FROM (SELECT volunteer_id, MAX(wall_utc) AS last FROM"
        " (SELECT volunteer_id, wall_utc FROM events ORDER BY wall_utc DESC LIMIT ?) GROUP BY volunteer_id) r"
        " JOIN volunteers v USING (volunteer_id) WHERE v.active = 1 ORDER BY r.last DESC",
        [limit * 4],
    )
    names = dict.fromkeys(row[0] for row in recent)
    if len(names) < limit:
        rest = db.execute("SELECT name FROM volunteers WHERE active = 1 LIMIT ?", [limit * 2])
        names.update(dict.fromkeys(row[0] for row in rest))
    return list(names)[:limit]
