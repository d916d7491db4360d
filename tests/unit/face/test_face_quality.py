"""Face quality: each check on synthetic faces, and on faces-dev's enrol photos and degraded copies of them."""

from __future__ import annotations

import math
from dataclasses import fields
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from helpers.images import uint8_image
from numpy.typing import NDArray

from kiosk.face.engine import Box, DlibEngine, Face, find_faces
from kiosk.face.quality import (
    ENROLMENT,
    IDENTIFICATION,
    QualityProblem,
    assess,
    laplacian_variance,
    pose,
    to_gray,
)

ROOT = Path(__file__).resolve().parents[3]
FACES = ROOT.parent / "shared" / "datasets" / "faces-dev"
needs_faces = pytest.mark.skipif(
    not FACES.is_dir(), reason=f"the faces-dev dataset is not at {FACES} (see GUIDE.md section 4)"
)
ENROL_PHOTOS = sorted((FACES / "enroll").glob("*/*.*")) if FACES.is_dir() else []


# --- synthetic faces -----------------------------------------------------------------------------


def frontal_landmarks(box: Box, nose_shift: float = 0.0, roll_deg: float = 0.0) -> NDArray[np.float32]:
    """dlib's 5 points for a face in ``box``: eye corners at 40 % height, the nose below the middle.

    ``nose_shift`` moves the nose sideways, in inter-eye distances; ``roll_deg`` turns all
    points about the box's centre."""
    w, h = box.width, box.height
    eye_y = box.top + 0.4 * h
    points = np.array(
        [
            (box.left + 0.78 * w, eye_y),  # the eye on the image's right: outer, inner
            (box.left + 0.62 * w, eye_y),
            (box.left + 0.22 * w, eye_y),  # the other eye: outer, inner
            (box.left + 0.38 * w, eye_y),
            (box.left + (0.5 + 0.5 * nose_shift) * w, box.top + 0.65 * h),
        ]
    )
    centre = np.array([box.left + w / 2, box.top + h / 2])
    angle = math.radians(roll_deg)
    rotation = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    turned: NDArray[np.float64] = (points - centre) @ rotation.T + centre
    return turned.astype(np.float32)


def synthetic_face(
    size: int = 200,
    face_level: float = 130.0,
    background: float = 120.0,
    blur: float = 0.0,
    nose_shift: float = 0.0,
    roll_deg: float = 0.0,
) -> tuple[NDArray[np.uint8], Face]:
    """A 640 x 480 frame with a square textured 'face' of ``size`` px in the middle.

    The texture is smooth features (a 12 x 12 grid of random levels, cubic) and fine
    detail (2-px blocks, small): like a real face, a blur of a few pixels leaves only
    the smooth part."""
    rng = np.random.default_rng(3)
    frame = np.full((480, 640), background, np.float64)
    left, top = 320 - size // 2, 240 - size // 2
    features = cv2.resize(rng.normal(0, 35, size=(12, 12)), (size, size), interpolation=cv2.INTER_CUBIC)
    detail = cv2.resize(
        rng.normal(0, 6, size=(size // 2, size // 2)), (size, size), interpolation=cv2.INTER_NEAREST
    )
    frame[top : top + size, left : left + size] = face_level + (features + detail) * (face_level / 130)
    if blur:
        frame = np.asarray(cv2.GaussianBlur(frame, (0, 0), blur), dtype=np.float64)
    image = np.clip(frame, 0, 255).astype(np.uint8)
    box = Box(left, top, left + size, top + size)
    bgr = np.ascontiguousarray(np.dstack([image, image, image]))
    return bgr, Face(box, frontal_landmarks(box, nose_shift, roll_deg))


def test_a_well_lit_sharp_frontal_face_of_good_size_passes() -> None:
    frame, face = synthetic_face()
    quality = assess(frame, face)
    assert quality.ok and quality.problems == ()
    assert quality.face_px == 200
    assert quality.brightness == pytest.approx(130, abs=10)
    assert quality.background == pytest.approx(120, abs=1)
    assert quality.sharpness > 4 * ENROLMENT.min_sharpness
    assert quality.yaw == pytest.approx(0, abs=1e-6) and quality.roll_deg == pytest.approx(0, abs=1e-6)
    assert assess(frame, face, IDENTIFICATION).ok


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"size": 70}, QualityProblem.TOO_SMALL),
        ({"face_level": 35, "background": 35}, QualityProblem.TOO_DARK),
        ({"face_level": 60, "background": 235}, QualityProblem.BACKLIT),
        ({"blur": 4.0}, QualityProblem.BLURRED),
        ({"nose_shift": 0.4}, QualityProblem.NOT_FRONTAL),
        ({"nose_shift": -0.4}, QualityProblem.NOT_FRONTAL),
        ({"roll_deg": 30}, QualityProblem.NOT_FRONTAL),
    ],
)
def test_each_problem_is_found_alone(changes: dict[str, Any], problem: QualityProblem) -> None:
    frame, face = synthetic_face(**changes)
    assert assess(frame, face).problems == (problem,)


