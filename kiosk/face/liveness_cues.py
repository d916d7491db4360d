"""What the liveness check measures on frames: the pose from five landmarks, and the passive cues.

Pure functions of landmarks, face boxes and frames: no Qt, no clock, no
state. :mod:`kiosk.face.liveness` feeds them frame by frame and combines
their readings into a decision.

**Landmarks.** dlib's 5-point model (``shape_predictor_5_face_landmarks``),
checked by drawing them: points 0-1 are the outer and inner corner of the eye
on the *image's* right (the person's left eye on an unmirrored camera), 2-3
the outer and inner corner of the eye on the image's left, 4 the bottom of
the nose. A ``5 x 2`` float array, x then y, in frame pixels.

**Yaw.** :func:`face_geometry` rotates the landmarks so the eyes are level
(rolling the head or a picture in-plane changes nothing), then measures the
nose's sideways offset from the point between the eyes, in eye distances
(:attr:`FaceGeometry.yaw`, positive towards the image's right). A head turn
moves the nose off the eyes' centre line because the nose stands in front of
the eyes; moving, scaling or rolling a picture leaves the ratio alone. On the
eleven photos of ``faces-dev/enroll`` the ratio at rest is -0.16 to +0.14
(people are rarely exactly frontal, hence a baseline), and a synthetic
25 degree turn read back by dlib moves it by 0.13 to 0.27. dlib's 5-point
model follows the rendered turn up to about 25 degrees and then lags (it is
trained on near-frontal faces), and its frontal detector loses some faces
past about 20 degrees, which bounds the threshold from above.

**The passive cues.** A flat picture tilted on purpose can move the nose
past the turn threshold (see :mod:`kiosk.face.liveness`); these cues tell
such a fake from a turning head. "The fakes" below are the 66 prints tilted
35 degrees about a diagonal described there:

- *surroundings* (:func:`surroundings_cue`, result ``background_moves``):
  the camera is fixed, so the scene beside and above a real head stays put
  while the head turns; around a held-up print or phone, what surrounds the
  face (the rest of the photo, the bezel, the hand) moves or tilts with it.
  The ring around the face is compared between the baseline and every
  frame turned at least half way, and the least still one counts (a print
  can carry the face to the frame's edge, out of the ring's view, in one
  frame and not the next). Synthetic turns scored 0.994 or more, the fakes
  0.76 or less. Misses a face cut out to its outline and held in front of
  the real background, a print with a plain border in front of a plain wall
  (no texture: undecided), and a replay filling the whole view. May wrongly
  fail a person when people walk behind them or the camera moves.
- *foreshortening* (:func:`foreshortening_cue`, result ``flat_image``): when
  a head turns, the far eye gets narrower than the near one (its corners
  turn away); a shear moves the nose but keeps the two eyes' widths in
  proportion (an affine map keeps ratios along a line). Synthetic turns
  scored 0.78 to 2.37; the fakes 0.13 to 1.23, because perspective at a
  kiosk's face size also narrows the far eye. A weak cue (the surroundings
  cue alone stops every fake it stops), kept because it costs nothing,
  never failed a synthetic turn, and is the only one that works without
  frames or in front of a plain wall.
- *stillness* (:func:`stillness_cue`, result ``no_motion``): a picture lying
  still or a frozen screen moves by less than the landmarks' jitter; a live
  person sways. Stops a still picture 3 s after the challenge instead of at
  the time limit. Misses everything held by hand.

The landmarks' affine residual between frames is not used as a verdict: with
five points, four of them nearly on one line, an affine fit absorbs the
nose's shift with a shear, and what is left (0.017 to 0.038 eye distances for
a synthetic turn, 0.010 to 0.020 for a print with perspective) does not
separate the two. :func:`affine_residual` is kept for measurements.

All numbers come from :mod:`kiosk.face.synthetic` renders of
``faces-dev/enroll`` read back with dlib (see that module for what such
renders can and cannot prove); they must be checked on real recordings.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import cv2
import numpy as np
from numpy.typing import NDArray

from kiosk.face.liveness_values import LivenessSettings

Landmarks = NDArray[np.float64]
"""Five landmarks as a ``5 x 2`` array (x, y in pixels), in dlib's 5-point order."""
Box = tuple[float, float, float, float]
"""A face box: left, top, right, bottom, in pixels."""
Image = NDArray[np.uint8]
"""A BGR ``uint8`` frame."""


