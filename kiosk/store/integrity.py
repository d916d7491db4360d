"""Looking at the database file itself: a read-only connection of one's own, and SQLite's own checks.

For the self-test and ``kiosk doctor``, which only read (and still run when
the kiosk could not open its store, e.g. a read-only stick). Opening the
store for writing, with its own integrity check, is :mod:`kiosk.store.database`'s.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kiosk.store.database import BUSY_TIMEOUT_MS, Transaction

_SYNCHRONOUS_NAMES = {0: "off", 1: "normal", 2: "full", 3: "extra"}


def open_read_only(database: Path) -> Transaction:
    """A read-only connection of the caller's own (close it when done).

    Falls back to SQLite's ``immutable`` mode for a database on a read-only
    folder, where a WAL database cannot otherwise be opened at all. Raises
    :data:`~kiosk.store.database.DatabaseFailure` when it cannot be read.
    """
    if not database.is_file():
        raise sqlite3.OperationalError(f"{database} does not exist")
    last: sqlite3.Error | None = None
    for mode in ("ro", "ro&immutable=1"):
        try:
            conn = sqlite3.connect(
                f"file:{database.as_posix()}?mode={mode}", uri=True, timeout=BUSY_TIMEOUT_MS / 1000
            )
            conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        except sqlite3.Error as exc:
            last = exc
            continue
        return Transaction(conn)
    assert last is not None
    raise last


def integrity_problems(db: Transaction, pragma: str) -> list[str]:
    """What ``PRAGMA quick_check`` or ``PRAGMA integrity_check`` says: ``["ok"]`` for a sound file."""
    if pragma not in ("quick_check", "integrity_check"):
        raise ValueError(f"not an integrity check: {pragma!r}")
    return [str(r[0]) for r in db.execute(f"PRAGMA {pragma}").fetchall()]


def synchronous_name(db: Transaction) -> str:
    """The ``synchronous`` setting of a connection, as a name (``full``, ``extra``, …; ``?`` if unknown)."""
    return _SYNCHRONOUS_NAMES.get(int(db.execute("PRAGMA synchronous").fetchone()[0]), "?")


def journal_mode(db: Transaction) -> str:
    """The journal mode of the database as a connection sees it (``wal`` is kept in the file)."""
    return str(db.execute("PRAGMA journal_mode").fetchone()[0]).lower()
