"""Kiosk settings kept in the database (key/value text)."""

from __future__ import annotations

from sqlite_utils import Database


def setting(db: Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM settings WHERE key = ?", [key]).fetchone()
    return None if row is None else str(row[0])


def set_setting(db: Database, key: str, value: str) -> None:
    db.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        [key, value],
    )


def delete_setting(db: Database, key: str) -> None:
    """Forget the setting under ``key`` (nothing happens when there is none)."""
    db.execute("DELETE FROM settings WHERE key = ?", [key])
