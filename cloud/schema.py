"""The cloud database schema, built only through ``sqlite_utils`` migrations.

``organisations`` and ``volunteers`` have the columns of the roster tables
both sides keep, so the upserts of :func:`checkin_protocol.roster_file.roster_upserts`
write them unchanged. Triggers record every insert, update and delete of the tables
kiosks pull into ``changes``, the change log ``GET /changes`` reads.

The SQL is standard apart from the spots marked ``SQLite:``; a PostgreSQL
schema would use ``BIGINT GENERATED ALWAYS AS IDENTITY`` for ``changes`` and
trigger functions in PL/pgSQL with the same bodies.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from cloud.schema_credentials import EVENT_CREDENTIAL_COLUMN
from cloud.schema_dashboard import (
    KIOSK_STATUS_TABLES,
    SQLITE_COUNTER,
    STAFF_TABLES,
    TOTALS_LOG_PACE,
    VISIT_TABLES,
    VOLUNTEER_TOTALS_TABLES,
    statements,
)
from cloud.schema_passes import PASS_TABLES, PASSES_SYNCED
from cloud.schema_signals import PRESENCE_SIGNAL_TABLES

MIGRATIONS = Migrations("cloud")

#: Table, change kind, and the one or two key columns of every table kiosks pull.
SYNCED_TABLES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("organisations", "organisation", ("org_id",)),
    ("volunteers", "volunteer", ("volunteer_id",)),
    ("activities", "activity", ("activity_id",)),
    ("signups", "signup", ("activity_id", "volunteer_id")),
    ("revocations", "revocation", ("volunteer_id", "card_no")),
    ("trusted_keys", "trusted_key", ("key_id",)),
    PASSES_SYNCED,  # its table and triggers: migration 0014_passes
)
#: The synced tables the first migration made, with their triggers (a later one makes its own).
INITIAL_SYNCED_TABLES = SYNCED_TABLES[:6]

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
    capacity INTEGER,
    checkin_opens_before_min INTEGER NOT NULL,
    checkin_closes_after_start_min INTEGER,
    signup_required INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE signups (
    activity_id TEXT NOT NULL,
    volunteer_id TEXT NOT NULL,
    PRIMARY KEY (activity_id, volunteer_id)
);
CREATE TABLE revocations (
    volunteer_id TEXT NOT NULL,
    card_no INTEGER NOT NULL,
    revoked_utc TEXT NOT NULL,
    reason TEXT,
    PRIMARY KEY (volunteer_id, card_no)
);
CREATE TABLE trusted_keys (
    key_id TEXT PRIMARY KEY,
    public_key TEXT NOT NULL,
    added_utc TEXT NOT NULL,
    source TEXT NOT NULL
);
CREATE TABLE changes (
    change_id INTEGER PRIMARY KEY AUTOINCREMENT,  -- SQLite: ids are never reused
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
    registered_utc TEXT NOT NULL
);
CREATE TABLE events (
    event_id TEXT PRIMARY KEY,
    kiosk_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    volunteer_id TEXT NOT NULL,
    activity_id TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('in', 'out', 'undo')),
    method TEXT NOT NULL CHECK (method IN ('qr', 'scanner', 'face', 'manual', 'auto')),
    wall_utc TEXT NOT NULL,
    utc_offset_min INTEGER NOT NULL,
    monotonic_ns INTEGER NOT NULL,
    boot_id TEXT NOT NULL,
    ref_event_id TEXT,
    auto_closed INTEGER NOT NULL,
    credit_seconds INTEGER,
    actor TEXT,
    received_utc TEXT NOT NULL,
    clock_offset_s REAL,
    corrected_utc TEXT NOT NULL,
    batch_id TEXT NOT NULL,
    UNIQUE (kiosk_id, seq)
);
CREATE INDEX events_corrected ON events (corrected_utc);
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
)
"""


def _key_values(row: str, columns: tuple[str, ...]) -> str:
    first = f"{row}.{columns[0]}"
    second = f"CAST({row}.{columns[1]} AS TEXT)" if len(columns) > 1 else "NULL"
    return f"{first}, {second}"


