"""Opening the store: journal mode by filesystem, integrity check, quarantine, versions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kiosk.store import database as database_module
from kiosk.store.database import StoreError, choose_journal, open_store
from kiosk.store.filesystem import filesystem_type_from_mountinfo, is_fat_family

MOUNTINFO = """\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
40 22 8:17 / /media/kiosk\\040stick rw,relatime shared:2 - vfat /dev/sdb1 rw,fmask=0022
41 22 8:33 / /media/big rw,relatime shared:3 - exfat /dev/sdc1 rw
42 22 0:44 / /media/ntfs rw - fuseblk /dev/sdd1 rw
"""


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/home/x/kiosk.db", "ext4"),
        ("/media/kiosk stick/kiosk-data/kiosk.db", "vfat"),
        ("/media/big/kiosk-data", "exfat"),
        ("/media/bigger/kiosk.db", "ext4"),  # a prefix of the name is not the mount point
    ],
)
def test_filesystem_type_is_read_from_the_longest_mount_point(path: str, expected: str) -> None:
    assert filesystem_type_from_mountinfo(Path(path), MOUNTINFO) == expected


def test_fat_and_exfat_get_a_rollback_journal_with_extra_sync() -> None:
    assert is_fat_family("vfat") and is_fat_family("exfat")
    assert choose_journal("auto", "vfat") == ("delete", "extra")
    assert choose_journal("auto", "exfat") == ("delete", "extra")
    assert choose_journal("auto", "ext4") == ("wal", "full")
    assert choose_journal("auto", "unknown") == ("wal", "full")
    assert choose_journal("rollback", "ext4") == ("delete", "extra")
    with pytest.raises(StoreError):
        choose_journal("fast", "ext4")


def test_a_new_store_uses_wal_with_full_sync(tmp_path: Path) -> None:
    store = open_store(tmp_path / "kiosk.db")
    mode = store.writer.execute("PRAGMA journal_mode").fetchone()[0]
    sync = store.writer.execute("PRAGMA synchronous").fetchone()[0]
    assert (mode, sync) == ("wal", 2)  # 2 = FULL
    assert store.report.journal_mode == "wal"
    assert store.report.quarantined_to is None
    store.close()


def test_on_a_fat_volume_the_store_opens_with_a_rollback_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database_module, "filesystem_type", lambda path: "vfat")
    store = open_store(tmp_path / "kiosk.db")
    mode = store.writer.execute("PRAGMA journal_mode").fetchone()[0]
    sync = store.writer.execute("PRAGMA synchronous").fetchone()[0]
    assert (mode, sync) == ("delete", 3)  # 3 = EXTRA
    assert store.report.filesystem == "vfat"
    store.close()


def test_a_damaged_file_is_kept_aside_untouched_and_a_fresh_one_opened(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    store = open_store(path)
    store.writer.execute("INSERT INTO settings (key, value) VALUES ('a', 'b')")
    store.writer.conn.commit()
    store.writer.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    data = bytearray(path.read_bytes())
    data[4096 : 4096 + 200] = b"\xff" * 200  # smash the second page
    path.write_bytes(bytes(data))

    reopened = open_store(path)

    assert reopened.report.quarantined_to is not None
    assert reopened.report.damage
    kept = reopened.report.quarantined_to / "kiosk.db"
    assert kept.read_bytes() == bytes(data), "the damaged file must be kept byte for byte"
    assert reopened.writer.execute("SELECT COUNT(*) FROM settings").fetchone()[0] == 0
    reopened.close()


def test_a_file_that_is_not_a_database_is_quarantined(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    path.write_bytes(b"this is a spreadsheet, not a database" * 100)
    store = open_store(path)
    assert store.report.quarantined_to is not None
    assert (store.report.quarantined_to / "kiosk.db").exists()
    store.close()


def test_a_database_from_a_newer_version_is_refused_not_touched(tmp_path: Path) -> None:
    path = tmp_path / "kiosk.db"
    store = open_store(path)
    store.writer.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) VALUES ('kiosk', '9999_future', 'x')"
    )
    store.writer.conn.commit()
    store.close()
    with pytest.raises(StoreError, match="newer kiosk version"):
        open_store(path)
    assert path.exists()


def test_write_rolls_back_everything_when_the_block_fails(tmp_path: Path) -> None:
    store = open_store(tmp_path / "kiosk.db")
    with pytest.raises(RuntimeError), store.write() as db:
        db.execute("INSERT INTO settings (key, value) VALUES ('x', '1')")
        raise RuntimeError("power cut in the middle")
    assert store.writer.execute("SELECT COUNT(*) FROM settings").fetchone()[0] == 0
    store.close()


def test_a_reader_sees_committed_writes_and_cannot_write(tmp_path: Path) -> None:
    store = open_store(tmp_path / "kiosk.db")
    with store.write() as db:
        db.execute("INSERT INTO settings (key, value) VALUES ('x', '1')")
    reader = store.reader()
    assert reader.execute("SELECT value FROM settings WHERE key = 'x'").fetchone()[0] == "1"
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        reader.execute("INSERT INTO settings (key, value) VALUES ('y', '2')")
    reader.close()
    store.close()


def test_checkpoints_leave_the_commit_path_but_are_forced_eventually(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(database_module, "CHECKPOINT_FORCE_AFTER_WRITES", 3)
    store = open_store(tmp_path / "kiosk.db")
    assert store.writer.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    checkpointed = []
    real_maintain = store.maintain

    def counting_maintain() -> None:
        checkpointed.append(store._writes_since_checkpoint)
        real_maintain()

    monkeypatch.setattr(store, "maintain", counting_maintain)
    for n in range(7):
        with store.write() as db:
            db.execute("INSERT INTO settings (key, value) VALUES (?, 'v')", [f"k{n}"])
    assert checkpointed == [3, 3], "a checkpoint is forced every 3 writes when nobody calls maintain()"
    assert store._writes_since_checkpoint == 1
    store.close()
    reopened = open_store(tmp_path / "kiosk.db")
    assert reopened.writer.execute("SELECT COUNT(*) FROM settings").fetchone()[0] == 7
    reopened.close()
