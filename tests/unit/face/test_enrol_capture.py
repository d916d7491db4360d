"""The guided enrolment capture: which frames are kept, what the volunteer is told, and that no frame is kept.

The rules are driven first with a scripted engine (no dataset needed), then
with the real :class:`DlibEngine` on 640 x 480 frames rendered from the
faces-dev enrol photos (:mod:`kiosk.face.synthetic`) and degraded copies of
them, the way a volunteer at the desk would look to the camera.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from helpers.faces import FACES, enrol_photos, needs_faces
from helpers.images import read_image
from numpy.typing import NDArray

from kiosk.face import synthetic
from kiosk.face.engine import Box, ColourOrder, DlibEngine, Face, find_faces
from kiosk.face.enrol_capture import (
    MIN_INTERVAL_S,
    CaptureUpdate,
    EnrolmentCapture,
    Guidance,
    consistent,
)
from kiosk.face.matching import OPERATING_THRESHOLD
from kiosk.face.quality import QualityLimits

Frame = NDArray[np.uint8]

ANYTHING_GOES = QualityLimits(
    min_face_px=0.0,
    min_brightness=-1.0,
    max_backlight=1e9,
    backlight_face_below=-1.0,
    min_sharpness=-1.0,
    max_yaw=1e9,
    max_roll_deg=1e9,
)


# --- the rules, with a scripted engine ------------------------------------------------------------


class ScriptedEngine:
    """Finds the faces it is told to (``boxes``) and describes each frame with the next vector of ``vectors``."""

    name = "scripted"
    model_version = "scripted-v1"

    def __init__(self, vectors: list[NDArray[np.float32]]) -> None:
        self.boxes: list[Box] = [Box(200, 100, 400, 300)]
        self._vectors = iter(vectors)
        self.described = 0

    def detect(self, frame: Frame, order: ColourOrder = "bgr") -> list[Box]:
        return list(self.boxes)

    def landmarks(self, frame: Frame, box: Box, order: ColourOrder = "bgr") -> NDArray[np.float32]:
        w, h, x, y = box.width, box.height, box.left, box.top
        eye = y + 0.4 * h
        points = [(x + 0.78 * w, eye), (x + 0.62 * w, eye), (x + 0.22 * w, eye), (x + 0.38 * w, eye)]
        return np.array([*points, (x + 0.5 * w, y + 0.65 * h)], dtype=np.float32)

    def describe(self, frame: Frame, face: Face, order: ColourOrder = "bgr") -> NDArray[np.float32]:
        self.described += 1
        return next(self._vectors)


def person(seed: int, count: int, spread: float = 0.05) -> list[NDArray[np.float32]]:
    """``count`` descriptors of one made-up person: a point and small random steps around it."""
    rng = np.random.default_rng(seed)
    centre = rng.normal(0, 0.09, 128)  # like dlib's: about 1.0 long
    return [(centre + rng.normal(0, spread / np.sqrt(128), 128)).astype(np.float32) for _ in range(count)]


BLANK = np.zeros((480, 640, 3), np.uint8)


def capture_with(
    vectors: list[NDArray[np.float32]], **options: Any
) -> tuple[EnrolmentCapture, ScriptedEngine]:
    engine = ScriptedEngine(vectors)
    return EnrolmentCapture(engine, limits=ANYTHING_GOES, **options), engine


def feed_every(
    capture: EnrolmentCapture, seconds: float, count: int, start: float = 0.0
) -> list[CaptureUpdate]:
    updates = [capture.feed(BLANK, start + i * seconds) for i in range(count)]
    return [u for u in updates if u is not None]


def test_five_good_frames_spread_in_time_finish_the_capture() -> None:
    capture, _ = capture_with(person(1, 5))
    updates = feed_every(capture, MIN_INTERVAL_S, 5)
    assert [u.kept for u in updates] == [1, 2, 3, 4, 5]
    assert [u.guidance for u in updates] == [Guidance.GOOD] * 4 + [Guidance.DONE]
    assert updates[-1].done and updates[-1].finished and updates[-1].box == Box(200, 100, 400, 300)
    assert updates[-1].frame_size == (640, 480)
    assert len(capture.descriptors()) == 5
    assert capture.feed(BLANK, 10.0) is None  # finished: later frames are not looked at


def test_frames_closer_together_than_the_interval_are_not_described_nor_kept() -> None:
    capture, engine = capture_with(person(2, 5))
    updates = feed_every(capture, 0.1, 21)  # 10 frames a second for 2 s
    assert updates[-1].guidance is Guidance.DONE
    assert engine.described == 5  # only frames due were described
    assert [i for i, u in enumerate(updates) if u.kept > (updates[i - 1].kept if i else 0)] == [
        0,
        5,
        10,
        15,
        20,
    ]


def test_the_same_picture_again_is_not_kept_twice() -> None:
    frozen = person(3, 1)[0]
    capture, _ = capture_with([frozen] * 4 + person(3, 4)[1:])
    updates = feed_every(capture, MIN_INTERVAL_S, 7)
    assert [u.kept for u in updates] == [1, 1, 1, 1, 2, 3, 4]
    assert not updates[-1].finished


def test_another_face_starts_the_capture_over_with_that_face() -> None:
    first, second = person(4, 2), person(5, 5)
    capture, _ = capture_with(first + second)
    updates = feed_every(capture, MIN_INTERVAL_S, 7)
    assert [u.kept for u in updates] == [1, 2, 1, 2, 3, 4, 5]
    assert updates[2].guidance is Guidance.STARTED_OVER
    kept = capture.descriptors()
    assert all(any(np.array_equal(k, s) for s in second) for k in kept)
    assert consistent(kept) and not consistent(first + second)


def test_two_people_at_the_camera_are_told_one_at_a_time_and_nothing_is_kept() -> None:
    capture, engine = capture_with(person(6, 5))
    engine.boxes = [Box(100, 100, 300, 300), Box(400, 120, 560, 280)]  # the second is 80 % as wide
    update = capture.feed(BLANK, 0.0)
    assert update is not None and update.guidance is Guidance.ONE_PERSON and update.kept == 0
    assert update.box == Box(100, 100, 300, 300)
    engine.boxes = [Box(100, 100, 300, 300), Box(500, 50, 560, 110)]  # someone far behind: ignored
    update = capture.feed(BLANK, 1.0)
    assert update is not None and update.guidance is Guidance.GOOD and update.kept == 1


def test_no_face_says_so() -> None:
    capture, engine = capture_with(person(7, 5))
    engine.boxes = []
    update = capture.feed(BLANK, 0.0)
    assert update is not None and update.guidance is Guidance.NO_FACE and update.box is None


def test_stopping_early_keeps_three_or_more_and_not_fewer() -> None:
    capture, _ = capture_with(person(8, 5))
    feed_every(capture, MIN_INTERVAL_S, 3)
    assert capture.stop() and len(capture.descriptors()) == 3
    assert capture.feed(BLANK, 5.0) is None

    capture, _ = capture_with(person(9, 5))
    feed_every(capture, MIN_INTERVAL_S, 2)
    assert capture.descriptors() == []  # still running: nothing to take yet
    assert not capture.stop() and capture.descriptors() == []


def test_the_capture_times_out_from_its_first_frame() -> None:
    capture, engine = capture_with(person(10, 5), timeout_s=10.0)
    engine.boxes = []
    updates = feed_every(capture, 1.0, 12, start=100.0)
    assert updates[-1].guidance is Guidance.TIMED_OUT and updates[-1].finished and not updates[-1].done
    assert len(updates) == 11  # the frame at 10 s ends it; the next is not looked at


def test_a_cancelled_capture_forgets_its_descriptors() -> None:
    capture, _ = capture_with(person(11, 5))
    feed_every(capture, MIN_INTERVAL_S, 4)
    capture.discard()
    assert capture.finished and capture.kept == 0 and capture.descriptors() == []


# --- the real engine on frames rendered from the enrol photos ------------------------------------


@cache
def dlib_engine() -> DlibEngine:
    return DlibEngine()  # as the kiosk runs it


@cache
def rendered(path: Path, frames: int = 5, eye_distance_px: float = 72.0) -> tuple[Frame, ...]:
    """Frames of the photo as a 640 x 480 camera would show it: centred, sensor noise, a little blur."""
    photo = read_image(path)
    face = synthetic.FaceReader().read(photo)
    assert face is not None, path
    sequence = synthetic.still_sequence(
        photo, face, seconds=frames / 10, fps=10, eye_distance_px=eye_distance_px
    )
    return tuple(f.image for f in sequence)


def first_photos() -> list[Path]:
    """One enrol photo per person."""
    seen: dict[str, Path] = {}
    for path in enrol_photos():
        seen.setdefault(path.parent.name, path)
    return list(seen.values())


def arrays_in(value: object, depth: int = 0) -> Iterator[NDArray[Any]]:
    """Every numpy array reachable from ``value``'s attributes and containers."""
    if depth > 4:
        return
    if isinstance(value, np.ndarray):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from arrays_in(item, depth + 1)
    elif isinstance(value, list | tuple | set):
        for item in value:
            yield from arrays_in(item, depth + 1)
    elif hasattr(value, "__dict__") and not isinstance(value, type):
        for item in vars(value).values():
            yield from arrays_in(item, depth + 1)


