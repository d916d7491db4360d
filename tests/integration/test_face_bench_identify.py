"""The face bench's 1:N measurement (``bench/face.py --identify``) and its pairs mode on faces-east-asia.

Real dlib on real photos of a few people of ``faces-east-asia``, with seeded
synthetic distractors: the report's counts must add up, strangers must be
counted, the distractors must be reproducible and calibrated to the set's
real confusion rate, the sweep must move the way a threshold and a margin
move decisions, and a pairs file with no faces-dev folders beside it must
still give the verification figures.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from kiosk.face.engine import DlibEngine
from kiosk.face.matching import Decision

ROOT = Path(__file__).resolve().parents[2]
EAST_ASIA = ROOT.parent / "shared" / "datasets" / "faces-east-asia"
if str(ROOT / "bench") not in sys.path:
    sys.path.insert(0, str(ROOT / "bench"))

import face as face_bench  # noqa: E402
import face_distractors  # noqa: E402
import face_identify  # noqa: E402
from face_identify import Photo, Rule, Settings  # noqa: E402

pytestmark = [
    pytest.mark.skipif(not EAST_ASIA.is_dir(), reason=f"the faces-east-asia dataset is not at {EAST_ASIA}"),
    pytest.mark.timeout(300),
]

PEOPLE = 5
FRAMES = 2
DISTRACTORS = 40
CANDIDATES = 5
SEED = 3


@pytest.fixture(scope="module")
def people() -> dict[str, list[Photo]]:
    """The first people of faces-east-asia, described as the bench does (2 kiosk frames per photo)."""
    return face_identify.describe_people(
        EAST_ASIA, DlibEngine(upsample=1), DlibEngine(), FRAMES, SEED, PEOPLE
    )


@pytest.fixture(scope="module")
def settings() -> Settings:
    return Settings(
        EAST_ASIA,
        distractors=DISTRACTORS,
        candidates=CANDIDATES,
        probe_frames=FRAMES,
        people=PEOPLE,
        seed=SEED,
    )


@pytest.fixture(scope="module")
def report(people: dict[str, list[Photo]], settings: Settings) -> dict[str, Any]:
    return face_identify.evaluate(settings, people, real_faces=[])


def test_people_and_photos_are_taken_in_natural_order(people: dict[str, list[Photo]]) -> None:
    assert len(people) == PEOPLE
    assert list(people) == sorted(people, key=face_identify.natural_key)
    assert face_identify.natural_key("10.jpg") > face_identify.natural_key("9.jpg")
    for photos in people.values():
        assert [p.name for p in photos] == ["1.jpg", "2.jpg", "3.jpg", "4.jpg"]
        assert all(len(p.frames) == FRAMES for p in photos)


def test_every_probe_and_stranger_is_counted_once(
    report: dict[str, Any], people: dict[str, list[Photo]]
) -> None:
    probes = sum(len(photos) - face_identify.ENROLLED_PHOTOS for photos in people.values())
    photos = sum(len(photos) for photos in people.values())
    for figures in (report, report["single"], report["single_frame"], report["narrowed"]):
        for key in (
            "identify_right",
            "identify_wrong",
            "identify_refused",
            "identify_no_face",
            "identify_rate",
        ):
            assert key in figures
        assert (
            figures["identify_right"] + figures["identify_wrong"] + figures["identify_refused"]
            == (figures["identify_probes"])
        )
        assert figures["identify_probes"] + figures["identify_no_face"] == probes
        assert figures["strangers"] + figures["stranger_no_face"] == photos
        assert 0 <= figures["stranger_accepts"] <= figures["strangers"]
    assert report["strangers"] == sum(p.pooled is not None for photos in people.values() for p in photos)
    assert report["narrowed"]["candidates"] == CANDIDATES
    assert report["gallery"] == PEOPLE + DISTRACTORS
    assert report["templates"] == 2 * PEOPLE + 2 * DISTRACTORS  # every enrol photo of these people has a face
    assert report["distractors"]["real"] == 0 and report["distractors"]["synthetic"] == DISTRACTORS
    assert set(report["targets_met"]) == {
        "identify_wrong",
        "stranger_accepts",
        "identify_rate",
        "identification",
    }


def test_an_enrolled_photo_is_identified_as_its_owner(people: dict[str, list[Photo]]) -> None:
    """The counting itself: a probe identical to a template is right, and never a stranger's accept."""
    enrolled_photos = [p for photos in people.values() for p in photos[: face_identify.ENROLLED_PHOTOS]]
    distractors = face_identify.make_distractors(0, [], people, SEED)
    setup = face_identify.set_up(people, distractors, None, SEED)
    setup.probes[:] = enrolled_photos
    tally = face_identify.decide_all(setup, Rule(), ("single",), narrowed=False)["single"]
    assert (tally.right, tally.wrong, tally.refused) == (len(enrolled_photos), 0, 0)
    tally.probe("c101", Decision.ACCEPTED, "c102")
    tally.probe("c101", Decision.AMBIGUOUS, None)
    assert (tally.wrong, tally.refused, tally.ambiguous) == (1, 1, 1)