def _change_triggers(table: str, kind: str, columns: tuple[str, ...]) -> list[str]:
    """AFTER INSERT/UPDATE/DELETE triggers that log the key of the changed row.

    An update that changes the key logs a delete of the old key, then an
    upsert of the new one.
    """
    insert = "INSERT INTO changes (kind, op, key_a, key_b)"
    old, new = _key_values("OLD", columns), _key_values("NEW", columns)
    key_moved = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)  # SQLite: IS NOT
    return [
        f"CREATE TRIGGER {table}_logged_insert AFTER INSERT ON {table} "
        f"BEGIN {insert} VALUES ('{kind}', 'upsert', {new}); END",
        f"CREATE TRIGGER {table}_logged_update AFTER UPDATE ON {table} "
        f"BEGIN {insert} SELECT '{kind}', 'delete', {old} WHERE {key_moved}; "
        f"{insert} VALUES ('{kind}', 'upsert', {new}); END",
        f"CREATE TRIGGER {table}_logged_delete AFTER DELETE ON {table} "
        f"BEGIN {insert} VALUES ('{kind}', 'delete', {old}); END",
    ]


@MIGRATIONS(name="0001_initial")
def _initial(db: Database) -> None:
    # Statement by statement: executescript would commit the migration's transaction.
    for statement in _TABLES.split(";"):
        if statement.strip():
            db.execute(statement)
    for table, kind, columns in INITIAL_SYNCED_TABLES:
        for trigger in _change_triggers(table, kind, columns):
            db.execute(trigger)
    for verb in ("UPDATE", "DELETE"):  # events are facts: SQLite refuses to change them
        db.execute(
            f"CREATE TRIGGER events_no_{verb.lower()} BEFORE {verb} ON events "
            "BEGIN SELECT RAISE(ABORT, 'events are append-only'); END"
        )


@MIGRATIONS(name="0002_usb_bundles")
def _usb_bundles(db: Database) -> None:
    """USB bundles: how a device was registered, its box key and cursor, and the bundles imported.

    ``registered_by`` is ``network`` or ``bundle`` (a kiosk that registered
    through its first USB bundle may later present its used code online).
    ``box_public_key`` (X25519) is what change bundles are sealed for;
    ``reported_cursor`` is the pull cursor its newest bundle
    (``reported_bundle_id``, made at ``reported_utc``) reported. ``bundle_imports`` keeps the
    receipt of every events bundle imported, so a second import writes the
    same receipt and changes nothing.
    """
    for statement in (
        "ALTER TABLE devices ADD COLUMN registered_by TEXT NOT NULL DEFAULT 'network' "
        "CHECK (registered_by IN ('network', 'bundle'))",
        "ALTER TABLE devices ADD COLUMN box_public_key TEXT",
        "ALTER TABLE devices ADD COLUMN reported_cursor TEXT",
        "ALTER TABLE devices ADD COLUMN reported_utc TEXT",
        "ALTER TABLE devices ADD COLUMN reported_bundle_id TEXT",
        "CREATE TABLE bundle_imports (device_id TEXT NOT NULL, bundle_id TEXT NOT NULL, "
        "imported_utc TEXT NOT NULL, receipt TEXT NOT NULL, PRIMARY KEY (device_id, bundle_id))",
    ):
        db.execute(statement)


#: The change log's kind for face records: ``key_a`` the volunteer, ``key_b`` the area.
FACE_LOG_KIND = "face"