class Cue(StrEnum):
    """The passive cues."""

    FORESHORTENING = "foreshortening"
    SURROUNDINGS = "surroundings"
    STILLNESS = "stillness"


class Verdict(StrEnum):
    """What a cue says."""

    LIVE = "live"
    NOT_LIVE = "not_live"
    UNDECIDED = "undecided"
    """Not enough to go on (no turn yet, no texture, too little motion)."""


@dataclass(frozen=True)
class CueReading:
    """A cue's score and verdict; the score's meaning is documented with each cue's function."""

    cue: Cue
    score: float
    verdict: Verdict


@dataclass(frozen=True)
class FaceGeometry:
    """What five landmarks say about a face's pose (see the module's docstring).

    ``yaw`` is the nose's offset along the eye line from the point between the
    eyes, positive towards the image's right; ``pitch`` the nose's distance
    below the eye line; both in eye distances. ``roll`` is the eye line's angle
    (radians, positive clockwise on screen). ``foreshortening`` is
    ``log(width of the image-left eye / width of the image-right eye)``: it
    grows when the image-right eye turns away (the nose going right).
    """

    yaw: float
    pitch: float
    roll: float
    eye_distance: float
    foreshortening: float
    centre: tuple[float, float]


def face_geometry(landmarks: Landmarks) -> FaceGeometry:
    """Pose measures of one face from its five landmarks (dlib's order); rolls are undone first."""
    points = np.asarray(landmarks, dtype=np.float64)
    if points.shape != (5, 2):
        raise ValueError(f"expected 5 x 2 landmarks, got {points.shape}")
    left_eye = points[2:4].mean(axis=0)
    right_eye = points[0:2].mean(axis=0)
    along = right_eye - left_eye
    distance = float(math.hypot(along[0], along[1]))
    if distance <= 1e-6:
        raise ValueError("the eyes coincide")
    x_axis = along / distance
    y_axis = np.array([-x_axis[1], x_axis[0]])
    centre = (left_eye + right_eye) / 2
    nose = points[4] - centre
    width_right = math.hypot(*(points[0] - points[1]))
    width_left = math.hypot(*(points[2] - points[3]))
    return FaceGeometry(
        yaw=float(nose @ x_axis) / distance,
        pitch=float(nose @ y_axis) / distance,
        roll=math.atan2(float(along[1]), float(along[0])),
        eye_distance=distance,
        foreshortening=math.log(max(width_left, 1e-6) / max(width_right, 1e-6)),
        centre=(float(centre[0]), float(centre[1])),
    )


def yaw_ratio(landmarks: Landmarks) -> float:
    """The yaw measure alone: :attr:`FaceGeometry.yaw`."""
    return face_geometry(landmarks).yaw


def affine_fit(source: Landmarks, target: Landmarks) -> NDArray[np.float64]:
    """The least-squares affine map (``2 x 3``) taking ``source`` points to ``target`` points."""
    src = np.asarray(source, dtype=np.float64)
    design = np.column_stack([src, np.ones(len(src))])
    solution, *_ = np.linalg.lstsq(design, np.asarray(target, dtype=np.float64), rcond=None)
    return np.asarray(solution.T, dtype=np.float64)


def affine_residual(source: Landmarks, target: Landmarks) -> float:
    """RMS distance (eye distances of ``target``) left after the best affine map from ``source`` to ``target``."""
    matrix = affine_fit(source, target)
    src = np.asarray(source, dtype=np.float64)
    moved = src @ matrix[:, :2].T + matrix[:, 2]
    rms = float(np.sqrt(((np.asarray(target) - moved) ** 2).sum(axis=1).mean()))
    return rms / face_geometry(target).eye_distance


