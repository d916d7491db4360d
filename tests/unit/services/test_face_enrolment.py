"""Face data at rest: consent first, no plaintext template anywhere, one action deletes it all."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from kiosk.services.face_enrolment import FaceEnrolment, FaceRefusal
from kiosk.store.audit import verify_chain
from kiosk.store.database import Store
from kiosk.store.face_templates import FaceKeyError, face_key_path

MODEL = "dlib-resnet-v1"
COORDINATOR = "王老师 (c2)"


def _descriptors(seed: int, count: int = 3) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.normal(0, 0.1, 128).astype(np.float32) for _ in range(count)]


def _all_bytes(folder: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and p.name != "face.key")


def test_no_template_without_consent_and_the_consent_says_who_and_which_notice(faces: FaceEnrolment) -> None:
    assert faces.enrol("V1", _descriptors(1), COORDINATOR, MODEL) == FaceRefusal.NO_CONSENT
    faces.record_consent("V1", COORDINATOR)
    consent = faces.consent("V1")
    assert consent is not None and consent.active and consent.coordinator == COORDINATOR
    assert faces.enrol("V1", _descriptors(1, 2), COORDINATOR, MODEL) == FaceRefusal.TOO_FEW
    assert faces.enrol("V1", _descriptors(1, 6), COORDINATOR, MODEL) == FaceRefusal.TOO_MANY
    assert faces.enrol("V1", _descriptors(1), COORDINATOR, MODEL) is None


def test_templates_are_encrypted_in_the_database_its_wal_and_the_log(
    faces: FaceEnrolment, store: Store, tmp_path: Path
) -> None:
    faces.record_consent("V1", COORDINATOR)
    descriptors = _descriptors(7, 4)
    assert faces.enrol("V1", descriptors, COORDINATOR, MODEL) is None
    on_disk = _all_bytes(tmp_path)  # database, WAL, shared memory, logs: everything but the key
    for descriptor in descriptors:
        assert descriptor.tobytes() not in on_disk
        assert descriptor.tobytes()[:32] not in on_disk, "not even a part of one"
    gallery = faces.load_gallery(MODEL)
    assert len(gallery) == 4 and all(v == "V1" for v, _ in gallery)
    assert {d.tobytes() for _, d in gallery} == {d.tobytes() for d in descriptors}
    key = face_key_path(store.path)
    assert key.stat().st_mode & 0o077 == 0, "the key is for the kiosk's user only"
    audit = [
        json.loads(r[0])
        for r in store.writer.execute("SELECT detail FROM audit_log WHERE action LIKE 'face.%'")
    ]
    assert audit[-1] == {"model_version": MODEL, "replaced": 0, "templates": 4, "volunteer_id": "V1"}


def test_a_template_moved_to_another_volunteer_or_a_foreign_key_does_not_open(
    faces: FaceEnrolment, store: Store
) -> None:
    faces.record_consent("V1", COORDINATOR)
    faces.record_consent("V2", COORDINATOR)
    faces.enrol("V1", _descriptors(1), COORDINATOR, MODEL)
    with store.write() as db:
        db.execute("UPDATE face_templates SET volunteer_id = 'V2'")
    with pytest.raises(FaceKeyError, match="cannot be opened"):
        faces.load_gallery(MODEL)
    face_key_path(store.path).write_bytes(b"\0" * 32)
    with store.write() as db:
        db.execute("UPDATE face_templates SET volunteer_id = 'V1'")
    with pytest.raises(FaceKeyError, match="cannot be opened"):
        faces.load_gallery(MODEL)


def test_deleting_is_one_action_that_removes_every_template_for_good(
    faces: FaceEnrolment, store: Store, tmp_path: Path
) -> None:
    faces.record_consent("V1", COORDINATOR)
    faces.record_consent("V2", COORDINATOR)
    faces.enrol("V1", _descriptors(1), COORDINATOR, MODEL)
    faces.enrol("V2", _descriptors(2), COORDINATOR, MODEL)
    rows_before = store.writer.execute(
        "SELECT ciphertext FROM face_templates WHERE volunteer_id = 'V1'"
    ).fetchall()
    assert faces.delete("V1", COORDINATOR) == 3
    assert [v for v, _ in faces.load_gallery(MODEL)] == ["V2"] * 3
    consent = faces.consent("V1")
    assert consent is not None and not consent.active
    assert store.writer.execute("SELECT volunteer_id FROM face_deletions").fetchall() == [("V1",)]
    on_disk = _all_bytes(tmp_path)
    assert all(bytes(row[0]) not in on_disk for row in rows_before), "not even the ciphertext stays behind"
    assert faces.enrol("V1", _descriptors(1), COORDINATOR, MODEL) == FaceRefusal.NO_CONSENT
    assert verify_chain(store.writer).ok


def test_a_new_enrolment_replaces_the_old_templates(faces: FaceEnrolment) -> None:
    faces.record_consent("V1", COORDINATOR)
    faces.enrol("V1", _descriptors(1), COORDINATOR, MODEL)
    faces.enrol("V1", _descriptors(9, 5), COORDINATOR, MODEL)
    assert len(faces.load_gallery(MODEL)) == 5
    assert faces.load_gallery("another-model") == []