@needs_faces
@pytest.mark.parametrize("path", first_photos(), ids=lambda p: p.parent.name)
def test_each_person_is_captured_in_five_frames_and_only_descriptors_are_kept(path: Path) -> None:
    frames = rendered(path)
    capture = EnrolmentCapture(dlib_engine())
    updates = [capture.feed(frame, i * MIN_INTERVAL_S) for i, frame in enumerate(frames)]
    assert [u.guidance for u in updates if u is not None] == [Guidance.GOOD] * 4 + [Guidance.DONE]
    kept = capture.descriptors()
    assert len(kept) == 5 and consistent(kept)
    # the kept descriptors are this person's: close to a descriptor of the original photo
    photo = read_image(path)
    original = dlib_engine().describe(photo, find_faces(dlib_engine(), photo)[0])
    assert max(float(np.linalg.norm(k - original)) for k in kept) < OPERATING_THRESHOLD
    # no frame anywhere: the task holds 128-number descriptors, the updates none at all
    held = list(arrays_in(capture))
    assert held and all(a.shape == (128,) and a.dtype == np.float32 for a in held)
    assert not list(arrays_in(updates))


def backlit(image: Frame, box: Box) -> Frame:
    """The face darkened to half, everything around it washed out towards white (a window behind)."""
    mask = np.zeros(image.shape[:2], np.float32)
    centre = ((box.left + box.right) // 2, (box.top + box.bottom) // 2)
    cv2.ellipse(mask, centre, (int(box.width * 0.75), int(box.height * 0.95)), 0, 0, 360, 1.0, -1)
    soft = cv2.GaussianBlur(mask, (0, 0), box.width / 10)[..., None]
    return np.clip(image * 0.5 * soft + (image * 0.3 + 175) * (1 - soft), 0, 255).astype(np.uint8)


def far_away(image: Frame, face_width: int, wanted_px: int = 88) -> Frame:
    """The scene seen from further away: shrunk so the face is ``wanted_px`` wide, on a plain wall."""
    scale = wanted_px / face_width
    small = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    canvas = np.full_like(image, 128)
    top, left = (image.shape[0] - small.shape[0]) // 2, (image.shape[1] - small.shape[1]) // 2
    canvas[top : top + small.shape[0], left : left + small.shape[1]] = small
    return canvas


def tilted(image: Frame, box: Box, degrees: float = 35.0) -> Frame:
    centre = ((box.left + box.right) / 2, (box.top + box.bottom) / 2)
    matrix = cv2.getRotationMatrix2D(centre, degrees, 1.0)
    height, width = image.shape[:2]
    return np.asarray(
        cv2.warpAffine(image, matrix, (width, height), borderMode=cv2.BORDER_REFLECT_101), dtype=np.uint8
    )


@needs_faces
@pytest.mark.parametrize("path", first_photos(), ids=lambda p: p.parent.name)
def test_poor_frames_get_the_hint_that_fixes_them_and_are_not_kept(path: Path) -> None:
    frame = rendered(path)[0]
    box = find_faces(dlib_engine(), frame)[0].box
    cases = {
        Guidance.TOO_DARK: cv2.convertScaleAbs(frame, alpha=0.3),
        Guidance.HOLD_STILL: cv2.GaussianBlur(frame, (0, 0), box.width / 50),
        Guidance.BACKLIT: backlit(frame, box),
        Guidance.MOVE_CLOSER: far_away(frame, box.width),
        Guidance.LOOK_AT_CAMERA: tilted(frame, box),
        Guidance.NO_FACE: np.full_like(frame, 120),
    }
    for expected, image in cases.items():
        capture = EnrolmentCapture(dlib_engine())
        update = capture.feed(np.asarray(image, dtype=np.uint8), 0.0)
        assert update is not None and (update.guidance, update.kept) == (expected, 0), expected


@needs_faces
def test_two_people_in_the_picture_are_asked_to_come_one_at_a_time() -> None:
    group = read_image(FACES / "probe" / "obama+biden.jpg")
    update = EnrolmentCapture(dlib_engine()).feed(group, 0.0)
    assert update is not None and update.guidance is Guidance.ONE_PERSON and update.kept == 0


@needs_faces
def test_when_someone_else_steps_in_the_capture_starts_over_with_them() -> None:
    obama = rendered(FACES / "enroll" / "obama" / "1.jpg")
    biden = rendered(FACES / "enroll" / "biden" / "1.jpg")
    capture = EnrolmentCapture(dlib_engine())
    frames = [*obama[:2], *biden]
    updates = [capture.feed(frame, i * MIN_INTERVAL_S) for i, frame in enumerate(frames)]
    assert [u.guidance for u in updates if u is not None] == [
        Guidance.GOOD,
        Guidance.GOOD,
        Guidance.STARTED_OVER,
        Guidance.GOOD,
        Guidance.GOOD,
        Guidance.GOOD,
        Guidance.DONE,
    ]
    photo = read_image(FACES / "enroll" / "biden" / "1.jpg")
    biden_descriptor = dlib_engine().describe(photo, find_faces(dlib_engine(), photo)[0])
    assert all(
        float(np.linalg.norm(k - biden_descriptor)) < OPERATING_THRESHOLD for k in capture.descriptors()
    )
