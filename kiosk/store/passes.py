"""Phone passes the platform registered, and the last step of each this kiosk accepted.

``passes`` has the cloud's columns (kind ``pass`` of ``/changes`` and USB
updates): the pass ID, its volunteer, the public half of the phone's Ed25519
key (standard base64 of the raw 32 bytes), when it was registered and when it
stopped (``revoked_utc``: a newer phone, or staff; NULL while in use). Times
are the platform's, as :func:`checkin_protocol.event_rows.format_utc` writes them.

``pass_steps`` remembers, per pass, the highest 30-second step of a code that
checked someone in or out here and when (this kiosk's time): a code of that
step or an earlier one is a replay. It is written in the check-in's own
transaction, so a refused or failed attempt leaves it as it was.

Migration ``0013_passes`` (:data:`MIGRATION_0013`) also gives events their
``credential`` column (``card``, ``pass`` or NULL).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # kiosk.store.database imports the migrations, which import this module
    from kiosk.store.database import Transaction

#: The statements of migration ``0013_passes`` (registered in :mod:`kiosk.store.migrations`).
MIGRATION_0013 = (
    "ALTER TABLE events ADD COLUMN credential TEXT CHECK (credential IS NULL OR credential IN ('card', 'pass'))",
    """
    CREATE TABLE passes (
        pass_id TEXT PRIMARY KEY,
        volunteer_id TEXT NOT NULL,
        public_key TEXT NOT NULL,
        created_utc TEXT NOT NULL,
        revoked_utc TEXT
    ) WITHOUT ROWID
    """,
    "CREATE INDEX passes_volunteer ON passes (volunteer_id)",
    """
    CREATE TABLE pass_steps (
        pass_id TEXT PRIMARY KEY,
        last_step INTEGER NOT NULL CHECK (last_step >= 0),
        used_utc TEXT NOT NULL
    ) WITHOUT ROWID
    """,
)


@dataclass(frozen=True, slots=True)
class StoredPass:
    """A phone pass as the platform last sent it."""

    pass_id: str
    volunteer_id: str
    public_key: str
    created_utc: str
    revoked_utc: str | None

    @property
    def revoked(self) -> bool:
        """Whether the pass has stopped (a newer phone, or staff revoked it)."""
        return self.revoked_utc is not None


def upsert_pass(
    db: Transaction,
    pass_id: str,
    volunteer_id: str,
    public_key: str,
    created_utc: str,
    revoked_utc: str | None,
) -> None:
    """Store the platform's current row of a pass."""
    db.execute(
        "INSERT INTO passes (pass_id, volunteer_id, public_key, created_utc, revoked_utc) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (pass_id) DO UPDATE SET volunteer_id = excluded.volunteer_id, "
        "public_key = excluded.public_key, created_utc = excluded.created_utc, revoked_utc = excluded.revoked_utc",
        [pass_id, volunteer_id, public_key, created_utc, revoked_utc],
    )


def delete_pass(db: Transaction, pass_id: str) -> None:
    """Forget a pass the platform removed, with the step remembered for it."""
    db.execute("DELETE FROM passes WHERE pass_id = ?", [pass_id])
    db.execute("DELETE FROM pass_steps WHERE pass_id = ?", [pass_id])


def get_pass(db: Transaction, pass_id: str) -> StoredPass | None:
    """The pass ``pass_id``, or None when this kiosk has not heard of it."""
    row = db.execute(
        "SELECT pass_id, volunteer_id, public_key, created_utc, revoked_utc FROM passes WHERE pass_id = ?",
        [pass_id],
    ).fetchone()
    return None if row is None else StoredPass(*row)


def passes_of(db: Transaction, volunteer_id: str) -> list[StoredPass]:
    """A volunteer's passes, oldest first."""
    rows = db.execute(
        "SELECT pass_id, volunteer_id, public_key, created_utc, revoked_utc FROM passes "
        "WHERE volunteer_id = ? ORDER BY created_utc, pass_id",
        [volunteer_id],
    )
    return [StoredPass(*row) for row in rows]


def last_step(db: Transaction, pass_id: str) -> int | None:
    """The highest step of this pass accepted here, or None when none was."""
    row = db.execute("SELECT last_step FROM pass_steps WHERE pass_id = ?", [pass_id]).fetchone()
    return None if row is None else int(row[0])


def record_step(db: Transaction, pass_id: str, step: int, used_utc: str) -> None:
    """Remember that a code of ``step`` was accepted at ``used_utc`` (never lowers the step kept)."""
    db.execute(
        "INSERT INTO pass_steps (pass_id, last_step, used_utc) VALUES (?, ?, ?) "
        "ON CONFLICT (pass_id) DO UPDATE SET last_step = excluded.last_step, used_utc = excluded.used_utc "
        "WHERE excluded.last_step > pass_steps.last_step",
        [pass_id, step, used_utc],
    )