def foreshortening_cue(
    baseline: FaceGeometry, turned: Sequence[FaceGeometry], sign: int, settings: LivenessSettings
) -> CueReading:
    """Did the eyes foreshorten like a turning head's while the nose moved? (result ``flat_image``)

    For each turned frame, the change of :attr:`FaceGeometry.foreshortening`
    from the baseline divided by the change of the yaw, both in the turn's
    direction; the score is the median over the frames. A turning head's far
    eye narrows, giving a clear positive score (0.78 to 2.37 on the synthetic
    turns read by dlib); a picture sheared without perspective gives 0, but
    perspective lets a print tilted on purpose score 0.13 to 1.23.
    Below :attr:`LivenessSettings.min_foreshortening` the verdict is
    ``NOT_LIVE``; with no frame turned by at least half the threshold it is
    ``UNDECIDED``.
    """
    ratios = []
    for geometry in turned:
        moved = (geometry.yaw - baseline.yaw) * sign
        if moved >= settings.turn_threshold / 2:
            ratios.append((geometry.foreshortening - baseline.foreshortening) * sign / moved)
    if not ratios:
        return CueReading(Cue.FORESHORTENING, 0.0, Verdict.UNDECIDED)
    score = float(np.median(ratios))
    verdict = Verdict.LIVE if score >= settings.min_foreshortening else Verdict.NOT_LIVE
    return CueReading(Cue.FORESHORTENING, score, verdict)


def stillness_cue(
    timestamps: Sequence[float], track: Sequence[Landmarks], settings: LivenessSettings
) -> CueReading:
    """How much a landmark track moved, in eye distances (result ``no_motion``).

    The landmarks' centroid and the eye distance are averaged over a sliding
    window of :attr:`LivenessSettings.still_smoothing_s` (dlib returns whole
    pixels, and on a still picture its landmarks jitter by a pixel or two as
    the detector's box moves); the score is the largest distance of an
    averaged centroid from the first one, or the largest relative change of
    the averaged eye distance, whichever is larger. Synthetic still scenes
    read back with dlib scored 0.007 at most; a head swaying by 1.5 pixels
    (0.02 eye distances) 0.036 to 0.040.
    ``NOT_LIVE`` below :attr:`LivenessSettings.still_max_motion`;
    ``UNDECIDED`` until the track spans two windows.
    """
    if len(track) != len(timestamps):
        raise ValueError("one timestamp per landmark set")
    if not track or timestamps[-1] - timestamps[0] < 2 * settings.still_smoothing_s:
        return CueReading(Cue.STILLNESS, 0.0, Verdict.UNDECIDED)
    points = np.asarray(track, dtype=np.float64)
    times = np.asarray(timestamps, dtype=np.float64)
    centroids = points.mean(axis=1)
    distances = np.hypot(*(points[:, 0:2].mean(axis=1) - points[:, 2:4].mean(axis=1)).T)
    windows = [
        (times >= start) & (times < start + settings.still_smoothing_s)
        for start in times
        if start + settings.still_smoothing_s <= times[-1] + 1e-9
    ]
    mean_c = np.array([centroids[w].mean(axis=0) for w in windows])
    mean_d = np.array([distances[w].mean() for w in windows])
    drift = float(np.hypot(*(mean_c - mean_c[0]).T).max()) / float(mean_d[0])
    zoom = float(np.abs(np.log(mean_d / mean_d[0])).max())
    score = max(drift, zoom)
    verdict = Verdict.NOT_LIVE if score < settings.still_max_motion else Verdict.LIVE
    return CueReading(Cue.STILLNESS, score, verdict)


RING_INNER = 0.9
"""The ring around the face starts this many face-box sizes out from the box's centre..."""
RING_OUTER = 1.6
"""...and ends this many out."""


