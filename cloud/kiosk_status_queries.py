"""The SQL of What each kiosk last said of itself when it synced (table ``kiosk_status``, migration 0010_kiosk_status), mixed into :class:`cloud.queries.Reader` and ``Writer``."""

from __future__ import annotations

from cloud.sql_connection import SqlConnection


class KioskStatusReads:
    """Queries within one read snapshot."""

    _conn: SqlConnection


class KioskStatusWrites:
    """Statements within the write transaction."""

    _conn: SqlConnection