@MIGRATIONS(name="0003_face")
def _face(db: Database) -> None:
    """Face templates through the cloud (docs/sync-protocol.md, "Face templates").

    - ``face_enrolments``: the newest enrolment of a volunteer in an area:
      templates as the area key's ciphertexts only (JSON text of
      ``[{template_id, nonce, ciphertext}]``), model version, consent, and
      the ordering fields (``corrected_utc``: the device time corrected by
      the kiosk's clock offset; ``replaces``: the record the kiosk held
      before). Deleted for real (``secure_delete``) when a deletion wins.
    - ``face_tombstones``: the newest deletion of a volunteer (every area),
      kept so an older enrolment arriving later is not stored.

    Triggers log every change of ``face_enrolments`` as kind ``face`` with
    the volunteer and the area; a deletion also logs the area of the kiosk
    that made it, so that area's kiosks hear of it.
    """
    for statement in (
        "CREATE TABLE face_enrolments (area_id TEXT NOT NULL, volunteer_id TEXT NOT NULL, "
        "record_id TEXT NOT NULL UNIQUE, kiosk_id TEXT NOT NULL, model_version TEXT NOT NULL, "
        "enrolled_utc TEXT NOT NULL, corrected_utc TEXT NOT NULL, replaces TEXT, "
        "consented_utc TEXT NOT NULL, coordinator TEXT NOT NULL, notice_version TEXT NOT NULL, "
        "templates TEXT NOT NULL, received_utc TEXT NOT NULL, batch_id TEXT NOT NULL, "
        "PRIMARY KEY (area_id, volunteer_id))",
        "CREATE INDEX face_enrolments_volunteer ON face_enrolments (volunteer_id)",
        "CREATE TABLE face_tombstones (volunteer_id TEXT PRIMARY KEY, record_id TEXT NOT NULL UNIQUE, "
        "kiosk_id TEXT NOT NULL, area_id TEXT NOT NULL, deleted_utc TEXT NOT NULL, "
        "corrected_utc TEXT NOT NULL, replaces TEXT, received_utc TEXT NOT NULL, batch_id TEXT NOT NULL)",
        *_change_triggers("face_enrolments", FACE_LOG_KIND, ("volunteer_id", "area_id")),
    ):
        db.execute(statement)


@MIGRATIONS(name="0004_key_purposes")
def _key_purposes(db: Database) -> None:
    """Every platform key gets its purposes; the signing key in use becomes one setting per purpose.

    ``trusted_keys.purposes``: what the key may sign (``checkin_protocol.codes.trust.KeyPurpose``
    names separated by spaces), published to kiosks with the key. A key made
    before this migration was the platform's one signing key, which signed
    cards, activity codes, bundles and provisioning files: it keeps all four,
    and stays the key in use for each (``signing_key_id.<purpose>``), so the
    codes and kiosks in the field keep working. A new platform makes one key
    per purpose (``cloud.keys``).
    """
    for statement in (
        # The same column as the kiosk's (migration 0008); every key of before is the all-purpose one.
        "ALTER TABLE trusted_keys ADD COLUMN purposes TEXT NOT NULL DEFAULT 'activity card'",
        "UPDATE trusted_keys SET purposes = 'activity bundle card provisioning'",
        *(
            f"INSERT INTO settings (key, value) SELECT 'signing_key_id.{purpose}', value FROM settings "
            "WHERE key = 'signing_key_id'"
            for purpose in ("card", "activity", "bundle", "provisioning")
        ),
        "DELETE FROM settings WHERE key = 'signing_key_id'",
    ):
        db.execute(statement)


@MIGRATIONS(name="0005_registration_nonces")
def _registration_nonces(db: Database) -> None:
    """Server nonces a kiosk signs at registration, to prove it holds its device key.

    One row per nonce handed out by ``POST /register/nonce`` and not yet used:
    the kiosk ID it was asked for and when it expires. ``nonce_id`` orders
    them, oldest first, so the oldest can make room when too many are out
    (:mod:`cloud.registration_nonces`); a registration deletes the one it used.
    """
    db.execute(
        "CREATE TABLE registration_nonces (nonce_id INTEGER PRIMARY KEY, nonce TEXT NOT NULL UNIQUE, "
        "kiosk_id TEXT NOT NULL, expires_utc TEXT NOT NULL)"
    )
    db.execute("CREATE INDEX registration_nonces_expiry ON registration_nonces (expires_utc)")


