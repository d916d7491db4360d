"""USB bundles in the database: those imported (``imported_bundles``), and those exported (the audit log).

A bundle imported once is recognised by its ID and changes nothing the second
time (:mod:`kiosk.sync.usb`). An export leaves only an audit entry
(``usb_exported``, naming its bundle IDs), which an update may refer to.
Functions here run inside the caller's transaction (or as plain reads).
"""

from __future__ import annotations

from kiosk.store.database import Transaction


def imported_before(db: Transaction, bundle_id: str) -> str | None:
    """When the bundle ``bundle_id`` was imported (``format_utc`` text), or None when it was not."""
    row = db.execute("SELECT imported_utc FROM imported_bundles WHERE bundle_id = ?", [bundle_id]).fetchone()
    return None if row is None else str(row[0])


def record_imported(
    db: Transaction, bundle_id: str, kind: str, created_utc: str, imported_utc: str, summary: str
) -> None:
    """Remember an imported bundle: its kind, when it was made and imported, and a JSON summary."""
    db.execute(
        "INSERT INTO imported_bundles (bundle_id, kind, created_utc, imported_utc, summary) VALUES (?, ?, ?, ?, ?)",
        [bundle_id, kind, created_utc, imported_utc, summary],
    )


def exported_here(db: Transaction, bundle_id: str) -> bool:
    """Whether the audit log names ``bundle_id`` in a ``usb_exported`` entry (this database exported it)."""
    pattern = f'%"{bundle_id}"%'
    row = db.execute(
        "SELECT 1 FROM audit_log WHERE action = 'usb_exported' AND detail LIKE ? LIMIT 1", [pattern]
    ).fetchone()
    return row is not None


def last_import_utc(db: Transaction) -> str | None:
    """When the latest bundle was imported (``format_utc`` text), or None when none was."""
    value = db.execute("SELECT MAX(imported_utc) FROM imported_bundles").fetchone()[0]
    return None if value is None else str(value)