def test_a_dark_face_in_a_dark_room_is_too_dark_not_backlit_and_not_blurred() -> None:
    frame, face = synthetic_face(face_level=40, background=45)
    quality = assess(frame, face)
    assert quality.problems == (QualityProblem.TOO_DARK,)
    bright_frame, bright_face = synthetic_face()
    assert quality.sharpness == pytest.approx(assess(bright_frame, bright_face).sharpness, rel=0.2)


def test_a_bright_background_behind_a_well_exposed_face_is_not_backlight() -> None:
    frame, face = synthetic_face(face_level=120, background=250)
    assert assess(frame, face).ok


def test_several_problems_are_listed_most_useful_hint_first() -> None:
    frame, face = synthetic_face(size=70, face_level=50, background=240, blur=6.0, roll_deg=35)
    assert assess(frame, face).problems == (
        QualityProblem.TOO_SMALL,
        QualityProblem.BACKLIT,
        QualityProblem.NOT_FRONTAL,
        QualityProblem.BLURRED,
    )


def test_identification_is_held_to_looser_limits_than_enrolment() -> None:
    for field in fields(ENROLMENT):
        strict, loose = getattr(ENROLMENT, field.name), getattr(IDENTIFICATION, field.name)
        if field.name.startswith("max_"):
            assert loose >= strict, field.name
        elif field.name.startswith("min_") or field.name == "backlight_face_below":
            assert loose <= strict, field.name
    frame, face = synthetic_face(size=90)
    assert assess(frame, face, ENROLMENT).problems == (QualityProblem.TOO_SMALL,)
    assert assess(frame, face, IDENTIFICATION).ok


def test_the_pose_comes_from_the_eyes_and_the_nose() -> None:
    box = Box(0, 0, 100, 100)
    yaw, roll = pose(frontal_landmarks(box))
    assert yaw == pytest.approx(0, abs=1e-6) and roll == pytest.approx(0, abs=1e-6)
    yaw, _ = pose(frontal_landmarks(box, nose_shift=0.2))
    assert yaw == pytest.approx(10 / 40, rel=1e-3)  # the nose moved 10 px; the eyes' centres are 40 px apart
    assert pose(frontal_landmarks(box, nose_shift=-0.2))[0] < 0
    for angle in (-25.0, 10.0, 40.0):
        yaw, roll = pose(frontal_landmarks(box, nose_shift=0.2, roll_deg=angle))
        assert roll == pytest.approx(angle, abs=1e-3)
        assert yaw == pytest.approx(10 / 40, rel=1e-3)  # yaw does not change with roll
    yaw, _ = pose(np.zeros((5, 2), np.float32))  # both eyes on one point: nothing to measure
    assert math.isinf(yaw)
    with pytest.raises(ValueError):
        pose(np.zeros((68, 2), np.float32))


def test_sharpness_does_not_depend_on_contrast_or_size() -> None:
    rng = np.random.default_rng(5)
    texture = cv2.resize(rng.normal(128, 40, size=(50, 50)), (200, 200), interpolation=cv2.INTER_NEAREST)
    sharp = np.clip(texture, 0, 255).astype(np.uint8)
    dim = np.clip(texture * 0.3, 0, 255).astype(np.uint8)
    assert laplacian_variance(dim) == pytest.approx(laplacian_variance(sharp), rel=0.15)
    small = uint8_image(cv2.resize(sharp, (100, 100), interpolation=cv2.INTER_AREA))
    assert laplacian_variance(small) == pytest.approx(laplacian_variance(sharp), rel=0.15)
    assert laplacian_variance(uint8_image(cv2.GaussianBlur(sharp, (0, 0), 4))) < laplacian_variance(sharp) / 5
    assert laplacian_variance(np.full((50, 50), 90, np.uint8)) == 0.0
    assert laplacian_variance(np.zeros((0, 0), np.uint8)) == 0.0


