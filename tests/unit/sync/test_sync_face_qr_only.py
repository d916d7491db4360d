"""A QR-only mark travels with its enrolment: sent with the push, saved or cleared when an enrolment arrives.

What a volunteer would see go wrong: at one kiosk a coordinator marked them
"QR code only" because the model takes their face for another volunteer's,
and at the next kiosk of the area their face checks them in (or checks the
other volunteer in) all the same.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pytest
from helpers.fakes import AREA_KEY, KIOSK_ID

from checkin_protocol.face_records import seal_template
from kiosk.services.face_enrolment import FaceEnrolment
from kiosk.services.face_gallery import GalleryLoader
from kiosk.store import face_sync
from kiosk.store import sync_state as state
from kiosk.store.database import Store
from kiosk.store.face_qr_only import LOOK_ALIKE, SAME_PERSON, QrOnlyMark, qr_only_mark, save_qr_only
from kiosk.store.face_templates import load_face_key
from kiosk.sync.face_push import build_batch
from kiosk.sync.pull import Change, ChangesPage, apply_page

MODEL = "dlib-resnet-v1"
COORDINATOR = "王老师 (c2)"
NOW = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
ENROLLED = "2026-11-29T01:30:00.000+00:00"
PAGE_TIME = "2026-11-29T02:00:00.000+00:00"


def _descriptors(seed: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.normal(0, 0.1, 128).astype(np.float32) for _ in range(3)]


def _records(store: Store) -> dict[str, dict[str, Any]]:
    """The enrolments of the next push, by volunteer."""
    with store.write() as db:
        batch = build_batch(db, load_face_key(store.path, create=False), KIOSK_ID, AREA_KEY, NOW)
    return {r["volunteer_id"]: r for r in batch if r["kind"] == "enrolment"}


def _settle_all(store: Store) -> None:
    with store.write() as db:
        face_sync.settle(db, {r.record_id: "accepted" for r in face_sync.pending_records(db, 10)}, "b", NOW)


def _wire_mark(other: str = "V1", decided: str = "2026-11-29T01:29:00.000+00:00") -> dict[str, str]:
    return {
        "reason": LOOK_ALIKE,
        "other_volunteer_id": other,
        "coordinator": "李老师",
        "decided_utc": decided,
    }


def _enrolment(volunteer_id: str, seed: int, **fields: Any) -> Change:
    """An enrolment from another kiosk of the area; ``fields`` added (``qr_only``) or, as None, left out."""
    data: dict[str, Any] = {
        "record_id": str(uuid.uuid4()),
        "volunteer_id": volunteer_id,
        "origin_kiosk": "KOTHER",
        "model_version": MODEL,
        "enrolled_utc": ENROLLED,
        "consent": {"consented_utc": ENROLLED, "coordinator": "李老师", "notice_version": "2026-11"},
        "templates": [
            seal_template(AREA_KEY, str(uuid.uuid4()), volunteer_id, MODEL, d.tobytes())
            for d in _descriptors(seed)
        ],
    }
    data.update(fields)
    return Change("face_enrolment", "upsert", volunteer_id, data)


def _apply(store: Store, *changes: Change) -> Any:
    return apply_page(store, ChangesPage(tuple(changes), "c1", False, PAGE_TIME), NOW, KIOSK_ID)


def _mark(store: Store, volunteer_id: str) -> QrOnlyMark | None:
    return qr_only_mark(store.writer, volunteer_id)


def test_an_enrolment_made_qr_only_carries_its_mark_and_a_plain_one_carries_null(
    faces: FaceEnrolment, area_store: Store
) -> None:
    for volunteer_id in ("V1", "V2"):
        faces.record_consent(volunteer_id, COORDINATOR)
    assert faces.enrol("V1", _descriptors(1), COORDINATOR, MODEL) is None
    assert faces.enrol_as_qr_only("V2", _descriptors(2), COORDINATOR, MODEL, "V1") is None
    records = _records(area_store)
    assert records["V1"]["qr_only"] is None
    assert records["V2"]["qr_only"] == {
        "reason": LOOK_ALIKE,
        "other_volunteer_id": "V1",
        "coordinator": COORDINATOR,
        "decided_utc": records["V2"]["enrolled_utc"],
    }, "the other kiosks must learn that V2 is never named"

    assert faces.enrol("V2", _descriptors(3), COORDINATOR, MODEL) is None  # enrolled again, nobody near
    assert _records(area_store)["V2"]["qr_only"] is None, "the newer enrolment clears the mark everywhere"


def test_a_received_mark_is_saved_replacing_the_one_held_and_the_gallery_never_names_them(
    faces: FaceEnrolment, area_store: Store
) -> None:
    loader = GalleryLoader(faces, area_store.writer, MODEL)
    assert loader.reload_if_changed() is not None
    with area_store.write() as db:
        save_qr_only(db, "V2", "V7", SAME_PERSON, COORDINATOR, "2026-11-28T09:00:00.000+00:00")
    assert loader.reload_if_changed() is not None
    result = _apply(area_store, _enrolment("V1", 1), _enrolment("V2", 2, qr_only=_wire_mark("V1")))
    assert result.problems == [] and result.faces_changed

    assert _mark(area_store, "V2") == QrOnlyMark(
        "V2", "V1", LOOK_ALIKE, "李老师", "2026-11-29T01:29:00.000+00:00"
    ), "the mark decided elsewhere replaces the one held here"
    assert _mark(area_store, "V1") is None
    gallery = loader.reload_if_changed()
    assert gallery is not None, "a received mark must reload the gallery"
    assert set(gallery.volunteers) == {"V1", "V2"} and gallery.qr_only == {"V2"}
    for probe in _descriptors(2):
        match = gallery.identify(probe)
        assert match.candidate == "V2" and match.volunteer_id is None, "V2's face is never named"
    assert gallery.identify(_descriptors(1)[0]).volunteer_id == "V1"


@pytest.mark.parametrize("mark_field", [{"qr_only": None}, {}], ids=["null", "left out by an older cloud"])
def test_an_enrolment_without_a_mark_clears_a_look_alike_mark_but_not_a_same_person_one(
    faces: FaceEnrolment, area_store: Store, mark_field: dict[str, Any]
) -> None:
    _apply(area_store, _enrolment("V2", 2, qr_only=_wire_mark("V1")))
    with area_store.write() as db:
        save_qr_only(db, "V3", "V1", SAME_PERSON, COORDINATOR, "2026-11-28T09:00:00.000+00:00")
    loader = GalleryLoader(faces, area_store.writer, MODEL)
    before = loader.reload_if_changed()
    assert before is not None and before.qr_only == {"V2", "V3"}

    result = _apply(area_store, _enrolment("V2", 4, **mark_field), _enrolment("V3", 5, **mark_field))
    assert result.problems == []
    assert _mark(area_store, "V2") is None, "the newer enrolment replaced the look-alike decision"
    held = _mark(area_store, "V3")
    assert held is not None and held.reason == SAME_PERSON, "a same-person decision never travels: it stays"
    after = loader.reload_if_changed()
    assert after is not None and after.qr_only == {"V3"}
    assert after.identify(_descriptors(4)[0]).volunteer_id == "V2"


BAD_MARKS: dict[str, Any] = {
    "same_person": _wire_mark() | {"reason": SAME_PERSON},
    "not an object": LOOK_ALIKE,
    "no coordinator": {k: v for k, v in _wire_mark().items() if k != "coordinator"},
    "an empty other volunteer": _wire_mark(other=""),
    "their own look-alike": _wire_mark(other="V2"),
    "a time without its offset": _wire_mark(decided="2026-11-29T01:29:00"),
}


@pytest.mark.parametrize("bad", BAD_MARKS.values(), ids=BAD_MARKS.keys())
def test_an_enrolment_with_a_bad_mark_is_reported_and_stores_nothing(
    faces: FaceEnrolment, area_store: Store, bad: Any
) -> None:
    with area_store.write() as db:
        save_qr_only(db, "V2", "V1", LOOK_ALIKE, COORDINATOR, "2026-11-28T09:00:00.000+00:00")
    held = _mark(area_store, "V2")
    result = _apply(area_store, _enrolment("V2", 2, qr_only=bad))
    assert len(result.problems) == 1 and "V2" in result.problems[0], result.problems
    assert faces.load_gallery(MODEL) == [] and faces.consent("V2") is None
    assert _mark(area_store, "V2") == held and face_sync.current_record(area_store.writer, "V2") is None


def test_a_received_decision_is_stored_on_this_kiosks_clock_and_never_after_its_enrolment(
    area_store: Store,
) -> None:
    with area_store.write() as db:
        state.set_value(
            db, state.CLOCK_OFFSET_S, "60.0"
        )  # the platform's clock is a minute ahead of this one
    _apply(
        area_store,
        _enrolment("V2", 2, qr_only=_wire_mark(decided="2026-11-29T01:20:00.000+00:00")),
        _enrolment("V4", 4, qr_only=_wire_mark(decided="2026-11-29T01:50:00.000+00:00")),
    )
    early, late = _mark(area_store, "V2"), _mark(area_store, "V4")
    assert early is not None and early.decided_utc == "2026-11-29T01:19:00.000+00:00"
    assert late is not None and late.decided_utc == "2026-11-29T01:29:00.000+00:00", (
        "a decision counts no later than the enrolment it came with"
    )


def test_a_volunteer_whose_own_record_waits_keeps_their_mark(faces: FaceEnrolment, area_store: Store) -> None:
    faces.record_consent("V2", COORDINATOR)
    assert faces.enrol_as_qr_only("V2", _descriptors(2), COORDINATOR, MODEL, "V1") is None
    _apply(area_store, _enrolment("V2", 6))
    mark = _mark(area_store, "V2")
    assert mark is not None and mark.reason == LOOK_ALIKE, (
        "the cloud decides when this kiosk's record arrives"
    )
    _settle_all(area_store)
    _apply(area_store, _enrolment("V2", 6))
    assert _mark(area_store, "V2") is None
