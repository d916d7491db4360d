"""The ``face_qr_only`` table: volunteers who check in by QR code only, and why (migration 0011).

At enrolment a new face that the kiosk would take for another volunteer's
(or that is nearly the same face) stops for the coordinator
(:mod:`kiosk.services.face_enrolment`), who answers with a reason:

- :data:`SAME_PERSON`: one person registered twice; no templates are kept
  for this volunteer ID, they check in by QR code until the platform merges
  the two accounts;
- :data:`LOOK_ALIKE`: two people the model cannot tell apart; this
  volunteer's templates are kept but never named
  (:class:`kiosk.face.matching.Gallery`'s ``qr_only``), so their face is
  never checked in as their look-alike.

A row holds IDs, the coordinator and a time, never face data; it stays when
the volunteer's templates are deleted. Functions here run inside the
caller's transaction (or as plain reads).

A ``look_alike`` mark travels with the enrolment it was decided with
(docs/sync-protocol.md, "Face templates"): :mod:`kiosk.sync.face_push` sends
it, and a kiosk that receives the enrolment (:mod:`kiosk.sync.face_pull`)
saves it, or, for an enrolment without one, clears the ``look_alike`` mark it
held (:func:`clear_look_alike`). A ``same_person`` mark keeps no templates,
so no enrolment carries it: it stays on the kiosk that decided it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kiosk.store.database import Transaction

SAME_PERSON = "same_person"
"""The new face is the other volunteer's: the same person registered twice."""
LOOK_ALIKE = "look_alike"
"""Two different people whom the face model cannot tell apart."""
REASONS = (SAME_PERSON, LOOK_ALIKE)

_COLUMNS = "volunteer_id, other_volunteer_id, reason, coordinator, decided_utc"


@dataclass(frozen=True)
class QrOnlyMark:
    """A coordinator's decision that a volunteer checks in by QR code only (time as ``format_utc`` text)."""

    volunteer_id: str
    other_volunteer_id: str
    reason: str
    coordinator: str
    decided_utc: str


def save_qr_only(
    db: Transaction,
    volunteer_id: str,
    other_volunteer_id: str,
    reason: str,
    coordinator: str,
    decided_utc: str,
) -> None:
    """Record (or replace) the volunteer's QR-only decision."""
    if reason not in REASONS:
        raise ValueError(f"a QR-only reason is one of {REASONS}, not {reason!r}")
    db.execute(
        f"INSERT INTO face_qr_only ({_COLUMNS}) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (volunteer_id) DO UPDATE SET other_volunteer_id = excluded.other_volunteer_id, "
        "reason = excluded.reason, coordinator = excluded.coordinator, decided_utc = excluded.decided_utc",
        [volunteer_id, other_volunteer_id, reason, coordinator, decided_utc],
    )


def clear_qr_only(db: Transaction, volunteer_id: str) -> bool:
    """Forget the volunteer's QR-only decision; whether there was one."""
    return bool(db.execute("DELETE FROM face_qr_only WHERE volunteer_id = ?", [volunteer_id]).rowcount)


def clear_look_alike(db: Transaction, volunteer_id: str) -> bool:
    """Forget the volunteer's :data:`LOOK_ALIKE` mark (a :data:`SAME_PERSON` one stays); whether there was one."""
    cursor = db.execute(
        "DELETE FROM face_qr_only WHERE volunteer_id = ? AND reason = ?", [volunteer_id, LOOK_ALIKE]
    )
    return bool(cursor.rowcount)


def qr_only_mark(db: Transaction, volunteer_id: str) -> QrOnlyMark | None:
    """The volunteer's QR-only decision, or None."""
    row = db.execute(f"SELECT {_COLUMNS} FROM face_qr_only WHERE volunteer_id = ?", [volunteer_id]).fetchone()
    return None if row is None else QrOnlyMark(*row)


def qr_only_marks(db: Transaction, volunteer_ids: Sequence[str]) -> dict[str, QrOnlyMark]:
    """The QR-only decisions of those of ``volunteer_ids`` that have one."""
    marks = ", ".join("?" * len(volunteer_ids))
    return {
        str(row[0]): QrOnlyMark(*row)
        for row in db.execute(
            f"SELECT {_COLUMNS} FROM face_qr_only WHERE volunteer_id IN ({marks})", list(volunteer_ids)
        )
    }


def qr_only_volunteers(db: Transaction) -> set[str]:
    """Every volunteer who checks in by QR code only, whatever the reason."""
    return {str(row[0]) for row in db.execute("SELECT volunteer_id FROM face_qr_only")}


def qr_only_changes(db: Transaction) -> list[tuple[str, str, str, str]]:
    """(volunteer, other volunteer, reason, when) of every decision: what the gallery depends on."""
    rows: list[tuple[str, str, str, str]] = db.execute(
        "SELECT volunteer_id, other_volunteer_id, reason, decided_utc FROM face_qr_only ORDER BY volunteer_id"
    ).fetchall()
    return rows
