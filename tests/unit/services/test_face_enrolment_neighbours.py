"""An enrolment that knows its neighbours: a face too near another volunteer's stops for the coordinator.

The logic on crafted descriptors (a person is a centre in descriptor space,
their templates a little noise around it; a look-alike is a centre a set
distance away), on a real store; then on real faces: descriptors that dlib
computes from the faces-east-asia photos, where different people do come
under the threshold (skipped when the data set is absent).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import cv2
import numpy as np
import pytest
from numpy.typing import NDArray

from kiosk.face.engine import DlibEngine, find_faces
from kiosk.face.matching import OPERATING_THRESHOLD, Decision, Gallery, MarginRule
from kiosk.services.face_enrolment import ALREADY_ENROLLED_DISTANCE, NEAR_BAND, FaceEnrolment, FaceRefusal
from kiosk.services.face_gallery import GalleryLoader, build_gallery, gallery_fingerprint
from kiosk.services.face_status import FaceState, face_status
from kiosk.store.audit import verify_chain
from kiosk.store.database import Store
from kiosk.store.face_qr_only import LOOK_ALIKE, SAME_PERSON, qr_only_mark, qr_only_volunteers
from kiosk.store.face_templates import face_key_path

MODEL = "dlib-resnet-v1"
COORDINATOR = "王老师 (c2)"
ROSTER = {"V1": "雷彩霞", "V2": "王小明", "V3": "李四"}
EAST_ASIA = Path(__file__).resolve().parents[3].parent / "shared" / "datasets" / "faces-east-asia" / "people"
needs_east_asia = pytest.mark.skipif(
    not EAST_ASIA.is_dir(), reason=f"the faces-east-asia dataset is not at {EAST_ASIA}"
)

Vector = NDArray[np.float64]
LOOK_ALIKE_APART = 0.6 * OPERATING_THRESHOLD
"""Two people whose centres are this far apart have pictures under the threshold (about 0.3)."""
NEAR_APART = OPERATING_THRESHOLD + NEAR_BAND / 2
"""Centres this far apart: the nearest pictures a little past the threshold, within the band."""
CLOSE_APART = (ALREADY_ENROLLED_DISTANCE + OPERATING_THRESHOLD) / 2
"""Centres this far apart: under the threshold, but not the same face."""


def centre(seed: int, near: Vector | None = None, distance: float = 0.0) -> Vector:
    """A person: a random point where dlib's descriptors live (length about 1), or one ``distance`` from ``near``."""
    rng = np.random.default_rng(seed)
    if near is None:
        return rng.normal(0, 0.09, 128)
    direction = rng.normal(size=128)
    return near + direction / np.linalg.norm(direction) * distance


def templates(person: Vector, seed: int, count: int = 3) -> list[NDArray[np.float32]]:
    """``count`` pictures of ``person``: about 0.16 apart, as good frames of one face are."""
    rng = np.random.default_rng(seed)
    return [(person + rng.normal(0, 0.01, 128)).astype(np.float32) for _ in range(count)]


def nearest_distance(mine: list[NDArray[np.float32]], theirs: list[NDArray[np.float32]]) -> float:
    """Brute force: the smallest distance between one of ``mine`` and one of ``theirs``."""
    return min(float(np.linalg.norm(a.astype(np.float64) - b)) for a in mine for b in theirs)


@pytest.fixture
def roster(store: Store) -> Store:
    """The store with three volunteers on its roster (for the masked names)."""
    with store.write() as db:
        for volunteer_id, name in ROSTER.items():
            db.execute("INSERT INTO volunteers (volunteer_id, name) VALUES (?, ?)", [volunteer_id, name])
    return store


def consented(faces: FaceEnrolment, *volunteer_ids: str) -> FaceEnrolment:
    for volunteer_id in volunteer_ids:
        faces.record_consent(volunteer_id, COORDINATOR)
    return faces


def template_count(store: Store, volunteer_id: str) -> int:
    row = store.writer.execute("SELECT COUNT(*) FROM face_templates WHERE volunteer_id = ?", [volunteer_id])
    return int(row.fetchone()[0])


def audit(store: Store, action: str) -> list[dict[str, object]]:
    rows = store.writer.execute("SELECT detail FROM audit_log WHERE action = ? ORDER BY rowid", [action])
    return [json.loads(row[0]) for row in rows]


