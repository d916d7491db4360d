"""The kiosk database schema, built only through migrations.

Each migration is a function registered on :data:`MIGRATIONS` in order; a
migration, once released, is never edited: a later change gets a new one.
``tests/unit/store/test_migrations.py`` upgrades a database from empty and from
every earlier version and checks that data survives.
"""

from __future__ import annotations

import uuid

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from kiosk.store.device_keys import box_key_path, database_file, device_key_path, move_into_key_file
from kiosk.store.passes import MIGRATION_0013

MIGRATIONS = Migrations("kiosk")

#: Tables whose rows are facts: SQLite refuses UPDATE and DELETE on them.
APPEND_ONLY_TABLES = ("events", "audit_log")


def _run_script(db: Database, script: str) -> None:
    """Run statements one by one: ``executescript`` would commit the migration's transaction."""
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def _forbid_changes(db: Database, table: str) -> None:
    for verb in ("UPDATE", "DELETE"):
        db.execute(
            f"""
            CREATE TRIGGER {table}_no_{verb.lower()}
            BEFORE {verb} ON {table}
            BEGIN
                SELECT RAISE(ABORT, '{table} is append-only');
            END
            """
        )


@MIGRATIONS(name="0001_initial")
def _initial(db: Database) -> None:
    _run_script(
        db,
        """
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
            org_level TEXT NOT NULL,
            venue TEXT NOT NULL,
            starts_at TEXT NOT NULL,
            ends_at TEXT NOT NULL,
            category TEXT NOT NULL,
            capacity INTEGER,
            checkin_opens_before_min INTEGER NOT NULL,
            checkin_closes_after_start_min INTEGER,
            signup_required INTEGER NOT NULL DEFAULT 0,
            status TEXT NOT NULL DEFAULT 'scheduled'
                CHECK (status IN ('scheduled', 'open', 'closed')),
            source TEXT NOT NULL DEFAULT 'code'
        );

        CREATE TABLE signups (
            activity_id TEXT NOT NULL,
            volunteer_id TEXT NOT NULL,
            PRIMARY KEY (activity_id, volunteer_id)
        ) WITHOUT ROWID;

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
            auto_closed INTEGER NOT NULL DEFAULT 0,
            credit_seconds INTEGER,
            actor TEXT,
            UNIQUE (kiosk_id, seq)
        );
        CREATE INDEX events_volunteer_activity ON events (volunteer_id, activity_id, seq);
        CREATE INDEX events_activity ON events (activity_id, seq);
        CREATE INDEX events_wall ON events (wall_utc);

        CREATE TABLE outbox (
            event_id TEXT PRIMARY KEY REFERENCES events (event_id),
            enqueued_utc TEXT NOT NULL,
            delivered_utc TEXT,
            attempts INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX outbox_pending ON outbox (delivered_utc) WHERE delivered_utc IS NULL;

        CREATE TABLE sync_state (
            key TEXT PRIMARY KEY,
            value TEXT
        );

        CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT
        );

        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at_utc TEXT NOT NULL,
            kiosk_id TEXT NOT NULL,
            actor TEXT,
            action TEXT NOT NULL,
            detail TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash TEXT NOT NULL
        );
        """,
    )
    for table in APPEND_ONLY_TABLES:
        _forbid_changes(db, table)


@MIGRATIONS(name="0002_trust")
def _trust(db: Database) -> None:
    """Trusted platform public keys and revoked cards, for offline verification."""
    _run_script(
        db,
        """
        CREATE TABLE trusted_keys (
            key_id TEXT PRIMARY KEY,
            public_key TEXT NOT NULL,
            added_utc TEXT NOT NULL,
            source TEXT NOT NULL
        );

        CREATE TABLE revocations (
            volunteer_id TEXT NOT NULL,
            card_no INTEGER NOT NULL,  -- 0 revokes every card of the volunteer
            revoked_utc TEXT NOT NULL,
            reason TEXT,
            PRIMARY KEY (volunteer_id, card_no)
        ) WITHOUT ROWID;
        """,
    )


@MIGRATIONS(name="0003_sync")
def _sync(db: Database) -> None:
    """Per outbox row, the server's reason for a rejected event and the batch that last carried it.

    Device credentials, the pull cursor and the clock offset live in
    ``sync_state`` (``kiosk/store/sync_state.py`` names the keys).
    """
    _run_script(
        db,
        """
        ALTER TABLE outbox ADD COLUMN rejected_reason TEXT;
        ALTER TABLE outbox ADD COLUMN batch_id TEXT;
        """,
    )


@MIGRATIONS(name="0004_usb_bundles")
def _usb_bundles(db: Database) -> None:
    """USB bundles this kiosk has imported (receipts and changes), so importing one twice changes nothing."""
    _run_script(
        db,
        """
        CREATE TABLE imported_bundles (
            bundle_id TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            created_utc TEXT NOT NULL,
            imported_utc TEXT NOT NULL,
            summary TEXT NOT NULL
        );
        """,
    )


