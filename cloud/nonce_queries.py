"""The SQL of registration nonces, mixed into :class:`cloud.queries.Writer`.

Table (migration ``0005_registration_nonces``): ``registration_nonces``, one
row per nonce handed out and not yet used. Times are the protocol's text
(:func:`cloud.protocol.format_time`), which sorts in time order.
"""

from __future__ import annotations

from dataclasses import dataclass

from cloud.sql_connection import SqlConnection


@dataclass(frozen=True, slots=True)
class NonceRow:
    """A nonce handed out: the kiosk ID it was asked for and when it expires."""

    kiosk_id: str
    expires_utc: str


class NonceWrites:
    """Nonce statements within the write transaction."""

    _conn: SqlConnection

    def add_registration_nonce(self, nonce: str, kiosk_id: str, expires_utc: str) -> None:
        """Keep a new nonce until it is used or expires."""
        self._conn.execute(
            "INSERT INTO registration_nonces (nonce, kiosk_id, expires_utc) VALUES (?, ?, ?)",
            (nonce, kiosk_id, expires_utc),
        )

    def drop_expired_nonces(self, now_utc: str) -> int:
        """Delete the nonces that expired at or before ``now_utc``; how many."""
        return self._conn.execute(
            "DELETE FROM registration_nonces WHERE expires_utc <= ?", (now_utc,)
        ).rowcount

    def keep_newest_nonces(self, limit: int) -> int:
        """Delete all but the ``limit`` newest nonces; how many were deleted."""
        return self._conn.execute(
            "DELETE FROM registration_nonces WHERE nonce_id NOT IN "
            "(SELECT nonce_id FROM registration_nonces ORDER BY nonce_id DESC LIMIT ?)",
            (limit,),
        ).rowcount

    def registration_nonce(self, nonce: str) -> NonceRow | None:
        """The nonce as handed out, if it is still kept."""
        row = self._conn.execute(
            "SELECT kiosk_id, expires_utc FROM registration_nonces WHERE nonce = ?", (nonce,)
        ).fetchone()
        return None if row is None else NonceRow(str(row[0]), str(row[1]))

    def use_registration_nonce(self, nonce: str) -> None:
        """Delete a nonce a registration used: it never works again."""
        self._conn.execute("DELETE FROM registration_nonces WHERE nonce = ?", (nonce,))
