"""The ``face_consents`` and ``face_deletions`` tables as this kiosk's desk writes and reads them.

A consent records when a volunteer agreed to face check-in, before which
coordinator and after which notice; a withdrawn one keeps its row with
``withdrawn_utc`` set. A deletion mark records that a volunteer's face data was
deleted here. The rules are :mod:`kiosk.services.face_enrolment`'s; what the
cloud's face records bring is :mod:`kiosk.store.face_records`'.

Functions here run inside the caller's transaction (or as plain reads).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.store.database import Transaction


@dataclass(frozen=True)
class Consent:
    """A volunteer's recorded consent to face check-in (times as ``format_utc`` text)."""

    volunteer_id: str
    consented_utc: str
    coordinator: str
    notice_version: str
    withdrawn_utc: str | None
    #: The kiosk where the consent was recorded, when it came from the cloud (None: here, or not read).
    origin_kiosk: str | None = None

    @property
    def active(self) -> bool:
        """Not withdrawn."""
        return self.withdrawn_utc is None


def consent_record(db: Transaction, volunteer_id: str) -> Consent | None:
    """The volunteer's consent, active or withdrawn, with its origin; None if none was ever recorded."""
    row = db.execute(
        "SELECT volunteer_id, consented_utc, coordinator, notice_version, withdrawn_utc, origin_kiosk "
        "FROM face_consents WHERE volunteer_id = ?",
        [volunteer_id],
    ).fetchone()
    return None if row is None else Consent(*row)


def consent_records(db: Transaction, volunteer_ids: Sequence[str]) -> dict[str, Consent]:
    """The consents of those of ``volunteer_ids`` that have one (``origin_kiosk`` is not read)."""
    marks = ", ".join("?" * len(volunteer_ids))
    return {
        str(row[0]): Consent(*row)
        for row in db.execute(
            "SELECT volunteer_id, consented_utc, coordinator, notice_version, withdrawn_utc "
            f"FROM face_consents WHERE volunteer_id IN ({marks})",
            list(volunteer_ids),
        )
    }


def save_consent(
    db: Transaction, volunteer_id: str, consented_utc: str, coordinator: str, notice_version: str
) -> None:
    """Store a consent recorded here, active (replacing any earlier one, withdrawn or not)."""
    db.execute(
        "INSERT INTO face_consents (volunteer_id, consented_utc, coordinator, notice_version) "
        "VALUES (?, ?, ?, ?) ON CONFLICT (volunteer_id) DO UPDATE SET consented_utc = excluded.consented_utc, "
        "coordinator = excluded.coordinator, notice_version = excluded.notice_version, withdrawn_utc = NULL, "
        "origin_kiosk = NULL",
        [volunteer_id, consented_utc, coordinator, notice_version],
    )


def save_deletion(db: Transaction, volunteer_id: str, deleted_utc: str, coordinator: str) -> None:
    """Mark that the volunteer's face data was deleted here, when and by whom (replacing an earlier mark)."""
    db.execute(
        "INSERT INTO face_deletions (volunteer_id, deleted_utc, coordinator) VALUES (?, ?, ?) "
        "ON CONFLICT (volunteer_id) DO UPDATE SET deleted_utc = excluded.deleted_utc, "
        "coordinator = excluded.coordinator",
        [volunteer_id, deleted_utc, coordinator],
    )


def volunteers_with_active_consent(db: Transaction) -> set[str]:
    """The IDs of the volunteers whose consent is not withdrawn."""
    return {
        str(r[0]) for r in db.execute("SELECT volunteer_id FROM face_consents WHERE withdrawn_utc IS NULL")
    }


def consent_changes(db: Transaction) -> list[tuple[str, str, str | None]]:
    """(volunteer_id, consented_utc, withdrawn_utc) of every consent, by volunteer: what the gallery depends on."""
    rows: list[tuple[str, str, str | None]] = db.execute(
        "SELECT volunteer_id, consented_utc, withdrawn_utc FROM face_consents ORDER BY volunteer_id"
    ).fetchall()
    return rows
