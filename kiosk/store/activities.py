"""Activities and their sign-up lists."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlite_utils import Database

from checkin_protocol.event_rows import format_utc
from checkin_protocol.models import Activity, ActivityStatus, OrgLevel

ACTIVITY_COLUMNS = (
    "activity_id",
    "title",
    "org_id",
    "org_name",
    "org_level",
    "venue",
    "starts_at",
    "ends_at",
    "category",
    "capacity",
    "checkin_opens_before_min",
    "checkin_closes_after_start_min",
    "signup_required",
    "status",
)


def _row_to_activity(row: dict[str, Any]) -> Activity:
    return Activity(
        activity_id=row["activity_id"],
        title=row["title"],
        org_id=row["org_id"],
        org_name=row["org_name"],
        org_level=OrgLevel(row["org_level"]),
        venue=row["venue"],
        starts_at=datetime.fromisoformat(row["starts_at"]),
        ends_at=datetime.fromisoformat(row["ends_at"]),
        category=row["category"],
        capacity=row["capacity"],
        checkin_opens_before_min=row["checkin_opens_before_min"],
        checkin_closes_after_start_min=row["checkin_closes_after_start_min"],
        signup_required=bool(row["signup_required"]),
        status=ActivityStatus(row["status"]),
    )


def save_activity(db: Database, activity: Activity, source: str = "code") -> None:
    """Insert or update an activity's details; an existing status is kept.

    Re-scanning an activity code must not reopen an activity a coordinator closed.
    """
    values = {
        "activity_id": activity.activity_id,
        "title": activity.title,
        "org_id": activity.org_id,
        "org_name": activity.org_name,
        "org_level": activity.org_level.value,
        "venue": activity.venue,
        "starts_at": format_utc(activity.starts_at),
        "ends_at": format_utc(activity.ends_at),
        "category": activity.category,
        "capacity": activity.capacity,
        "checkin_opens_before_min": activity.checkin_opens_before_min,
        "checkin_closes_after_start_min": activity.checkin_closes_after_start_min,
        "signup_required": int(activity.signup_required),
        "status": activity.status.value,
        "source": source,
    }
    names = list(values)
    updates = ", ".join(f"{n} = excluded.{n}" for n in names if n not in ("activity_id", "status"))
    db.execute(
        f"INSERT INTO activities ({', '.join(names)}) VALUES ({', '.join(':' + n for n in names)}) "
        f"ON CONFLICT(activity_id) DO UPDATE SET {updates}",
        values,
    )


def set_activity_status(db: Database, activity_id: str, status: ActivityStatus) -> None:
    db.execute("UPDATE activities SET status = ? WHERE activity_id = ?", [status.value, activity_id])


def get_activity(db: Database, activity_id: str) -> Activity | None:
    rows = list(db.query("SELECT * FROM activities WHERE activity_id = ?", [activity_id]))
    return _row_to_activity(rows[0]) if rows else None


def list_activities(db: Database, status: ActivityStatus | None = None) -> list[Activity]:
    if status is None:
        rows = db.query("SELECT * FROM activities ORDER BY starts_at, activity_id")
    else:
        rows = db.query(
            "SELECT * FROM activities WHERE status = ? ORDER BY starts_at, activity_id", [status.value]
        )
    return [_row_to_activity(r) for r in rows]


def is_signed_up(db: Database, activity_id: str, volunteer_id: str) -> bool:
    row = db.execute(
        "SELECT 1 FROM signups WHERE activity_id = ? AND volunteer_id = ?", [activity_id, volunteer_id]
    ).fetchone()
    return row is not None


def add_signups(db: Database, activity_id: str, volunteer_ids: list[str]) -> None:
    db.conn.executemany(
        "INSERT OR IGNORE INTO signups (activity_id, volunteer_id) VALUES (?, ?)",
        [(activity_id, v) for v in volunteer_ids],
    )


def signed_up(db: Database, activity_id: str) -> list[str]:
    """The volunteer IDs on an activity's sign-up list, in ID order."""
    rows = db.execute(
        "SELECT volunteer_id FROM signups WHERE activity_id = ? ORDER BY volunteer_id", [activity_id]
    )
    return [str(r[0]) for r in rows]


def activity_titles(db: Database) -> dict[str, str]:
    """The title of every known activity, by activity ID."""
    return {r[0]: r[1] for r in db.execute("SELECT activity_id, title FROM activities")}
