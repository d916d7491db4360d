"""The cloud store: the kiosk's roster tables, the change log triggers, transactions and keys."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from checkin_protocol.codes.issuer import generate_signing_key, public_key_b64, save_private_key
from checkin_protocol.codes.trust import KeyPurpose
from cloud.instance import init_instance
from cloud.keys import FIRST_KEY_IDS, ensure_keys, signing_key_path
from cloud.schema import MIGRATIONS
from cloud.storage import CloudStore, Storage
from kiosk.store.migrations import MIGRATIONS as KIOSK_MIGRATIONS

NOW = datetime(2026, 3, 1, tzinfo=UTC)


def _columns(db: Database, table: str) -> list[tuple[object, ...]]:
    return [tuple(row[1:]) for row in db.execute(f"PRAGMA table_info({table})").fetchall()]


ROSTER_TABLES = ("organisations", "volunteers", "signups", "revocations", "trusted_keys")


def test_roster_tables_have_exactly_the_kiosk_columns(sqlite_cloud_store: CloudStore) -> None:
    kiosk = Database(memory=True)
    KIOSK_MIGRATIONS.apply(kiosk)
    cloud = Database(sqlite_cloud_store.path)
    for table in ROSTER_TABLES:
        assert _columns(cloud, table) == _columns(kiosk, table), table
    cloud.close()


def test_roster_tables_have_the_kiosk_column_names_on_both_databases(cloud_store: Storage) -> None:
    kiosk = Database(memory=True)
    KIOSK_MIGRATIONS.apply(kiosk)
    with cloud_store.read() as reader:
        for table in ROSTER_TABLES:
            assert reader.column_names(table) == [c[0] for c in _columns(kiosk, table)], table


def test_changing_a_key_logs_a_delete_of_the_old_and_an_upsert_of_the_new(cloud_store: Storage) -> None:
    with cloud_store.write() as writer:
        writer.revoke("V1", 3, None, NOW)
        writer._conn.execute("UPDATE revocations SET card_no = 4 WHERE volunteer_id = 'V1'")
        writer._conn.execute("UPDATE revocations SET reason = 'lost' WHERE volunteer_id = 'V1'")
    with cloud_store.read() as reader:
        logged = [(e.kind, e.key_a, e.key_b, e.row is not None) for e in reader.logged_changes(0, 100)]
    assert logged == [
        ("revocation", "V1", "3", False),
        ("revocation", "V1", "3", False),
        ("revocation", "V1", "4", True),
        ("revocation", "V1", "4", True),
    ]


def test_a_failed_write_block_leaves_nothing(cloud_store: Storage) -> None:
    with pytest.raises(RuntimeError), cloud_store.write() as writer:
        writer.add_signup("A1", "V1")
        raise RuntimeError("the service changed its mind")
    assert cloud_store.table_counts()["signups"] == 0
    assert cloud_store.table_counts()["changes"] == 0


def test_reopening_applies_nothing_twice_and_a_newer_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "cloud.db"
    CloudStore.open(path).close()
    CloudStore.open(path).close()
    db = Database(path)
    assert [m.name for m in MIGRATIONS.applied(db)] == [m.name for m in MIGRATIONS._migrations]
    db.table("_sqlite_migrations").insert(
        {"migration_set": "cloud", "name": "9999_future", "applied_at": "x"}
    )
    db.close()
    with pytest.raises(RuntimeError, match="9999_future"):
        CloudStore.open(path)


def test_wal_and_full_synchronous(sqlite_cloud_store: CloudStore) -> None:
    with sqlite_cloud_store.read() as reader:
        assert reader._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert reader._conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_keys_are_made_once_and_a_key_file_left_by_a_crash_is_used(
    tmp_path: Path, cloud_store: Storage
) -> None:
    keys_dir = tmp_path / "keys"
    keys_dir.mkdir()
    leftover = generate_signing_key()
    save_private_key(signing_key_path(keys_dir, FIRST_KEY_IDS[KeyPurpose.CARD]), leftover)
    keys, created = ensure_keys(keys_dir, cloud_store, NOW)
    assert created and keys.card_issuer.public_key_b64 == public_key_b64(leftover)
    again, created_again = ensure_keys(keys_dir, cloud_store, NOW)
    assert not created_again
    assert {p: s.public_key_b64 for p, s in again.signers.items()} == {
        p: s.public_key_b64 for p, s in keys.signers.items()
    }
    with cloud_store.read() as reader:
        assert reader.trusted_keys() == sorted(
            (s.key_id, s.public_key_b64, p.value) for p, s in keys.signers.items()
        )


def test_a_new_platform_has_one_key_per_purpose(tmp_path: Path, cloud_store: Storage) -> None:
    keys, _ = ensure_keys(tmp_path / "keys", cloud_store, NOW)
    assert {p: s.key_id for p, s in keys.signers.items()} == dict(FIRST_KEY_IDS)
    assert len({s.public_key_b64 for s in keys.signers.values()}) == len(KeyPurpose)


def test_a_platform_from_before_purposes_keeps_its_one_key_for_everything(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db = Database(path)
    MIGRATIONS.apply(db, stop_before="0004_key_purposes")
    old_key = generate_signing_key()
    keys_dir = tmp_path / "keys"
    keys_dir.mkdir()
    save_private_key(signing_key_path(keys_dir, "p1"), old_key)
    db.execute(
        "INSERT INTO trusted_keys (key_id, public_key, added_utc, source) VALUES ('p1', ?, 't', 'platform')",
        [public_key_b64(old_key)],
    )
    db.execute("INSERT INTO settings (key, value) VALUES ('signing_key_id', 'p1')")
    db.conn.commit()
    db.close()
    store = CloudStore.open(path)
    try:
        keys, _ = ensure_keys(keys_dir, store, NOW)
        assert {s.key_id for s in keys.signers.values()} == {"p1"}
        assert sorted(p.name for p in keys_dir.glob("platform-*.pem")) == ["platform-p1.pem"]
        with store.read() as reader:
            assert reader.trusted_keys() == [
                ("p1", public_key_b64(old_key), "activity bundle card provisioning")
            ]
    finally:
        store.close()


def test_init_instance_reports_whether_it_created_anything(tmp_path: Path) -> None:
    instance, created = init_instance(tmp_path / "data")
    instance.close()
    again, created_again = init_instance(tmp_path / "data")
    again.close()
    assert created and not created_again
