"""An enrolment's QR-only mark at the cloud: checked, stored, compared for duplicates, sent to the area.

A volunteer whose face the model cannot tell from another's is marked
``look_alike`` at the kiosk that enrolled them; the mark rides on that
enrolment, so every kiosk of the area keeps their face without ever naming
them. The cloud runs on a clock the test moves (``NOW`` at the start), so
every time below is exact; each test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from helpers.cloud_server import RunningCloud
from helpers.face_cloud import FaceDevice, MovingClock, verdicts
from helpers.postgres import PostgresServer, new_postgres_database
from sqlite_utils import Database

from cloud.face_protocol import MAX_COORDINATOR_CHARS
from cloud.protocol import format_time
from cloud.schema import MIGRATIONS
from cloud.schema_postgres import MIGRATIONS as POSTGRES_MIGRATIONS
from cloud.schema_postgres import migrate as migrate_postgres
from cloud.storage import Storage, open_cloud_store

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


@pytest.fixture
def cloud_clock() -> MovingClock:
    return MovingClock(NOW)


def mark(other: str = "V1", *, decided: datetime = NOW, **changes: Any) -> dict[str, Any]:
    """A ``look_alike`` mark naming ``other``, decided at ``decided``, with ``changes`` made to it."""
    return {
        "reason": "look_alike",
        "other_volunteer_id": other,
        "coordinator": "王老师 (c2)",
        "decided_utc": format_time(decided),
        **changes,
    }


def _data(cloud: RunningCloud) -> dict[str, int]:
    return {table: n for table, n in cloud.store.table_counts().items() if table != "changes"}


def _fed(device: FaceDevice) -> dict[str, dict[str, Any]]:
    """The data of the face enrolments the device's area is sent, by volunteer."""
    return {c["key"]: c["data"] for c in device.feed() if c["kind"] == "face_enrolment"}


def test_a_mark_reaches_the_area_with_its_time_on_the_servers_clock_and_a_plain_enrolment_sends_null(
    cloud: RunningCloud,
) -> None:
    north, neighbour = FaceDevice(cloud, "K-north-1", "north"), FaceDevice(cloud, "K-north-2", "north")
    slow = NOW - 2 * MINUTE  # the kiosk's clock is two minutes slow, and it measured that
    marked = north.enrolment("V2", slow) | {"qr_only": mark("V1", decided=slow)}
    plain = north.enrolment("V1", slow) | {"qr_only": None}
    older_kiosk = north.enrolment("V3", slow)  # built before the mark existed: no qr_only at all
    assert "qr_only" not in older_kiosk
    reply = north.push(marked, plain, older_kiosk, offset=120.0, sent=slow)
    assert set(verdicts(reply).values()) == {"accepted"}

    fed = _fed(neighbour)
    assert fed["V2"]["qr_only"] == mark("V1", decided=NOW), (
        "the other kiosks must learn that V2 is never named, the decision dated on the server's clock"
    )
    assert fed["V1"]["qr_only"] is None and fed["V3"]["qr_only"] is None, "the field is always sent"
    with cloud.store.read() as reader:
        stored, older = reader.face_enrolment("north", "V2"), reader.face_enrolment("north", "V3")
    assert stored is not None and stored.qr_only is not None and '"look_alike"' in stored.qr_only
    assert older is not None and older.qr_only is None


def test_a_decision_dated_after_its_enrolment_counts_no_later_than_the_enrolment(cloud: RunningCloud) -> None:
    north = FaceDevice(cloud, "K-north-1", "north")
    enrolment = north.enrolment("V2", NOW - MINUTE) | {"qr_only": mark("V1", decided=NOW + 5 * MINUTE)}
    assert verdicts(north.push(enrolment)) == {enrolment["record_id"]: "accepted"}
    assert _fed(north)["V2"]["qr_only"]["decided_utc"] == format_time(NOW - MINUTE)


BAD_MARKS: dict[str, Any] = {
    "another reason": mark(reason="same_person"),
    "an unknown reason": mark(reason="twins"),
    "no reason": {k: v for k, v in mark().items() if k != "reason"},
    "an ID with a space": mark("V 1"),
    "an ID too long": mark("V" * 21),
    "no other volunteer": mark(other_volunteer_id=None),
    "a coordinator too long": mark(coordinator="王" * (MAX_COORDINATOR_CHARS + 1)),
    "a blank coordinator": mark(coordinator="   "),
    "a coordinator with a control character": mark(coordinator="王\x00"),
    "a time not in the protocol's form": mark(decided_utc="2026-12-01 10:00"),
    "an extra field": mark(note="x"),
    "not an object": "look_alike",
    "their own look-alike": mark("V2"),
}


