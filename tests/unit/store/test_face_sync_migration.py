"""Migration 0007: face data stored before face sync existed is queued for the cloud."""

from __future__ import annotations

from pathlib import Path

from sqlite_utils import Database

from kiosk.store.migrations import MIGRATIONS


def test_enrolments_and_deletions_made_before_the_upgrade_are_queued_once(tmp_path: Path) -> None:
    db = Database(tmp_path / "k.db")
    MIGRATIONS.apply(db, stop_before="0007_face_sync")
    for template_id, volunteer, created in (("t1", "V1", "2026-11-01"), ("t2", "V1", "2026-11-02")):
        db.execute(
            "INSERT INTO face_templates (template_id, volunteer_id, model_version, nonce, ciphertext, created_utc) "
            "VALUES (?, ?, 'dlib-resnet-v1', x'00', x'00', ?)",
            [template_id, volunteer, created],
        )
    db.execute(
        "INSERT INTO face_deletions (volunteer_id, deleted_utc, coordinator) VALUES ('V2', '2026-10-01', 'c1')"
    )
    db.conn.commit()

    MIGRATIONS.apply(db)

    rows = db.execute(
        "SELECT kind, volunteer_id, at_utc, settled_utc FROM face_outbox ORDER BY seq"
    ).fetchall()
    assert rows == [("deletion", "V2", "2026-10-01", None), ("enrolment", "V1", "2026-11-02", None)]
    marks = dict(db.execute("SELECT volunteer_id, kind FROM face_sync").fetchall())
    assert marks == {"V1": "enrolment", "V2": "deletion"}
    assert "origin_kiosk" in db["face_consents"].columns_dict
