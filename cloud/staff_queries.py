"""The SQL of Dashboard staff: accounts, sessions and login attempts (tables of migration 0009_staff_accounts, :mod:`cloud.schema_dashboard`), mixed into :class:`cloud.queries.Reader` and ``Writer``.

Times are stored as :func:`cloud.protocol.format_time` text (fixed width, UTC),
so comparing the text compares the times. A session is found by the SHA-256
of its token; the token itself is never stored. A session counts only while
it has not expired and its account is not disabled, so disabling an account
stops its sessions at once, whatever is left in the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from cloud.protocol import format_time
from cloud.sql_connection import SqlConnection

_ACCOUNT_COLUMNS = "username, password_hash, role, area_org_id, created_utc, disabled"


@dataclass(frozen=True, slots=True)
class StaffAccountRow:
    """A staff account as stored (``password_hash``: :func:`cloud.dashboard.staff.hash_password`'s text)."""

    username: str
    password_hash: str
    role: str
    area_org_id: str | None
    created_utc: str
    disabled: bool


@dataclass(frozen=True, slots=True)
class StaffSessionRow:
    """A live session with what its account may see."""

    username: str
    role: str
    area_org_id: str | None
    csrf_token: str
    expires_utc: str


def _account(row: tuple[object, ...]) -> StaffAccountRow:
    username, password_hash, role, area, created, disabled = row
    return StaffAccountRow(
        str(username),
        str(password_hash),
        str(role),
        None if area is None else str(area),
        str(created),
        bool(disabled),
    )


class StaffReads:
    """Queries of accounts, sessions and recent login attempts within one read snapshot."""

    _conn: SqlConnection

    def staff_account(self, username: str) -> StaffAccountRow | None:
        """The account ``username``, disabled or not."""
        row = self._conn.execute(
            f"SELECT {_ACCOUNT_COLUMNS} FROM staff_accounts WHERE username = ?", (username,)
        ).fetchone()
        return None if row is None else _account(tuple(row))

    def staff_accounts(self) -> list[StaffAccountRow]:
        """Every account, by username."""
        rows = self._conn.execute(f"SELECT {_ACCOUNT_COLUMNS} FROM staff_accounts ORDER BY username")
        return [_account(tuple(row)) for row in rows]

    def live_staff_session(self, token_sha256: str, now: datetime) -> StaffSessionRow | None:
        """The session with this token hash if it has not expired at ``now`` and its account is enabled."""
        row = self._conn.execute(
            "SELECT s.username, a.role, a.area_org_id, s.csrf_token, s.expires_utc "
            "FROM staff_sessions s JOIN staff_accounts a ON a.username = s.username "
            "WHERE s.token_sha256 = ? AND s.expires_utc > ? AND a.disabled = 0",
            (token_sha256, format_time(now)),
        ).fetchone()
        if row is None:
            return None
        username, role, area, csrf, expires = row
        return StaffSessionRow(
            str(username), str(role), None if area is None else str(area), str(csrf), str(expires)
        )

    def live_staff_session_counts(self, now: datetime) -> dict[str, int]:
        """How many unexpired sessions each username holds (usernames with none are left out)."""
        rows = self._conn.execute(
            "SELECT username, COUNT(*) FROM staff_sessions WHERE expires_utc > ? GROUP BY username",
            (format_time(now),),
        )
        return {str(r[0]): int(r[1]) for r in rows}

    def failed_logins_of_user(self, username: str, since: datetime) -> list[datetime]:
        """When ``username`` failed to sign in after ``since`` and after its last success, oldest first."""
        rows = self._conn.execute(
            "SELECT at_utc FROM login_attempts WHERE username = ? AND succeeded = 0 AND at_utc > ? "
            "AND attempt_id > COALESCE("
            "(SELECT MAX(attempt_id) FROM login_attempts WHERE username = ? AND succeeded = 1), 0) "
            "ORDER BY at_utc",
            (username, format_time(since), username),
        )
        return [datetime.fromisoformat(str(r[0])) for r in rows]

    def failed_logins_from(self, client: str, since: datetime) -> list[datetime]:
        """When sign-ins from the address ``client`` failed after ``since``, oldest first."""
        rows = self._conn.execute(
            "SELECT at_utc FROM login_attempts WHERE client = ? AND succeeded = 0 AND at_utc > ? "
            "ORDER BY at_utc",
            (client, format_time(since)),
        )
        return [datetime.fromisoformat(str(r[0])) for r in rows]


class StaffWrites:
    """Changes to accounts, sessions and login attempts within the write transaction."""

    _conn: SqlConnection

    def add_staff_account(
        self, username: str, password_hash: str, role: str, area_org_id: str | None, at: datetime
    ) -> bool:
        """Create an enabled account; False (nothing written) when the username is taken."""
        cursor = self._conn.execute(
            "INSERT INTO staff_accounts (username, password_hash, role, area_org_id, created_utc, disabled) "
            "VALUES (?, ?, ?, ?, ?, 0) ON CONFLICT DO NOTHING",
            (username, password_hash, role, area_org_id, format_time(at)),
        )
        return cursor.rowcount == 1

    def set_staff_password(self, username: str, password_hash: str) -> bool:
        """Replace an account's password hash; False when there is no such account."""
        cursor = self._conn.execute(
            "UPDATE staff_accounts SET password_hash = ? WHERE username = ?", (password_hash, username)
        )
        return cursor.rowcount == 1

    def set_staff_disabled(self, username: str, disabled: bool) -> bool:
        """Disable or enable an account; False when there is no such account."""
        cursor = self._conn.execute(
            "UPDATE staff_accounts SET disabled = ? WHERE username = ?", (int(disabled), username)
        )
        return cursor.rowcount == 1

    def add_staff_session(
        self, token_sha256: str, username: str, csrf_token: str, at: datetime, expires: datetime
    ) -> None:
        """Keep a new session by its token's hash."""
        self._conn.execute(
            "INSERT INTO staff_sessions (token_sha256, username, csrf_token, created_utc, expires_utc) "
            "VALUES (?, ?, ?, ?, ?)",
            (token_sha256, username, csrf_token, format_time(at), format_time(expires)),
        )

    def delete_staff_session(self, token_sha256: str) -> bool:
        """End one session; False when there was none with this hash."""
        cursor = self._conn.execute("DELETE FROM staff_sessions WHERE token_sha256 = ?", (token_sha256,))
        return cursor.rowcount == 1

    def delete_staff_sessions_of(self, username: str) -> int:
        """End every session of ``username``; how many there were."""
        return int(self._conn.execute("DELETE FROM staff_sessions WHERE username = ?", (username,)).rowcount)

    def delete_expired_staff_sessions(self, now: datetime) -> int:
        """Drop the sessions expired at ``now``; how many."""
        cursor = self._conn.execute("DELETE FROM staff_sessions WHERE expires_utc <= ?", (format_time(now),))
        return int(cursor.rowcount)

    def record_login_attempt(self, username: str, client: str, at: datetime, succeeded: bool) -> int:
        """Keep one sign-in attempt; its ``attempt_id`` (to mark it succeeded later)."""
        rows = self._conn.execute(
            "INSERT INTO login_attempts (username, client, at_utc, succeeded) VALUES (?, ?, ?, ?) "
            "RETURNING attempt_id",
            (username, client, format_time(at), int(succeeded)),
        ).fetchall()  # read to the end: SQLite finishes the statement only then
        return int(rows[0][0])

    def mark_login_succeeded(self, attempt_id: int) -> None:
        """The attempt, recorded as failed before the password was checked, succeeded."""
        self._conn.execute("UPDATE login_attempts SET succeeded = 1 WHERE attempt_id = ?", (attempt_id,))

    def forget_login_attempts_until(self, until: datetime) -> int:
        """Drop the attempts made at or before ``until`` (the rate limit no longer counts them); how many."""
        cursor = self._conn.execute("DELETE FROM login_attempts WHERE at_utc <= ?", (format_time(until),))
        return int(cursor.rowcount)
