"""Face records at the cloud: per-record verdicts, the order of a volunteer's records, the area's feed, area keys."""

from __future__ import annotations

import base64
import os
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from helpers.cloud_server import RunningCloud
from helpers.face_cloud import MODEL, FaceDevice, new_id, verdicts

from checkin_protocol.codes.issuer import generate_signing_key
from cloud.face_ingest import newer
from cloud.face_queries import FaceMark

T0 = datetime(2026, 5, 1, 8, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def when(minutes: float) -> str:
    return at(minutes).isoformat(timespec="milliseconds")


def device(cloud: RunningCloud, kiosk_id: str, area: str) -> FaceDevice:
    """A kiosk registered in ``area`` whose batches say they were sent at T0."""
    return FaceDevice(cloud, kiosk_id, area, sent_at=T0)


def _data(counts: dict[str, int]) -> dict[str, int]:
    """Row counts of every table but the change log."""
    return {table: n for table, n in counts.items() if table != "changes"}


def _log_length(cloud: RunningCloud) -> int:
    with cloud.store.read() as reader:
        return reader.last_change_id()


def test_order_a_record_made_knowing_another_wins_otherwise_the_later_one_deletion_first() -> None:
    early = FaceMark("a", "enrolment", when(0), None)
    late = FaceMark("b", "deletion", when(5), None)
    assert newer(late, early) and not newer(early, late)
    knew = FaceMark("c", "enrolment", when(-60), "b")  # made after seeing the deletion, on a slow clock
    assert newer(knew, late) and not newer(late, knew)
    tie_enrol, tie_delete = (
        FaceMark("z", "enrolment", when(1), None),
        FaceMark("a", "deletion", when(1), None),
    )
    assert newer(tie_delete, tie_enrol), "at the same moment the deletion wins"


def test_each_record_gets_its_own_verdict_and_a_refused_one_changes_nothing(cloud: RunningCloud) -> None:
    north = device(cloud, "K-north-1", "north")
    good = north.enrolment("V1", at(1))
    other_key = device(cloud, "K-south-1", "south").key
    bad: dict[str, dict[str, Any]] = {
        "wrong_kiosk": {**north.enrolment("V2", at(1)), "kiosk_id": "K-south-1"},
        "invalid:templates": north.enrolment("V3", at(1), count=2),
        "unknown_model": {**north.enrolment("V4", at(1)), "model_version": "future-model-v9"},
        "undecryptable": north.enrolment("V5", at(1), key=other_key),
        "invalid:kind": {**north.deletion("V6", at(1)), "kind": "erase"},
        "invalid:volunteer_id": north.deletion("V 7", at(1)),
        "invalid:consent": {**north.enrolment("V8", at(1)), "consent": {"coordinator": "x"}},
        "invalid:extra": {**north.deletion("V9", at(1)), "extra": 1},
    }
    short = north.enrolment("V10", at(1))
    short["templates"][0]["ciphertext"] = base64.b64encode(b"x" * 100).decode()
    bad["bad_template"] = short
    counts = cloud.store.table_counts()
    log = _log_length(cloud)
    reply = north.push(*bad.values(), good, "not a record")
    got = verdicts(reply)
    expected = {r["record_id"]: reason for reason, r in bad.items()}
    assert got == {**expected, good["record_id"]: "accepted", None: "invalid:record"}
    after = cloud.store.table_counts()
    assert _data(after) == {**_data(counts), "face_enrolments": _data(counts)["face_enrolments"] + 1}
    readable = len([r for r in bad if not r.startswith("invalid:")]) + 1  # and invalid:templates
    assert readable == 5
    assert _log_length(cloud) == log + 1 + readable, (
        "one entry for the stored enrolment; one per refused record whose volunteer is known, so its area "
        "is sent that volunteer's current record again"
    )

    again = north.push(good)
    assert again["duplicate"] == [good["record_id"]] and cloud.store.table_counts() == after
    changed = {**good, "enrolled_utc": when(2)}
    assert verdicts(north.push(changed)) == {good["record_id"]: "conflict"}
    assert _data(cloud.store.table_counts()) == _data(after)


def test_a_batch_over_the_limit_is_refused_whole(cloud: RunningCloud) -> None:
    north = device(cloud, "K-north-1", "north")
    body: dict[str, Any] = {
        "batch_id": new_id(),
        "sent_at_device": when(0),
        "clock_offset_s": None,
        "records": [{}] * 201,
    }
    reply = requests.post(f"{cloud.api_url}/face", json=body, headers=north.auth, timeout=10)
    assert reply.status_code == 400 and reply.json()["error"] == "batch_too_large"


def test_a_deletion_beats_older_enrolments_in_every_area_and_blocks_them_from_coming_back(
    cloud: RunningCloud,
) -> None:
    a, b = device(cloud, "K-north-1", "north"), device(cloud, "K-north-2", "north")
    south = device(cloud, "K-south-1", "south")
    first = a.enrolment("V1", at(10))
    assert a.push(first)["accepted"] == [first["record_id"]]
    assert verdicts(b.push(older := b.enrolment("V1", at(5))))[older["record_id"]] == "superseded"
    assert south.push(south.enrolment("V1", at(12)))["accepted"]
    assert [c["kind"] for c in south.feed()] == ["face_enrolment"] and len(a.feed()) == 1

    deletion = b.deletion("V1", at(20))
    assert b.push(deletion)["accepted"] == [deletion["record_id"]]
    with cloud.store.read() as reader:
        assert reader.face_enrolments_of("V1") == [], "the deletion removes the face in every area"
    for kiosk in (a, south):
        assert [(c["kind"], c["key"], c["data"]["record_id"]) for c in kiosk.feed()] == [
            ("face_deletion", "V1", deletion["record_id"])
        ]
    late = a.enrolment("V1", at(15))  # made before the deletion, arriving after it
    assert verdicts(a.push(late)) == {late["record_id"]: "superseded"}
    assert a.push(deletion | {"kiosk_id": a.kiosk_id})["rejected"][0]["reason"] == "conflict"
    assert b.push(deletion)["duplicate"] == [deletion["record_id"]]

    renewed = a.enrolment(
        "V1", at(1), replaces=deletion["record_id"]
    )  # a slow clock, but made knowing the deletion
    assert a.push(renewed)["accepted"] == [renewed["record_id"]]
    assert [c["data"]["record_id"] for c in b.feed()] == [renewed["record_id"]]
    assert south.feed()[0]["kind"] == "face_deletion", "the other area keeps the deletion"
    with cloud.store.read() as reader:
        assert reader.face_tombstone("V1") is not None


def test_the_clock_offset_orders_records_of_kiosks_with_wrong_clocks(cloud: RunningCloud) -> None:
    a, b = device(cloud, "K-north-1", "north"), device(cloud, "K-north-2", "north")
    enrolment = a.enrolment("V1", at(30))
    a.push(enrolment)
    deletion = b.deletion("V1", at(-600))  # B's clock is ten hours slow, but it measured that
    assert b.push(deletion, offset=39_600.0)["accepted"] == [deletion["record_id"]]
    with cloud.store.read() as reader:
        assert reader.face_enrolments_of("V1") == []


def test_face_records_go_to_the_kiosks_of_their_area_only(cloud: RunningCloud) -> None:
    north, south = device(cloud, "K-north-1", "north"), device(cloud, "K-south-1", "south")
    enrolment = north.enrolment("V1", at(1))
    north.push(enrolment)
    (change,) = north.feed()
    assert (change["kind"], change["op"], change["key"]) == ("face_enrolment", "upsert", "V1")
    data = change["data"]
    assert data["templates"] == enrolment["templates"] and data["origin_kiosk"] == "K-north-1"
    assert data["consent"] == enrolment["consent"] and data["model_version"] == MODEL
    assert south.feed() == []


def test_area_keys_are_files_of_the_owner_never_in_the_database(cloud: RunningCloud) -> None:
    north = device(cloud, "K-north-1", "north")
    again = device(cloud, "K-north-2", "north")
    south = device(cloud, "K-south-1", "south")
    assert north.key == again.key != south.key and len(north.key) == 32
    path = cloud.data / "keys" / "face-area-north.key"
    assert path.read_bytes() == north.key and os.stat(path).st_mode & 0o077 == 0
    stored = b"".join(p.read_bytes() for p in cloud.data.glob("cloud.db*"))
    assert north.key not in stored and base64.b64encode(north.key) not in stored
    anonymous = requests.get(f"{cloud.api_url}/face-key", timeout=10)
    assert anonymous.status_code == 401 and anonymous.headers["WWW-Authenticate"].startswith("Bearer")
    code = cloud.provision("north")
    body = cloud.registration_body(code, "K-north-3", generate_signing_key())
    registered = requests.post(f"{cloud.api_url}/register", json=body, timeout=10).json()
    assert base64.b64decode(registered["face_key"]) == north.key, "registration hands over the area key"
