"""The SQL of Dashboard staff: accounts, sessions and login attempts (tables of migration 0009_staff_accounts, :mod:`cloud.schema_dashboard`), mixed into :class:`cloud.queries.Reader` and ``Writer``."""

from __future__ import annotations

from cloud.sql_connection import SqlConnection


class StaffReads:
    """Queries within one read snapshot."""

    _conn: SqlConnection


class StaffWrites:
    """Statements within the write transaction."""

    _conn: SqlConnection
