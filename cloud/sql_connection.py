"""The connection the cloud's query modules talk to, whichever database is underneath.

The query modules (:mod:`cloud.queries`, :mod:`cloud.face_queries`,
:mod:`cloud.nonce_queries`, :mod:`cloud.seq_gap_queries`) write SQL that
SQLite and PostgreSQL both run: ``ON CONFLICT`` upserts, ``IS [NOT]
DISTINCT FROM``, ``?`` placeholders. They see a :class:`SqlConnection`:
``sqlite3.Connection`` is one as it is; :class:`PostgresConnection` makes a
psycopg connection one by turning each ``?`` into psycopg's ``%s`` (a
literal ``%`` is doubled first). The SQL of these modules has no ``?`` or
``%`` inside a string literal, and takes every value as a parameter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

if (
    TYPE_CHECKING
):  # psycopg is needed only with PostgreSQL: SQLite-only installs (the kiosk's demo) go without
    import psycopg


class SqlCursor(Protocol):
    """What the query modules read from a statement run."""

    @property
    def description(self) -> Any: ...

    @property
    def rowcount(self) -> int: ...

    def fetchone(self) -> Any: ...

    def fetchall(self) -> list[Any]: ...

    def __iter__(self) -> Any: ...


class SqlConnection(Protocol):
    """What the query modules call: ``execute`` and ``executemany`` with ``?`` placeholders."""

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> SqlCursor: ...

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> SqlCursor: ...


def postgres_sql(sql: str) -> str:
    """``sql`` with ``?`` placeholders as psycopg's ``%s`` (and a literal ``%`` as ``%%``)."""
    return sql.replace("%", "%%").replace("?", "%s")


class PostgresConnection:
    """A psycopg connection that takes the query modules' ``?`` placeholders (one transaction at a time)."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self._conn = conn

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> psycopg.Cursor[Any]:
        """Run one statement; its cursor (``fetchone``, ``fetchall``, ``rowcount``, ``description``)."""
        return self._conn.execute(postgres_sql(sql), tuple(parameters))

    def executemany(self, sql: str, parameters: Iterable[Sequence[Any]], /) -> psycopg.Cursor[Any]:
        """Run one statement per parameter row; ``rowcount`` is the rows they changed together."""
        cursor = self._conn.cursor()
        cursor.executemany(postgres_sql(sql), [tuple(row) for row in parameters])
        return cursor
