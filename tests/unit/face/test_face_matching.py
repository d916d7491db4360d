"""1:N matching: the gallery's decision rule, vectorised search, frame agreement, and faces-dev identification."""

from __future__ import annotations

import math
import statistics
import time
from pathlib import Path

import cv2
import numpy as np
import pytest
from numpy.typing import NDArray

from kiosk.face.engine import DESCRIPTOR_SIZE, DlibEngine, find_faces
from kiosk.face.matching import (
    MARGIN,
    OPERATING_THRESHOLD,
    SEARCH_CHUNK_ROWS,
    Decision,
    Gallery,
    Match,
    decide,
)

ROOT = Path(__file__).resolve().parents[3]
FACES = ROOT.parent / "shared" / "datasets" / "faces-dev"
needs_faces = pytest.mark.skipif(
    not FACES.is_dir(), reason=f"the faces-dev dataset is not at {FACES} (see GUIDE.md section 4)"
)


def axis(i: int, length: float = 1.0) -> NDArray[np.float32]:
    vector = np.zeros(DESCRIPTOR_SIZE, np.float32)
    vector[i] = length
    return vector


def brute_force(
    owners: list[str], templates: NDArray[np.float32], query: NDArray[np.float32]
) -> list[tuple[float, str]]:
    """Per volunteer, the smallest distance over their templates, nearest first."""
    best: dict[str, float] = {}
    for owner, template in zip(owners, templates, strict=True):
        distance = float(np.linalg.norm(template.astype(np.float64) - query.astype(np.float64)))
        best[owner] = min(best.get(owner, math.inf), distance)
    return sorted((distance, owner) for owner, distance in best.items())


# --- the decision rule ---------------------------------------------------------------------------


def test_the_operating_point_is_stricter_than_dlibs_default() -> None:
    assert OPERATING_THRESHOLD < 0.6
    assert MARGIN > 0


def test_decide_needs_a_distance_below_the_threshold_and_a_margin_over_the_runner_up() -> None:
    assert decide(0.3, 0.8, 0.5, 0.1) is Decision.ACCEPTED
    assert decide(0.3, 0.38, 0.5, 0.1) is Decision.AMBIGUOUS
    assert decide(0.3, 0.3, 0.5, 0.1) is Decision.AMBIGUOUS
    assert decide(0.5, 2.0, 0.5, 0.1) is Decision.UNKNOWN  # strictly below the threshold
    assert decide(0.7, 0.71, 0.5, 0.1) is Decision.UNKNOWN  # far from everyone: unknown, not ambiguous
    assert decide(0.25, 0.5, 0.5, 0.25) is Decision.ACCEPTED  # a margin of exactly MARGIN is enough
    assert decide(0.3, math.inf, 0.5, 0.1) is Decision.ACCEPTED
    assert decide(math.nan, math.inf, 0.5, 0.1) is Decision.UNKNOWN


def test_only_an_accepted_match_names_a_volunteer() -> None:
    for decision in (Decision.UNKNOWN, Decision.AMBIGUOUS):
        match = Match(decision, "V1", 0.3, "V2", 0.35)
        assert match.volunteer_id is None and not match.accepted and match.candidate == "V1"
    match = Match(Decision.ACCEPTED, "V1", 0.3, "V2", 0.8)
    assert match.volunteer_id == "V1" and match.accepted and match.margin == pytest.approx(0.5)


# --- the gallery ---------------------------------------------------------------------------------


def test_an_empty_gallery_knows_nobody() -> None:
    match = Gallery().identify(axis(0))
    assert match.decision is Decision.UNKNOWN
    assert match.candidate is None and match.runner_up is None
    assert math.isinf(match.distance) and math.isinf(match.runner_up_distance)


def test_the_best_volunteer_is_the_minimum_over_their_templates_and_the_runner_up_is_someone_else() -> None:
    gallery = Gallery()
    gallery.add("alice", np.stack([axis(0), axis(1), axis(2)]))
    gallery.add("bob", axis(3))
    query = axis(1) + axis(7, 0.2)
    match = gallery.identify(query)
    assert match.decision is Decision.ACCEPTED and match.volunteer_id == "alice"
    assert match.distance == pytest.approx(0.2, abs=1e-5)
    # alice's other templates are nearer than bob's, but the runner-up must be another volunteer
    assert match.runner_up == "bob"
    assert match.runner_up_distance == pytest.approx(math.sqrt(2 + 0.04), abs=1e-5)


