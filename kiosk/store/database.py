"""Opening the kiosk database: journal mode, integrity check, migrations, quarantine.

One :class:`Store` holds the single writer connection of a process. Readers
(on other threads) open their own connections with :meth:`Store.reader`.

Durability: on ordinary disks WAL with ``synchronous=FULL`` (a COMMIT that
returned is on disk). On FAT/exFAT, where WAL is unsafe, a rollback journal
with ``synchronous=EXTRA``. The choice is made at open and logged.

A damaged file is never deleted nor repaired in place: it is moved, with its
``-wal``/``-shm``/``-journal`` companions, to ``quarantine/<time>/`` beside it,
and a fresh database is opened. :class:`OpenReport` tells the caller so that
the screen and the CLI can say it clearly.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlite_utils import Database

from checkin_protocol.private_files import create_private_file, make_private_dir
from kiosk.store.filesystem import filesystem_type, is_fat_family
from kiosk.store.migrations import MIGRATIONS, latest_version, schema_version

log = logging.getLogger(__name__)

#: The handle a store function takes: a transaction from :meth:`Store.write`, or a
#: connection from :meth:`Store.reader`. Code outside ``kiosk.store`` only passes it
#: on to store functions; it never runs SQL on it (import-linter and
#: ``tests/unit/test_layers.py`` check that).
Transaction = Database

#: The database itself failed (full disk, a lock held too long, a damaged file).
#: Callers outside the store catch these names, never ``sqlite3`` ones.
DatabaseFailure = sqlite3.Error
DatabaseBusyOrFull = sqlite3.OperationalError
#: A row broke a constraint (a foreign key, a unique key, a check).
DatabaseIntegrityError = sqlite3.IntegrityError

BUSY_TIMEOUT_MS = 5000
# WAL checkpoints are moved off the commit path: the kiosk calls
# Store.maintain() when idle. This many writes without one force it inline,
# so the WAL cannot grow without bound when nobody calls maintain().
CHECKPOINT_FORCE_AFTER_WRITES = 2000
COMPANION_SUFFIXES = ("-wal", "-shm", "-journal")


class StoreError(Exception):
    """The database cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class OpenReport:
    """What happened when the store was opened."""

    path: Path
    filesystem: str
    journal_mode: str  # "wal" or "delete"
    synchronous: str  # "full" or "extra"
    schema_version: int
    quarantined_to: Path | None = None
    damage: str | None = None


def choose_journal(setting: str, fs_type: str) -> tuple[str, str]:
    """(journal_mode, synchronous) for a ``store.journal`` setting on a filesystem."""
    if setting == "wal" or (setting == "auto" and not is_fat_family(fs_type)):
        return "wal", "full"
    if setting in ("rollback", "auto"):
        return "delete", "extra"
    raise StoreError(f"unknown journal setting {setting!r}; use auto, wal or rollback")


def _connect(path: Path) -> sqlite3.Connection:
    # The writer is built on the main thread and then used only by the GUI's
    # writer thread (one user at a time, by design), hence check_same_thread=False.
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    return conn


def _integrity_problem(path: Path) -> str | None:
    """None when the file is sound, else what SQLite said is wrong."""
    if not path.exists():
        return None
    try:
        conn = _connect(path)
        try:
            rows = conn.execute("PRAGMA quick_check").fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise StoreError(f"the database {path} is in use by another program: {exc}") from exc
        return str(exc)
    messages = [str(row[0]) for row in rows]
    return None if messages == ["ok"] else "; ".join(messages[:5])


def quarantine(path: Path, now: datetime | None = None) -> Path:
    """Move a damaged database and its companions aside, untouched; return the folder."""
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%S%fZ")
    folder = path.parent / "quarantine" / stamp
    folder.mkdir(parents=True, exist_ok=False)
    for candidate in [path, *(path.with_name(path.name + s) for s in COMPANION_SUFFIXES)]:
        if candidate.exists():
            shutil.move(str(candidate), str(folder / candidate.name))
    return folder