@MIGRATIONS(name="0006_seq_gaps")
def _seq_gaps(db: Database) -> None:
    """Each kiosk's missing sequence numbers (docs/sync-protocol.md, "Missing records").

    ``seq_gaps`` holds the runs ``first_seq..last_seq`` of a kiosk's
    sequence numbers, below the highest it has seen of that kiosk, that the
    cloud holds no event for: ``rejected`` null for numbers that never
    arrived, else the reason the event under them was refused.
    :mod:`cloud.seq_gap_queries` keeps it in the transaction that stores or
    refuses the events. Filled here from the events already stored; a
    refusal before this migration was not kept, so it shows as never arrived.
    """
    for statement in (
        "CREATE TABLE seq_gaps (kiosk_id TEXT NOT NULL, first_seq INTEGER NOT NULL, "
        "last_seq INTEGER NOT NULL, rejected TEXT, CHECK (first_seq >= 1 AND last_seq >= first_seq), "
        "PRIMARY KEY (kiosk_id, first_seq))",
        "CREATE UNIQUE INDEX seq_gaps_last ON seq_gaps (kiosk_id, last_seq)",
        # Each stored seq that does not follow the one before it ends a gap (the first follows 0).
        "INSERT INTO seq_gaps (kiosk_id, first_seq, last_seq) "
        "SELECT kiosk_id, previous + 1, seq - 1 FROM ("
        "SELECT kiosk_id, seq, LAG(seq, 1, 0) OVER (PARTITION BY kiosk_id ORDER BY seq) AS previous "
        "FROM events) WHERE seq > previous + 1",
    ):
        db.execute(statement)


@MIGRATIONS(name="0007_face_deletion_log")
def _face_deletion_log(db: Database) -> None:
    """Every face deletion taken, and face times ahead of their arrival set back to it (issue 12, point 2).

    - ``face_deletion_log``: each deletion the cloud took (record ID,
      volunteer, kiosk, time, arrival), so a deletion sent again after its
      reply was lost is a ``duplicate`` whatever came after it, instead of a
      new deletion of every enrolment made since. Filled from the tombstones.
    - A ``corrected_utc`` more than 10 minutes after its row's
      ``received_utc`` was stored before times were checked: such an
      enrolment would win over every later one of its area, such a tombstone
      would refuse every new consent. It becomes the arrival time (an
      enrolment's update is logged, so its area is sent the sane time).
    """
    db.execute(
        "CREATE TABLE face_deletion_log (record_id TEXT PRIMARY KEY, volunteer_id TEXT NOT NULL, "
        "kiosk_id TEXT NOT NULL, deleted_utc TEXT NOT NULL, received_utc TEXT NOT NULL)"
    )
    db.execute(
        "INSERT INTO face_deletion_log (record_id, volunteer_id, kiosk_id, deleted_utc, received_utc) "
        "SELECT record_id, volunteer_id, kiosk_id, deleted_utc, received_utc FROM face_tombstones"
    )
    ahead = timedelta(minutes=10)  # this migration's tolerance, fixed here: released migrations never change
    for table in ("face_enrolments", "face_tombstones"):
        rows = db.execute(f"SELECT rowid, corrected_utc, received_utc FROM {table}").fetchall()
        for rowid, corrected, received in rows:
            if datetime.fromisoformat(corrected) > datetime.fromisoformat(received) + ahead:
                db.execute(f"UPDATE {table} SET corrected_utc = received_utc WHERE rowid = ?", [rowid])


@MIGRATIONS(name="0008_dashboard_visits")
def _dashboard_visits(db: Database) -> None:
    """Visits kept ready for the dashboard (:mod:`cloud.schema_dashboard`); filled by the store when it opens."""
    for statement in statements(VISIT_TABLES, SQLITE_COUNTER):
        db.execute(statement)


@MIGRATIONS(name="0009_staff_accounts")
def _staff_accounts(db: Database) -> None:
    """Dashboard staff: accounts, sessions and login attempts (:mod:`cloud.schema_dashboard`)."""
    for statement in statements(STAFF_TABLES, SQLITE_COUNTER):
        db.execute(statement)


@MIGRATIONS(name="0010_kiosk_status")
def _kiosk_status(db: Database) -> None:
    """What each kiosk last said of itself when it synced (:mod:`cloud.schema_dashboard`)."""
    for statement in statements(KIOSK_STATUS_TABLES, SQLITE_COUNTER):
        db.execute(statement)


@MIGRATIONS(name="0011_face_qr_only")
def _face_qr_only(db: Database) -> None:
    """An enrolment's QR-only mark (docs/sync-protocol.md, "Face templates"; issue 16).

    ``face_enrolments.qr_only``: NULL, or the JSON text of the mark the
    enrolment carried (``{"reason": "look_alike", "other_volunteer_id",
    "coordinator", "decided_utc"}``, the time as the kiosk sent it), so every
    kiosk of the area learns that the volunteer is never named. Enrolments
    stored before carried none.
    """
    db.execute("ALTER TABLE face_enrolments ADD COLUMN qr_only TEXT")


