"""The SQL of phone passes, mixed into :class:`cloud.queries.Reader` and :class:`cloud.queries.Writer`.

Table (migration ``0014_passes``, :mod:`cloud.schema_passes`): ``passes``, one
row per phone a volunteer registered. Times are the protocol's text
(:func:`cloud.protocol.format_time`), which sorts in time order. Its change-log
triggers send every row written here to the kiosks (kind ``pass``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from cloud.sql_connection import SqlConnection


@dataclass(frozen=True, slots=True)
class PassRow:
    """A phone pass as kept: ``revoked_utc`` None while it is in use."""

    pass_id: str
    volunteer_id: str
    public_key: str
    created_utc: str
    revoked_utc: str | None = None

    @property
    def active(self) -> bool:
        """Whether kiosks accept its codes (it has not been revoked)."""
        return self.revoked_utc is None


_COLUMNS = ", ".join(f.name for f in fields(PassRow))


class PassReads:
    """Pass queries within one read snapshot."""

    _conn: SqlConnection

    def pass_row(self, pass_id: str) -> PassRow | None:
        """The pass of this ID, if the cloud gave it."""
        row = self._conn.execute(f"SELECT {_COLUMNS} FROM passes WHERE pass_id = ?", (pass_id,)).fetchone()
        return None if row is None else PassRow(*row)

    def passes_of(self, volunteer_id: str) -> list[PassRow]:
        """Every pass of the volunteer, oldest first."""
        rows = self._conn.execute(
            f"SELECT {_COLUMNS} FROM passes WHERE volunteer_id = ? ORDER BY created_utc, pass_id",
            (volunteer_id,),
        )
        return [PassRow(*row) for row in rows]

    def newest_pass_created(self, volunteer_id: str) -> str | None:
        """When the volunteer's newest pass was registered (None: they have none)."""
        row = self._conn.execute(
            "SELECT MAX(created_utc) FROM passes WHERE volunteer_id = ?", (volunteer_id,)
        ).fetchone()
        return None if row is None or row[0] is None else str(row[0])

    def card_revoked(self, volunteer_id: str, card_no: int) -> bool:
        """Whether card ``card_no`` of the volunteer is revoked, alone or with all their cards (``card_no`` 0)."""
        row = self._conn.execute(
            "SELECT 1 FROM revocations WHERE volunteer_id = ? AND card_no IN (0, ?) LIMIT 1",
            (volunteer_id, card_no),
        ).fetchone()
        return row is not None


class PassWrites:
    """Pass statements within the write transaction."""

    _conn: SqlConnection

    def add_pass(self, row: PassRow) -> None:
        """Keep a newly registered pass."""
        self._conn.execute(
            f"INSERT INTO passes ({_COLUMNS}) VALUES (?, ?, ?, ?, ?)",
            (row.pass_id, row.volunteer_id, row.public_key, row.created_utc, row.revoked_utc),
        )

    def revoke_passes_of(self, volunteer_id: str, at_utc: str) -> list[str]:
        """End every pass of the volunteer still in use, at ``at_utc``; the IDs of those ended, sorted."""
        rows = self._conn.execute(
            "UPDATE passes SET revoked_utc = ? WHERE volunteer_id = ? AND revoked_utc IS NULL RETURNING pass_id",
            (at_utc, volunteer_id),
        ).fetchall()
        return sorted(str(row[0]) for row in rows)
