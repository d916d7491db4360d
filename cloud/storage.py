"""The cloud store: one SQLite file in WAL mode, a small connection pool, one writer at a time.

Threads: the server runs sync endpoints in a thread pool, so connections are
opened with ``check_same_thread=False`` and lent to one thread at a time.
Readers run in parallel (WAL). Writers queue on a :class:`threading.Lock`
*before* ``BEGIN IMMEDIATE``: waiting in Python is fair and immediate,
whereas SQLite's busy handler sleeps and retries, which under 200 kiosks
pushing at once gives long, uneven waits. ``busy_timeout`` still covers a
second process (the ``kiosk-cloud`` command beside a running server).

Durability: ``synchronous=FULL``, so a push is answered only after its
transaction is on disk. ``secure_delete`` is on: deleted rows (face
templates) are overwritten, not left in free pages, and :meth:`CloudStore.checkpoint`
empties the WAL after a face deletion.

Interface: :meth:`CloudStore.read` and :meth:`CloudStore.write` give a
:class:`cloud.queries.Reader` / :class:`cloud.queries.Writer`; that and
:meth:`CloudStore.import_roster` are all the rest of the server uses, so a
PostgreSQL store offers the same methods. The SQLite-only parts are marked
``SQLite:``.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Protocol, Self

from sqlite_utils import Database

from checkin_protocol.roster_file import ImportReport, read_roster_file
from cloud.queries import Reader, Writer
from cloud.schema import migrate

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000
MAX_IDLE_CONNECTIONS = 16


class DatabaseUnavailable(RuntimeError):
    """The database cannot be reached (a PostgreSQL server down or refusing); the message says where."""


class Storage(Protocol):
    """What the server needs of its database: :class:`CloudStore` (SQLite) or
    :class:`cloud.storage_postgres.PostgresCloudStore` (PostgreSQL)."""

    def read(self) -> AbstractContextManager[Reader]: ...

    def write(self) -> AbstractContextManager[Writer]: ...

    def checkpoint(self, busy_timeout_ms: int = 250) -> bool: ...

    def import_roster(self, path: Path, *, skip_bad_rows: bool = False) -> ImportReport: ...

    def table_counts(self) -> dict[str, int]: ...

    def close(self) -> None: ...


def is_postgres_url(database: str | Path) -> bool:
    """Whether ``database`` names a PostgreSQL database (``postgresql://…`` or ``postgres://…``)."""
    return str(database).startswith(("postgresql://", "postgres://"))


def open_cloud_store(database: str | Path) -> Storage:
    """The store for ``database``: a ``postgresql://`` URL, or the path of a SQLite file (the default)."""
    if is_postgres_url(database):
        from cloud.storage_postgres import PostgresCloudStore  # psycopg only when PostgreSQL is used

        return PostgresCloudStore.open(str(database))
    return CloudStore.open(Path(database))


class StoreOperations:
    """What both stores do the same way, through their ``read``, ``write`` and ``close``."""

    def read(self) -> AbstractContextManager[Reader]:
        raise NotImplementedError

    def write(self) -> AbstractContextManager[Writer]:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def import_roster(self, path: Path, *, skip_bad_rows: bool = False) -> ImportReport:
        """Import a roster file: read and checked by :mod:`checkin_protocol.roster_file`, upserted in one transaction."""
        with self.write() as writer:
            roster = read_roster_file(path, writer.organisation_ids())
            if not roster.should_write(skip_bad_rows):
                return roster.unwritten_report()
            inserted, changed = writer.upsert_roster(roster)
            writer.rebuild_org_ancestors()  # the dashboard's areas (cloud.dashboard_queries)
        return roster.written_report(inserted, changed)

    def table_counts(self) -> dict[str, int]:
        """Rows per table, from one snapshot."""
        with self.read() as reader:
            return reader.table_counts()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class CloudStore(StoreOperations):
    """The server's database. Open with :meth:`open`; safe to share between threads."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._idle: list[sqlite3.Connection] = []
        self._pool_lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._closed = False

    @classmethod
    def open(cls, path: Path) -> CloudStore:
        """Open (creating if needed) the database at ``path`` and bring its schema up to date."""
        store = cls(path)
        with store._connection() as conn:
            conn.execute("PRAGMA journal_mode=WAL")  # SQLite: persistent, set once per file
        with store._write_lock, store._connection() as conn:
            migrate(Database(conn))
        return store

    def _connect(self) -> sqlite3.Connection:
        # SQLite: isolation_level=None leaves every transaction to read()/write(); no implicit BEGIN.
        conn = sqlite3.connect(
            str(self.path), timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA secure_delete=ON")  # SQLite: deleted face ciphertexts are overwritten
        return conn

    @contextlib.contextmanager
    def _connection(self) -> Iterator[sqlite3.Connection]:
        """Lend a connection to this thread for the block."""
        with self._pool_lock:
            if self._closed:
                raise RuntimeError("the cloud store is closed")
            conn = self._idle.pop() if self._idle else None
        if conn is None:
            conn = self._connect()
        try:
            yield conn
        finally:
            if conn.in_transaction:  # only after an error inside a block
                conn.rollback()
            with self._pool_lock:
                keep = not self._closed and len(self._idle) < MAX_IDLE_CONNECTIONS
                if keep:
                    self._idle.append(conn)
            if not keep:
                conn.close()

    @contextlib.contextmanager
    def read(self) -> Iterator[Reader]:
        """A :class:`Reader` on one consistent snapshot for the block."""
        with self._connection() as conn:
            conn.execute("BEGIN")
            try:
                yield Reader(conn)
            finally:
                conn.execute("ROLLBACK")

    @contextlib.contextmanager
    def write(self) -> Iterator[Writer]:
        """A :class:`Writer` in one transaction: committed when the block ends, rolled back on an exception."""
        with self._write_lock, self._connection() as conn:
            conn.execute("BEGIN IMMEDIATE")  # SQLite: take the write lock now, not at the first write
            try:
                yield Writer(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def checkpoint(self, busy_timeout_ms: int = 250) -> bool:
        """Copy the WAL into the database and empty it (after deletions); True when it was emptied.

        SQLite: best effort. A reader still on an older snapshot keeps the WAL;
        then the next checkpoint empties it. Waits at most ``busy_timeout_ms``
        and holds up writers of this process meanwhile.
        """
        with self._write_lock, self._connection() as conn:
            conn.execute(f"PRAGMA busy_timeout={busy_timeout_ms}")
            try:
                busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            except sqlite3.OperationalError as exc:
                log.info("the WAL could not be emptied now: %s", exc)
                busy = 1
            finally:
                conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        if busy:
            log.info("the WAL could not be emptied now (a reader was busy); the next checkpoint will")
        return not busy

    def close(self) -> None:
        """Close the idle connections; connections still lent out close when returned."""
        with self._pool_lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            conn.close()