#: The ``volunteer`` log entry of a totals row: the older entries of the volunteer go (the
#: newest entry of a key is all a page sends), and a volunteer the roster lacks logs nothing
#: (an entry without a ``volunteers`` row would be sent as a delete). Both dialects use it.
TOTALS_LOG_BODY = (
    "DELETE FROM changes WHERE key_a = NEW.volunteer_id AND kind = 'volunteer'; "
    "INSERT INTO changes (kind, op, key_a, key_b) VALUES ('volunteer', 'upsert', NEW.volunteer_id, NULL);"
)
TOTALS_LOG_CONDITION = "EXISTS (SELECT 1 FROM volunteers WHERE volunteer_id = NEW.volunteer_id)"
#: Each volunteer's kept visits summed, as of now: what a platform with visits starts its totals from.
TOTALS_FROM_VISITS = (
    "INSERT INTO volunteer_totals (volunteer_id, total_seconds, computed_utc) "
    "SELECT volunteer_id, sum(credited_seconds), {now} FROM visit_facts GROUP BY volunteer_id"
)


@MIGRATIONS(name="0012_volunteer_totals")
def _volunteer_totals(db: Database) -> None:
    """Each volunteer's platform total of service, sent with the volunteer (issue 18; :mod:`cloud.schema_dashboard`).

    A totals row inserted or updated logs a ``volunteer`` change of its
    volunteer (replacing the volunteer's older entries, so the log keeps one
    per volunteer however often they serve), and only for a volunteer the
    roster has. Filled here from the kept visits; a database whose visits
    are not built yet gets its totals with them (:mod:`cloud.visit_projection`).
    """
    for statement in statements(VOLUNTEER_TOTALS_TABLES, SQLITE_COUNTER):
        db.execute(statement)
    for verb in ("INSERT", "UPDATE"):
        db.execute(
            f"CREATE TRIGGER volunteer_totals_logged_{verb.lower()} AFTER {verb} ON volunteer_totals "
            f"WHEN {TOTALS_LOG_CONDITION} BEGIN {TOTALS_LOG_BODY} END"
        )
    db.execute(TOTALS_FROM_VISITS.format(now="strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')"))


@MIGRATIONS(name="0013_event_credentials")
def _event_credentials(db: Database) -> None:
    """What a volunteer showed at each event: card, pass or NULL (issue 18; :mod:`cloud.schema_credentials`)."""
    for statement in EVENT_CREDENTIAL_COLUMN:
        db.execute(statement)


@MIGRATIONS(name="0014_passes")
def _passes(db: Database) -> None:
    """Volunteers' phone passes, a synced table of kind ``pass`` (issue 18; :mod:`cloud.schema_passes`)."""
    for statement in (*PASS_TABLES, *_change_triggers(*PASSES_SYNCED)):
        db.execute(statement)


@MIGRATIONS(name="0015_presence_signals")
def _presence_signals(db: Database) -> None:
    """Signals of checking in for someone else, kept with the visits (issue 18; :mod:`cloud.schema_signals`)."""
    for statement in PRESENCE_SIGNAL_TABLES:
        db.execute(statement)


@MIGRATIONS(name="0016_totals_log_pace")
def _totals_log_pace(db: Database) -> None:
    """Totals logged for kiosks at most every ten minutes a volunteer, by the cloud's code, not a trigger.

    0012's trigger logged a volunteer change at every push that stored an
    event of the volunteer, so 500 kiosks pulled every busy volunteer every
    round (``bench/cloud_load.py``: round p95 from 14 ms to 19 s).
    """
    for verb in ("insert", "update"):
        db.execute(f"DROP TRIGGER IF EXISTS volunteer_totals_logged_{verb}")
    for statement in TOTALS_LOG_PACE:
        db.execute(statement)


def migrate(db: Database) -> None:
    """Bring the schema up to date; ``RuntimeError`` for a database of a newer version."""
    known = {m.name for m in MIGRATIONS._migrations}
    unknown = [m.name for m in MIGRATIONS.applied(db) if m.name not in known]
    if unknown:
        raise RuntimeError(f"the cloud database has migrations this version does not know: {unknown}")
    MIGRATIONS.apply(db)
