"""Schema migrations: from empty, and from every earlier version, with data kept."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from kiosk.store.migrations import MIGRATIONS, latest_version, schema_version

MIGRATION_NAMES = [m.name for m in MIGRATIONS._migrations]


def _schema(db: Database) -> set[tuple[str, str]]:
    return {
        (row[0], row[1])
        for row in db.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
    }


def _seed_what_exists(db: Database) -> None:
    """Put one row into each table that the applied migrations created."""
    tables = set(db.table_names())
    if "volunteers" in tables:
        db.execute("INSERT INTO volunteers (volunteer_id, name) VALUES ('V1', '雷彩霞')")
    if "trusted_keys" in tables:
        db.execute(
            "INSERT INTO trusted_keys (key_id, public_key, added_utc, source) VALUES ('k1', 'AAAA', 't', 'test')"
        )
    db.conn.commit()


def test_from_empty_reaches_latest_version(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.db")
    MIGRATIONS.apply(db)
    assert schema_version(db) == latest_version() == len(MIGRATION_NAMES)
    assert {"volunteers", "events", "outbox", "audit_log", "trusted_keys"} <= set(db.table_names())


@pytest.mark.parametrize("stop_before", MIGRATION_NAMES[1:] or [None])
def test_upgrade_from_each_earlier_version_keeps_data(tmp_path: Path, stop_before: str | None) -> None:
    fresh = Database(tmp_path / "fresh.db")
    MIGRATIONS.apply(fresh)

    old = Database(tmp_path / "old.db")
    MIGRATIONS.apply(old, stop_before=stop_before)
    _seed_what_exists(old)
    seeded = {t: old[t].count for t in old.table_names() if not t.startswith("_")}
    MIGRATIONS.apply(old)

    assert _schema(old) == _schema(fresh)
    for table, count in seeded.items():
        assert old[table].count == count, f"rows of {table} were lost by the upgrade"


def test_applying_twice_changes_nothing(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.db")
    MIGRATIONS.apply(db)
    before = _schema(db)
    MIGRATIONS.apply(db)
    assert _schema(db) == before
    assert schema_version(db) == latest_version()


@pytest.mark.parametrize("table", ["events", "audit_log"])
def test_fact_tables_refuse_update_and_delete(tmp_path: Path, table: str) -> None:
    db = Database(tmp_path / "k.db")
    MIGRATIONS.apply(db)
    if table == "events":
        db.execute(
            "INSERT INTO events (event_id, kiosk_id, seq, volunteer_id, activity_id, action, method, wall_utc,"
            " utc_offset_min, monotonic_ns, boot_id) VALUES ('e1','K',1,'V1','A1','in','qr','t',480,1,'b')"
        )
    else:
        db.execute(
            "INSERT INTO audit_log (at_utc, kiosk_id, action, detail, prev_hash, hash)"
            " VALUES ('t','K','x','{}','0','1')"
        )
    db.conn.commit()
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute(f"DELETE FROM {table}")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute(f"UPDATE {table} SET kiosk_id = 'other'")