def test_a_stranger_is_searched_in_a_gallery_without_them(people: dict[str, list[Photo]]) -> None:
    setup = face_identify.set_up(people, face_identify.make_distractors(3, [], people, SEED), None, SEED)
    rows = setup.rows
    without = rows.without("c101")
    assert "c101" not in without.volunteers
    assert without.volunteers == [v for v in rows.volunteers if v != "c101"]
    assert len(without.owners) == len(without.matrix) == len(rows.owners) - 2
    tallies = face_identify.decide_all(setup, Rule(), ("single",), narrowed=False)
    assert tallies["single"].strangers == sum(
        p.photo is not None for photos in people.values() for p in photos
    )
    # a gallery that kept them would accept each of their enrol photos (distance 0 to its own template)
    assert tallies["single"].stranger_accepts < PEOPLE * face_identify.ENROLLED_PHOTOS


def test_narrowed_tiers_hold_the_true_person_and_never_the_stranger(people: dict[str, list[Photo]]) -> None:
    distractors = face_identify.make_distractors(DISTRACTORS, [], people, SEED)
    setup = face_identify.set_up(people, distractors, CANDIDATES, SEED)
    assert len(setup.probe_tiers) == len(setup.probes)
    for probe, tier in zip(setup.probes, setup.probe_tiers, strict=True):
        assert probe.person in tier and len(tier) == CANDIDATES
    for person, tiers in setup.stranger_tiers.items():
        assert all(person not in tier and len(tier) == CANDIDATES for tier in tiers)


def test_seeded_distractors_are_reproducible_and_calibrated(people: dict[str, list[Photo]]) -> None:
    first = face_identify.make_distractors(DISTRACTORS, [], people, SEED)
    again = face_identify.make_distractors(DISTRACTORS, [], people, SEED)
    other = face_identify.make_distractors(DISTRACTORS, [], people, SEED + 1)
    assert first.rows.owners == again.rows.owners
    assert np.array_equal(first.rows.matrix, again.rows.matrix)
    assert not np.array_equal(first.rows.matrix, other.rows.matrix)
    assert first.rows.matrix.shape == (2 * DISTRACTORS, 128)
    calibration = first.calibration
    assert calibration is not None and 0.0 < calibration.shrinkage < 1.0
    assert calibration.real_different_under > 0
    assert abs(calibration.synthetic_under - calibration.real_different_under) <= 0.01


def test_calibration_hits_the_target_share_of_the_whole_set() -> None:
    """On all 18 people (photos only): synthetic identities confused as often as real different people."""
    engine = DlibEngine(upsample=1)
    folder = EAST_ASIA / "people"
    descriptors = {
        person.name: [
            d
            for d in (
                face_bench.largest_descriptor(engine, face_bench.read_image(p))
                for p in sorted(person.glob("*.jpg"))
            )
            if d is not None
        ]
        for person in sorted(folder.iterdir())
        if person.is_dir()
    }
    model = face_distractors.fit(descriptors)
    calibration = face_distractors.calibrate(model, SEED)
    assert 0.02 < calibration.real_different_under < 0.08  # faces-east-asia: 4.5 %
    assert abs(calibration.synthetic_under - calibration.real_different_under) <= 0.01
    for covariance, spectrum in zip((model.between, model.within), model.spectra, strict=True):
        root = spectrum.root(0.3)  # one eigen-decomposition serves every shrinkage
        assert np.allclose(root @ root.T, face_distractors.shrunk(covariance, 0.3), atol=1e-9)
    normals = face_distractors.Normals.drawn(200, SEED)
    shares = [face_distractors.share_under(model, shrinkage, normals) for shrinkage in (0.0, 0.5, 1.0)]
    assert shares[0] > shares[1] > shares[2]  # more shrinkage, fewer synthetic faces near real ones