@MIGRATIONS(name="0005_coordinator_desk")
def _coordinator_desk(db: Database) -> None:
    """The coordinator desk: accounts, the volunteer search index, notes on events and reviews.

    - ``coordinators``: one row per account, each with its own PIN hash
      (the PIN of migration 0001's single ``coordinator_pin`` setting becomes
      the first account); ``removed_utc`` retires an account, rows stay.
    - ``volunteer_search``: name, pinyin, pinyin initials and the phone number
      reversed (for "last digits"), kept by ``kiosk.services.volunteer_search``
      from ``volunteer_search_dirty``, an append-only list of changed IDs that
      triggers on ``volunteers`` fill: a roster import stays a plain insert,
      the pinyin is computed after.
    - ``event_notes``: why a coordinator made a manual event, and when it was
      really recorded (a check-out entered later carries its real time).
    - ``review_notes``: a coordinator's confirmation or correction of a visit
      to review, and a volunteer's answer to "when did you leave?".
    Both note tables are append-only, like ``events``.
    """
    _run_script(
        db,
        """
        CREATE TABLE coordinators (
            coordinator_id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            pin_hash TEXT NOT NULL,
            created_utc TEXT NOT NULL,
            removed_utc TEXT
        );
        INSERT INTO coordinators (coordinator_id, name, pin_hash, created_utc)
            SELECT 'c1', 'coordinator', value, strftime('%Y-%m-%dT%H:%M:%f+00:00', 'now')
            FROM settings WHERE key = 'coordinator_pin' AND value IS NOT NULL;

        CREATE TABLE volunteer_search (
            volunteer_id TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            pinyin TEXT NOT NULL,
            initials TEXT NOT NULL,
            phone_rev TEXT
        ) WITHOUT ROWID;
        CREATE INDEX volunteer_search_name ON volunteer_search (name);
        CREATE INDEX volunteer_search_pinyin ON volunteer_search (pinyin);
        CREATE INDEX volunteer_search_initials ON volunteer_search (initials);
        CREATE INDEX volunteer_search_phone ON volunteer_search (phone_rev);
        CREATE TABLE volunteer_search_dirty (
            volunteer_id TEXT NOT NULL
        );
        INSERT INTO volunteer_search_dirty (volunteer_id) SELECT volunteer_id FROM volunteers;

        CREATE TABLE event_notes (
            event_id TEXT PRIMARY KEY REFERENCES events (event_id),
            actor TEXT NOT NULL,
            reason TEXT NOT NULL,
            recorded_utc TEXT NOT NULL
        );

        CREATE TABLE review_notes (
            note_id INTEGER PRIMARY KEY AUTOINCREMENT,
            subject_event_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('confirmed', 'corrected', 'leave_answer')),
            actor TEXT,
            reason TEXT,
            proposed_out_utc TEXT,
            correction_event_id TEXT,
            created_utc TEXT NOT NULL
        );
        CREATE INDEX review_notes_subject ON review_notes (subject_event_id);
        """,
    )

    # A plain append per change (the same ID may be listed twice): the cheapest mark for a big import.
    mark = "INSERT INTO volunteer_search_dirty (volunteer_id)"
    db.execute(
        f"CREATE TRIGGER volunteers_search_insert AFTER INSERT ON volunteers BEGIN {mark} VALUES (NEW.volunteer_id); END"
    )
    db.execute(
        f"CREATE TRIGGER volunteers_search_update AFTER UPDATE ON volunteers BEGIN {mark} VALUES (NEW.volunteer_id); "
        f"{mark} SELECT OLD.volunteer_id WHERE OLD.volunteer_id IS NOT NEW.volunteer_id; END"
    )
    db.execute(
        f"CREATE TRIGGER volunteers_search_delete AFTER DELETE ON volunteers BEGIN {mark} VALUES (OLD.volunteer_id); END"
    )
    for table in ("event_notes", "review_notes"):
        _forbid_changes(db, table)


