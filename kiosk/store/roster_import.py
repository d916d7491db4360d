"""Import the roster (volunteers and their organisations) from CSV or JSON Lines into the kiosk database.

The file is read and checked by :mod:`checkin_protocol.roster_file` (formats,
limits, row rules); here the good rows are written in one transaction as
upserts that touch a row only when a value differs, so importing the same file
again changes nothing, and the report tells new, updated and unchanged
volunteers apart. By default one bad row means nothing is imported; with
``skip_bad_rows`` the good rows are. A file that cannot be read as a roster
raises :class:`RosterImportError` and changes nothing.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlite_utils import Database

from checkin_protocol.roster_file import (
    ImportReport,
    RosterFile,
    RosterImportError,
    read_roster_file,
    roster_upserts,
)

__all__ = ["ImportReport", "RosterImportError", "import_roster"]


@contextlib.contextmanager
def _write_transaction(db: Database) -> Iterator[None]:
    """One transaction that holds the write lock from its start.

    ``BEGIN IMMEDIATE`` rather than a deferred ``BEGIN``: the import reads the
    table before it writes, and in WAL mode a deferred transaction whose
    snapshot went stale cannot be upgraded to a writer. Inside a caller's
    transaction, a savepoint.
    """
    conn = db.conn
    if conn.in_transaction:
        with db.atomic():
            yield
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _write(db: Database, roster: RosterFile) -> tuple[int, int]:
    """Upsert organisations and volunteers in one transaction; (inserted, changed) volunteers."""
    org_sql, volunteer_sql = roster_upserts(roster.present)
    conn = db.conn
    try:
        with _write_transaction(db):
            before = conn.execute("SELECT COUNT(*) FROM volunteers").fetchone()[0]
            conn.executemany(org_sql, roster.orgs)
            changed = conn.executemany(volunteer_sql, roster.volunteers).rowcount
            after = conn.execute("SELECT COUNT(*) FROM volunteers").fetchone()[0]
    except sqlite3.OperationalError as exc:
        raise RosterImportError(
            f"the kiosk database refused the import ({exc}); nothing was changed. "
            "If another kiosk program is writing, try again in a moment"
        ) from None
    return int(after) - int(before), int(changed)


def import_roster(db: Database, path: Path, *, skip_bad_rows: bool = False) -> ImportReport:
    """Import volunteers and organisations from a CSV or JSON Lines file into ``db``.

    Raises :class:`RosterImportError` (nothing changed) when the file cannot be
    read as a roster. Otherwise returns the report; with bad rows and without
    ``skip_bad_rows`` nothing is written and ``imported`` is False.
    """
    known_org_ids = {row[0] for row in db.conn.execute("SELECT org_id FROM organisations")}
    roster = read_roster_file(path, known_org_ids)
    if not roster.should_write(skip_bad_rows):
        return roster.unwritten_report()
    inserted, changed = _write(db, roster)
    return roster.written_report(inserted, changed)