def loaded_gallery(faces: FaceEnrolment, store: Store) -> Gallery:
    gallery = GalleryLoader(faces, store.writer, MODEL).reload_if_changed()
    assert gallery is not None
    return gallery


# --- crafted descriptors ----------------------------------------------------------------------------


def test_a_face_too_near_another_volunteers_stops_the_enrolment_and_stores_nothing(
    faces: FaceEnrolment, roster: Store
) -> None:
    consented(faces, "V1", "V2")
    first = centre(1)
    assert faces.enrol("V1", templates(first, 2), COORDINATOR, MODEL) is None
    look_alike = templates(centre(10, first, LOOK_ALIKE_APART), 3)

    result = faces.enrol_checked("V2", look_alike, COORDINATOR, MODEL)

    assert result.refusal == FaceRefusal.NEIGHBOUR
    assert result.conflict is not None and result.conflict.volunteer_id == "V1"
    assert result.conflict.masked_name == "雷*霞"
    assert result.conflict.distance == pytest.approx(
        nearest_distance(look_alike, templates(first, 2)), abs=1e-4
    )
    assert result.conflict.distance < OPERATING_THRESHOLD
    assert template_count(roster, "V2") == 0 and qr_only_mark(roster.writer, "V2") is None
    assert [d["volunteer_id"] for d in audit(roster, "face.enrolled")] == ["V1"]
    outbox = roster.writer.execute("SELECT volunteer_id FROM face_outbox ORDER BY seq").fetchall()
    assert outbox == [("V1",)], "a stopped enrolment is not passed on either"
    assert (
        faces.enrol("V2", look_alike, COORDINATOR, MODEL) == FaceRefusal.NEIGHBOUR
    )  # the short form says so


def test_re_enrolling_oneself_is_not_a_conflict_and_a_far_neighbour_is_named_but_does_not_stop(
    faces: FaceEnrolment, roster: Store
) -> None:
    consented(faces, "V1", "V2")
    first = centre(1)
    assert faces.enrol_checked("V1", templates(first, 2), COORDINATOR, MODEL).nearest is None  # nobody else
    again = faces.enrol_checked("V1", templates(first, 4), COORDINATOR, MODEL)  # their own old templates
    assert again.refusal is None and again.nearest is None and template_count(roster, "V1") == 3
    stranger = faces.enrol_checked("V2", templates(centre(5), 6), COORDINATOR, MODEL)
    assert stranger.refusal is None and stranger.nearest is not None and stranger.nearest.volunteer_id == "V1"
    assert stranger.nearest.distance > OPERATING_THRESHOLD + NEAR_BAND and not stranger.near


def test_a_face_close_to_two_volunteers_that_the_kiosk_would_name_neither_is_enrolled_and_said_so(
    faces: FaceEnrolment, roster: Store
) -> None:
    consented(faces, "V1", "V2", "V3")
    new = centre(10)
    faces.enrol("V1", templates(centre(12, new, CLOSE_APART), 2), COORDINATOR, MODEL)
    faces.enrol("V3", templates(centre(13, new, CLOSE_APART), 4), COORDINATOR, MODEL)

    result = faces.enrol_checked("V2", templates(new, 3), COORDINATOR, MODEL)

    assert result.refusal is None and result.near
    assert result.nearest is not None and result.nearest.volunteer_id in {"V1", "V3"}
    assert ALREADY_ENROLLED_DISTANCE <= result.nearest.distance < OPERATING_THRESHOLD
    assert template_count(roster, "V2") == 3 and qr_only_mark(roster.writer, "V2") is None


def test_a_face_the_kiosk_would_take_for_another_volunteer_stops_even_past_the_same_face_distance(
    faces: FaceEnrolment, roster: Store
) -> None:
    consented(faces, "V1", "V2")
    first = centre(1)
    faces.enrol("V1", templates(first, 2), COORDINATOR, MODEL)

    result = faces.enrol_checked("V2", templates(centre(10, first, CLOSE_APART), 3), COORDINATOR, MODEL)

    assert result.refusal == FaceRefusal.NEIGHBOUR and result.conflict is not None
    assert result.conflict.volunteer_id == "V1"
    # not the same face, but the kiosk's own rule would name V1 for it
    assert ALREADY_ENROLLED_DISTANCE <= result.conflict.distance < OPERATING_THRESHOLD
    assert template_count(roster, "V2") == 0