def test_the_sweep_moves_as_a_threshold_and_a_margin_do(people: dict[str, list[Photo]]) -> None:
    setup = face_identify.set_up(
        people, face_identify.make_distractors(DISTRACTORS, [], people, SEED), None, SEED
    )
    curve = face_identify.sweep(setup, narrowed=False)
    assert len(curve) == len(face_identify.SWEEP_THRESHOLDS) * len(face_identify.SWEEP_MARGINS)
    point = {(p["threshold"], p["margin"]): p for p in curve}
    for margin in face_identify.SWEEP_MARGINS:
        accepts = [point[(t, margin)]["stranger_accepts"] for t in face_identify.SWEEP_THRESHOLDS]
        assert accepts == sorted(accepts)  # a higher threshold accepts at least as many
    for threshold in face_identify.SWEEP_THRESHOLDS:
        taken = [
            point[(threshold, m)]["identify_right"] + point[(threshold, m)]["identify_wrong"]
            for m in face_identify.SWEEP_MARGINS
        ]
        assert taken == sorted(taken, reverse=True)  # a wider margin accepts at most as many
    assert point[(0.6, 0.0)]["stranger_accepts"] > 0  # dlib's usual 0.6 with no margin takes strangers here


def test_the_identify_command_prints_one_json_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--identify`` on any folder holding ``people/``; no real distractor faces where there are none."""
    (tmp_path / "people").mkdir()
    for person in ("s1", "s2", "s3"):
        (tmp_path / "people" / person).symlink_to(EAST_ASIA / "people" / person, target_is_directory=True)
    code = face_bench.main(
        [
            "--identify",
            str(tmp_path),
            "--distractors",
            "6",
            "--probe-frames",
            "1",
            "--candidates",
            "3",
            "--json",
        ]
    )
    assert code == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["people"] == 3 and report["probe_frames"] == 1
    assert report["distractors"]["real"] == 0 and report["distractors"]["synthetic"] == 6
    assert report["gallery"] == 9
    assert report["identify_probes"] + report["identify_no_face"] == 6
    assert "curve" not in report and report["narrowed"]["candidates"] == 3


def test_a_pairs_file_without_faces_dev_folders_gives_the_verification_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people = ("c101", "c102", "c103")
    with (EAST_ASIA / "pairs.csv").open(newline="", encoding="utf-8") as handle:
        rows = [
            row
            for row in csv.DictReader(handle)
            if all(Path(row[key]).parent.name in people for key in ("path_a", "path_b"))
        ]
    assert len(rows) == 66  # every pair of 12 photos
    (tmp_path / "people").symlink_to(EAST_ASIA / "people", target_is_directory=True)
    pairs = tmp_path / "pairs.csv"
    with pairs.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["path_a", "path_b", "same"])
        writer.writeheader()
        writer.writerows(rows)
    assert face_bench.main(["--pairs", str(pairs), "--frames", "20", "--searches", "50", "--json"]) == 0
    out = capsys.readouterr().out
    report = json.loads(out.strip().splitlines()[-1])
    assert "identification: skipped" in out
    assert report["pairs"] == 66
    assert 0 < report["accuracy"] <= 1
    assert round((1 - report["accuracy"]) * 66) == report["false_accepts"] + report["false_rejects"]
    assert report["probe_correct"] is None and report["crowd_false_accepts"] is None
    assert report["targets_met"]["identification"] is None
    assert report["ms_per_frame"] is not None and report["frames_with_face"] >= 20
