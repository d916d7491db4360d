"""The SQL of The dashboard's reads and the visits kept ready for it (tables of migration 0008_dashboard_visits), mixed into :class:`cloud.queries.Reader` and ``Writer``."""

from __future__ import annotations

from cloud.sql_connection import SqlConnection


class DashboardReads:
    """Queries within one read snapshot."""

    _conn: SqlConnection


class DashboardWrites:
    """Statements within the write transaction."""

    _conn: SqlConnection