def test_a_far_query_is_unknown_and_a_query_between_two_volunteers_is_ambiguous() -> None:
    gallery = Gallery.from_templates(["alice", "bob"], np.stack([axis(0, 0.2), axis(1, 0.2)]))
    far = gallery.identify(axis(5, 1.0))
    assert far.decision is Decision.UNKNOWN and far.volunteer_id is None and far.candidate in ("alice", "bob")
    between = gallery.identify(np.zeros(DESCRIPTOR_SIZE, np.float32))
    assert between.decision is Decision.AMBIGUOUS and between.volunteer_id is None
    assert between.distance == pytest.approx(0.2, abs=1e-5)
    assert between.runner_up_distance == pytest.approx(0.2, abs=1e-5)


def test_a_single_volunteer_has_no_runner_up() -> None:
    gallery = Gallery()
    gallery.add("alice", [axis(0), axis(1)])
    match = gallery.identify(axis(0) + axis(9, 0.1))
    assert match.accepted and match.runner_up is None and math.isinf(match.runner_up_distance)


def test_threshold_and_margin_can_be_set_per_gallery() -> None:
    strict = Gallery.from_templates(["alice", "bob"], [axis(0), axis(1)], threshold=0.1, margin=0.0)
    assert strict.identify(axis(0) + axis(9, 0.2)).decision is Decision.UNKNOWN
    loose = Gallery.from_templates(["alice", "bob"], [axis(0), axis(1)], threshold=0.3, margin=0.0)
    assert loose.identify(axis(0) + axis(9, 0.2)).volunteer_id == "alice"
    with pytest.raises(ValueError):
        Gallery(threshold=0.0)
    with pytest.raises(ValueError):
        Gallery(margin=-0.1)


def test_the_vectorised_search_agrees_with_a_brute_force_one() -> None:
    rng = np.random.default_rng(7)
    owners = [f"V{int(i)}" for i in rng.integers(0, 300, size=SEARCH_CHUNK_ROWS * 2 + 123)]  # several chunks
    templates = rng.normal(scale=0.12, size=(len(owners), DESCRIPTOR_SIZE)).astype(np.float32)
    gallery = Gallery.from_templates(owners, templates)
    assert len(gallery) == len(owners) and len(gallery.volunteers) == len(set(owners))
    for row in rng.integers(0, len(owners), size=25):
        query = templates[row] + rng.normal(scale=0.03, size=DESCRIPTOR_SIZE).astype(np.float32)
        (best, best_owner), (second, second_owner) = brute_force(owners, templates, query)[:2]
        match = gallery.identify(query)
        assert match.candidate == best_owner and match.runner_up == second_owner
        assert match.distance == pytest.approx(best, abs=1e-4)
        assert match.runner_up_distance == pytest.approx(second, abs=1e-4)
        assert match.decision is decide(best, second, OPERATING_THRESHOLD, MARGIN)


def test_add_replace_and_remove_volunteers() -> None:
    gallery = Gallery()
    gallery.add("alice", [axis(0), axis(1)])
    gallery.add_many(["bob", "carol", "bob"], [axis(2), axis(3), axis(4)])
    gallery.add("alice", axis(5))
    assert len(gallery) == 6 and gallery.volunteers == ("alice", "bob", "carol")
    assert "bob" in gallery and "dave" not in gallery
    np.testing.assert_array_equal(gallery.templates_of("alice"), np.stack([axis(0), axis(1), axis(5)]))
    assert gallery.templates_of("dave").shape == (0, DESCRIPTOR_SIZE)

    gallery.replace("alice", axis(6))
    np.testing.assert_array_equal(gallery.templates_of("alice"), axis(6)[None])
    assert gallery.identify(axis(0)).candidate != "alice"
    assert gallery.identify(axis(6)).volunteer_id == "alice"

    assert gallery.remove("bob") == 2
    assert gallery.remove(["carol", "nobody"]) == 1
    assert gallery.remove("bob") == 0
    assert list(gallery.volunteers) == ["alice"] and len(gallery) == 1  # list: mypy keeps the narrowing above
    assert gallery.identify(axis(6)).volunteer_id == "alice"
    gallery.remove("alice")
    assert gallery.identify(axis(6)).decision is Decision.UNKNOWN


def test_bad_descriptors_are_refused() -> None:
    gallery = Gallery()
    with pytest.raises(ValueError, match="128"):
        gallery.add("alice", np.zeros(127, np.float32))
    with pytest.raises(ValueError, match="finite"):
        gallery.add("alice", np.full(DESCRIPTOR_SIZE, np.nan, np.float32))
    with pytest.raises(ValueError, match="owners"):
        gallery.add_many(["alice", "bob"], axis(0))
    with pytest.raises(ValueError, match="128"):
        gallery.identify(np.zeros((2, 64), np.float32))
    gallery.add_many([], np.zeros((0, DESCRIPTOR_SIZE), np.float32))
    assert len(gallery) == 0


def test_a_search_reads_a_snapshot_that_changes_do_not_alter() -> None:
    gallery = Gallery.from_templates(["alice"], [axis(0)])
    snapshot = gallery._index
    gallery.add("bob", axis(1))
    assert len(snapshot.owners) == 1 and len(gallery._index.owners) == 2


