"""Migration 0013_passes and the passes store: old events keep no credential, steps only go up."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from checkin_protocol.event_rows import EVENT_COLUMNS, row_to_event
from kiosk.store import passes
from kiosk.store.database import Store, open_store
from kiosk.store.migrations import MIGRATIONS

KEY = "A" * 43 + "="


def _old_event(db: Database) -> None:
    db.execute(
        "INSERT INTO events (event_id, kiosk_id, seq, volunteer_id, activity_id, action, method, wall_utc,"
        " utc_offset_min, monotonic_ns, boot_id) VALUES"
        " ('e1','K',1,'V1','A1','in','qr','2026-11-29T01:00:00.000+00:00',480,1,'b')"
    )
    db.conn.commit()


def test_events_of_a_database_before_the_migration_read_back_with_no_credential(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.db")
    MIGRATIONS.apply(db, stop_before="0013_passes")
    _old_event(db)
    MIGRATIONS.apply(db)

    row = db.execute(f"SELECT {', '.join(EVENT_COLUMNS)} FROM events").fetchone()
    assert row_to_event(row).credential is None
    assert {"passes", "pass_steps"} <= set(db.table_names())
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        db.execute("UPDATE events SET credential = 'pass'")


def test_a_credential_other_than_card_or_pass_is_refused(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.db")
    MIGRATIONS.apply(db)
    with pytest.raises(sqlite3.IntegrityError):
        db.execute(
            "INSERT INTO events (event_id, kiosk_id, seq, volunteer_id, activity_id, action, method, wall_utc,"
            " utc_offset_min, monotonic_ns, boot_id, credential) VALUES"
            " ('e1','K',1,'V1','A1','in','qr','t',480,1,'b','face')"
        )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return open_store(tmp_path / "kiosk.db")


def test_a_pass_is_stored_updated_and_deleted_with_its_step(store: Store) -> None:
    with store.write() as db:
        passes.upsert_pass(db, "P1", "V1", KEY, "2026-11-01T00:00:00.000+00:00", None)
        passes.upsert_pass(db, "P2", "V1", KEY, "2026-11-02T00:00:00.000+00:00", None)
        passes.record_step(db, "P1", 10, "2026-11-29T01:00:00.000+00:00")
    first = passes.get_pass(store.writer, "P1")
    assert first is not None and not first.revoked and first.volunteer_id == "V1"

    with store.write() as db:  # the platform revokes it: the same change again changes nothing more
        for _ in range(2):
            passes.upsert_pass(
                db, "P1", "V1", KEY, "2026-11-01T00:00:00.000+00:00", "2026-11-02T00:00:00.000+00:00"
            )
    revoked = passes.get_pass(store.writer, "P1")
    assert revoked is not None and revoked.revoked and revoked.revoked_utc == "2026-11-02T00:00:00.000+00:00"
    assert [p.pass_id for p in passes.passes_of(store.writer, "V1")] == ["P1", "P2"]

    with store.write() as db:
        passes.delete_pass(db, "P1")
    assert passes.get_pass(store.writer, "P1") is None
    assert passes.last_step(store.writer, "P1") is None
    assert passes.get_pass(store.writer, "P2") is not None


def test_the_remembered_step_never_goes_down(store: Store) -> None:
    assert passes.last_step(store.writer, "P1") is None
    with store.write() as db:
        passes.record_step(db, "P1", 10, "t1")
        passes.record_step(db, "P1", 9, "t2")
    assert passes.last_step(store.writer, "P1") == 10
    assert store.writer.execute("SELECT used_utc FROM pass_steps").fetchone()[0] == "t1"
    with store.write() as db:
        passes.record_step(db, "P1", 11, "t3")
    assert passes.last_step(store.writer, "P1") == 11


def test_a_step_recorded_in_a_transaction_that_fails_is_not_kept(store: Store) -> None:
    with pytest.raises(RuntimeError), store.write() as db:
        passes.record_step(db, "P1", 10, "t1")
        raise RuntimeError("the check-in failed after the step was written")
    assert passes.last_step(store.writer, "P1") is None
