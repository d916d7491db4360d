"""Every SQL statement of the cloud store, inside a transaction :class:`cloud.storage.CloudStore` opened.

A :class:`Reader` sees one snapshot; a :class:`Writer` holds the write lock.
Services get one of them from the store, decide in Python, and the
transaction commits when their block ends (or rolls back on any exception).
Values in and out are plain Python (``str``, ``int``, ``dict``, dataclasses);
no database type leaves this module. The SQL runs unchanged on SQLite
(:class:`cloud.storage.CloudStore`) and on PostgreSQL
(:class:`cloud.storage_postgres.PostgresCloudStore`), through
:mod:`cloud.sql_connection`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from checkin_protocol.codes.trust import KeyPurpose, format_purposes
from checkin_protocol.event_rows import EVENT_COLUMNS, row_to_event
from checkin_protocol.models import Event
from checkin_protocol.roster_file import RosterFile, roster_upserts
from cloud.changes import INTEGER_KEY_COLUMNS, KIND_COLUMNS, LoggedChange
from cloud.dashboard_queries import DashboardReads, DashboardWrites
from cloud.face_queries import FaceReads, FaceWrites
from cloud.kiosk_status_queries import KioskStatusReads, KioskStatusWrites
from cloud.nonce_queries import NonceWrites
from cloud.pass_queries import PassReads, PassWrites
from cloud.protocol import format_time
from cloud.receipt_queries import ReceiptReads
from cloud.schema import SYNCED_TABLES
from cloud.seq_gap_queries import SeqGapReads, SeqGapWrites
from cloud.sql_connection import SqlConnection, SqlCursor
from cloud.staff_queries import StaffReads, StaffWrites

_SERVER_COLUMNS = ("received_utc", "clock_offset_s", "corrected_utc", "batch_id")
_EVENT_VALUES = f"({', '.join('?' * (len(EVENT_COLUMNS) + len(_SERVER_COLUMNS)))})"
# RETURNING names the rows inserted, not those a conflict skipped (SQLite 3.35+, PostgreSQL).
_INSERT_EVENTS = (
    f"INSERT INTO events ({', '.join(EVENT_COLUMNS + _SERVER_COLUMNS)}) "
    "VALUES {values} ON CONFLICT DO NOTHING RETURNING event_id"
)
_INSERT_ROWS = 100  # 2,000 parameters a statement: well within either database's limit
_EVENT_ID_AT = EVENT_COLUMNS.index("event_id")
_KIOSK_AT, _SEQ_AT = EVENT_COLUMNS.index("kiosk_id"), EVENT_COLUMNS.index("seq")
#: Per kind, a table joined to the row of a change and the columns of the change's data it gives.
#: A volunteer's platform total (``volunteer_totals``): 0 and never computed (null) without a row.
_JOINED: dict[str, tuple[str, dict[str, str]]] = {
    "volunteer": (
        " LEFT JOIN volunteer_totals x ON x.volunteer_id = t.volunteer_id",
        {"total_seconds": "COALESCE(x.total_seconds, 0)", "total_computed_utc": "x.computed_utc"},
    ),
}
COUNTED_TABLES = (
    *(table for table, _, _ in SYNCED_TABLES),
    "changes",
    "provisioning_codes",
    "devices",
    "events",
    "settings",
    "bundle_imports",
    "face_enrolments",
    "face_tombstones",
    "seq_gaps",
    "registration_nonces",
    "volunteer_totals",
)


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An event as the server keeps it: the kiosk's record and the server's times."""

    event: Event
    received_utc: datetime
    clock_offset_s: float | None
    corrected_utc: datetime
    batch_id: str


@dataclass(frozen=True, slots=True)
class CodeRow:
    """A provisioning code (by its hash) and whether it was used."""

    area_id: str
    used_utc: str | None
    device_id: str | None


@dataclass(frozen=True, slots=True)
class DeviceRow:
    """A registered kiosk; the secret is kept only as its SHA-256."""

    device_id: str
    secret_sha256: str
    public_key: str
    area_id: str
    app_version: str
    code_sha256: str
    registered_utc: str
    registered_by: str = "network"
    box_public_key: str | None = None
    reported_cursor: str | None = None
    reported_utc: str | None = None
    reported_bundle_id: str | None = None


