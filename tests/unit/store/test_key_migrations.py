"""Migrations 0008 and 0009: keys get purposes, and the private keys leave the database."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from sqlite_utils import Database

from checkin_protocol.codes.issuer import generate_signing_key, public_key_b64
from checkin_protocol.codes.trust import CODE_PURPOSES, KeyPurpose
from kiosk.store.database import open_store
from kiosk.store.device_keys import DeviceKeyError, box_key_path, device_key_path, raw_private_bytes
from kiosk.store.migrations import MIGRATIONS
from kiosk.store.trust import load_trusted_keys
from kiosk.sync.credentials import load_device_key
from kiosk.sync.usb_setup import ensure_box_key


def _pem(key: Ed25519PrivateKey | X25519PrivateKey) -> str:
    return key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode("ascii")


def test_keys_from_before_purposes_keep_what_they_signed(tmp_path: Path) -> None:
    db = Database(tmp_path / "kiosk.db")
    MIGRATIONS.apply(db, stop_before="0008_key_purposes")
    cloud, demo = public_key_b64(generate_signing_key()), public_key_b64(generate_signing_key())
    for key_id, key, source in (("p1", cloud, "cloud"), ("demo1", demo, "demo")):
        db.execute(
            "INSERT INTO trusted_keys (key_id, public_key, added_utc, source) VALUES (?, ?, 't', ?)",
            [key_id, key, source],
        )
    db.conn.commit()
    MIGRATIONS.apply(db)
    keys = load_trusted_keys(db)
    assert keys.purposes("p1") == set(KeyPurpose), "the platform's one key of before signed all four"
    assert keys.purposes("demo1") == CODE_PURPOSES, "a demo key never signs bundles"


def test_the_private_keys_move_from_the_database_to_owner_only_key_files(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    db = Database(path)
    db.execute("PRAGMA journal_mode=wal")
    MIGRATIONS.apply(db, stop_before="0009_key_files")
    device, box = Ed25519PrivateKey.generate(), X25519PrivateKey.generate()
    for name, key in (("device_private_key", device), ("device_box_key", box)):
        db.execute("INSERT INTO sync_state (key, value) VALUES (?, ?)", [name, _pem(key)])
    db.conn.commit()
    db.close()

    store = open_store(path)
    names = [r[0] for r in store.writer.execute("SELECT key FROM sync_state")]
    assert "device_private_key" not in names and "device_box_key" not in names
    loaded = load_device_key(store.writer)
    assert loaded is not None and raw_private_bytes(loaded) == raw_private_bytes(device)
    with store.write() as db:
        assert raw_private_bytes(ensure_box_key(db)) == raw_private_bytes(box), (
            "the same box key, not a new one"
        )
    if sys.platform != "win32":
        for key_file in (device_key_path(path), box_key_path(path)):
            assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    store.close()
    for file in tmp_path.glob("kiosk.db*"):
        content = file.read_bytes()
        assert b"PRIVATE KEY" not in content, f"a private key is still readable in {file.name}"


def test_a_kiosk_with_no_keys_yet_migrates_without_files(tmp_path: Path) -> None:
    store = open_store(tmp_path / "kiosk.db")
    assert not (tmp_path / "keys").exists()
    assert load_device_key(store.writer) is None
    store.close()


def test_a_damaged_device_key_file_is_a_clear_error(tmp_path: Path) -> None:
    store = open_store(tmp_path / "kiosk.db")
    device_key_path(tmp_path / "kiosk.db").parent.mkdir()
    device_key_path(tmp_path / "kiosk.db").write_bytes(b"short")
    with pytest.raises(DeviceKeyError, match="damaged"):
        load_device_key(store.writer)
    store.close()
