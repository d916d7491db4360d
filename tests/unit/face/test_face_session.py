"""The kiosk's identification session as a state machine, driven by a scripted engine (no dlib, no dataset).

The engine returns, for every frame, the boxes, landmarks and descriptor the
test put on the scene; the frames themselves are one textured picture (so
the quality checks and the liveness check's surroundings cue have real
pixels to look at), darkened where the test wants a dark face.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
import pytest
from numpy.typing import NDArray

from kiosk.face.engine import Box, Face
from kiosk.face.guidance import Guidance, crowded, guidance_for
from kiosk.face.liveness import Challenge, LivenessResult, LivenessSettings, direction_sign, pick_challenge
from kiosk.face.matching import Gallery
from kiosk.face.quality import QualityProblem
from kiosk.face.session import FacePhase, FaceUpdate, IdentifySession, Refusal, SessionSettings

FPS = 10.0
WIDTH, HEIGHT = 640, 480
SCENE = np.random.default_rng(7).integers(40, 220, size=(HEIGHT, WIDTH, 3), dtype=np.uint8)
DARK = (SCENE // 8).astype(np.uint8)
FACE = Box(240, 140, 400, 300)

# the gallery: three volunteers; V3 sits 0.4 from V1, so a face between them is ambiguous
BASIS = np.eye(128, dtype=np.float32)
V1, V2 = BASIS[0], BASIS[1]
V3 = V1 + 0.4 * BASIS[2]


def gallery() -> Gallery:
    return Gallery.from_templates(["V1", "V2", "V3"], np.stack([V1, V2, V3]))


def near(template: NDArray[np.float32], distance: float, axis: int = 10) -> NDArray[np.float32]:
    return np.asarray(template + distance * BASIS[axis], dtype=np.float32)


AMBIGUOUS = np.asarray(V1 + 0.2 * BASIS[2], dtype=np.float32)  # 0.2 from both V1 and V3
STRANGER = np.asarray(5 * BASIS[20], dtype=np.float32)
WEAK = near(V2, 0.55)  # above the threshold (0.5), below threshold + weak band (0.6)

# five landmarks of a head in eye distances (x right, y down, z towards the camera), turning about a neck
HEAD = np.array([[0.72, 0, -0.24], [0.28, 0, -0.04], [-0.72, 0, -0.24], [-0.28, 0, -0.04], [0.0, 0.8, 0.30]])
NECK = 1.3


def head(box: Box, yaw_deg: float = 0.0) -> NDArray[np.float32]:
    """The landmarks of a head in ``box``, turned by ``yaw_deg`` (positive: the nose to the image's right)."""
    theta = math.radians(yaw_deg)
    x = HEAD[:, 0] * math.cos(theta) + (HEAD[:, 2] + NECK) * math.sin(theta)
    scale = 0.4 * box.width
    centre = np.array([(box.left + box.right) / 2, box.top + 0.4 * box.height])
    return np.asarray(np.column_stack([x, HEAD[:, 1]]) * scale + centre, dtype=np.float32)


@dataclass
class Scene:
    """What the scripted engine finds in the next frames."""

    boxes: list[Box] = field(default_factory=list)
    yaw_deg: float = 0.0
    descriptor: NDArray[np.float32] | None = None


class ScriptedEngine:
    """A face engine that answers from the scene the test set, and counts its calls."""

    name = "scripted"
    model_version = "test"

    def __init__(self) -> None:
        self.scene = Scene()
        self.calls: Counter[str] = Counter()

    def detect(self, frame: NDArray[np.uint8], order: str = "bgr") -> list[Box]:
        self.calls["detect"] += 1
        if frame.shape[:2] != (HEIGHT, WIDTH):
            return []  # a crop around the last face: the session then searches the whole frame
        return sorted(self.scene.boxes, key=lambda box: -box.area)

    def landmarks(self, frame: NDArray[np.uint8], box: Box, order: str = "bgr") -> NDArray[np.float32]:
        self.calls["landmarks"] += 1
        return head(box, self.scene.yaw_deg)

    def describe(self, frame: NDArray[np.uint8], face: Face, order: str = "bgr") -> NDArray[np.float32]:
        self.calls["describe"] += 1
        assert self.scene.descriptor is not None
        return self.scene.descriptor


class Clock:
    """Frame times at the camera's rate."""

    def __init__(self) -> None:
        self.t = 0.0

    def tick(self, seconds: float = 1 / FPS) -> float:
        self.t = round(self.t + seconds, 6)
        return self.t


def make(
    liveness: bool = False, gallery_: Gallery | None = None, seed: int = 1
) -> tuple[IdentifySession, ScriptedEngine]:
    engine = ScriptedEngine()
    session = IdentifySession(
        engine,
        gallery_ if gallery_ is not None else gallery(),
        liveness=LivenessSettings() if liveness else None,
        rng=random.Random(seed),
    )
    return session, engine


def feed(
    session: IdentifySession, clock: Clock, frames: int = 1, frame: NDArray[np.uint8] = SCENE
) -> list[FaceUpdate | None]:
    return [session.feed(frame, clock.tick()) for _ in range(frames)]


def sway(t: float) -> Box:
    """The face box drifting by a pixel or two, as a person never stands quite still."""
    dx, dy = round(2 * math.sin(1.7 * t)), round(1.5 * math.sin(1.1 * t + 1))
    return Box(FACE.left + dx, FACE.top + dy, FACE.right + dx, FACE.bottom + dy)


def turn(session: IdentifySession, engine: ScriptedEngine, clock: Clock, peak_deg: float) -> list[FaceUpdate]:
    """The person turns by ``peak_deg`` and back over 1.6 s, swaying; the updates until identified."""
    updates = []
    for step in range(24):
        at = clock.tick()
        x = step / 8
        engine.scene.yaw_deg = peak_deg * (math.sin(math.pi * min(x, 2.0) / 2) if x < 2 else 0.0)
        engine.scene.boxes = [sway(at)]
        update = session.feed(SCENE, at)
        if update is not None:
            updates.append(update)
            if update.phase is FacePhase.IDENTIFIED:
                break
    return updates


# --- guidance on its own -------------------------------------------------------------------------


def test_each_quality_problem_has_its_prompt_and_the_first_one_wins() -> None:
    assert guidance_for([]) is Guidance.NONE
    assert guidance_for([QualityProblem.TOO_SMALL, QualityProblem.BLURRED]) is Guidance.MOVE_CLOSER
    assert guidance_for([QualityProblem.BACKLIT]) is Guidance.BACKLIT
    assert guidance_for([QualityProblem.TOO_DARK]) is Guidance.TOO_DARK
    assert guidance_for([QualityProblem.NOT_FRONTAL]) is Guidance.LOOK_AT_SCREEN
    assert guidance_for([QualityProblem.BLURRED]) is Guidance.HOLD_STILL


def test_two_faces_of_a_size_are_crowded_and_one_further_back_is_not() -> None:
    small = Box(0, 0, 90, 90)
    assert not crowded([FACE], 0.6)
    assert crowded([FACE, Box(0, 0, 150, 150)], 0.6)
    assert not crowded([FACE, small], 0.6)


# --- looking -------------------------------------------------------------------------------------


def test_an_empty_gallery_says_so_once_and_does_no_work() -> None:
    session, engine = make(gallery_=Gallery())
    engine.scene = Scene([FACE], descriptor=near(V1, 0.1))
    updates = feed(session, Clock(), 5)
    assert updates[0] is not None and updates[0].phase is FacePhase.NO_GALLERY
    assert updates[1:] == [None] * 4
    assert sum(engine.calls.values()) == 0


def test_no_face_is_waiting_and_unchanged_frames_send_nothing() -> None:
    session, engine = make()
    updates = feed(session, Clock(), 3)
    assert updates[0] == FaceUpdate(FacePhase.WAITING, frame_size=(WIDTH, HEIGHT))
    assert updates[1:] == [None, None]
    assert engine.calls["describe"] == 0


@pytest.mark.parametrize(
    ("scene", "frame", "guidance"),
    [
        (Scene([Box(300, 200, 360, 260)]), SCENE, Guidance.MOVE_CLOSER),
        (Scene([FACE]), DARK, Guidance.TOO_DARK),
        (Scene([FACE], yaw_deg=40), SCENE, Guidance.LOOK_AT_SCREEN),
        (Scene([FACE, Box(40, 150, 190, 300)]), SCENE, Guidance.ONE_AT_A_TIME),
    ],
    ids=["small", "dark", "turned", "two-people"],
)
def test_a_poor_frame_is_never_matched_and_says_what_to_do(
    scene: Scene, frame: NDArray[np.uint8], guidance: Guidance
) -> None:
    session, engine = make()
    scene.descriptor = near(V1, 0.1)
    engine.scene = scene
    updates = feed(session, Clock(), 4, frame)
    assert updates[0] is not None and updates[0].guidance is guidance
    assert updates[0].phase is FacePhase.LOOKING and updates[0].box == max(scene.boxes, key=lambda b: b.area)
    assert engine.calls["describe"] == 0
    assert all(u is None or u.volunteer_id is None for u in updates)


def test_a_face_further_back_does_not_stop_the_one_in_front() -> None:
    session, engine = make()
    engine.scene = Scene([FACE, Box(20, 20, 100, 100)], descriptor=near(V1, 0.1))
    updates = [u for u in feed(session, Clock(), 2) if u is not None]
    assert updates[-1].phase is FacePhase.IDENTIFIED and updates[-1].volunteer_id == "V1"


def test_one_accepted_frame_is_not_enough_two_in_a_row_identify() -> None:
    session, engine = make()
    engine.scene = Scene([FACE], descriptor=near(V1, 0.2))
    clock = Clock()
    first = session.feed(SCENE, clock.tick())
    assert first is not None and first.phase is FacePhase.LOOKING and first.guidance is Guidance.CHECKING
    second = session.feed(SCENE, clock.tick())
    assert second is not None and second.phase is FacePhase.IDENTIFIED
    assert second.volunteer_id == "V1"
    assert second.distance == pytest.approx(0.2, abs=1e-5)
    assert second.runner_up_distance == pytest.approx(math.hypot(0.2, 0.4), abs=1e-5)  # V3
    assert second.final_distance is None  # liveness off: no final look
    assert second.seen_at == pytest.approx(0.1) and second.at == pytest.approx(0.2)


def test_a_poor_frame_between_two_good_ones_is_skipped_not_pooled() -> None:
    session, engine = make()
    clock = Clock()
    engine.scene = Scene([FACE], descriptor=near(V1, 0.2))
    feed(session, clock)
    dark = feed(session, clock, frame=DARK)[0]
    assert dark is not None and dark.phase is FacePhase.LOOKING and dark.guidance is not Guidance.CHECKING
    assert engine.calls["describe"] == 1  # the dark frame was never described
    assert feed(session, clock)[0].phase is FacePhase.IDENTIFIED  # type: ignore[union-attr]


def test_the_mean_of_the_pooled_frames_is_matched_not_each_frame() -> None:
    """Two frames each 0.25 from V1 whose mean is 0.2 from it: the distance decided on is the mean's."""
    session, engine = make()
    clock = Clock()
    engine.scene = Scene([FACE], descriptor=np.asarray(V1 + 0.2 * BASIS[10] + 0.15 * BASIS[11], np.float32))
    feed(session, clock)
    engine.scene = Scene([FACE], descriptor=np.asarray(V1 + 0.2 * BASIS[10] - 0.15 * BASIS[11], np.float32))
    update = feed(session, clock)[0]
    assert update is not None and update.phase is FacePhase.IDENTIFIED and update.volunteer_id == "V1"
    assert update.distance == pytest.approx(0.2, abs=1e-5)


# a weak or ambiguous face waits for a full pool; a stranger needs unknown_frames decisions
POOL_FULL = SessionSettings().pool_frames
UNKNOWN_AFTER = SessionSettings().agreement_frames - 1 + SessionSettings().unknown_frames


@pytest.mark.parametrize(
    ("descriptor", "refusal", "guidance", "frames"),
    [
        (AMBIGUOUS, Refusal.WEAK_MATCH, Guidance.USE_QR_CODE, POOL_FULL),
        (WEAK, Refusal.WEAK_MATCH, Guidance.USE_QR_CODE, POOL_FULL),
        (STRANGER, Refusal.UNKNOWN, Guidance.NOT_RECOGNISED, UNKNOWN_AFTER),
    ],
    ids=["ambiguous", "weak", "stranger"],
)
def test_weak_ambiguous_and_unknown_faces_are_sent_to_the_qr_code(
    descriptor: NDArray[np.float32], refusal: Refusal, guidance: Guidance, frames: int
) -> None:
    session, engine = make()
    engine.scene = Scene([FACE], descriptor=descriptor)
    clock = Clock()
    updates = feed(session, clock, frames)
    last = updates[-1]
    assert last is not None and last.phase is FacePhase.REFUSED
    assert (last.refusal, last.guidance) == (refusal, guidance)
    assert all(u is None or u.phase is not FacePhase.REFUSED for u in updates[:-1])
    # the refusal stays on screen for the cool-down, and no frame is looked at meanwhile
    calls = sum(engine.calls.values())
    assert feed(session, clock, 25) == [None] * 25
    assert sum(engine.calls.values()) == calls
    # then a new attempt
    after = feed(session, clock, 10)
    assert any(u is not None and u.phase is FacePhase.LOOKING for u in after)
    assert all(u is None or u.volunteer_id is None for u in after)


def test_the_gallery_can_be_swapped_between_frames() -> None:
    session, engine = make()
    engine.scene = Scene([FACE], descriptor=near(V2, 0.1))
    session.set_gallery(Gallery.from_templates(["V1"], V1))
    updates = feed(session, Clock(), UNKNOWN_AFTER)
    assert updates[-1] is not None and updates[-1].refusal is Refusal.UNKNOWN
    session.set_gallery(Gallery())
    assert feed(session, Clock())[0].phase is FacePhase.NO_GALLERY  # type: ignore[union-attr]


# --- staying in view, coming back, the next in the queue ---------------------------------------------


def test_the_volunteer_staying_in_view_is_not_identified_again() -> None:
    session, engine = make()
    engine.scene = Scene([FACE], descriptor=near(V1, 0.1))
    clock = Clock()
    updates = [u for u in feed(session, clock, 60) if u is not None]
    identified = [u for u in updates if u.phase is FacePhase.IDENTIFIED]
    assert len(identified) == 1
    assert updates[-1].phase is FacePhase.RESTING and updates[-1].guidance is Guidance.NONE
    # a pause (the result card) and they are still there: still the same presentation
    clock.tick(5.0)
    assert all(u is None or u.phase is FacePhase.RESTING for u in feed(session, clock, 10))


def test_leaving_and_coming_back_soon_is_not_a_new_check_in_but_later_it_is() -> None:
    session, engine = make()
    clock = Clock()
    engine.scene = Scene([FACE], descriptor=near(V1, 0.1))
    feed(session, clock, 2)
    engine.scene = Scene([], descriptor=near(V1, 0.1))
    feed(session, clock, 15)  # gone for 1.5 s
    engine.scene = Scene([FACE], descriptor=near(V1, 0.1))
    assert all(u is None or u.phase is not FacePhase.IDENTIFIED for u in feed(session, clock, 10))
    engine.scene = Scene([], descriptor=near(V1, 0.1))
    feed(session, clock, 100)  # ten seconds away
    engine.scene = Scene([FACE], descriptor=near(V1, 0.1))
    assert any(u is not None and u.phase is FacePhase.IDENTIFIED for u in feed(session, clock, 3))


def test_the_next_volunteer_stepping_in_is_identified_at_once() -> None:
    session, engine = make()
    clock = Clock()
    engine.scene = Scene([FACE], descriptor=near(V1, 0.1))
    feed(session, clock, 5)
    engine.scene = Scene([FACE], descriptor=near(V2, 0.1))
    updates = [u for u in feed(session, clock, 2) if u is not None]
    assert updates[-1].phase is FacePhase.IDENTIFIED and updates[-1].volunteer_id == "V2"


# --- the liveness challenge ------------------------------------------------------------------------


def challenge_of(seed: int) -> Challenge:
    return pick_challenge(random.Random(seed))


@pytest.mark.parametrize("seed", [1, 2])
def test_with_liveness_the_asked_turn_identifies_without_describing_during_the_turn(seed: int) -> None:
    session, engine = make(liveness=True, seed=seed)
    clock = Clock()
    engine.scene = Scene([FACE], descriptor=near(V1, 0.1))
    updates = [u for u in feed(session, clock, 2) if u is not None]
    assert updates[-1].phase is FacePhase.CHALLENGE and updates[-1].guidance is Guidance.LOOK_AT_SCREEN
    assert updates[-1].volunteer_id is None
    updates = [u for u in (session.feed(SCENE, clock.tick()) for _ in range(6)) if u is not None]
    challenge = challenge_of(seed)
    asked = Guidance.TURN_LEFT if challenge is Challenge.TURN_LEFT else Guidance.TURN_RIGHT
    assert updates[-1].guidance is asked and updates[-1].challenge is challenge
    described = engine.calls["describe"]
    updates = turn(session, engine, clock, 25 * direction_sign(challenge))
    identified = [u for u in updates if u.phase is FacePhase.IDENTIFIED]
    assert len(identified) == 1 and identified[0].volunteer_id == "V1"
    assert identified[0].final_distance == pytest.approx(0.1, abs=1e-5)
    assert max(u.progress for u in updates) == 1.0
    assert Guidance.LOOK_BACK in {u.guidance for u in updates}
    assert engine.calls["describe"] == described + 1  # only the final look


def test_with_liveness_a_face_that_does_not_turn_is_refused_and_waits_longer() -> None:
    session, engine = make(liveness=True)
    clock = Clock()
    engine.scene = Scene([FACE], descriptor=near(V1, 0.1))
    updates = []
    for _ in range(100):
        at = clock.tick()
        engine.scene.boxes = [sway(at)]
        update = session.feed(SCENE, at)
        if update is not None:
            updates.append(update)
        if update is not None and update.phase is FacePhase.REFUSED:
            break
    last = updates[-1]
    assert last.phase is FacePhase.REFUSED and last.refusal is Refusal.NOT_LIVE
    assert last.guidance is Guidance.NOT_CONFIRMED
    assert last.liveness in (LivenessResult.TIMEOUT, LivenessResult.NO_MOTION)
    assert not any(u.volunteer_id for u in updates)
    assert feed(session, clock, 45) == [None] * 45  # the cool-down after a failed check is 5 s


def test_turning_the_wrong_way_is_refused() -> None:
    session, engine = make(liveness=True)
    clock = Clock()
    engine.scene = Scene([FACE], descriptor=near(V1, 0.1))
    feed(session, clock, 8)
    updates = turn(session, engine, clock, -25 * direction_sign(challenge_of(1)))
    refused = [u for u in updates if u.phase is FacePhase.REFUSED]
    assert refused and refused[0].liveness is LivenessResult.WRONG_DIRECTION
    assert not any(u.phase is FacePhase.IDENTIFIED for u in updates)


def test_a_different_face_after_the_turn_is_refused() -> None:
    session, engine = make(liveness=True)
    clock = Clock()
    engine.scene = Scene([FACE], descriptor=near(V1, 0.1))
    feed(session, clock, 8)
    engine.scene.descriptor = near(V2, 0.1)  # the turn is made, then the final look is someone else
    updates = turn(session, engine, clock, 25 * direction_sign(challenge_of(1)))
    assert not any(u.phase is FacePhase.IDENTIFIED for u in updates)
    assert [u.refusal for u in updates if u.phase is FacePhase.REFUSED] == [Refusal.CHANGED]


def test_a_pause_in_the_middle_of_the_challenge_starts_over() -> None:
    session, engine = make(liveness=True)
    clock = Clock()
    engine.scene = Scene([FACE], descriptor=near(V1, 0.1))
    feed(session, clock, 8)
    clock.tick(3.0)  # the task was taken off the face thread (a QR card's result was shown)
    update = session.feed(SCENE, clock.tick())
    assert update is not None and update.phase is FacePhase.LOOKING and update.guidance is Guidance.CHECKING


def test_a_pause_during_a_refusal_shows_the_refusal_again() -> None:
    session, engine = make()
    clock = Clock()
    engine.scene = Scene([FACE], descriptor=STRANGER)
    feed(session, clock, UNKNOWN_AFTER)
    clock.tick(1.5)
    update = session.feed(SCENE, clock.tick())
    assert update is not None and update.phase is FacePhase.REFUSED


def test_settings_can_ask_for_more_agreeing_frames() -> None:
    engine = ScriptedEngine()
    session = IdentifySession(engine, gallery(), settings=SessionSettings(agreement_frames=3))
    engine.scene = Scene([FACE], descriptor=near(V1, 0.1))
    updates = feed(session, Clock(), 3)
    assert [u.phase for u in updates if u is not None] == [FacePhase.LOOKING, FacePhase.IDENTIFIED]
