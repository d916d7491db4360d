"""The cloud store on PostgreSQL: the same :class:`Reader` / :class:`Writer` as on SQLite, over a connection pool.

Open it with :meth:`PostgresCloudStore.open` and a ``postgresql://`` URL;
:func:`cloud.storage.open_cloud_store` picks it for such a URL. The schema
is :mod:`cloud.schema_postgres`.

Transactions, and why:

- :meth:`read` is one ``REPEATABLE READ READ ONLY`` transaction: every query
  of a block sees the same snapshot, as a SQLite read transaction does.
- :meth:`write` takes a transaction-level advisory lock first, so writers
  run one at a time, as on SQLite (``BEGIN IMMEDIATE``). This keeps the
  rules the services rely on (a push decides from what it read, the
  sequence gaps of a kiosk are kept in the same transaction) and it keeps
  the change log safe to read by increasing id: a change id is taken inside
  the lock, so no transaction can commit a smaller id after a larger one
  became visible, and ``GET /changes`` never steps over a row that commits
  late. Readers are not held up: they read their snapshot.
- Durability: PostgreSQL's defaults (``fsync``, ``synchronous_commit=on``):
  a push is answered after its transaction is on disk.

Face deletion: a deleted row stays in its table's pages until ``VACUUM``
clears them, and in the write-ahead log until it is recycled.
:meth:`checkpoint` (called after deletions, as on SQLite) runs ``VACUUM`` on
the face tables, which removes the dead rows from their pages; the
write-ahead log and base backups keep them until the operator's retention
ends them (``docs/face.md``).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool, PoolTimeout

from cloud.queries import Reader, Writer
from cloud.schema_postgres import migrate
from cloud.sql_connection import PostgresConnection
from cloud.storage import DatabaseUnavailable, StoreOperations

log = logging.getLogger(__name__)

MAX_CONNECTIONS = 16
"""Per server process; with several worker processes, PgBouncer in front pools them further."""
FACE_TABLES = ("face_enrolments", "face_tombstones", "face_deletion_log")
CONNECT_TIMEOUT_S = 10


def describe_url(url: str) -> str:
    """``url`` without its password, for messages and logs."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "the given PostgreSQL URL"
    where = f"{parts.get('host', 'localhost')}:{parts.get('port', 5432)}"
    return f"{parts.get('user', '')}@{where}/{parts.get('dbname', '')}".lstrip("@")


class PostgresCloudStore(StoreOperations):
    """The server's database on PostgreSQL. Open with :meth:`open`; safe to share between threads."""

    def __init__(self, url: str, pool: ConnectionPool[psycopg.Connection[Any]]) -> None:
        self.url = url
        self._pool = pool

    @classmethod
    def open(cls, url: str, *, max_connections: int = MAX_CONNECTIONS) -> PostgresCloudStore:
        """Connect to the database at ``url`` and bring its schema up to date."""
        pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
            url,
            min_size=1,
            max_size=max_connections,
            kwargs={"autocommit": True, "connect_timeout": CONNECT_TIMEOUT_S},
            open=True,
        )
        try:
            try:
                pool.wait(timeout=CONNECT_TIMEOUT_S)
            except PoolTimeout as exc:
                raise DatabaseUnavailable(
                    f"cannot connect to the PostgreSQL database {describe_url(url)} within "
                    f"{CONNECT_TIMEOUT_S} s: is it running, and may this user connect?"
                ) from exc
            with pool.connection() as conn:
                conn.autocommit = False
                try:
                    migrate(conn)
                finally:
                    conn.autocommit = True
        except BaseException:
            pool.close()
            raise
        return cls(url, pool)

    @contextlib.contextmanager
    def read(self) -> Iterator[Reader]:
        """A :class:`Reader` on one consistent snapshot for the block."""
        with self._pool.connection() as conn:
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            try:
                yield Reader(PostgresConnection(conn))
            finally:
                conn.execute("ROLLBACK")

    @contextlib.contextmanager
    def write(self) -> Iterator[Writer]:
        """A :class:`Writer` in one transaction, one writer at a time: committed at the end, rolled back on an exception."""
        with self._pool.connection() as conn:
            conn.execute("BEGIN")
            try:
                conn.execute("SELECT pg_advisory_xact_lock(hashtext('cloud writer'))")
                yield Writer(PostgresConnection(conn))
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    def checkpoint(self, busy_timeout_ms: int = 250) -> bool:
        """Clear deleted face rows from their tables' pages (``VACUUM``); True when it ran."""
        with self._pool.connection() as conn:
            try:
                conn.execute(f"SET lock_timeout = {int(busy_timeout_ms)}")
                for table in FACE_TABLES:
                    conn.execute(f"VACUUM {table}")
            except psycopg.errors.LockNotAvailable as exc:
                log.info("the face tables could not be vacuumed now: %s", exc)
                return False
            finally:
                conn.execute("RESET lock_timeout")
        return True

    def close(self) -> None:
        """Close the pool's connections."""
        self._pool.close()
