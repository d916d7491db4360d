"""The rows a page of ``/changes`` writes: upserts and deletes per kind, each change under its savepoint.

:mod:`kiosk.sync.pull` checks each change's fields and calls these inside the
page's write transaction. Activities are saved with
:func:`kiosk.store.activities.save_activity`, trusted keys with
:func:`kiosk.store.trust.trust_key`. Two-part keys are ``"a/b"``; matching the
concatenation is exact even if an ID holds a ``/``.
"""

from __future__ import annotations

from kiosk.store.database import Transaction


def begin_change(db: Transaction) -> None:
    """Open the savepoint ``sync_change`` for one change (:func:`end_change` releases it).

    When applying the change fails in a way the caller does not undo, the
    savepoint is left open: the caller's transaction rolls back the whole page.
    """
    db.execute("SAVEPOINT sync_change")


def undo_change(db: Transaction) -> None:
    """Undo what was written since :func:`begin_change` (the savepoint stays open until :func:`end_change`)."""
    db.execute("ROLLBACK TO sync_change")


def end_change(db: Transaction) -> None:
    """Release the savepoint of :func:`begin_change`: the change is kept, in the caller's transaction."""
    db.execute("RELEASE sync_change")


def upsert_organisation(db: Transaction, org_id: str, name: str, level: str, parent_id: str | None) -> None:
    """Store the platform's current row of an organisation."""
    db.execute(
        "INSERT INTO organisations (org_id, name, level, parent_id) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (org_id) DO UPDATE SET name = excluded.name, level = excluded.level, "
        "parent_id = excluded.parent_id",
        [org_id, name, level, parent_id],
    )


def upsert_volunteer(
    db: Transaction, volunteer_id: str, name: str, phone: str | None, org_id: str | None, active: int
) -> None:
    """Store the platform's current row of a volunteer (``active`` 0 or 1)."""
    db.execute(
        "INSERT INTO volunteers (volunteer_id, name, phone, org_id, active) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (volunteer_id) DO UPDATE SET name = excluded.name, phone = excluded.phone, "
        "org_id = excluded.org_id, active = excluded.active",
        [volunteer_id, name, phone, org_id, active],
    )


def add_signup(db: Transaction, activity_id: str, volunteer_id: str) -> None:
    """Sign ``volunteer_id`` up for ``activity_id`` (nothing when signed up already)."""
    db.execute(
        "INSERT OR IGNORE INTO signups (activity_id, volunteer_id) VALUES (?, ?)",
        [activity_id, volunteer_id],
    )


def upsert_revocation(
    db: Transaction, volunteer_id: str, card_no: int, revoked_utc: str, reason: str | None
) -> None:
    """Revoke a card; revoking it again updates only the reason (``revoked_utc``: ``format_utc`` text)."""
    db.execute(
        "INSERT INTO revocations (volunteer_id, card_no, revoked_utc, reason) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (volunteer_id, card_no) DO UPDATE SET reason = excluded.reason",
        [volunteer_id, card_no, revoked_utc, reason],
    )


def remove_activity(db: Transaction, activity_id: str) -> None:
    """Delete an activity, or only close it when this kiosk holds events of it (its visits keep their title)."""
    if db.execute("SELECT 1 FROM events WHERE activity_id = ? LIMIT 1", [activity_id]).fetchone():
        db.execute("UPDATE activities SET status = 'closed' WHERE activity_id = ?", [activity_id])
    else:
        db.execute("DELETE FROM activities WHERE activity_id = ?", [activity_id])


def delete_organisation(db: Transaction, org_id: str) -> None:
    """Delete an organisation."""
    db.execute("DELETE FROM organisations WHERE org_id = ?", [org_id])


def delete_volunteer(db: Transaction, volunteer_id: str) -> None:
    """Delete a volunteer, and the platform total held for them."""
    db.execute("DELETE FROM volunteers WHERE volunteer_id = ?", [volunteer_id])
    db.execute("DELETE FROM volunteer_totals WHERE volunteer_id = ?", [volunteer_id])


def delete_signup(db: Transaction, key: str) -> None:
    """Delete the signup ``key`` (``"activity_id/volunteer_id"``)."""
    db.execute("DELETE FROM signups WHERE activity_id || '/' || volunteer_id = ?", [key])


def delete_revocation(db: Transaction, key: str) -> None:
    """Delete the revocation ``key`` (``"volunteer_id/card_no"``): the card is valid again."""
    db.execute("DELETE FROM revocations WHERE volunteer_id || '/' || card_no = ?", [key])


def delete_platform_key(db: Transaction, key_id: str) -> None:
    """Stop trusting a key the platform withdrew; never a demo key kept on purpose."""
    db.execute("DELETE FROM trusted_keys WHERE key_id = ? AND source != 'demo'", [key_id])