def test_the_same_person_twice_records_the_decision_and_stores_no_template(
    faces: FaceEnrolment, roster: Store
) -> None:
    consented(faces, "V1", "V2")
    person = centre(1)
    faces.enrol("V1", templates(person, 2), COORDINATOR, MODEL)
    before = gallery_fingerprint(roster.writer, MODEL)
    loader = GalleryLoader(faces, roster.writer, MODEL)
    assert loader.reload_if_changed() is not None
    twice = templates(person, 7)
    stopped = faces.enrol_checked("V2", twice, COORDINATOR, MODEL)
    assert stopped.conflict is not None and stopped.conflict.volunteer_id == "V1"

    assert faces.record_same_person("V2", "V1", COORDINATOR) == 0

    mark = qr_only_mark(roster.writer, "V2")
    assert mark is not None and (mark.other_volunteer_id, mark.reason, mark.coordinator) == (
        "V1",
        SAME_PERSON,
        COORDINATOR,
    )
    assert template_count(roster, "V2") == 0
    assert audit(roster, "face.qr_only") == [
        {"other_volunteer_id": "V1", "reason": SAME_PERSON, "volunteer_id": "V2"}
    ]
    status = face_status(roster.writer, "V2")
    assert status.state is FaceState.QR_ONLY and status.qr_only_other_name == "雷*霞"
    # the gallery depends on the mark (no template changed), so the kiosk reloads it
    assert gallery_fingerprint(roster.writer, MODEL) != before
    gallery = loader.reload_if_changed()
    assert gallery is not None and gallery.qr_only == {"V2"} and gallery.volunteers == ("V1",)
    assert build_gallery([], qr_only={"V2"}).qr_only == {"V2"}
    assert gallery.identify(twice[0]).volunteer_id == "V1"  # the account that keeps face check-in
    assert verify_chain(roster.writer).ok


def test_the_same_person_decision_deletes_templates_kept_from_an_earlier_enrolment(
    faces: FaceEnrolment, roster: Store
) -> None:
    consented(faces, "V1", "V2")
    person = centre(1)
    faces.enrol("V2", templates(centre(30), 31), COORDINATOR, MODEL)  # enrolled before, with a poor capture
    faces.enrol("V1", templates(person, 2), COORDINATOR, MODEL)
    assert faces.enrol("V2", templates(person, 7), COORDINATOR, MODEL) == FaceRefusal.NEIGHBOUR

    assert faces.record_same_person("V2", "V1", COORDINATOR) == 3

    assert template_count(roster, "V2") == 0
    consent = faces.consent("V2")
    assert consent is not None and not consent.active
    kinds = roster.writer.execute("SELECT kind FROM face_outbox WHERE volunteer_id = 'V2' ORDER BY seq")
    assert [row[0] for row in kinds] == ["enrolment", "deletion"]  # the other kiosks delete them too
    assert face_status(roster.writer, "V2").state is FaceState.QR_ONLY


