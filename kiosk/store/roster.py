"""Roster lookups: one volunteer by ID."""

from __future__ import annotations

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