@MIGRATIONS(name="0006_face")
def _face(db: Database) -> None:
    """Face check-in: consent, encrypted templates, and deletions to pass on.

    - ``face_consents``: one row per volunteer who agreed, with the
      coordinator who recorded it and the notice they were shown;
      ``withdrawn_utc`` when they asked for their face data to be deleted.
    - ``face_templates``: descriptors encrypted with the kiosk's face key
      (AES-GCM; the key is a file beside the database, never in it), bound to
      their volunteer and model version. Never a photo. Rows are deleted on
      request (the store deletes securely).
    - ``face_deletions``: a volunteer's face data was deleted here, for sync.
    """
    _run_script(
        db,
        """
        CREATE TABLE face_consents (
            volunteer_id TEXT PRIMARY KEY,
            consented_utc TEXT NOT NULL,
            coordinator TEXT NOT NULL,
            notice_version TEXT NOT NULL,
            withdrawn_utc TEXT
        );
        CREATE TABLE face_templates (
            template_id TEXT PRIMARY KEY,
            volunteer_id TEXT NOT NULL,
            model_version TEXT NOT NULL,
            nonce BLOB NOT NULL,
            ciphertext BLOB NOT NULL,
            created_utc TEXT NOT NULL
        );
        CREATE INDEX face_templates_volunteer ON face_templates (volunteer_id);
        CREATE TABLE face_deletions (
            volunteer_id TEXT PRIMARY KEY,
            deleted_utc TEXT NOT NULL,
            coordinator TEXT NOT NULL
        );
        """,
    )


@MIGRATIONS(name="0007_face_sync")
def _face_sync(db: Database) -> None:
    """Face templates through the cloud (docs/sync-protocol.md, "Face templates").

    - ``face_outbox``: enrolments and deletions made here, to push, written in
      the same transaction as the enrolment or deletion; oldest first by
      ``seq``. A row is *pending* until the cloud's reply settles it
      (``settled_utc`` with the ``outcome``) or refuses it
      (``rejected_reason``); a newer record of the same volunteer made here
      settles the older pending one as ``replaced_here``.
    - ``face_sync``: per volunteer, the newest face record this kiosk holds
      (made here, ``origin_kiosk`` NULL, or received from the cloud), so an
      echo of it changes nothing and the next record names it in ``replaces``.
    - ``face_consents.origin_kiosk``: the kiosk where a consent received from
      the cloud was recorded (NULL: here).

    Enrolments and deletions made before this migration are queued, so they
    reach the cloud too.
    """
    _run_script(
        db,
        """
        CREATE TABLE face_outbox (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            record_id TEXT NOT NULL UNIQUE,
            kind TEXT NOT NULL CHECK (kind IN ('enrolment', 'deletion')),
            volunteer_id TEXT NOT NULL,
            at_utc TEXT NOT NULL,
            replaces TEXT,
            enqueued_utc TEXT NOT NULL,
            settled_utc TEXT,
            outcome TEXT,
            rejected_reason TEXT,
            attempts INTEGER NOT NULL DEFAULT 0,
            batch_id TEXT
        );
        CREATE INDEX face_outbox_pending ON face_outbox (volunteer_id)
            WHERE settled_utc IS NULL AND rejected_reason IS NULL;
        CREATE TABLE face_sync (
            volunteer_id TEXT PRIMARY KEY,
            record_id TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('enrolment', 'deletion')),
            at_utc TEXT NOT NULL,
            origin_kiosk TEXT
        );
        ALTER TABLE face_consents ADD COLUMN origin_kiosk TEXT;
        """,
    )
    made = [
        ("enrolment", str(v), str(at))
        for v, at in db.execute(
            "SELECT volunteer_id, MAX(created_utc) FROM face_templates GROUP BY volunteer_id ORDER BY 2, 1"
        )
    ] + [
        ("deletion", str(v), str(at))
        for v, at in db.execute("SELECT volunteer_id, deleted_utc FROM face_deletions ORDER BY 2, 1")
    ]
    for kind, volunteer_id, at in sorted(made, key=lambda r: (r[2], r[1])):
        record_id = str(uuid.uuid4())
        db.execute(
            "UPDATE face_outbox SET settled_utc = ?, outcome = 'replaced_here' "
            "WHERE volunteer_id = ? AND settled_utc IS NULL",
            [at, volunteer_id],
        )
        db.execute(
            "INSERT INTO face_outbox (record_id, kind, volunteer_id, at_utc, enqueued_utc) VALUES (?, ?, ?, ?, ?)",
            [record_id, kind, volunteer_id, at, at],
        )
        db.execute(
            "INSERT INTO face_sync (volunteer_id, record_id, kind, at_utc) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (volunteer_id) DO UPDATE SET record_id = excluded.record_id, kind = excluded.kind, "
            "at_utc = excluded.at_utc",
            [volunteer_id, record_id, kind, at],
        )


@MIGRATIONS(name="0008_key_purposes")
def _key_purposes(db: Database) -> None:
    """Every trusted key gets its purposes (``checkin_protocol.codes.trust.KeyPurpose``, names separated by spaces).

    A key that came from the platform before this migration is the platform's
    one signing key of that time, which signed cards, activity codes, USB
    bundles and provisioning files alike: it keeps those four. Every other key
    (the demo key, keys a tool added) may sign cards and activity codes only.
    """
    db.execute("ALTER TABLE trusted_keys ADD COLUMN purposes TEXT NOT NULL DEFAULT 'activity card'")
    db.execute(
        "UPDATE trusted_keys SET purposes = 'activity bundle card provisioning' WHERE source = 'cloud'"
    )


