"""The matching rules of issue 16: candidates searched first, margins from neighbours, QR-only volunteers."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.typing import NDArray

from kiosk.face.matching import Candidates, Decision, Gallery, MarginRule

BASIS = np.eye(128, dtype=np.float32)


def at(*parts: tuple[int, float]) -> NDArray[np.float32]:
    """A descriptor made of (axis, length) parts."""
    vector = np.zeros(128, np.float32)
    for axis, length in parts:
        vector[axis] += length
    return vector


# A and B sit 0.3 apart (a crowded pair); C is far from both.
A = at((0, 1.0))
B = at((0, 1.0), (1, 0.3))
C = at((5, 1.0))


def crowded_gallery(**kwargs: object) -> Gallery:
    return Gallery.from_templates(["A", "B", "C"], np.stack([A, B, C]), **kwargs)  # type: ignore[arg-type]


# --- candidates first ------------------------------------------------------------------------------


def test_a_face_between_two_volunteers_is_ambiguous_on_the_whole_gallery_but_named_in_its_tier() -> None:
    gallery = crowded_gallery()
    probe = at((0, 1.0), (1, 0.1), (9, 0.2))  # 0.22 from A, 0.28 from B: margin 0.06 < 0.1
    assert gallery.identify(probe).decision is Decision.AMBIGUOUS
    match = gallery.identify(probe, Candidates.of({"A"}))  # only A is on site: B is not expected
    assert match.volunteer_id == "A" and match.tier == 0
    assert match.runner_up is None and math.isinf(match.runner_up_distance)


def test_a_tier_never_names_someone_when_a_volunteer_outside_it_is_nearer() -> None:
    gallery = crowded_gallery()
    probe = at((0, 1.0), (1, 0.2), (9, 0.2))  # 0.28 from A, 0.22 from B
    match = gallery.identify(probe, Candidates.of({"A"}))
    assert match.volunteer_id is None and match.tier is None  # handed on to the whole gallery
    assert match.candidate == "B" and match.decision is Decision.AMBIGUOUS


def test_a_tier_with_nobody_close_hands_over_to_the_next_and_then_the_gallery() -> None:
    gallery = crowded_gallery()
    probe = at((5, 1.0), (9, 0.1))  # C's face
    match = gallery.identify(probe, Candidates.of({"A"}, {"B"}))
    assert match.volunteer_id == "C" and match.tier is None
    match = gallery.identify(probe, Candidates.of({"A"}, {"C"}))
    assert match.volunteer_id == "C" and match.tier == 1


def test_an_ambiguous_tier_ends_the_search() -> None:
    gallery = crowded_gallery()
    probe = at((0, 1.0), (1, 0.15), (9, 0.1))  # halfway between A and B, both in the tier
    match = gallery.identify(probe, Candidates.of({"A", "B"}, {"C"}))
    assert match.decision is Decision.AMBIGUOUS and match.tier == 0


def test_a_stranger_is_unknown_whatever_the_candidates() -> None:
    gallery = crowded_gallery()
    stranger = at((20, 1.4))
    for candidates in (None, Candidates.of({"A"}), Candidates.of({"B"}, {"A", "C"})):
        assert gallery.identify(stranger, candidates).decision is Decision.UNKNOWN


def test_candidates_unknown_to_the_gallery_and_repeated_volunteers_are_ignored() -> None:
    candidates = Candidates.of({"A", "X"}, {"A", "B"}, set(), {"B"})
    assert candidates.tiers == (frozenset({"A", "X"}), frozenset({"B"}))
    gallery = crowded_gallery()
    match = gallery.identify(at((5, 1.0)), Candidates.of({"X"}, {"Y"}))
    assert match.volunteer_id == "C" and match.tier is None


def test_a_tier_that_is_the_whole_gallery_is_decided_as_the_whole_gallery() -> None:
    gallery = crowded_gallery()
    probe = at((0, 1.0), (1, 0.1), (9, 0.2))
    match = gallery.identify(probe, Candidates.of({"A", "B", "C"}))
    assert match.decision is Decision.AMBIGUOUS and match.tier is None


def test_the_outsider_margin_keeps_a_tier_from_deciding_when_an_outsider_is_nearly_as_close() -> None:
    probe = at((0, 1.0), (1, 0.1), (9, 0.2))  # A 0.22, B 0.28
    assert crowded_gallery(outsider_margin=0.05).identify(probe, Candidates.of({"A"})).tier == 0
    assert crowded_gallery(outsider_margin=0.1).identify(probe, Candidates.of({"A"})).tier is None


# --- margins from neighbours -----------------------------------------------------------------------


def test_the_margin_grows_as_the_nearest_neighbour_comes_closer() -> None:
    rule = MarginRule(base=0.1, crowded_below=0.5, slope=0.5, most=0.2)
    assert rule.margin(0.8) == pytest.approx(0.1)
    assert rule.margin(0.5) == pytest.approx(0.1)
    assert rule.margin(0.4) == pytest.approx(0.15)
    assert rule.margin(0.0) == pytest.approx(0.2)  # capped
    assert rule.margin(math.inf) == pytest.approx(0.1)


def test_each_volunteers_nearest_other_is_measured_over_all_their_templates() -> None:
    gallery = Gallery.from_templates(["A", "A", "B", "C"], np.stack([A, at((7, 1.0)), B, C]))
    assert gallery.nearest_other("A") == pytest.approx(0.3, abs=1e-5)
    assert gallery.nearest_other("C") == pytest.approx(math.sqrt(2), abs=1e-5)
    assert math.isinf(gallery.nearest_other("nobody"))
    assert math.isinf(Gallery.from_templates(["A"], A).nearest_other("A"))


def test_a_volunteer_with_a_close_neighbour_must_win_by_more() -> None:
    rule = MarginRule(base=0.05, crowded_below=0.5, slope=1.0, most=0.3)
    gallery = crowded_gallery(margin=rule)
    assert gallery.required_margin("A") == pytest.approx(0.25, abs=1e-5)  # B is 0.3 away
    assert gallery.required_margin("C") == pytest.approx(0.05)
    probe = at((0, 1.0), (1, -0.1), (9, 0.1))  # A 0.14, B 0.41: margin 0.27 > 0.25
    assert gallery.identify(probe).volunteer_id == "A"
    probe = at((0, 1.0), (9, 0.2))  # A 0.2, B 0.36: margin 0.16 < 0.25
    match = gallery.identify(probe)
    assert match.decision is Decision.AMBIGUOUS and match.required_margin == pytest.approx(0.25, abs=1e-5)


def test_a_plain_margin_number_still_means_the_same_margin_for_everyone() -> None:
    gallery = crowded_gallery(margin=0.05)
    assert gallery.margin == 0.05 and gallery.required_margin("A") == 0.05


# --- QR-code-only volunteers and enrolment neighbours -----------------------------------------------


def test_a_qr_only_volunteer_is_never_named_and_blocks_their_face_from_their_look_alike() -> None:
    gallery = crowded_gallery(qr_only={"B"})
    own_face = at((0, 1.0), (1, 0.3), (9, 0.05))
    match = gallery.identify(own_face)
    assert match.candidate == "B" and match.volunteer_id is None
    assert match.decision is Decision.AMBIGUOUS  # "use your QR code", never "not recognised"
    assert gallery.identify(own_face, Candidates.of({"B"})).volunteer_id is None
    assert gallery.identify(own_face, Candidates.of({"A"})).volunteer_id is None  # B is nearer than A
    # without B's templates the same face would have been taken for A
    without = Gallery.from_templates(["A", "C"], np.stack([A, C]))
    assert without.identify(own_face).volunteer_id == "A"


def test_neighbours_of_new_templates_are_the_nearest_volunteers_over_every_template() -> None:
    gallery = crowded_gallery()
    new = np.stack([at((0, 1.0), (1, 0.35)), at((0, 1.0), (1, 0.45))])
    neighbours = gallery.neighbours(new, count=2)
    assert [v for v, _ in neighbours] == ["B", "A"]
    assert neighbours[0][1] == pytest.approx(0.05, abs=1e-4)
    assert neighbours[1][1] == pytest.approx(0.35, abs=1e-4)
    assert Gallery().neighbours(new) == []


def test_the_tiered_search_agrees_with_a_brute_force_one_on_random_galleries() -> None:
    rng = np.random.default_rng(5)
    for _ in range(30):
        templates = rng.normal(scale=0.12, size=(40, 128)).astype(np.float32)
        owners = [f"V{i // 2}" for i in range(40)]
        gallery = Gallery.from_templates(owners, templates, margin=0.05)
        tier = {f"V{i}" for i in rng.choice(20, size=5, replace=False)}
        query = (templates[rng.integers(40)] + rng.normal(scale=0.05, size=128)).astype(np.float32)
        match = gallery.identify(query, Candidates.of(tier))
        distances: dict[str, float] = {}
        for owner, template in zip(owners, templates, strict=True):
            d = float(np.linalg.norm(template.astype(np.float64) - query))
            distances[owner] = min(distances.get(owner, math.inf), d)
        inside = sorted((d, v) for v, d in distances.items() if v in tier)
        outside = min(d for v, d in distances.items() if v not in tier)
        if inside[0][0] < gallery.threshold and outside >= inside[0][0]:
            assert match.tier == 0 and match.candidate == inside[0][1]
            assert match.accepted == (inside[1][0] - inside[0][0] >= 0.05)
        else:
            assert match.tier is None
            best = sorted((d, v) for v, d in distances.items())
            assert match.candidate == best[0][1]