_DEVICE_COLUMNS = tuple(f.name for f in fields(DeviceRow))


def _stored_event(row: tuple[Any, ...]) -> StoredEvent:
    width = len(EVENT_COLUMNS)
    return StoredEvent(
        event=row_to_event(row[:width]),
        received_utc=datetime.fromisoformat(row[width]),
        clock_offset_s=row[width + 1],
        corrected_utc=datetime.fromisoformat(row[width + 2]),
        batch_id=row[width + 3],
    )


def _dicts(cursor: SqlCursor) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


class Reader(FaceReads, SeqGapReads, StaffReads, KioskStatusReads, DashboardReads, PassReads, ReceiptReads):
    """Queries within one read snapshot (face records: :class:`cloud.face_queries.FaceReads`;
    missing sequence numbers: :class:`cloud.seq_gap_queries.SeqGapReads`)."""

    def __init__(self, conn: SqlConnection) -> None:
        self._conn = conn

    def _one(self, sql: str, params: tuple[Any, ...]) -> dict[str, Any] | None:
        rows = _dicts(self._conn.execute(sql, params))
        return rows[0] if rows else None

    def setting(self, key: str) -> str | None:
        """A value of the ``settings`` table."""
        row = self._one("SELECT value FROM settings WHERE key = ?", (key,))
        return None if row is None else str(row["value"])

    def trusted_keys(self) -> list[tuple[str, str, str]]:
        """(key_id, public_key, purposes) of every platform key kiosks trust, by key ID."""
        rows = self._conn.execute("SELECT key_id, public_key, purposes FROM trusted_keys ORDER BY key_id")
        return [(str(r[0]), str(r[1]), str(r[2])) for r in rows]

    def provisioning_code(self, code_sha256: str) -> CodeRow | None:
        """The provisioning code with this hash, if issued."""
        row = self._one(
            "SELECT area_id, used_utc, device_id FROM provisioning_codes WHERE code_sha256 = ?",
            (code_sha256,),
        )
        return None if row is None else CodeRow(**row)

    def device(self, device_id: str) -> DeviceRow | None:
        """A registered device."""
        row = self._one(f"SELECT {', '.join(_DEVICE_COLUMNS)} FROM devices WHERE device_id = ?", (device_id,))
        return None if row is None else DeviceRow(**row)

    def bundle_receipt(self, device_id: str, bundle_id: str) -> str | None:
        """The receipt (bundle JSON text) written when this events bundle was imported, if it was."""
        row = self._conn.execute(
            "SELECT receipt FROM bundle_imports WHERE device_id = ? AND bundle_id = ?", (device_id, bundle_id)
        ).fetchone()
        return None if row is None else str(row[0])

    def event_content(self, event_id: str) -> tuple[Any, ...] | None:
        """The kiosk's fields of a stored event, in ``EVENT_COLUMNS`` order."""
        row = self._conn.execute(
            f"SELECT {', '.join(EVENT_COLUMNS)} FROM events WHERE event_id = ?", (event_id,)
        ).fetchone()
        return None if row is None else tuple(row)

    def events_between(self, since: datetime, until: datetime) -> list[StoredEvent]:
        """Events whose corrected time is in [since, until), per kiosk in ``seq`` order."""
        columns = ", ".join(EVENT_COLUMNS + _SERVER_COLUMNS)
        rows = self._conn.execute(
            f"SELECT {columns} FROM events WHERE corrected_utc >= ? AND corrected_utc < ? "
            "ORDER BY kiosk_id, seq",
            (format_time(since), format_time(until)),
        )
        return [_stored_event(row) for row in rows]

    def events_of_volunteers(self, volunteer_ids: Iterable[str]) -> dict[str, list[StoredEvent]]:
        """Every event of the volunteers asked for, by volunteer, each per kiosk in ``seq`` order."""
        found: dict[str, list[StoredEvent]] = {}
        ordered = sorted(set(volunteer_ids))
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            for stored in self._events_where(f"volunteer_id IN ({', '.join('?' * len(chunk))})", chunk):
                found.setdefault(stored.event.volunteer_id, []).append(stored)
        return found

    def events_of_pairs(self, pairs: Iterable[tuple[str, str]]) -> dict[tuple[str, str], list[StoredEvent]]:
        """Every event of each (volunteer, activity) asked for, each per kiosk in ``seq`` order."""
        found: dict[tuple[str, str], list[StoredEvent]] = {}
        ordered = sorted(set(pairs))
        for start in range(0, len(ordered), 250):
            chunk = ordered[start : start + 250]
            values = ", ".join("(?, ?)" for _ in chunk)
            flat = [part for pair in chunk for part in pair]
            for stored in self._events_where(f"(volunteer_id, activity_id) IN (VALUES {values})", flat):
                event = stored.event
                found.setdefault((event.volunteer_id, event.activity_id), []).append(stored)
        return found

    def _events_where(self, condition: str, params: list[str]) -> list[StoredEvent]:
        columns = ", ".join(EVENT_COLUMNS + _SERVER_COLUMNS)
        rows = self._conn.execute(
            f"SELECT {columns} FROM events WHERE {condition} ORDER BY kiosk_id, seq", params
        )
        return [_stored_event(row) for row in rows]

    def row(self, kind: str, key: str) -> dict[str, Any] | None:
        """The current row of a one-part key (``organisation``, ``volunteer``, ``activity``, ``trusted_key``)."""
        table, _, key_columns = next(t for t in SYNCED_TABLES if t[1] == kind)
        return self._one(f"SELECT * FROM {table} WHERE {key_columns[0]} = ?", (key,))

    def change_ids(self, after: int, limit: int) -> list[int]:
        """The ids of the first ``limit`` log entries after ``after``."""
        rows = self._conn.execute(
            "SELECT change_id FROM changes WHERE change_id > ? ORDER BY change_id LIMIT ?", (after, limit)
        )
        return [int(r[0]) for r in rows]

    def last_change_id(self) -> int:
        """The id of the newest log entry (0 when the log is empty)."""
        return int(self._conn.execute("SELECT COALESCE(MAX(change_id), 0) FROM changes").fetchone()[0])

    def logged_changes(self, after: int, upto: int) -> list[LoggedChange]:
        """The log entries in (after, upto], each joined to its current row, in log order."""
        entries: list[LoggedChange] = []
        for table, kind, key_columns in SYNCED_TABLES:
            joins = [f"t.{key_columns[0]} = c.key_a"]
            if len(key_columns) > 1:
                second = key_columns[1]
                value = "CAST(c.key_b AS INTEGER)" if second in INTEGER_KEY_COLUMNS else "c.key_b"
                joins.append(f"t.{second} = {value}")
            joined_table, joined_columns = _JOINED.get(kind, ("", {}))
            columns = ", ".join(f"{joined_columns.get(c, f't.{c}')} AS {c}" for c in KIND_COLUMNS[kind])
            cursor = self._conn.execute(
                f"SELECT c.change_id, c.key_a, c.key_b, t.{key_columns[0]} IS NOT NULL AS present, {columns} "
                f"FROM changes c LEFT JOIN {table} t ON {' AND '.join(joins)}{joined_table} "
                "WHERE c.kind = ? AND c.change_id > ? AND c.change_id <= ?",
                (kind, after, upto),
            )
            for row in _dicts(cursor):
                change_id, key_a, key_b, present = (
                    row.pop(n) for n in ("change_id", "key_a", "key_b", "present")
                )
                entries.append(LoggedChange(change_id, kind, key_a, key_b, row if present else None))
        entries.sort(key=lambda e: e.change_id)
        return entries

    def organisation_ids(self) -> set[str]:
        """The IDs of every stored organisation (a roster row may name one of them)."""
        return {str(row[0]) for row in self._conn.execute("SELECT org_id FROM organisations")}

    def column_names(self, table: str) -> list[str]:
        """The columns of ``table`` in their order (what both databases say of ``SELECT *``)."""
        cursor = self._conn.execute(f"SELECT * FROM {table} LIMIT 0")
        return [str(column[0]) for column in cursor.description]

    def table_counts(self) -> dict[str, int]:
        """Rows per table: what a test compares to show a refusal changed nothing."""
        return {
            table: int(self._conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
            for table in COUNTED_TABLES
        }


class Writer(
    Reader, FaceWrites, NonceWrites, SeqGapWrites, StaffWrites, KioskStatusWrites, DashboardWrites, PassWrites
):
    """Statements within the write transaction (and every query of :class:`Reader`)."""

    def upsert_roster(self, roster: RosterFile) -> tuple[int, int]:
        """Upsert a checked roster's organisations and volunteers; (inserted, changed) volunteers."""
        org_sql, volunteer_sql = roster_upserts(roster.present)
        before = int(self._conn.execute("SELECT COUNT(*) FROM volunteers").fetchone()[0])
        self._conn.executemany(org_sql, roster.orgs)
        changed = self._conn.executemany(volunteer_sql, roster.volunteers).rowcount
        after = int(self._conn.execute("SELECT COUNT(*) FROM volunteers").fetchone()[0])
        return after - before, int(changed)

    def set_setting(self, key: str, value: str) -> None:
        """Set a value of the ``settings`` table."""
        self._conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def add_trusted_key(
        self, key_id: str, public_key: str, source: str, at: datetime, purposes: Iterable[KeyPurpose]
    ) -> bool:
        """Trust a platform key for ``purposes``; False (nothing written) when the key ID is already there."""
        cursor = self._conn.execute(
            "INSERT INTO trusted_keys (key_id, public_key, added_utc, source, purposes) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (key_id, public_key, format_time(at), source, format_purposes(purposes)),
        )
        return cursor.rowcount == 1

    def add_provisioning_code(self, code_sha256: str, area_id: str, at: datetime) -> None:
        """Record a new provisioning code by its hash."""
        self._conn.execute(
            "INSERT INTO provisioning_codes (code_sha256, area_id, created_utc) VALUES (?, ?, ?)",
            (code_sha256, area_id, format_time(at)),
        )

    def add_device(self, device: DeviceRow) -> None:
        """Register a device and mark its provisioning code used."""
        names = _DEVICE_COLUMNS
        self._conn.execute(
            f"INSERT INTO devices ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
            tuple(getattr(device, n) for n in names),
        )
        self._conn.execute(
            "UPDATE provisioning_codes SET used_utc = ?, device_id = ? WHERE code_sha256 = ?",
            (device.registered_utc, device.device_id, device.code_sha256),
        )

    def replace_device_secret(self, device_id: str, secret_sha256: str, app_version: str) -> None:
        """Give a device a new secret (a registration retried after its reply was lost)."""
        self._conn.execute(
            "UPDATE devices SET secret_sha256 = ?, app_version = ? WHERE device_id = ?",
            (secret_sha256, app_version, device_id),
        )

    def mark_registered_online(self, device_id: str) -> None:
        """A device registered by USB bundle has now registered over the network as well."""
        self._conn.execute("UPDATE devices SET registered_by = 'network' WHERE device_id = ?", (device_id,))

    def record_bundle_import(
        self,
        device_id: str,
        bundle_id: str,
        receipt: str,
        at: datetime,
        box_public_key: str,
        cursor: str | None,
        created_utc: str,
    ) -> None:
        """Keep a bundle's receipt; take its box key, and its cursor when it is the newest bundle yet."""
        self._conn.execute(
            "INSERT INTO bundle_imports (device_id, bundle_id, imported_utc, receipt) VALUES (?, ?, ?, ?)",
            (device_id, bundle_id, format_time(at), receipt),
        )
        self._conn.execute(
            "UPDATE devices SET box_public_key = ?, reported_cursor = ?, reported_utc = ?, reported_bundle_id = ? "
            "WHERE device_id = ? AND (reported_utc IS NULL OR reported_utc <= ?)",
            (box_public_key, cursor, created_utc, bundle_id, device_id, created_utc),
        )

    def insert_event(
        self,
        row: tuple[Any, ...],
        received: datetime,
        offset_s: float | None,
        corrected: datetime,
        batch_id: str,
    ) -> bool:
        """Insert one event unless its ID (or its kiosk and seq) is taken; True when inserted.

        Its kiosk's missing ranges are kept up to date in the same transaction.
        """
        inserted = self.insert_events([(row, corrected)], received, offset_s, batch_id)
        if row[_EVENT_ID_AT] not in inserted:
            return False
        self.event_stored(row[_KIOSK_AT], row[_SEQ_AT])
        return True

    def insert_events(
        self,
        rows: list[tuple[tuple[Any, ...], datetime]],
        received: datetime,
        offset_s: float | None,
        batch_id: str,
    ) -> set[str]:
        """Insert each (event row, corrected time) whose ID and kiosk-and-seq are free; the IDs inserted.

        Multi-row statements (one round trip per 100 events, not one per
        event): a batch of 500 holds the writer lock for a fraction of the
        time. Of two rows of one ID, or one kiosk and seq, the first wins, as
        one at a time would. Call :meth:`event_stored` for each inserted row,
        in batch order, to keep the kiosks' missing ranges: the highest number
        seen of each kiosk is taken here, before the rows go in.
        """
        for kiosk_id in {row[_KIOSK_AT] for row, _ in rows}:
            self.seen_before(kiosk_id)
        inserted: set[str] = set()
        received_text = format_time(received)
        for start in range(0, len(rows), _INSERT_ROWS):
            chunk = rows[start : start + _INSERT_ROWS]
            values = [
                part
                for row, corrected in chunk
                for part in (*row, received_text, offset_s, format_time(corrected), batch_id)
            ]
            statement = _INSERT_EVENTS.format(values=", ".join([_EVENT_VALUES] * len(chunk)))
            inserted.update(found[0] for found in self._conn.execute(statement, values).fetchall())
        return inserted

    def event_stored(self, kiosk_id: str, seq: int) -> None:
        """Keep the kiosk's missing ranges after its event ``seq`` was inserted (see :meth:`insert_events`)."""
        self.seq_arrived(kiosk_id, seq, self.seen_before(kiosk_id))

    def upsert_activity(self, values: dict[str, Any]) -> None:
        """Insert or update an activity (columns of ``KIND_COLUMNS['activity']``)."""
        names = KIND_COLUMNS["activity"]
        updates = ", ".join(f"{n} = excluded.{n}" for n in names[1:])
        self._conn.execute(
            f"INSERT INTO activities ({', '.join(names)}) VALUES ({', '.join('?' * len(names))}) "
            f"ON CONFLICT (activity_id) DO UPDATE SET {updates}",
            tuple(values[n] for n in names),
        )

    def add_signup(self, activity_id: str, volunteer_id: str) -> None:
        """Sign a volunteer up for an activity (again: nothing changes)."""
        self._conn.execute(
            "INSERT INTO signups (activity_id, volunteer_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
            (activity_id, volunteer_id),
        )

    def remove_signup(self, activity_id: str, volunteer_id: str) -> bool:
        """Remove a sign-up; False when there was none."""
        cursor = self._conn.execute(
            "DELETE FROM signups WHERE activity_id = ? AND volunteer_id = ?", (activity_id, volunteer_id)
        )
        return cursor.rowcount == 1

    def revoke(self, volunteer_id: str, card_no: int, reason: str | None, at: datetime) -> bool:
        """Revoke one card (or all, ``card_no`` 0); False when it was revoked already."""
        cursor = self._conn.execute(
            "INSERT INTO revocations (volunteer_id, card_no, revoked_utc, reason) VALUES (?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (volunteer_id, card_no, format_time(at), reason),
        )
        return cursor.rowcount == 1

    def delete_volunteer(self, volunteer_id: str) -> bool:
        """Remove a volunteer from the roster (their events stay); False when unknown."""
        cursor = self._conn.execute("DELETE FROM volunteers WHERE volunteer_id = ?", (volunteer_id,))
        return cursor.rowcount == 1
