"""The volunteers face check-in searches first: on site, then signed up, then came lately, on a real store.

The last tests show what the tiers are for on real East Asian faces
(``faces-east-asia``): a probe refused on the whole gallery because someone
else is nearly as close is named when its person is on site, and a face is
never named as an on-site volunteer who is not the nearest.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import cv2
import numpy as np
import pytest
from helpers.fakes import KIOSK_ID, FakeClock, add_activities, make_activity, make_service
from numpy.typing import NDArray

from checkin_protocol.models import Action, ActivityStatus, Identity, Method
from kiosk.face.engine import DlibEngine, find_faces
from kiosk.face.matching import Candidates, Decision, Gallery
from kiosk.services.attendance import AttendanceService
from kiosk.services.face_candidates import RECENT_VISITS, face_candidates
from kiosk.services.ids import new_event_id
from kiosk.services.outcome import OutcomeKind
from kiosk.store.activities import add_signups, set_activity_status
from kiosk.store.database import Store
from kiosk.store.events import append_event, next_event

NOW = datetime.fromisoformat("2026-11-29T01:00:00+00:00")  # FakeClock's start: A1 and A2 begin now


def tiers(candidates: Candidates) -> list[set[str]]:
    return [set(tier) for tier in candidates.tiers]


def visit(store: Store, volunteer_id: str, activity_id: str, at: datetime) -> None:
    """A check-in at ``at`` and a check-out an hour later, written as the kiosk writes events."""
    clock = FakeClock(wall=at)
    with store.write() as db:
        for action in (Action.CHECK_IN, Action.CHECK_OUT):
            event = next_event(
                db, KIOSK_ID, new_event_id(), volunteer_id, activity_id, action, Method.QR, clock.now()
            )
            append_event(db, event)
            clock.advance(3600)


def check_in(attendance: AttendanceService, volunteer_id: str, activity_id: str) -> None:
    outcome = attendance.scan(Identity(volunteer_id, "", Method.QR), activity_id)
    assert outcome.kind is OutcomeKind.CHECKED_IN, outcome


@pytest.fixture
def venue(store: Store) -> Store:
    """Two open activities (A2 with a sign-up list), one closed today (C1) and one held 10 days ago (OLD)."""
    add_activities(
        store,
        make_activity("A1"),
        make_activity("A2"),
        make_activity("C1", status=ActivityStatus.CLOSED),
        make_activity("OLD", starts_at=NOW - timedelta(days=10), status=ActivityStatus.CLOSED),
        make_activity("SOON", starts_at=NOW + timedelta(days=1), status=ActivityStatus.SCHEDULED),
    )
    with store.write() as db:
        add_signups(db, "A2", ["S1", "S2", "P1"])
        add_signups(db, "C1", ["X1"])
        add_signups(db, "SOON", ["X2"])
    return store


def test_the_tiers_are_on_site_then_signed_up_then_came_lately(venue: Store) -> None:
    visit(venue, "R1", "OLD", NOW - timedelta(days=10))
    visit(venue, "P2", "OLD", NOW - timedelta(days=10))  # came lately and is on site now: on site
    visit(venue, "S2", "OLD", NOW - timedelta(days=10))  # came lately and signed up: signed up
    attendance = make_service(venue, FakeClock(wall=NOW))
    check_in(attendance, "P1", "A2")  # signed up and on site: on site
    check_in(attendance, "P2", "A1")
    candidates = face_candidates(venue.writer, NOW)
    assert tiers(candidates) == [{"P1", "P2"}, {"S1", "S2"}, {"R1"}]
    # X1 signed up for a closed activity, X2 for one not open yet: neither is likely here
    assert not {"X1", "X2"} & set().union(*candidates.tiers)


def test_a_check_out_takes_a_volunteer_from_the_on_site_tier_to_those_who_came_lately(venue: Store) -> None:
    clock = FakeClock(wall=NOW)
    attendance = make_service(venue, clock)
    check_in(attendance, "Q1", "A1")
    check_in(attendance, "Q2", "A1")
    assert tiers(face_candidates(venue.writer, clock.now().wall_utc)) == [{"Q1", "Q2"}, {"S1", "S2", "P1"}]
    clock.advance(2 * 3600)
    outcome = attendance.scan(Identity("Q1", "", Method.QR), "A1")
    assert outcome.kind is OutcomeKind.CHECKED_OUT
    assert tiers(face_candidates(venue.writer, clock.now().wall_utc)) == [{"Q2"}, {"S1", "S2", "P1"}, {"Q1"}]


def test_an_undone_check_in_counts_for_nothing(venue: Store) -> None:
    attendance = make_service(venue, FakeClock(wall=NOW))
    outcome = attendance.scan(Identity("U1", "", Method.FACE), "A1")
    assert outcome.event is not None
    assert attendance.undo(outcome.event.event_id).kind is OutcomeKind.UNDONE  # "Not me"
    assert tiers(face_candidates(venue.writer, NOW)) == [{"S1", "S2", "P1"}]


def test_a_closed_activity_makes_nobody_on_site_nor_signed_up(venue: Store) -> None:
    attendance = make_service(venue, FakeClock(wall=NOW))
    check_in(attendance, "P1", "A2")
    assert tiers(face_candidates(venue.writer, NOW)) == [{"P1"}, {"S1", "S2"}]
    with venue.write() as db:
        set_activity_status(db, "A2", ActivityStatus.CLOSED)
    # P1 still came lately; A2's sign-up list no longer counts
    assert tiers(face_candidates(venue.writer, NOW)) == [{"P1"}]


def test_only_visits_within_the_window_count(venue: Store) -> None:
    assert timedelta(days=60) == RECENT_VISITS
    with venue.write() as db:
        set_activity_status(db, "A2", ActivityStatus.CLOSED)  # no sign-ups: the last tier alone
    visit(venue, "IN", "OLD", NOW - RECENT_VISITS + timedelta(minutes=1))
    visit(venue, "OUT", "OLD", NOW - RECENT_VISITS - timedelta(hours=2))  # both events before the window
    assert tiers(face_candidates(venue.writer, NOW)) == [{"IN"}]
    # a day later the first visit is out of the window too
    assert face_candidates(venue.writer, NOW + timedelta(days=1)) == Candidates()


def test_an_empty_store_has_no_candidates(store: Store) -> None:
    assert face_candidates(store.writer, NOW) == Candidates()


# --- what the tiers are for, on real East Asian faces ----------------------------------------------

DATASET = Path(__file__).resolve().parents[3].parent / "shared" / "datasets" / "faces-east-asia"
ENROLLED_PHOTOS = ("1.jpg", "2.jpg")
DISTRACTORS_PER_PERSON = 5
DISTRACTOR_SPREAD = 0.03
"""Per-value standard deviation of the noise around an enrolled template: about 0.35 away from it."""
PHOTO_SIZE = 640


def describe(engine: DlibEngine, path: Path) -> NDArray[np.float32] | None:
    """The descriptor of the largest face, the photo's longer side at most 640 px (as the dataset's README)."""
    decoded = cv2.imdecode(np.fromfile(path, dtype=np.uint8), cv2.IMREAD_COLOR)
    assert decoded is not None, path
    scale = PHOTO_SIZE / max(decoded.shape[:2])
    if scale < 1:
        size = (round(decoded.shape[1] * scale), round(decoded.shape[0] * scale))
        decoded = cv2.resize(decoded, size, interpolation=cv2.INTER_AREA)
    image = np.asarray(decoded, dtype=np.uint8)
    faces = find_faces(engine, image)
    return engine.describe(image, faces[0]) if faces else None


@pytest.fixture(scope="module")
def east_asian_faces() -> dict[tuple[str, str], NDArray[np.float32]]:
    """(person, photo name) -> descriptor, for every photo of faces-east-asia with a face found."""
    if not (DATASET / "people").is_dir():
        pytest.skip(f"the faces-east-asia dataset is not at {DATASET}")
    engine = DlibEngine(upsample=1)  # photos hold smaller faces than a kiosk frame
    found = {}
    for path in sorted((DATASET / "people").glob("*/*.jpg")):
        descriptor = describe(engine, path)
        if descriptor is not None:
            found[(path.parent.name, path.name)] = descriptor
    return found


def crowded_gallery(faces: dict[tuple[str, str], NDArray[np.float32]]) -> Gallery:
    """The 18 people enrolled from their first 2 photos, and 5 seeded synthetic look-alikes of each (a template near each of theirs)."""
    owners = [person for (person, photo) in faces if photo in ENROLLED_PHOTOS]
    templates = [faces[key] for key in faces if key[1] in ENROLLED_PHOTOS]
    rng = np.random.default_rng(16)
    for person, template in list(zip(owners, templates, strict=True)):
        for number in range(DISTRACTORS_PER_PERSON):
            owners.append(f"look-alike-{person}-{number}")
            templates.append((template + rng.normal(0, DISTRACTOR_SPREAD, template.shape)).astype(np.float32))
    return Gallery.from_templates(owners, np.array(templates))


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_a_probe_refused_on_the_whole_gallery_is_named_when_its_person_is_on_site(
    east_asian_faces: dict[tuple[str, str], NDArray[np.float32]], venue: Store
) -> None:
    gallery = crowded_gallery(east_asian_faces)
    assert len(gallery.volunteers) == 18 * (1 + DISTRACTORS_PER_PERSON)
    probes = {key: d for key, d in east_asian_faces.items() if key[1] not in ENROLLED_PHOTOS}
    people = {person for person, _ in east_asian_faces}
    rescued = []
    for (person, photo), descriptor in probes.items():
        whole = gallery.identify(descriptor)
        assert whole.volunteer_id in (None, person), (person, photo)  # never the wrong volunteer
        own = gallery.identify(descriptor, Candidates.of([person]))
        assert own.volunteer_id in (None, person), (person, photo)
        if whole.decision is Decision.AMBIGUOUS and own.accepted:
            assert own.tier == 0
            rescued.append((person, photo))
        # someone else on site is never named in the probe's place, not even its nearest other volunteer
        nearest_other = {whole.runner_up} if whole.runner_up is not None else set()
        for other in (people | nearest_other) - {person}:
            assert gallery.identify(descriptor, Candidates.of([other])).volunteer_id in (None, person)
    # 20 of 36 here: 16 are accepted on the whole gallery, and all 36 with their person on site
    assert len(rescued) >= 5, rescued

    # the same through the kiosk's own reads: the person checked in is in the first tier
    person, photo = rescued[0]
    check_in(make_service(venue, FakeClock(wall=NOW)), person, "A1")
    candidates = face_candidates(venue.writer, NOW)
    assert person in candidates.tiers[0]
    match = gallery.identify(probes[(person, photo)], candidates)
    assert match.accepted and match.volunteer_id == person and match.tier == 0