def test_a_face_cut_off_by_the_frame_edge_is_measured_on_what_is_visible() -> None:
    frame, _ = synthetic_face()
    box = Box(-60, -40, 140, 160)
    quality = assess(frame, Face(box, frontal_landmarks(box)))
    assert quality.face_px == 200 and math.isfinite(quality.brightness) and math.isfinite(quality.background)
    outside = Box(700, 500, 900, 700)  # nothing of the face is in the frame: measured as black, never passes
    quality = assess(frame, Face(outside, frontal_landmarks(outside)))
    assert quality.brightness == 0.0 and quality.sharpness == 0.0 and not quality.ok


def test_colour_order_and_gray_frames() -> None:
    frame, face = synthetic_face()
    frame[..., 2] = 255  # a strong red cast (BGR): the gray levels depend on the channel order
    as_bgr = assess(frame, face)
    as_rgb = assess(np.ascontiguousarray(frame[..., ::-1]), face, order="rgb")
    assert as_bgr == as_rgb
    assert assess(to_gray(frame), face) == as_bgr
    bgra = np.dstack([frame, np.zeros(frame.shape[:2], np.uint8)])
    np.testing.assert_array_equal(to_gray(bgra), to_gray(frame))
    with pytest.raises(ValueError):
        to_gray(np.zeros((4, 4, 2), np.uint8))


# --- faces-dev -----------------------------------------------------------------------------------


def read(path: Path) -> NDArray[np.uint8]:
    image = cv2.imdecode(np.fromfile(path, dtype=np.uint8), cv2.IMREAD_COLOR)
    assert image is not None, path
    return np.asarray(image, dtype=np.uint8)


def largest_face(engine: DlibEngine, image: NDArray[np.uint8]) -> Face:
    faces = find_faces(engine, image)
    assert faces, "no face found"
    return faces[0]


def backlit(image: NDArray[np.uint8], box: Box) -> NDArray[np.uint8]:
    """The face (an ellipse around its box) darkened to half, everything else washed out towards white."""
    mask = np.zeros(image.shape[:2], np.float32)
    centre = ((box.left + box.right) // 2, (box.top + box.bottom) // 2)
    cv2.ellipse(mask, centre, (int(box.width * 0.75), int(box.height * 0.95)), 0, 0, 360, 1.0, -1)
    soft = cv2.GaussianBlur(mask, (0, 0), box.width / 10)[..., None]
    lit = image * 0.5 * soft + (image * 0.3 + 175) * (1 - soft)
    return np.clip(lit, 0, 255).astype(np.uint8)


@needs_faces
@pytest.mark.parametrize("path", ENROL_PHOTOS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_enrol_photos_pass_and_degraded_copies_fail_with_the_right_problem(
    engine: DlibEngine, path: Path
) -> None:
    image = read(path)
    face = largest_face(engine, image)
    quality = assess(image, face, ENROLMENT)
    assert quality.ok, quality
    assert assess(image, face, IDENTIFICATION).ok
    width = face.box.width

    blurred = uint8_image(cv2.GaussianBlur(image, (0, 0), width / 50))
    assert assess(blurred, largest_face(engine, blurred)).problems == (QualityProblem.BLURRED,)

    darkened = uint8_image(cv2.convertScaleAbs(image, alpha=0.3))
    assert assess(darkened, largest_face(engine, darkened)).problems == (QualityProblem.TOO_DARK,)

    against_light = backlit(image, face.box)
    assert assess(against_light, largest_face(engine, against_light)).problems == (QualityProblem.BACKLIT,)

    scale = 70 / width
    tiny = uint8_image(cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA))
    tiny_face = largest_face(DlibEngine(upsample=1), tiny)  # too small for the kiosk's detector settings
    assert assess(tiny, tiny_face).problems == (QualityProblem.TOO_SMALL,)


@needs_faces
def test_a_tilted_head_and_a_turned_head_are_not_frontal(engine: DlibEngine) -> None:
    image = read(FACES / "enroll" / "obama" / "1.jpg")
    height, width = image.shape[:2]
    turn = cv2.getRotationMatrix2D((width / 2, height / 2), 35, 1.0)
    tilted = uint8_image(cv2.warpAffine(image, turn, (width, height)))
    quality = assess(tilted, largest_face(engine, tilted))
    assert quality.problems == (QualityProblem.NOT_FRONTAL,) and quality.roll_deg < -ENROLMENT.max_roll_deg

    group = read(FACES / "probe" / "obama+biden.jpg")
    faces = find_faces(DlibEngine(upsample=1), group)
    turned = [assess(group, face) for face in faces if abs(pose(face.landmarks)[0]) > ENROLMENT.max_yaw]
    assert len(turned) == 1 and QualityProblem.NOT_FRONTAL in turned[0].problems