def test_a_bad_mark_is_refused_with_its_reason_and_stores_nothing(cloud: RunningCloud) -> None:
    north = FaceDevice(cloud, "K-north-1", "north")
    bad = {why: north.enrolment("V2", NOW) | {"qr_only": value} for why, value in BAD_MARKS.items()}
    longest = north.enrolment("V4", NOW) | {"qr_only": mark(coordinator="王" * MAX_COORDINATOR_CHARS)}
    counts = _data(cloud)
    got = verdicts(north.push(*bad.values()))
    assert {why: got[r["record_id"]] for why, r in bad.items()} == dict.fromkeys(bad, "invalid:qr_only")
    assert _data(cloud) == counts, "a refused record stores nothing"
    assert _fed(north) == {}, "no kiosk may be sent a face the cloud refused"
    assert verdicts(north.push(longest)) == {longest["record_id"]: "accepted"}, "64 characters are fine"


def test_the_same_record_id_with_another_mark_is_a_conflict(cloud: RunningCloud) -> None:
    north = FaceDevice(cloud, "K-north-1", "north")
    marked = north.enrolment("V2", NOW) | {"qr_only": mark("V1")}
    assert verdicts(north.push(marked)) == {marked["record_id"]: "accepted"}
    record_id = marked["record_id"]
    assert verdicts(north.push(marked)) == {record_id: "duplicate"}, "sent again after a lost reply"

    others = {
        "no mark": marked | {"qr_only": None},
        "no mark, left out": {k: v for k, v in marked.items() if k != "qr_only"},
        "another look-alike": marked | {"qr_only": mark("V9")},
        "another coordinator": marked | {"qr_only": mark("V1", coordinator="李老师")},
        "another time": marked | {"qr_only": mark("V1", decided=NOW - MINUTE)},
    }
    for why, record in others.items():
        assert verdicts(north.push(record)) == {record_id: "conflict"}, why
    assert _fed(north)["V2"]["qr_only"] == mark("V1"), "the record stored first stays as it was"

    plain = north.enrolment("V1", NOW)
    assert verdicts(north.push(plain)) == {plain["record_id"]: "accepted"}
    assert verdicts(north.push(plain | {"qr_only": None})) == {plain["record_id"]: "duplicate"}, (
        "left out and null are the same: no mark"
    )
    assert verdicts(north.push(plain | {"qr_only": mark("V2")})) == {plain["record_id"]: "conflict"}


def test_a_newer_plain_enrolment_replaces_the_marked_one_for_the_area(cloud: RunningCloud) -> None:
    north, neighbour = FaceDevice(cloud, "K-north-1", "north"), FaceDevice(cloud, "K-north-2", "north")
    marked = north.enrolment("V2", NOW - MINUTE) | {"qr_only": mark("V1", decided=NOW - MINUTE)}
    north.push(marked)
    again = north.enrolment("V2", NOW, replaces=marked["record_id"]) | {"qr_only": None}
    assert verdicts(north.push(again)) == {again["record_id"]: "accepted"}
    assert _fed(neighbour)["V2"]["qr_only"] is None, "the area must learn the mark is gone"


_OLD_ROW = (
    "'north', 'V2', '0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b', 'K-north-1', 'dlib-resnet-v1', "
    "'2026-11-30T10:00:00.000+00:00', '2026-11-30T10:00:00.000+00:00', NULL, "
    "'2026-11-30T09:59:00.000+00:00', 'c', '2026-11', '[]', '2026-11-30T10:00:05.000+00:00', 'b1'"
)


def _old_enrolment_has_no_mark(store: Storage) -> None:
    try:
        with store.read() as reader:
            stored = reader.face_enrolment("north", "V2")
            (change,) = reader.logged_face_changes(0, reader.last_change_id(), "north")
        assert stored is not None and stored.qr_only is None
        assert change.row is not None and change.row["data"]["qr_only"] is None
    finally:
        store.close()


def test_sqlite_enrolments_stored_before_the_migration_carry_no_mark(tmp_path: Path) -> None:
    path = tmp_path / "cloud.db"
    db = Database(path)
    MIGRATIONS.apply(db, stop_before="0011_face_qr_only")
    db.execute(f"INSERT INTO face_enrolments VALUES ({_OLD_ROW})")
    db.conn.commit()
    db.close()
    _old_enrolment_has_no_mark(open_cloud_store(path))


def test_postgres_enrolments_stored_before_the_migration_carry_no_mark(
    postgres_server: PostgresServer,
) -> None:
    url = new_postgres_database(postgres_server)
    names = [name for name, _ in POSTGRES_MIGRATIONS]
    before = POSTGRES_MIGRATIONS[: names.index("0005_face_qr_only")]
    with psycopg.connect(url) as conn:
        conn.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_utc TEXT NOT NULL)")
        for name, apply in before:
            apply(conn)
            conn.execute("INSERT INTO schema_migrations VALUES (%s, 'x')", (name,))
        conn.execute(f"INSERT INTO face_enrolments VALUES ({_OLD_ROW})")
    with psycopg.connect(url) as conn:
        assert "0005_face_qr_only" in migrate_postgres(conn)
    _old_enrolment_has_no_mark(open_cloud_store(url))
