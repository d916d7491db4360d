"""The cloud database schema on PostgreSQL, as versioned migrations kept in ``schema_migrations``.

The tables and columns are those of :mod:`cloud.schema` (SQLite) after all
of its migrations, so :mod:`cloud.queries` runs unchanged on either. What
differs, and why:

- ``changes.change_id`` and ``registration_nonces.nonce_id`` are identity
  columns (SQLite: ``AUTOINCREMENT`` / ``rowid``);
- whole numbers are ``BIGINT`` (a monotonic clock in nanoseconds does not
  fit 32 bits); flags stay whole numbers (0/1) as on SQLite;
- times stay ISO 8601 text in UTC with one fixed format, as on SQLite, so
  text order is time order and every value reads back as it was written;
- the change log's triggers are PL/pgSQL functions with the same bodies;
  ``IS DISTINCT FROM`` where SQLite says ``IS NOT``.

A PostgreSQL database starts at the schema of today, so its first migration
is the whole of it; later changes are new entries of :data:`MIGRATIONS`,
each applied once, in order, in one transaction with its record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import psycopg

from cloud.schema import (
    FACE_LOG_KIND,
    INITIAL_SYNCED_TABLES,
    TOTALS_FROM_VISITS,
    TOTALS_LOG_BODY,
    TOTALS_LOG_CONDITION,
)
from cloud.schema_credentials import EVENT_CREDENTIAL_COLUMN
from cloud.schema_dashboard import (
    KIOSK_STATUS_TABLES,
    POSTGRES_COUNTER,
    STAFF_TABLES,
    TOTALS_LOG_PACE,
    VISIT_TABLES,
    VOLUNTEER_TOTALS_TABLES,
    statements,
)
from cloud.schema_passes import PASS_TABLES, PASSES_SYNCED
from cloud.schema_signals import PRESENCE_SIGNAL_TABLES

_TABLES = """
CREATE TABLE organisations (
    org_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('city', 'county', 'township', 'village')),
    parent_id TEXT
);
CREATE TABLE volunteers (
    volunteer_id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    phone TEXT,
    org_id TEXT,
    active INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX volunteers_org ON volunteers (org_id);
CREATE TABLE activities (
    activity_id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    org_id TEXT,
    org_name TEXT NOT NULL,
    org_level TEXT NOT NULL CHECK (org_level IN ('city', 'county', 'township', 'village')),
    venue TEXT NOT NULL,
    starts_at TEXT NOT NULL,
    ends_at TEXT NOT NULL,
    category TEXT NOT NULL,
    capacity BIGINT,
    checkin_opens_before_min BIGINT NOT NULL,
    checkin_closes_after_start_min BIGINT,
    signup_required INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE signups (
    activity_id TEXT NOT NULL,
    volunteer_id TEXT NOT NULL,
    PRIMARY KEY (activity_id, volunteer_id)
);
CREATE TABLE revocations (
    volunteer_id TEXT NOT NULL,
    card_no BIGINT NOT NULL,
    revoked_utc TEXT NOT NULL,
    reason TEXT,
    PRIMARY KEY (volunteer_id, card_no)
);
CREATE TABLE trusted_keys (
    key_id TEXT PRIMARY KEY,
    public_key TEXT NOT NULL,
    added_utc TEXT NOT NULL,
    source TEXT NOT NULL,
    purposes TEXT NOT NULL DEFAULT 'activity card'
);
CREATE TABLE changes (
    change_id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    key_a TEXT NOT NULL,
    key_b TEXT
);
CREATE TABLE provisioning_codes (
    code_sha256 TEXT PRIMARY KEY,
    area_id TEXT NOT NULL,
    created_utc TEXT NOT NULL,
    used_utc TEXT,
    device_id TEXT
);
CREATE TABLE devices (
    device_id TEXT PRIMARY KEY,
    secret_sha256 TEXT NOT NULL,
    public_key TEXT NOT NULL,
    area_id TEXT NOT NULL,
    app_version TEXT NOT NULL,
    code_sha256 TEXT NOT NULL UNIQUE REFERENCES provisioning_codes (code_sha256),
    registered_utc TEXT NOT NULL,
    registered_by TEXT NOT NULL DEFAULT 'network' CHECK (registered_by IN ('network', 'bundle')),
    box_public_key TEXT,
    reported_cursor TEXT,
    reported_utc TEXT,
    reported_bundle_id TEXT
);
CREATE TABLE events (
    event_id TEXT PRIMARY KEY,
    kiosk_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    volunteer_id TEXT NOT NULL,
    activity_id TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('in', 'out', 'undo')),
    method TEXT NOT NULL CHECK (method IN ('qr', 'scanner', 'face', 'manual', 'auto')),
    wall_utc TEXT NOT NULL,
    utc_offset_min BIGINT NOT NULL,
    monotonic_ns BIGINT NOT NULL,
    boot_id TEXT NOT NULL,
    ref_event_id TEXT,
    auto_closed INTEGER NOT NULL,
    credit_seconds BIGINT,
    actor TEXT,
    received_utc TEXT NOT NULL,
    clock_offset_s DOUBLE PRECISION,
    corrected_utc TEXT NOT NULL,
    batch_id TEXT NOT NULL,
    UNIQUE (kiosk_id, seq)
);
CREATE INDEX events_corrected ON events (corrected_utc);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE bundle_imports (
    device_id TEXT NOT NULL,
    bundle_id TEXT NOT NULL,
    imported_utc TEXT NOT NULL,
    receipt TEXT NOT NULL,
    PRIMARY KEY (device_id, bundle_id)
);
CREATE TABLE face_enrolments (
    area_id TEXT NOT NULL,
    volunteer_id TEXT NOT NULL,
    record_id TEXT NOT NULL UNIQUE,
    kiosk_id TEXT NOT NULL,
    model_version TEXT NOT NULL,
    enrolled_utc TEXT NOT NULL,
    corrected_utc TEXT NOT NULL,
    replaces TEXT,
    consented_utc TEXT NOT NULL,
    coordinator TEXT NOT NULL,
    notice_version TEXT NOT NULL,
    templates TEXT NOT NULL,
    received_utc TEXT NOT NULL,
    batch_id TEXT NOT NULL,
    PRIMARY KEY (area_id, volunteer_id)
);
CREATE INDEX face_enrolments_volunteer ON face_enrolments (volunteer_id);
CREATE TABLE face_tombstones (
    volunteer_id TEXT PRIMARY KEY,
    record_id TEXT NOT NULL UNIQUE,
    kiosk_id TEXT NOT NULL,
    area_id TEXT NOT NULL,
    deleted_utc TEXT NOT NULL,
    corrected_utc TEXT NOT NULL,
    replaces TEXT,
    received_utc TEXT NOT NULL,
    batch_id TEXT NOT NULL
);
CREATE TABLE face_deletion_log (
    record_id TEXT PRIMARY KEY,
    volunteer_id TEXT NOT NULL,
    kiosk_id TEXT NOT NULL,
    deleted_utc TEXT NOT NULL,
    received_utc TEXT NOT NULL
);
CREATE TABLE registration_nonces (
    nonce_id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    nonce TEXT NOT NULL UNIQUE,
    kiosk_id TEXT NOT NULL,
    expires_utc TEXT NOT NULL
);
CREATE INDEX registration_nonces_expiry ON registration_nonces (expires_utc);
CREATE TABLE seq_gaps (
    kiosk_id TEXT NOT NULL,
    first_seq BIGINT NOT NULL,
    last_seq BIGINT NOT NULL,
    rejected TEXT,
    CHECK (first_seq >= 1 AND last_seq >= first_seq),
    PRIMARY KEY (kiosk_id, first_seq)
);
CREATE UNIQUE INDEX seq_gaps_last ON seq_gaps (kiosk_id, last_seq)
"""

_APPEND_ONLY = (  # events are facts: PostgreSQL refuses to change them, as SQLite does
    "CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    "BEGIN RAISE EXCEPTION 'events are append-only'; END $$",
    "CREATE TRIGGER events_no_change BEFORE UPDATE OR DELETE ON events "
    "FOR EACH ROW EXECUTE FUNCTION events_append_only()",
)


def _key_values(row: str, columns: tuple[str, ...]) -> str:
    first = f"{row}.{columns[0]}"
    second = f"CAST({row}.{columns[1]} AS TEXT)" if len(columns) > 1 else "NULL"
    return f"{first}, {second}"


def _change_log(table: str, kind: str, columns: tuple[str, ...]) -> list[str]:
    """A trigger function and its trigger that log the key of every changed row of ``table`` in ``changes``.

    As on SQLite: an update that changes the key logs a delete of the old key, then an upsert of the new one.
    """
    insert = "INSERT INTO changes (kind, op, key_a, key_b)"
    old, new = _key_values("OLD", columns), _key_values("NEW", columns)
    key_moved = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)
    function = f"{table}_log_change"
    return [
        f"""CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        {insert} VALUES ('{kind}', 'upsert', {new});
    ELSIF TG_OP = 'UPDATE' THEN
        IF {key_moved} THEN
            {insert} VALUES ('{kind}', 'delete', {old});
        END IF;
        {insert} VALUES ('{kind}', 'upsert', {new});
    ELSE
        {insert} VALUES ('{kind}', 'delete', {old});
    END IF;
    RETURN NULL;
END $$""",
        f"CREATE TRIGGER {table}_logged AFTER INSERT OR UPDATE OR DELETE ON {table} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}()",
    ]


def _initial(conn: psycopg.Connection[Any]) -> None:
    tables = [statement.strip() for statement in _TABLES.split(";") if statement.strip()]
    for statement in (*tables, *_APPEND_ONLY):
        conn.execute(statement)
    logged = (*INITIAL_SYNCED_TABLES, ("face_enrolments", FACE_LOG_KIND, ("volunteer_id", "area_id")))
    for table, kind, columns in logged:
        for statement in _change_log(table, kind, columns):
            conn.execute(statement)


Migration = Callable[[psycopg.Connection[Any]], None]


def _face_qr_only(conn: psycopg.Connection[Any]) -> None:
    """An enrolment's QR-only mark: NULL or its JSON text (SQLite's ``0011_face_qr_only``)."""
    conn.execute("ALTER TABLE face_enrolments ADD COLUMN qr_only TEXT")


def _volunteer_totals(conn: psycopg.Connection[Any]) -> None:
    """Volunteers' platform totals and the trigger that logs them (SQLite's ``0012_volunteer_totals``)."""
    for statement in statements(VOLUNTEER_TOTALS_TABLES, POSTGRES_COUNTER):
        conn.execute(statement)
    conn.execute(
        "CREATE FUNCTION volunteer_totals_log_change() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN IF {TOTALS_LOG_CONDITION} THEN {TOTALS_LOG_BODY} END IF; RETURN NULL; END $$"
    )
    conn.execute(
        "CREATE TRIGGER volunteer_totals_logged AFTER INSERT OR UPDATE ON volunteer_totals "
        "FOR EACH ROW EXECUTE FUNCTION volunteer_totals_log_change()"
    )
    now = "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"+00:00\"')"
    conn.execute(TOTALS_FROM_VISITS.format(now=now))


def _event_credentials(conn: psycopg.Connection[Any]) -> None:
    """What a volunteer showed at each event (SQLite's ``0013_event_credentials``; :mod:`cloud.schema_credentials`)."""
    for statement in EVENT_CREDENTIAL_COLUMN:
        conn.execute(statement)


def _passes(conn: psycopg.Connection[Any]) -> None:
    """Volunteers' phone passes and their change log (SQLite's ``0014_passes``; :mod:`cloud.schema_passes`)."""
    for statement in (*PASS_TABLES, *_change_log(*PASSES_SYNCED)):
        conn.execute(statement)


def _totals_log_pace(conn: psycopg.Connection[Any]) -> None:
    """Totals logged at a pace by the cloud's code, not the trigger (SQLite's ``0016_totals_log_pace``)."""
    conn.execute("DROP TRIGGER IF EXISTS volunteer_totals_logged ON volunteer_totals")
    conn.execute("DROP FUNCTION IF EXISTS volunteer_totals_log_change()")
    for statement in TOTALS_LOG_PACE:
        conn.execute(statement)


def _applying(tables: tuple[str, ...]) -> Migration:
    def apply(conn: psycopg.Connection[Any]) -> None:
        for statement in statements(tables, POSTGRES_COUNTER):
            conn.execute(statement)

    return apply


#: Every migration, in order, by name; applied ones are recorded in ``schema_migrations``.
#: The dashboard's (:mod:`cloud.schema_dashboard`) are SQLite's 0008 to 0010.
MIGRATIONS: tuple[tuple[str, Migration], ...] = (
    ("0001_initial", _initial),
    ("0002_dashboard_visits", _applying(VISIT_TABLES)),
    ("0003_staff_accounts", _applying(STAFF_TABLES)),
    ("0004_kiosk_status", _applying(KIOSK_STATUS_TABLES)),
    ("0005_face_qr_only", _face_qr_only),
    ("0006_volunteer_totals", _volunteer_totals),
    ("0007_event_credentials", _event_credentials),
    ("0008_passes", _passes),
    ("0009_presence_signals", _applying(PRESENCE_SIGNAL_TABLES)),
    ("0010_totals_log_pace", _totals_log_pace),
)


def migrate(conn: psycopg.Connection[Any]) -> list[str]:
    """Apply the migrations not yet applied, in order, in one transaction; the names applied.

    ``RuntimeError`` for a database with migrations this version does not know (a newer version's).
    Two servers starting at once: the first to take the advisory lock migrates, the other waits.
    """
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_utc TEXT NOT NULL)"
    )
    conn.commit()
    applied_now: list[str] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('cloud schema_migrations'))")
        done = {row[0] for row in conn.execute("SELECT name FROM schema_migrations")}
        known = {name for name, _ in MIGRATIONS}
        unknown = sorted(done - known)
        if unknown:
            raise RuntimeError(f"the cloud database has migrations this version does not know: {unknown}")
        for name, apply in MIGRATIONS:
            if name in done:
                continue
            apply(conn)
            conn.execute(
                "INSERT INTO schema_migrations (name, applied_utc) "
                "VALUES (%s, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))",
                (name,),
            )
            applied_now.append(name)
    return applied_now