def test_two_people_the_model_cannot_tell_apart_the_newcomer_is_stored_but_never_named(
    faces: FaceEnrolment, roster: Store
) -> None:
    consented(faces, "V1", "V2")
    first = centre(1)
    first_templates = templates(first, 2)
    faces.enrol("V1", first_templates, COORDINATOR, MODEL)
    sloped = MarginRule(base=0.1, crowded_below=0.6, slope=1.0, most=0.3)
    alone = Gallery.from_templates(["V1"] * 3, np.stack(first_templates), margin=sloped)
    second = centre(10, first, LOOK_ALIKE_APART)
    look_alike = templates(second, 3)
    assert faces.enrol("V2", look_alike, COORDINATOR, MODEL) == FaceRefusal.NEIGHBOUR

    assert faces.enrol_as_qr_only("V2", look_alike, COORDINATOR, MODEL, "V1") is None

    assert template_count(roster, "V2") == 3
    mark = qr_only_mark(roster.writer, "V2")
    assert mark is not None and (mark.reason, mark.other_volunteer_id) == (LOOK_ALIKE, "V1")
    assert qr_only_volunteers(roster.writer) == {"V2"}
    assert [d["volunteer_id"] for d in audit(roster, "face.enrolled")] == ["V1", "V2"]
    assert audit(roster, "face.qr_only") == [
        {"other_volunteer_id": "V1", "reason": LOOK_ALIKE, "volunteer_id": "V2"}
    ]
    status = face_status(roster.writer, "V2")
    assert status.state is FaceState.QR_ONLY and status.templates == 3

    gallery = loaded_gallery(faces, roster)
    assert "V2" in gallery and gallery.qr_only == {"V2"}
    for probe in templates(second, 40, count=5):  # the newcomer in front of the kiosk
        match = gallery.identify(probe)
        assert match.decision is Decision.AMBIGUOUS and match.volunteer_id is None
        assert match.candidate == "V2"  # nearest to their own templates: never taken for V1
    # the look-alike's nearest neighbour is now close, so the margin rule asks more of them
    assert gallery.nearest_other("V1") == pytest.approx(
        nearest_distance(first_templates, look_alike), abs=1e-4
    )
    rows = faces.load_gallery(MODEL)  # the same gallery under a margin rule that grows as neighbours close in
    crowded = Gallery.from_templates(
        [owner for owner, _ in rows], np.stack([d for _, d in rows]), margin=sloped, qr_only={"V2"}
    )
    assert alone.required_margin("V1") == pytest.approx(0.1)
    assert crowded.required_margin("V1") > alone.required_margin("V1")


def test_a_qr_only_volunteer_enrolling_again_is_still_checked_and_the_mark_outlives_a_deletion(
    faces: FaceEnrolment, roster: Store
) -> None:
    consented(faces, "V1", "V2")
    first = centre(1)
    faces.enrol("V1", templates(first, 2), COORDINATOR, MODEL)
    look_alike = templates(centre(10, first, LOOK_ALIKE_APART), 3)
    faces.enrol_as_qr_only("V2", look_alike, COORDINATOR, MODEL, "V1")

    assert faces.enrol_checked("V2", look_alike, COORDINATOR, MODEL).refusal == FaceRefusal.NEIGHBOUR
    assert faces.delete("V2", COORDINATOR) == 3
    assert qr_only_mark(roster.writer, "V2") is not None, "the mark holds no face data and stays"
    assert face_status(roster.writer, "V2").state is FaceState.QR_ONLY
    faces.record_consent("V2", COORDINATOR)
    assert faces.enrol_checked("V2", look_alike, COORDINATOR, MODEL).refusal == FaceRefusal.NEIGHBOUR

    # their recorded look-alike stops them up to the band past the threshold (an unmarked face there enrols)
    just_past = templates(centre(10, first, NEAR_APART), 3)
    stopped = faces.enrol_checked("V2", just_past, COORDINATOR, MODEL)
    assert stopped.refusal == FaceRefusal.NEIGHBOUR and stopped.conflict is not None
    assert OPERATING_THRESHOLD <= stopped.conflict.distance < OPERATING_THRESHOLD + NEAR_BAND
    assert template_count(roster, "V2") == 0

    # a face that is nobody's look-alike enrols, and the mark goes
    assert faces.enrol_checked("V2", templates(centre(50), 51), COORDINATOR, MODEL).refusal is None
    assert qr_only_mark(roster.writer, "V2") is None
    assert audit(roster, "face.qr_only_cleared") == [{"volunteer_id": "V2"}]
    assert face_status(roster.writer, "V2").state is FaceState.ENROLLED


def test_a_gallery_that_cannot_be_read_stops_the_enrolment(faces: FaceEnrolment, roster: Store) -> None:
    consented(faces, "V1", "V2")
    faces.enrol("V1", templates(centre(1), 2), COORDINATOR, MODEL)
    face_key_path(roster.path).write_bytes(b"\0" * 32)  # another key: the stored templates do not open
    assert faces.enrol("V2", templates(centre(5), 6), COORDINATOR, MODEL) == FaceRefusal.GALLERY_UNREADABLE
    assert template_count(roster, "V2") == 0


