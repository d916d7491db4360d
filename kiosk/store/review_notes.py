"""The ``review_notes`` table: what coordinators and volunteers said about visits in the review queue.

A note names its subject (a visit's check-in, or a flagged event) and its
kind: ``confirmed`` and ``corrected`` settle the item; ``leave_answer`` keeps a
volunteer's answer to "when did you leave?" (``proposed_out_utc``, empty for
"I don't remember"). The rules are :mod:`kiosk.services.review`'s.

Functions here run inside the caller's transaction (or as plain reads).
"""

from __future__ import annotations

from datetime import datetime

from checkin_protocol.event_rows import format_utc
from kiosk.store.database import Transaction


def settled_subjects(db: Transaction) -> set[str]:
    """The events whose review item a coordinator confirmed or corrected."""
    rows = db.execute("SELECT subject_event_id FROM review_notes WHERE kind IN ('confirmed', 'corrected')")
    return {r[0] for r in rows}


def leave_answers(db: Transaction) -> dict[str, datetime]:
    """Each check-in's latest "when did you leave?" answer that gave a time."""
    rows = db.execute(
        "SELECT subject_event_id, proposed_out_utc FROM review_notes WHERE kind = 'leave_answer' ORDER BY note_id"
    )
    return {r[0]: datetime.fromisoformat(r[1]) for r in rows if r[1]}


def noted_subjects(db: Transaction) -> set[str]:
    """The events with any note (settled, or answered by the volunteer)."""
    return {r[0] for r in db.execute("SELECT subject_event_id FROM review_notes")}


def add_review_note(
    db: Transaction,
    subject: str,
    kind: str,
    at: datetime,
    actor: str | None = None,
    reason: str | None = None,
    proposed_out: datetime | None = None,
    correction: str | None = None,
) -> None:
    """Add a note of ``kind`` about ``subject``, made at ``at`` (by ``actor``, for ``reason``)."""
    db.execute(
        "INSERT INTO review_notes (subject_event_id, kind, actor, reason, proposed_out_utc, "
        "correction_event_id, created_utc) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            subject,
            kind,
            actor,
            reason,
            None if proposed_out is None else format_utc(proposed_out),
            correction,
            format_utc(at),
        ],
    )
