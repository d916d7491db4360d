"""Face records on the kiosk: queued with the enrolment or deletion, built for the wire, applied from a page."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from helpers.fakes import AREA_KEY, KIOSK_ID

from checkin_protocol.face_records import open_template, seal_template
from checkin_protocol.face_template_format import MODEL_FORMATS
from kiosk.face.engine import MODEL_VERSION
from kiosk.services.face_enrolment import FaceEnrolment
from kiosk.store import face_sync
from kiosk.store.database import Store
from kiosk.store.face_templates import (
    FaceKeyError,
    area_key_path,
    load_area_key,
    load_face_key,
    save_area_key,
)
from kiosk.sync.errors import SyncError
from kiosk.sync.face_push import build_batch, parse_face_reply
from kiosk.sync.pull import Change, ChangesPage, apply_page

MODEL = "dlib-resnet-v1"
COORDINATOR = "王老师 (c2)"
NOW = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)


def _descriptors(seed: int, count: int = 3) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.normal(0, 0.1, 128).astype(np.float32) for _ in range(count)]


def _enrol(faces: FaceEnrolment, volunteer_id: str, seed: int) -> list[np.ndarray]:
    made = _descriptors(seed)
    faces.record_consent(volunteer_id, COORDINATOR)
    assert faces.enrol(volunteer_id, made, COORDINATOR, MODEL) is None
    return made


def _outbox(store: Store) -> list[tuple[Any, ...]]:
    return store.writer.execute(
        "SELECT kind, volunteer_id, replaces, outcome FROM face_outbox ORDER BY seq"
    ).fetchall()


def _enrolment_change(volunteer_id: str, descriptors: list[np.ndarray], **overrides: Any) -> Change:
    model = overrides.pop("model_version", MODEL)
    data: dict[str, Any] = {
        "record_id": str(uuid.uuid4()),
        "volunteer_id": volunteer_id,
        "origin_kiosk": "KOTHER",
        "model_version": model,
        "enrolled_utc": "2026-11-29T01:30:00.000+00:00",
        "consent": {
            "consented_utc": "2026-11-29T01:29:00.000+00:00",
            "coordinator": "李老师",
            "notice_version": "2026-11",
        },
        "templates": [
            seal_template(AREA_KEY, str(uuid.uuid4()), volunteer_id, model, d.tobytes()) for d in descriptors
        ],
        **overrides,
    }
    return Change("face_enrolment", "upsert", volunteer_id, data)


def _deletion_change(volunteer_id: str) -> Change:
    data = {
        "record_id": str(uuid.uuid4()),
        "volunteer_id": volunteer_id,
        "origin_kiosk": "KOTHER",
        "deleted_utc": "2026-11-29T01:45:00.000+00:00",
    }
    return Change("face_deletion", "upsert", volunteer_id, data)


def _apply(store: Store, *changes: Change) -> Any:
    return apply_page(store, ChangesPage(tuple(changes), "c1", False), NOW, KIOSK_ID)


def test_the_engine_model_is_one_the_kiosk_can_sync() -> None:
    assert MODEL_VERSION in MODEL_FORMATS


def test_enrolments_and_deletions_are_queued_with_what_they_replace(
    faces: FaceEnrolment, area_store: Store
) -> None:
    _enrol(faces, "V1", 1)
    _enrol(faces, "V1", 2)
    faces.delete("V1", COORDINATOR)
    rows = _outbox(area_store)
    assert [(r[0], r[3]) for r in rows] == [
        ("enrolment", "replaced_here"),
        ("enrolment", "replaced_here"),
        ("deletion", None),
    ], "only the newest record of a volunteer waits"
    ids = [r[0] for r in area_store.writer.execute("SELECT record_id FROM face_outbox ORDER BY seq")]
    assert [r[2] for r in rows] == [None, ids[0], ids[1]]
    mark = face_sync.current_record(area_store.writer, "V1")
    assert mark is not None and (mark.record_id, mark.kind, mark.origin_kiosk) == (ids[2], "deletion", None)
    assert face_sync.waiting_count(area_store.writer) == 1


def test_a_batch_carries_the_templates_under_the_area_key_and_never_in_plain(
    faces: FaceEnrolment, area_store: Store
) -> None:
    made = _enrol(faces, "V1", 1)
    _enrol(faces, "V2", 2)
    faces.delete("V2", COORDINATOR)
    with area_store.write() as db:
        records = build_batch(db, load_face_key(area_store.path, create=False), KIOSK_ID, AREA_KEY, NOW)
    assert [(r["kind"], r["volunteer_id"]) for r in records] == [("enrolment", "V1"), ("deletion", "V2")]
    enrolment = records[0]
    assert enrolment["kiosk_id"] == KIOSK_ID and enrolment["model_version"] == MODEL
    assert enrolment["consent"]["coordinator"] == COORDINATOR
    opened = [
        np.frombuffer(open_template(AREA_KEY, t, "V1", MODEL), np.float32) for t in enrolment["templates"]
    ]
    assert sorted(d.tobytes() for d in opened) == sorted(d.tobytes() for d in made)
    wire = repr(records).encode()
    assert not any(base64.b64encode(d.tobytes())[:24] in wire for d in made)
    assert set(records[1]) == {"record_id", "kind", "kiosk_id", "volunteer_id", "deleted_utc", "replaces"}


def test_an_enrolment_whose_templates_are_gone_is_settled_here_not_sent(
    faces: FaceEnrolment, area_store: Store
) -> None:
    _enrol(faces, "V1", 1)
    with area_store.write() as db:
        db.execute("DELETE FROM face_templates")
        assert build_batch(db, load_face_key(area_store.path, create=False), KIOSK_ID, AREA_KEY, NOW) == []
    assert _outbox(area_store)[0][3] == "replaced_here"


def test_a_received_enrolment_is_stored_under_the_kiosks_own_key_with_its_consent(
    faces: FaceEnrolment, area_store: Store
) -> None:
    made = _descriptors(5)
    change = _enrolment_change("V1", made)
    result = _apply(area_store, change)
    assert (result.applied, result.problems, result.faces_changed) == (1, [], True)
    gallery = faces.load_gallery(MODEL)
    assert sorted(d.tobytes() for _, d in gallery) == sorted(d.tobytes() for d in made)
    consent = faces.consent("V1")
    assert consent is not None and (consent.coordinator, consent.origin_kiosk) == ("李老师", "KOTHER")
    assert face_sync.waiting_count(area_store.writer) == 0, "a received enrolment is not pushed back"

    again = _apply(area_store, change)
    assert again.applied == 1 and not again.faces_changed, "the same record twice changes nothing"


def test_a_received_record_waits_while_a_record_made_here_is_pending(
    faces: FaceEnrolment, area_store: Store
) -> None:
    faces.delete("V1", COORDINATOR)
    result = _apply(area_store, _enrolment_change("V1", _descriptors(5)))
    assert result.problems == [] and not result.faces_changed
    assert faces.load_gallery(MODEL) == [], "a face deleted here must not come back before the cloud decided"


@pytest.mark.parametrize("problem", ["unknown_model", "tampered", "no_area_key", "moved"])
def test_a_received_enrolment_that_cannot_be_used_stores_nothing(
    faces: FaceEnrolment, area_store: Store, problem: str
) -> None:
    kept = _enrolment_change("V2", _descriptors(2))
    if problem == "unknown_model":
        bad = _enrolment_change("V1", [np.zeros(64, np.float32)] * 3, model_version="future-model-v9")
    elif problem == "moved":  # templates of V1 presented as V3's
        data = _enrolment_change("V1", _descriptors(1)).data
        assert data is not None
        bad = Change("face_enrolment", "upsert", "V3", {**data, "volunteer_id": "V3"})
    else:
        bad = _enrolment_change("V1", _descriptors(1))
        assert bad.data is not None
        sealed = bytearray(base64.b64decode(bad.data["templates"][1]["ciphertext"]))
        sealed[0] ^= 0x80
        bad.data["templates"][1]["ciphertext"] = base64.b64encode(bytes(sealed)).decode()
    if problem == "no_area_key":
        area_key_path(area_store.path).unlink()
        bad = _enrolment_change("V1", _descriptors(1))
    result = _apply(area_store, bad, kept)
    if problem == "no_area_key":
        assert len(result.problems) == 2 and "no area face key" in result.problems[0]
        return
    assert len(result.problems) == 1 and result.applied == 1
    volunteers = {v for v, _ in faces.load_gallery(MODEL)}
    assert volunteers == {"V2"} and faces.consent(bad.key) is None
    assert face_sync.current_record(area_store.writer, bad.key) is None


def test_a_received_deletion_deletes_and_withdraws_without_being_pushed_back(
    faces: FaceEnrolment, area_store: Store
) -> None:
    _enrol(faces, "V1", 1)
    _enrol(faces, "V2", 2)
    with area_store.write() as db:  # as if the cloud had settled them
        face_sync.settle(db, {r.record_id: "accepted" for r in face_sync.pending_records(db, 10)}, "b", NOW)
    result = _apply(area_store, _deletion_change("V1"))
    assert result.faces_changed and result.problems == []
    assert {v for v, _ in faces.load_gallery(MODEL)} == {"V2"}
    consent = faces.consent("V1")
    assert consent is not None and consent.withdrawn_utc == "2026-11-29T01:45:00.000+00:00"
    assert face_sync.waiting_count(area_store.writer) == 0
    assert (
        area_store.writer.execute(
            "SELECT COUNT(*) FROM audit_log WHERE action = 'face.deleted_elsewhere'"
        ).fetchone()[0]
        == 1
    )


def test_the_area_key_is_an_owner_only_file_replaced_whole(tmp_path: Path) -> None:
    database = tmp_path / "kiosk.db"
    assert load_area_key(database) is None
    assert save_area_key(database, AREA_KEY) and not save_area_key(database, AREA_KEY)
    assert area_key_path(database).stat().st_mode & 0o077 == 0
    assert save_area_key(database, bytes(32)) and load_area_key(database) == bytes(32)
    assert [p.name for p in area_key_path(database).parent.iterdir()] == ["area-face.key"]
    area_key_path(database).write_bytes(b"short")
    with pytest.raises(FaceKeyError):
        load_area_key(database)


def test_a_garbled_face_reply_is_an_error_not_a_settlement() -> None:
    reply = parse_face_reply(
        {
            "accepted": ["a"],
            "duplicate": [],
            "superseded": ["b"],
            "rejected": [{"record_id": "c", "reason": "x"}],
        }
    )
    assert reply.settled == {"a": "accepted", "b": "superseded"} and reply.rejected == {"c": "x"}
    garbled_replies: list[dict[str, Any]] = [
        {"accepted": []},
        {"accepted": [], "duplicate": [], "superseded": [], "rejected": [1]},
    ]
    for garbled in garbled_replies:
        with pytest.raises(SyncError):
            parse_face_reply(garbled)
