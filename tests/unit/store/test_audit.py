"""The hash-chained audit log finds any change to an earlier entry."""

from __future__ import annotations

from pathlib import Path

from checkin_protocol.models import utc
from kiosk.store.audit import append_audit, verify_chain
from kiosk.store.database import open_store


def test_chain_verifies_and_a_forged_entry_is_found(tmp_path: Path) -> None:
    store = open_store(tmp_path / "kiosk.db")
    with store.write() as db:
        for n in range(5):
            append_audit(
                db, kiosk_id="K1", action="scan.refused", at=utc(2026, 11, 29, 9, n), detail={"n": n}
            )
    check = verify_chain(store.writer)
    assert check.ok and check.entries == 5

    # Someone with a SQLite shell drops the append-only trigger and edits entry 3.
    store.writer.execute("DROP TRIGGER audit_log_no_update")
    store.writer.execute("UPDATE audit_log SET detail = '{\"n\":99}' WHERE id = 3")
    store.writer.conn.commit()
    check = verify_chain(store.writer)
    assert not check.ok
    assert check.first_bad_id == 3
    store.close()