def _ring_mask(region: tuple[int, int, int, int], box: Box) -> NDArray[np.bool_]:
    """Beside and above the face, well outside its box, within ``region`` (x0, y0, x1, y1); nothing below
    the box's bottom (the body)."""
    x0, y0, x1, y1 = region
    left, top, right, bottom = box
    cx, cy = (left + right) / 2, (top + bottom) / 2
    size = max(right - left, bottom - top)
    ys, xs = np.mgrid[y0:y1, x0:x1]
    dx, dy = np.abs(xs - cx), np.abs(ys - cy)
    inner = (dx < RING_INNER * size) & (dy < RING_INNER * size)
    outer = (dx < RING_OUTER * size) & (dy < RING_OUTER * size)
    return np.asarray(outer & ~inner & (ys < bottom), dtype=np.bool_)


def _ring_region(shape: tuple[int, int], boxes: Sequence[Box], pad: int) -> tuple[int, int, int, int]:
    """The part of the frame where the rings of all ``boxes`` overlap, plus ``pad`` pixels."""
    height, width = shape
    x0, y0, x1, y1 = 0.0, 0.0, float(width), float(height)
    for left, top, right, bottom in boxes:
        cx, cy = (left + right) / 2, (top + bottom) / 2
        reach = RING_OUTER * max(right - left, bottom - top)
        x0, y0, x1, y1 = max(x0, cx - reach), max(y0, cy - reach), min(x1, cx + reach), min(y1, cy + reach)
    return (
        max(0, int(x0) - pad),
        max(0, int(y0) - pad),
        min(width, max(0, math.ceil(x1) + pad)),
        min(height, max(0, math.ceil(y1) + pad)),
    )


def surroundings_cue(
    before: Image, before_box: Box, after: Image, after_box: Box, settings: LivenessSettings
) -> CueReading:
    """Did the scene around the face stay still? (result ``background_moves``)

    The ring beside and above the face (from 0.9 to 1.6 face-box sizes out
    from the box's centre, in both frames, nothing below the box's bottom:
    the body moves with a person) is compared between the two frames at the
    same place. The score is the normalised correlation of the two rings'
    grey levels (after a light blur): about 1 when the surroundings stayed
    still, as a fixed camera sees a room; lower when they moved, as the rest
    of a held-up print or a phone's bezel and the hand holding it do. The
    correlation ignores a change of brightness or contrast (the camera's
    exposure following the face). Frames of synthetic turns scored 0.994 to
    1.000; prints tilted to fake a turn 0.76 or less.
    ``NOT_LIVE`` below :attr:`LivenessSettings.surroundings_min_correlation`;
    ``UNDECIDED`` when the ring is mostly outside the frame or has too little
    texture to tell (:attr:`LivenessSettings.surroundings_min_texture`: a
    plain wall).
    """
    region = _ring_region((after.shape[0], after.shape[1]), (before_box, after_box), pad=5)
    x0, y0, x1, y1 = region
    if x1 - x0 < 20 or y1 - y0 < 20:
        return CueReading(Cue.SURROUNDINGS, 0.0, Verdict.UNDECIDED)

    def gray(image: Image) -> NDArray[np.float32]:
        crop = cv2.cvtColor(np.ascontiguousarray(image[y0:y1, x0:x1]), cv2.COLOR_BGR2GRAY)
        return np.asarray(cv2.GaussianBlur(crop, (0, 0), 1.5), dtype=np.float32)

    gray_before, gray_after = gray(before), gray(after)
    mask = _ring_mask(region, before_box) & _ring_mask(region, after_box)
    if int(mask.sum()) < 400:
        return CueReading(Cue.SURROUNDINGS, 0.0, Verdict.UNDECIDED)
    a = gray_before[mask] - gray_before[mask].mean()
    b = gray_after[mask] - gray_after[mask].mean()
    if min(float(a.std()), float(b.std())) < settings.surroundings_min_texture:
        return CueReading(Cue.SURROUNDINGS, 1.0, Verdict.UNDECIDED)
    correlation = float((a * b).sum() / math.sqrt(float((a * a).sum()) * float((b * b).sum())))
    verdict = Verdict.NOT_LIVE if correlation < settings.surroundings_min_correlation else Verdict.LIVE
    return CueReading(Cue.SURROUNDINGS, correlation, verdict)
