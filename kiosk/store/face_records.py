"""Consents and deletion marks as face records change them, here or from the cloud.

A face record received from the cloud (:mod:`kiosk.sync.face_pull`) copies
its consent here or withdraws every consent of the volunteer; an enrolment
sent to the cloud (:mod:`kiosk.sync.face_push`) carries the volunteer's
active consent; the desk's enrolments and deletions
(:mod:`kiosk.services.face_enrolment`) clear the deletion mark or withdraw the
consent too. Functions here run inside the caller's transaction (or as plain
reads). The desk's own consent rows are :mod:`kiosk.store.face_consents`'s,
the templates :mod:`kiosk.store.face_templates`'s, the records' bookkeeping
:mod:`kiosk.store.face_sync`'s.
"""

from __future__ import annotations

from kiosk.store.database import Transaction


def save_received_consent(
    db: Transaction,
    volunteer_id: str,
    consented_utc: str,
    coordinator: str,
    notice_version: str,
    origin_kiosk: str,
) -> None:
    """Store the consent of an enrolment from the cloud, active (replacing one held here)."""
    db.execute(
        "INSERT INTO face_consents (volunteer_id, consented_utc, coordinator, notice_version, origin_kiosk) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (volunteer_id) DO UPDATE SET consented_utc = excluded.consented_utc, "
        "coordinator = excluded.coordinator, notice_version = excluded.notice_version, withdrawn_utc = NULL, "
        "origin_kiosk = excluded.origin_kiosk",
        [volunteer_id, consented_utc, coordinator, notice_version, origin_kiosk],
    )


def forget_deletion(db: Transaction, volunteer_id: str) -> None:
    """Remove the mark that the volunteer's face data was deleted (a newer enrolment came)."""
    db.execute("DELETE FROM face_deletions WHERE volunteer_id = ?", [volunteer_id])


def withdraw_consents(db: Transaction, volunteer_id: str, withdrawn_utc: str) -> None:
    """Withdraw the volunteer's active consent as of ``withdrawn_utc`` (``format_utc`` text)."""
    db.execute(
        "UPDATE face_consents SET withdrawn_utc = ? WHERE volunteer_id = ? AND withdrawn_utc IS NULL",
        [withdrawn_utc, volunteer_id],
    )


def active_consent(db: Transaction, volunteer_id: str) -> tuple[str, str, str] | None:
    """(consented_utc, coordinator, notice_version) of the volunteer's active consent, or None."""
    row = db.execute(
        "SELECT consented_utc, coordinator, notice_version FROM face_consents "
        "WHERE volunteer_id = ? AND withdrawn_utc IS NULL",
        [volunteer_id],
    ).fetchone()
    return None if row is None else (str(row[0]), str(row[1]), str(row[2]))