class Store:
    """The kiosk database of this process: one writer connection, readers on demand."""

    def __init__(self, path: Path, writer: Database, report: OpenReport) -> None:
        self.path = path
        self.writer = writer
        self.report = report
        self._writes_since_checkpoint = 0
        if report.journal_mode == "wal":
            # An automatic checkpoint runs inside the COMMIT that crosses the
            # threshold and adds its fsyncs to that check-in's latency.
            writer.execute("PRAGMA wal_autocheckpoint=0")

    def reader(self) -> Database:
        """A new read-only connection for the calling thread."""
        uri = f"file:{self.path.as_posix()}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        return Database(conn)

    @contextlib.contextmanager
    def write(self) -> Iterator[Database]:
        """A write transaction that takes the write lock at once (BEGIN IMMEDIATE).

        The block's reads and writes see one consistent state, also when another
        process (the CLI beside the GUI) writes to the same file. The transaction
        is committed when the block ends and rolled back if it raises; when this
        returns, the data is durable.
        """
        conn = self.writer.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.writer
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        self._writes_since_checkpoint += 1
        if self._writes_since_checkpoint >= CHECKPOINT_FORCE_AFTER_WRITES:
            self.maintain()

    def maintain(self) -> None:
        """Copy the WAL back into the database file (a checkpoint); call it when idle.

        Cheap when there is nothing to do; never loses data (the WAL is already
        durable). Errors are logged: a failed checkpoint is retried next time.
        """
        if self.report.journal_mode != "wal" or self._writes_since_checkpoint == 0:
            return
        try:
            self.writer.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error as exc:
            log.warning("checkpoint of %s failed: %s", self.path, exc)
            return
        self._writes_since_checkpoint = 0

    def close(self) -> None:
        self.maintain()
        self.writer.close()


def open_store(path: Path, journal: str = "auto") -> Store:
    """Open (or create) the database at ``path``, ready for writing.

    Raises :class:`StoreError` when the database belongs to a newer version of
    the kiosk or is locked by another program; quarantines a damaged file.
    """
    make_private_dir(path.parent)
    fs_type = filesystem_type(path)
    journal_mode, synchronous = choose_journal(journal, fs_type)
    quarantined_to: Path | None = None
    damage = _integrity_problem(path)
    if damage is not None:
        quarantined_to = quarantine(path)
        log.error("database %s is damaged (%s); moved aside to %s", path, damage, quarantined_to)

    create_private_file(path)  # names and phone numbers: owner-only from the start (SQLite keeps the mode)
    conn = _connect(path)
    actual_mode = str(conn.execute(f"PRAGMA journal_mode={journal_mode}").fetchone()[0]).lower()
    if actual_mode != journal_mode:
        conn.close()
        raise StoreError(f"SQLite refused journal_mode={journal_mode} for {path} (got {actual_mode})")
    conn.execute(f"PRAGMA synchronous={synchronous}")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(
        "PRAGMA secure_delete=ON"
    )  # deleted rows (face templates) are overwritten, not left in free pages
    db = Database(conn)

    known = {m.name for m in MIGRATIONS._migrations}
    unknown = [m.name for m in MIGRATIONS.applied(db) if m.name not in known]
    if unknown:
        conn.close()
        raise StoreError(
            f"the database {path} was written by a newer kiosk version (migrations {', '.join(unknown)}); "
            "install that version or newer"
        )
    before = schema_version(db)
    MIGRATIONS.apply(db)
    version = schema_version(db)
    if version != before and journal_mode == "wal":
        # A migration may have deleted secrets (0009 moved the private keys to key files):
        # copy the WAL back and empty it, so their old pages leave the WAL file too.
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    if version != latest_version():
        conn.close()
        raise StoreError(f"database {path} is at schema {version}, expected {latest_version()}")
    log.info(
        "opened %s on %s filesystem: journal_mode=%s synchronous=%s schema=%d",
        path,
        fs_type,
        journal_mode,
        synchronous,
        version,
    )
    report = OpenReport(path, fs_type, journal_mode, synchronous, version, quarantined_to, damage)
    return Store(path, db, report)