@MIGRATIONS(name="0009_key_files")
def _key_files(db: Database) -> None:
    """The kiosk's private keys move out of the database into owner-only key files (``kiosk.store.device_keys``).

    ``sync_state.device_private_key`` (Ed25519) and ``device_box_key`` (X25519),
    PKCS#8 PEM until now, become ``keys/device-ed25519.key`` and
    ``keys/device-x25519.key``; their rows are deleted (``secure_delete`` is on,
    so the freed pages are overwritten; the store empties the WAL after
    migrating). A file is written before its row goes, so a crash in between
    leaves both, and the next start finishes the move.
    """
    moves = (
        ("device_private_key", Ed25519PrivateKey, device_key_path),
        ("device_box_key", X25519PrivateKey, box_key_path),
    )
    for name, kind, where in moves:
        row = db.execute("SELECT value FROM sync_state WHERE key = ?", [name]).fetchone()
        if row is None:
            continue
        key = load_pem_private_key(str(row[0]).encode("ascii"), password=None)
        if not isinstance(key, kind):
            raise ValueError(f"the stored {name} is not an {kind.__name__}")
        move_into_key_file(where(database_file(db)), key)
        db.execute("DELETE FROM sync_state WHERE key = ?", [name])


@MIGRATIONS(name="0010_pin_lockouts")
def _pin_lockouts(db: Database) -> None:
    """Whether each coordinator's PIN is short, for the growing lock-outs' companion rule of 6 digits.

    ``coordinators.pin_short``: 1 when the PIN has fewer than 6 digits, 0
    when it has 6 or more, NULL when not known. A scrypt hash does not tell
    the length, so the PINs set before this migration start NULL, and the
    kiosk learns it the next time the PIN opens the desk. Only "short or
    not" is kept, not the length, which would narrow the search of anyone
    who copied the database. The lock-out's escalation step lives in
    ``settings`` beside its failure count (``kiosk.services.pin_lockout``):
    it needs no column.
    """
    db.execute(
        "ALTER TABLE coordinators ADD COLUMN pin_short INTEGER CHECK (pin_short IS NULL OR pin_short IN (0, 1))"
    )


@MIGRATIONS(name="0011_face_qr_only")
def _face_qr_only(db: Database) -> None:
    """Volunteers who check in by QR code only, as a coordinator decided at enrolment (docs/face.md).

    ``face_qr_only``: one row per volunteer whose new face was nearer than the
    operating threshold to another volunteer's (``other_volunteer_id``), with
    the coordinator's answer in ``reason``: ``same_person`` (registered twice:
    no templates kept) or ``look_alike`` (two people the model cannot tell
    apart: templates kept, never named). No face data: the row outlives a
    deletion of the volunteer's templates, so a later enrolment is put to the
    coordinator again.
    """
    db.execute(
        """
        CREATE TABLE face_qr_only (
            volunteer_id TEXT PRIMARY KEY,
            other_volunteer_id TEXT NOT NULL,
            reason TEXT NOT NULL CHECK (reason IN ('same_person', 'look_alike')),
            coordinator TEXT NOT NULL,
            decided_utc TEXT NOT NULL
        )
        """
    )


@MIGRATIONS(name="0012_volunteer_totals")
def _volunteer_totals(db: Database) -> None:
    """Each volunteer's credited total on the platform, as the cloud last sent it (docs/design-notes.md).

    ``volunteer_totals``: ``total_seconds`` over every visit the platform
    holds, ``computed_utc`` the cloud's time it was computed (NULL: not
    said), ``synced_utc`` this kiosk's time the change carrying it was
    applied. A visit of this kiosk whose check-out was delivered after
    ``synced_utc`` (or not yet) is not in it. The row goes with its volunteer.
    """
    db.execute(
        """
        CREATE TABLE volunteer_totals (
            volunteer_id TEXT PRIMARY KEY,
            total_seconds INTEGER NOT NULL CHECK (total_seconds >= 0),
            computed_utc TEXT,
            synced_utc TEXT NOT NULL
        ) WITHOUT ROWID
        """
    )


@MIGRATIONS(name="0013_passes")
def _passes(db: Database) -> None:
    """Phone passes and the last step each was accepted at, and events' ``credential`` (:mod:`kiosk.store.passes`)."""
    for statement in MIGRATION_0013:
        db.execute(statement)


def schema_version(db: Database) -> int:
    """How many migrations of this kiosk's set have been applied."""
    return len(MIGRATIONS.applied(db))


def latest_version() -> int:
    """The number of migrations this build knows."""
    return len(MIGRATIONS._migrations)