def test_the_consent_and_frame_rules_come_before_the_look_alike_answer(
    faces: FaceEnrolment, roster: Store
) -> None:
    faces.record_consent("V1", COORDINATOR)
    faces.enrol("V1", templates(centre(1), 2), COORDINATOR, MODEL)
    look_alike = templates(centre(10, centre(1), LOOK_ALIKE_APART), 3)
    assert faces.enrol_as_qr_only("V2", look_alike, COORDINATOR, MODEL, "V1") == FaceRefusal.NO_CONSENT
    faces.record_consent("V2", COORDINATOR)
    assert faces.enrol_as_qr_only("V2", look_alike[:2], COORDINATOR, MODEL, "V1") == FaceRefusal.TOO_FEW
    assert template_count(roster, "V2") == 0 and qr_only_mark(roster.writer, "V2") is None


# --- real faces -------------------------------------------------------------------------------------


@cache
def east_asian_descriptors() -> dict[str, tuple[NDArray[np.float32], ...]]:
    """Per person of faces-east-asia, the descriptors of their photos (in file order) where dlib finds a face."""
    engine = DlibEngine(upsample=1)
    found: dict[str, tuple[NDArray[np.float32], ...]] = {}
    for folder in sorted(EAST_ASIA.iterdir()):
        rows = []
        for path in sorted(folder.glob("*.jpg")):
            image = np.asarray(cv2.imdecode(np.fromfile(path, dtype=np.uint8), cv2.IMREAD_COLOR), np.uint8)
            faces = find_faces(engine, image)
            if faces:
                rows.append(engine.describe(image, faces[0]))
        found[folder.name] = tuple(rows)
    return found


@needs_east_asia
@pytest.mark.slow
@pytest.mark.timeout(300)
def test_real_east_asian_look_alikes_and_a_person_enrolled_twice_are_stopped(
    faces: FaceEnrolment, roster: Store
) -> None:
    people = {p: list(d) for p, d in east_asian_descriptors().items() if len(d) >= 4}
    enrolled = {p: d[:3] for p, d in people.items()}
    pairs = sorted(
        (nearest_distance(enrolled[a], enrolled[b]), a, b) for a in enrolled for b in enrolled if a < b
    )
    distance, first, second = pairs[0]
    assert distance < OPERATING_THRESHOLD, "faces-east-asia has different people under the threshold"
    consented(faces, "V1", "V2", "V3")
    assert faces.enrol("V1", enrolled[first], COORDINATOR, MODEL) is None

    # two different people the model cannot tell apart
    stopped = faces.enrol_checked("V2", enrolled[second], COORDINATOR, MODEL)
    assert stopped.conflict is not None and stopped.conflict.volunteer_id == "V1"
    assert stopped.conflict.distance == pytest.approx(distance, abs=1e-4)
    assert template_count(roster, "V2") == 0
    assert faces.enrol_as_qr_only("V2", enrolled[second], COORDINATOR, MODEL, "V1") is None
    gallery = loaded_gallery(faces, roster)
    for probe in people[second]:  # every photo of the newcomer, enrolled or not
        assert gallery.identify(probe).volunteer_id != "V2"
    for probe in enrolled[second]:
        match = gallery.identify(probe)
        assert match.candidate == "V2" and match.decision is Decision.AMBIGUOUS

    # the same person registered again from their other photo: stopped, and the decision stores nothing
    image_path = sorted((EAST_ASIA / first).glob("*.jpg"))[3]
    engine = DlibEngine(upsample=1)
    image = np.asarray(cv2.imdecode(np.fromfile(image_path, dtype=np.uint8), cv2.IMREAD_COLOR), np.uint8)
    mirrored = np.ascontiguousarray(image[:, ::-1])
    smaller = cv2.resize(image, None, fx=0.6, fy=0.6, interpolation=cv2.INTER_AREA)
    again = [people[first][3]]
    for variant in (mirrored, np.asarray(smaller, np.uint8)):
        found = find_faces(engine, variant)
        assert found, "dlib finds the face in the mirrored and the smaller photo too"
        again.append(engine.describe(variant, found[0]))
    twice = faces.enrol_checked("V3", again, COORDINATOR, MODEL)
    assert twice.conflict is not None and twice.conflict.volunteer_id == "V1"
    assert faces.record_same_person("V3", "V1", COORDINATOR) == 0
    assert template_count(roster, "V3") == 0 and face_status(roster.writer, "V3").state is FaceState.QR_ONLY
