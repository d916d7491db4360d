"""A face deletion deletes, whatever the enrolments' times; times ahead of the server's clock are refused.

The server runs on a clock the test moves (``NOW`` at the start), so every
time below is exact. What would go wrong for a volunteer is named in each
assertion: a face still recognised after they asked for it to be deleted.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from helpers.cloud_server import RunningCloud
from helpers.face_cloud import FaceDevice, MovingClock, verdicts
from sqlite_utils import Database

from cloud.protocol import format_time
from cloud.schema import MIGRATIONS
from cloud.storage import CloudStore

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)


@pytest.fixture
def cloud_clock() -> MovingClock:
    return MovingClock(NOW)


def _stored(cloud: RunningCloud, volunteer: str) -> list[str]:
    with cloud.store.read() as reader:
        return [row.record_id for row in reader.face_enrolments_of(volunteer)]


def _data(cloud: RunningCloud) -> dict[str, int]:
    return {table: n for table, n in cloud.store.table_counts().items() if table != "changes"}


def test_a_far_future_enrolment_is_refused_and_a_deletion_elsewhere_leaves_nothing_to_serve(
    cloud: RunningCloud,
) -> None:
    north, south = FaceDevice(cloud, "K-north-1", "north"), FaceDevice(cloud, "K-south-1", "south")
    future = north.enrolment("V1", datetime(9999, 12, 31, 23, 0, tzinfo=UTC), consented=NOW)
    assert verdicts(north.push(future)) == {future["record_id"]: "invalid:enrolled_utc"}, (
        "an enrolment dated in the year 9999 must not be stored: it would outlive every deletion"
    )
    deletion = south.deletion("V1", NOW)
    assert verdicts(south.push(deletion)) == {deletion["record_id"]: "accepted"}
    assert _stored(cloud, "V1") == []
    assert [c["kind"] for c in north.feed()] == ["face_deletion"], (
        "north's kiosks must be sent no template of V1"
    )


def test_a_deletion_removes_every_enrolment_of_the_volunteer_whatever_its_time(cloud: RunningCloud) -> None:
    north, east = FaceDevice(cloud, "K-north-1", "north"), FaceDevice(cloud, "K-east-1", "east")
    south = FaceDevice(cloud, "K-south-1", "south")
    ahead = north.enrolment("V1", NOW + 9 * MINUTE)  # a fast clock, within the tolerance
    assert verdicts(north.push(ahead)) == {ahead["record_id"]: "accepted"}
    other = east.enrolment("V1", NOW + 5 * MINUTE)
    assert verdicts(east.push(other)) == {other["record_id"]: "accepted"}

    deletion = south.deletion("V1", NOW - HOUR)  # a kiosk an hour slow that never measured it
    assert verdicts(south.push(deletion)) == {deletion["record_id"]: "accepted"}
    assert _stored(cloud, "V1") == [], "the deletion must remove the volunteer's face in every area"
    for device in (north, east, south):
        assert [(c["kind"], c["data"]["record_id"]) for c in device.feed()] == [
            ("face_deletion", deletion["record_id"])
        ], f"{device.kiosk_id}'s area must be sent the deletion, never a template"

    late = north.enrolment("V1", NOW + 8 * MINUTE, consented=NOW - 10 * MINUTE)
    assert verdicts(north.push(late)) == {late["record_id"]: "superseded"}, (
        "an enrolment whose consent came before the deletion reached the cloud must not bring the face back"
    )
    assert _stored(cloud, "V1") == []


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("enrolled 11 minutes ahead", "invalid:enrolled_utc"),
        ("consented 11 minutes ahead", "invalid:consent"),
        ("deleted 11 minutes ahead", "invalid:deleted_utc"),
        ("an hour fast, dated an hour after sending", "invalid:enrolled_utc"),
        ("an hour slow, dated an hour after sending", "invalid:enrolled_utc"),
    ],
)
def test_times_beyond_the_measured_offset_and_the_tolerance_are_refused_and_change_nothing(
    cloud: RunningCloud, case: str, reason: str
) -> None:
    north = FaceDevice(cloud, "K-north-1", "north")
    offset: float | None = None
    sent = NOW
    if case == "enrolled 11 minutes ahead":
        record = north.enrolment("V1", NOW + 11 * MINUTE, consented=NOW)
    elif case == "consented 11 minutes ahead":
        record = north.enrolment("V1", NOW + 9 * MINUTE, consented=NOW + 11 * MINUTE)
    elif case == "deleted 11 minutes ahead":
        record = north.deletion("V1", NOW + 11 * MINUTE)
    elif case == "an hour fast, dated an hour after sending":
        record, offset, sent = north.enrolment("V1", NOW + 2 * HOUR, consented=NOW), -3600.0, NOW + HOUR
    else:
        record, offset, sent = north.enrolment("V1", NOW, consented=NOW - HOUR), 3600.0, NOW - HOUR
    before = _data(cloud)
    assert verdicts(north.push(record, offset=offset, sent=sent)) == {record["record_id"]: reason}
    assert _data(cloud) == before


def test_a_kiosk_clock_far_ahead_is_fine_when_its_offset_was_measured(cloud: RunningCloud) -> None:
    north = FaceDevice(cloud, "K-north-1", "north")
    years_ahead = datetime(2056, 12, 1, 10, 0, tzinfo=UTC)
    record = north.enrolment("V1", years_ahead)
    offset = (NOW - years_ahead).total_seconds()
    assert verdicts(north.push(record, offset=offset, sent=years_ahead)) == {record["record_id"]: "accepted"}
    (change,) = north.feed()
    assert change["data"]["enrolled_utc"] == format_time(NOW), (
        "the area is sent the time on the server's clock"
    )
    assert change["data"]["consent"]["consented_utc"] == format_time(NOW - MINUTE)


def test_an_unmeasured_fast_clock_is_bounded_by_the_batchs_own_send_time(cloud: RunningCloud) -> None:
    north = FaceDevice(cloud, "K-north-1", "north")
    sent = NOW + 3 * HOUR  # a USB kiosk three hours fast: it never measured its offset
    made = north.enrolment("V1", sent - 10 * MINUTE)
    after_sending = north.enrolment("V2", sent + 11 * MINUTE, consented=sent)
    reply = north.push(made, after_sending, offset=None, sent=sent)
    assert verdicts(reply) == {
        made["record_id"]: "accepted",
        after_sending["record_id"]: "invalid:enrolled_utc",
    }
    (change,) = north.feed()
    assert change["data"]["enrolled_utc"] == format_time(NOW - 10 * MINUTE), (
        "a record of a batch is no later than the batch, on the server's clock"
    )


def test_after_a_deletion_only_a_newer_consent_or_one_made_knowing_it_brings_a_face_back(
    cloud: RunningCloud, cloud_clock: MovingClock
) -> None:
    north, south = FaceDevice(cloud, "K-north-1", "north"), FaceDevice(cloud, "K-south-1", "south")
    north.push(north.enrolment("V1", NOW - HOUR))
    deletion = south.deletion("V1", NOW - 2 * HOUR)  # received at NOW: that is when it took effect
    assert verdicts(south.push(deletion)) == {deletion["record_id"]: "accepted"}

    cloud_clock.advance(120)
    stale = north.enrolment("V1", NOW + MINUTE, consented=NOW - MINUTE)
    assert verdicts(north.push(stale)) == {stale["record_id"]: "superseded"}, (
        "a kiosk that had not heard of the deletion must not re-enrol on the old consent"
    )
    fresh = north.enrolment("V1", NOW + 2 * MINUTE, consented=NOW + MINUTE)
    assert verdicts(north.push(fresh)) == {fresh["record_id"]: "accepted"}, "a consent after the deletion"
    knowing = south.enrolment("V1", NOW - 3 * HOUR, replaces=deletion["record_id"])  # a slow clock
    assert verdicts(south.push(knowing)) == {knowing["record_id"]: "accepted"}, "made knowing the deletion"
    assert sorted(_stored(cloud, "V1")) == sorted([fresh["record_id"], knowing["record_id"]])


def test_a_deletion_sent_again_after_a_newer_one_changes_nothing(
    cloud: RunningCloud, cloud_clock: MovingClock
) -> None:
    north, south = FaceDevice(cloud, "K-north-1", "north"), FaceDevice(cloud, "K-south-1", "south")
    first = north.deletion("V1", NOW)
    assert verdicts(north.push(first)) == {first["record_id"]: "accepted"}
    cloud_clock.advance(60)
    second = south.deletion("V1", cloud_clock())
    assert verdicts(south.push(second)) == {second["record_id"]: "accepted"}
    renewed = south.enrolment("V1", cloud_clock(), replaces=second["record_id"])
    assert verdicts(south.push(renewed)) == {renewed["record_id"]: "accepted"}
    cloud_clock.advance(60)

    before = _data(cloud)
    assert verdicts(north.push(first)) == {first["record_id"]: "duplicate"}, (
        "a deletion sent again (its reply was lost) must not delete the enrolment made after it"
    )
    assert _stored(cloud, "V1") == [renewed["record_id"]] and _data(cloud) == before
    moved: dict[str, Any] = {**first, "deleted_utc": format_time(NOW + MINUTE)}
    assert verdicts(north.push(moved)) == {first["record_id"]: "conflict"}


def test_a_deletion_takes_effect_when_the_cloud_receives_it(cloud: RunningCloud) -> None:
    north, south = FaceDevice(cloud, "K-north-1", "north"), FaceDevice(cloud, "K-south-1", "south")
    north.push(north.enrolment("V1", NOW - HOUR))
    deletion = south.deletion("V1", NOW - 3 * HOUR)
    south.push(deletion, offset=3600.0)  # an hour slow, measured: made at NOW - 2 h
    (change,) = north.feed()
    assert (change["kind"], change["data"]["deleted_utc"]) == ("face_deletion", format_time(NOW)), (
        "the area is told when the deletion took effect, on the server's clock"
    )


def test_the_migration_logs_the_tombstones_and_sets_times_stored_ahead_back_to_their_arrival(
    tmp_path: Path,
) -> None:
    path = tmp_path / "cloud.db"
    db = Database(path)
    MIGRATIONS.apply(db, stop_before="0007_face_deletion_log")
    arrived, ahead = format_time(NOW), "9999-12-31T23:00:00.000+00:00"
    db.execute(
        "INSERT INTO face_enrolments VALUES ('north', 'V1', 'e1', 'K1', 'dlib-resnet-v1', ?, ?, NULL, ?, 'c', "
        "'2026-11', '[]', ?, 'b1')",
        [ahead, ahead, ahead, arrived],
    )
    db.execute(
        "INSERT INTO face_tombstones VALUES ('V2', 'd1', 'K1', 'north', ?, ?, NULL, ?, 'b2')",
        [ahead, ahead, arrived],
    )
    db.conn.commit()
    logged = db.execute("SELECT MAX(change_id) FROM changes").fetchone()[0]
    db.close()

    store = CloudStore.open(path)
    try:
        with store.read() as reader:
            (enrolment,) = reader.face_enrolments_of("V1")
            tombstone = reader.face_tombstone("V2")
            assert enrolment.corrected_utc == arrived, (
                "an enrolment stored ahead would win over every later one"
            )
            assert tombstone is not None and tombstone.effective_utc == arrived
            assert reader.face_deletion("d1") == ("V2", "K1", ahead), "a deletion taken must stay known"
            assert reader.last_change_id() > logged, "the area must be sent the enrolment's sane time"
    finally:
        store.close()