def test_searching_100000_templates_is_one_vectorised_pass() -> None:
    rng = np.random.default_rng(1)
    templates = rng.normal(size=(100_000, DESCRIPTOR_SIZE)).astype(np.float32)
    templates /= np.linalg.norm(templates, axis=1, keepdims=True)
    gallery = Gallery.from_templates([f"V{i // 3}" for i in range(100_000)], templates)
    gallery.identify(templates[0])
    times = []
    for row in rng.integers(0, 100_000, size=11):
        started = time.perf_counter()
        match = gallery.identify(templates[row])
        times.append(time.perf_counter() - started)
        assert match.candidate == f"V{row // 3}" and match.distance < 1e-3
    # the target is 10 ms (bench/face.py measures ~3 ms); a per-volunteer Python loop takes ~100 ms
    assert statistics.median(times) < 0.05


# --- faces-dev: enrol, then identify the probes and the crowd -------------------------------------


def read(path: Path) -> NDArray[np.uint8]:
    image = cv2.imdecode(np.fromfile(path, dtype=np.uint8), cv2.IMREAD_COLOR)
    assert image is not None, path
    return np.asarray(image, dtype=np.uint8)


@pytest.fixture(scope="module")
def upsampling_engine() -> DlibEngine:
    return DlibEngine(upsample=1)  # photos hold smaller faces than a kiosk frame


@pytest.fixture(scope="module")
def gallery(upsampling_engine: DlibEngine) -> Gallery:
    if not FACES.is_dir():
        pytest.skip(f"the faces-dev dataset is not at {FACES}")
    owners, templates = [], []
    for path in sorted((FACES / "enroll").glob("*/*.*")):
        image = read(path)
        faces = find_faces(upsampling_engine, image)
        assert faces, path
        owners.append(path.parent.name)
        templates.append(upsampling_engine.describe(image, faces[0]))
    return Gallery.from_templates(owners, np.array(templates))


def identify_all(engine: DlibEngine, gallery: Gallery, path: Path) -> list[Match]:
    image = read(path)
    return [gallery.identify(engine.describe(image, face)) for face in find_faces(engine, image)]


@needs_faces
def test_the_gallery_holds_every_enrolled_person(gallery: Gallery) -> None:
    people = sorted(p.name for p in (FACES / "enroll").iterdir() if p.is_dir())
    assert sorted(gallery.volunteers) == people
    assert len(gallery) == len(list((FACES / "enroll").glob("*/*.*")))


@needs_faces
@pytest.mark.parametrize(
    ("photo", "person"),
    [
        ("alex_lacamoire.jpg", "alex_lacamoire"),
        ("kit_harington.jpg", "kit_harington"),
        ("obama.jpg", "obama"),
        ("obama_3.jpg", "obama"),
        ("obama_partial_1.jpg", "obama"),
        ("obama_partial_2.jpg", "obama"),
        ("obama_rgba32.png", "obama"),
    ],
)
def test_each_probe_person_is_identified_as_themselves(
    upsampling_engine: DlibEngine, gallery: Gallery, photo: str, person: str
) -> None:
    matches = identify_all(upsampling_engine, gallery, FACES / "probe" / photo)
    assert [m.volunteer_id for m in matches] == [person]
    assert matches[0].margin >= MARGIN


@needs_faces
@pytest.mark.parametrize(
    ("photo", "people"),
    [
        ("obama+biden.jpg", {"obama", "biden"}),
        ("obama+biden_2.jpg", {"obama", "biden"}),
        ("kit_harington+rose_leslie.jpg", {"kit_harington", "rose_leslie"}),
    ],
)
def test_group_probes_find_everyone_listed_and_nobody_else(
    upsampling_engine: DlibEngine, gallery: Gallery, photo: str, people: set[str]
) -> None:
    matches = identify_all(upsampling_engine, gallery, FACES / "probe" / photo)
    named = [m.volunteer_id for m in matches if m.volunteer_id is not None]
    assert sorted(named) == sorted(people)
    if photo == "obama+biden.jpg":  # the unlabelled third face in the background
        assert len(matches) == 3
        (stranger,) = [m for m in matches if not m.accepted]
        assert stranger.decision is Decision.UNKNOWN


@needs_faces
def test_every_face_in_the_crowd_matches_nobody(upsampling_engine: DlibEngine, gallery: Gallery) -> None:
    faces = 0
    for path in sorted((FACES / "crowd").glob("*.jpg")):
        for match in identify_all(upsampling_engine, gallery, path):
            faces += 1
            assert match.volunteer_id is None, (path.name, match)
            assert match.distance >= OPERATING_THRESHOLD
    assert faces >= 50  # the test means something only if many strangers were found
