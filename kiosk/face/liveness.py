"""Face liveness: a randomised head-turn challenge read from five landmarks, plus passive cues.

The check is fed one camera frame at a time (:meth:`LivenessCheck.update`)
with what the face engine found in it: dlib's five landmarks, the face box,
the frame itself and its time. It needs no Qt, no clock and no randomness of
its own, so a test can drive it with hand-made landmark tracks.

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

**The challenge.** :class:`LivenessCheck` waits for a steady, roughly
frontal face (the baseline), asks for a turn to the person's left or right
(:func:`pick_challenge`: a recording made in advance has one chance in two),
and passes when the yaw moves :attr:`LivenessSettings.turn_threshold` (0.12,
about 20 degrees) past the baseline in the asked direction on two frames and
comes back or holds, within :attr:`LivenessSettings.time_limit_s`. Turning
the other way fails at once.

**What a flat picture can do.** A picture slides the nose between its eyes
only when tilted out of its plane: a tilt about both axes shears the face,
and perspective adds to it (how much depends only on the face's size in the
image, not on the picture's size). A print held up and tilted by up to 10
degrees moved the ratio by at most 0.074 (15 degree tilts reach about
0.11), below the threshold: it times out. A print tilted 35 degrees about a
diagonal on purpose reaches 0.10 to 0.28 and would pass on the yaw alone;
the passive cues are there for that. Of 66 such fakes (the eleven photos,
both directions, three noise seeds) 60 got past the yaw threshold; the
surroundings cue stopped 56 and the foreshortening cue the other 4 (with
the foreshortening cue off, the surroundings cue stops all 60):

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

Not covered: a video replay of the person turning the asked way (the
challenge only halves its chances), masks, and screens (no moiré or glare cue:
there are no recaptured screen images here to measure one on).

All numbers come from :mod:`kiosk.face.synthetic` renders of
``faces-dev/enroll`` read back with dlib (see that module for what such
renders can and cannot prove); they must be checked on real recordings.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

import cv2
import numpy as np
from numpy.typing import NDArray

Landmarks = NDArray[np.float64]
"""Five landmarks as a ``5 x 2`` array (x, y in pixels), in dlib's 5-point order."""
Box = tuple[float, float, float, float]
"""A face box: left, top, right, bottom, in pixels."""
Image = NDArray[np.uint8]
"""A BGR ``uint8`` frame."""


class Challenge(StrEnum):
    """What the person is asked to do, in their own terms (their left, not the screen's)."""

    TURN_LEFT = "turn_left"
    TURN_RIGHT = "turn_right"


# A nod is not offered: five points measure it only by the nose's height below
# the eyes, which a picture tilted about its horizontal axis also changes (a
# 25 degree tilt by about as much as a 20 degree nod), and the synthetic
# renders only turn heads, so a nod threshold could not be measured.


def pick_challenge(
    rng: random.Random | None = None, choices: Sequence[Challenge] = tuple(Challenge)
) -> Challenge:
    """One of ``choices`` at random (``rng``, or the module's generator; inject a seeded one in tests)."""
    if not choices:
        raise ValueError("no challenge to pick from")
    return (rng or random).choice(list(choices))


class LivenessResult(StrEnum):
    """Why a check ended (the UI translates these)."""

    PASSED = "passed"
    """The asked turn was made, and no cue objected."""
    TIMEOUT = "timeout"
    """The turn was not made within the time limit."""
    WRONG_DIRECTION = "wrong_direction"
    """The head turned the other way."""
    NO_FACE = "no_face"
    """No face was seen before the time allowed to start ran out."""
    NOT_FRONTAL = "not_frontal"
    """A face was seen but never held still and roughly frontal long enough to start."""
    FACE_LOST = "face_lost"
    """The face disappeared, or jumped (another face), during the challenge."""
    FLAT_IMAGE = "flat_image"
    """The nose moved but the eyes were not foreshortened like a turning head's: a tilted picture."""
    BACKGROUND_MOVES = "background_moves"
    """What surrounds the face moved with it: a held-up print or screen."""
    NO_MOTION = "no_motion"
    """Nothing moved at all: a picture lying still."""


class Phase(StrEnum):
    """Where a check is, for the screen's prompt."""

    FINDING_FACE = "finding_face"
    """No face yet, or not steady and frontal yet: "look at the camera"."""
    TURNING = "turning"
    """The challenge is out: "turn your head to your left/right"."""
    TURNED = "turned"
    """Turned far enough: "now look back" (passes on return or after holding)."""
    DONE = "done"
    """Decided; see :attr:`LivenessStatus.result`."""


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
class LivenessSettings:
    """Everything a check can be tuned with; the defaults are the kiosk's.

    Distances are in eye distances (between the two eyes' centres), times in seconds.
    """

    turn_threshold: float = 0.12
    """How far the yaw ratio must move from the baseline in the asked direction: about 20 degrees on the
    synthetic heads (25 degrees read 0.13 to 0.27); prints tilted up to 10 degrees reached 0.074."""
    wrong_way_threshold: float = 0.12
    """Moving this far the other way fails with ``wrong_direction``."""
    return_fraction: float = 0.5
    """Passes once the yaw is back below this fraction of the threshold after turning."""
    hold_s: float = 0.4
    """...or after holding the turn this long."""
    min_turned_frames: int = 2
    """Frames past the threshold (not necessarily in a row: landmarks of a turned face jitter) before the
    turn counts; one frame could be a landmark glitch. Also the frames in a row the wrong way that fail."""
    time_limit_s: float = 6.0
    """From the challenge to the pass."""
    start_limit_s: float = 10.0
    """From the first frame to a baseline (``no_face`` / ``not_frontal`` after it)."""
    baseline_s: float = 0.5
    """How long the face must hold steady and frontal before the challenge is issued."""
    baseline_frames: int = 3
    """...over at least this many frames."""
    baseline_max_spread: float = 0.05
    """The yaw ratio may vary by this much across the baseline frames."""
    frontal_max_yaw: float = 0.3
    """The baseline's yaw ratio must be within this of zero (faces at rest measured -0.18 to +0.15)."""
    max_face_gap_s: float = 1.5
    """During the challenge, the face may be missing this long before ``face_lost`` (dlib's frontal
    detector loses some faces turned by more than about 20 degrees; they come back on the way back)."""
    max_jump: float = 1.5
    """A face whose eyes' midpoint moves more than this between frames (eye distances) is another face."""
    frames_mirrored: bool = False
    """True when the frames are mirror images (a mirrored camera); the kiosk's frames are not mirrored."""
    use_foreshortening: bool = True
    min_foreshortening: float = 0.3
    """The far eye's narrowing per unit of yaw a turn must show (synthetic turns: 0.78 to 2.37; a sheared
    picture: 0; prints tilted to fake a turn: 0.13 to 1.23); see :func:`foreshortening_cue`."""
    use_surroundings: bool = True
    surroundings_min_correlation: float = 0.9
    """The face's surroundings must correlate at least this well between the baseline and the turning
    frames (synthetic turns: 0.994 or more; prints tilted to fake a turn: 0.76 or less); see
    :func:`surroundings_cue`."""
    surroundings_min_texture: float = 6.0
    """Grey-level spread the surroundings need for a verdict (less: a plain wall, undecided)."""
    use_stillness: bool = True
    still_window_s: float = 3.0
    """Fails ``no_motion`` when the landmarks have not moved for this long after the challenge."""
    still_max_motion: float = 0.012
    """Smoothed landmark movement (eye distances) below which a track counts as not moving."""
    still_smoothing_s: float = 1.0
    """The stillness cue averages landmarks over windows this long."""


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


def direction_sign(challenge: Challenge, frames_mirrored: bool = False) -> int:
    """+1 when the challenge moves the nose to the image's right (yaw grows), -1 otherwise.

    On an unmirrored camera a person turning to *their* left turns the nose to the image's right.
    """
    sign = 1 if challenge is Challenge.TURN_LEFT else -1
    return -sign if frames_mirrored else sign


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


@dataclass(frozen=True)
class LivenessStatus:
    """What the check says after a frame: the phase, the result once decided, and how far the turn got.

    ``progress`` is the turn in the asked direction as a share of the threshold
    (0 to 1, for a progress bar); ``seconds_left`` counts down the current
    phase's limit; ``cues`` holds the latest reading of each cue computed so far.
    """

    phase: Phase
    challenge: Challenge
    result: LivenessResult | None = None
    progress: float = 0.0
    seconds_left: float = 0.0
    cues: tuple[CueReading, ...] = ()

    @property
    def done(self) -> bool:
        return self.result is not None


@dataclass
class _Frame:
    timestamp: float
    landmarks: Landmarks
    geometry: FaceGeometry
    box: Box | None
    frame: Image | None


@dataclass
class _Track:
    """What the check remembers between frames."""

    started: float | None = None
    saw_face: bool = False
    recent: list[_Frame] = field(default_factory=list)
    baseline: _Frame | None = None
    baseline_geometry: FaceGeometry | None = None
    challenged_at: float = 0.0
    last_face: _Frame | None = None
    since_challenge: list[Landmarks] = field(default_factory=list)
    since_challenge_at: list[float] = field(default_factory=list)
    moved_at_all: bool = False
    turned: list[FaceGeometry] = field(default_factory=list)
    turned_since: float | None = None
    surroundings: CueReading | None = None
    wrong_frames: int = 0


class LivenessCheck:
    """One liveness attempt: feed every frame to :meth:`update` until the status is done.

    ``challenge`` comes from :func:`pick_challenge` (the caller shows it once the
    phase is :attr:`Phase.TURNING`). Frames without a face are fed with
    ``landmarks=None``. ``box`` and ``frame`` feed the surroundings cue; without
    them it stays undecided. Timestamps are seconds on any steady clock.
    """

    def __init__(self, challenge: Challenge, settings: LivenessSettings | None = None) -> None:
        self.challenge = challenge
        self.settings = settings or LivenessSettings()
        self._sign = direction_sign(challenge, self.settings.frames_mirrored)
        self._track = _Track()
        self._phase = Phase.FINDING_FACE
        self._status = LivenessStatus(Phase.FINDING_FACE, challenge, seconds_left=self.settings.start_limit_s)
        self._cues: dict[Cue, CueReading] = {}

    @property
    def status(self) -> LivenessStatus:
        """The status after the last frame."""
        return self._status

    def update(
        self,
        timestamp: float,
        landmarks: Landmarks | None,
        box: Box | None = None,
        frame: Image | None = None,
    ) -> LivenessStatus:
        """Take one frame's face (or ``None``) and return the status; frames after the decision are ignored."""
        if self._status.done:
            return self._status
        track = self._track
        if track.started is None:
            track.started = timestamp
        observed = None
        if landmarks is not None:
            points = np.array(landmarks, dtype=np.float64)
            try:
                geometry = face_geometry(points)
            except ValueError:  # not five points, or both eyes on one spot: not a face to go by
                geometry = None
            if geometry is not None:
                observed = _Frame(timestamp, points, geometry, box, None if frame is None else frame.copy())
                track.saw_face = True
        if self._phase is Phase.FINDING_FACE:
            self._status = self._find_baseline(timestamp, observed)
        else:
            self._status = self._follow_turn(timestamp, observed)
        return self._status

    # --- finding a baseline -----------------------------------------------------------------------

    def _find_baseline(self, timestamp: float, observed: _Frame | None) -> LivenessStatus:
        settings = self.settings
        track = self._track
        assert track.started is not None
        elapsed = timestamp - track.started
        if observed is None or (track.recent and self._jumped(track.recent[-1], observed)):
            track.recent.clear()
        if observed is not None:
            track.recent.append(observed)
            track.recent = [f for f in track.recent if timestamp - f.timestamp <= settings.baseline_s * 2]
            baseline = self._steady_frontal(track.recent)
            if baseline is not None:
                return self._issue_challenge(timestamp, baseline)
        if elapsed > settings.start_limit_s:
            result = LivenessResult.NOT_FRONTAL if track.saw_face else LivenessResult.NO_FACE
            return self._finish(result, timestamp)
        return LivenessStatus(
            Phase.FINDING_FACE, self.challenge, seconds_left=settings.start_limit_s - elapsed
        )

    def _steady_frontal(self, frames: list[_Frame]) -> list[_Frame] | None:
        """The latest frames spanning the baseline time, if they are steady and roughly frontal."""
        settings = self.settings
        newest = frames[-1].timestamp
        window = [f for f in frames if newest - f.timestamp <= settings.baseline_s]
        if len(window) < settings.baseline_frames or newest - frames[0].timestamp < settings.baseline_s:
            return None
        yaws = [f.geometry.yaw for f in window]
        if max(yaws) - min(yaws) > settings.baseline_max_spread:
            return None
        if abs(float(np.median(yaws))) > settings.frontal_max_yaw:
            return None
        return window

    def _issue_challenge(self, timestamp: float, window: list[_Frame]) -> LivenessStatus:
        track = self._track
        track.baseline = window[-1]
        track.baseline_geometry = replace(
            window[-1].geometry,
            yaw=float(np.median([f.geometry.yaw for f in window])),
            foreshortening=float(np.median([f.geometry.foreshortening for f in window])),
        )
        track.recent.clear()
        track.challenged_at = timestamp
        track.last_face = window[-1]
        track.since_challenge = [window[-1].landmarks]
        track.since_challenge_at = [window[-1].timestamp]
        self._phase = Phase.TURNING
        return LivenessStatus(Phase.TURNING, self.challenge, seconds_left=self.settings.time_limit_s)

    # --- following the turn -----------------------------------------------------------------------

    def _follow_turn(self, timestamp: float, observed: _Frame | None) -> LivenessStatus:
        settings = self.settings
        track = self._track
        assert track.last_face is not None and track.baseline_geometry is not None
        left = settings.time_limit_s - (timestamp - track.challenged_at)
        if observed is None:
            if timestamp - track.last_face.timestamp > settings.max_face_gap_s:
                return self._finish(LivenessResult.FACE_LOST, timestamp)
            if left < 0:
                return self._timeout(timestamp)
            return self._progress(track.last_face, left)
        if self._jumped(track.last_face, observed):
            return self._finish(LivenessResult.FACE_LOST, timestamp)
        track.last_face = observed
        track.since_challenge.append(observed.landmarks)
        track.since_challenge_at.append(timestamp)
        moved = (observed.geometry.yaw - track.baseline_geometry.yaw) * self._sign
        if moved <= -settings.wrong_way_threshold:
            track.wrong_frames += 1
            if track.wrong_frames >= settings.min_turned_frames:
                return self._finish(LivenessResult.WRONG_DIRECTION, timestamp)
        else:
            track.wrong_frames = 0
        if settings.use_surroundings and moved >= settings.turn_threshold / 2:
            self._read_surroundings(observed)
        if moved >= settings.turn_threshold:
            track.turned.append(observed.geometry)
            if track.turned_since is None:
                track.turned_since = timestamp
            if len(track.turned) >= settings.min_turned_frames:
                self._phase = Phase.TURNED
        if self._phase is Phase.TURNED:
            assert track.turned_since is not None
            back = moved <= settings.turn_threshold * settings.return_fraction
            if back or timestamp - track.turned_since >= settings.hold_s:
                return self._decide(timestamp)
        if left < 0:
            return self._timeout(timestamp)
        if (
            settings.use_stillness
            and not track.moved_at_all
            and timestamp - track.challenged_at >= settings.still_window_s
        ):
            reading = stillness_cue(track.since_challenge_at, track.since_challenge, settings)
            self._cues[Cue.STILLNESS] = reading
            track.moved_at_all = reading.verdict is Verdict.LIVE
            if reading.verdict is Verdict.NOT_LIVE:
                return self._finish(LivenessResult.NO_MOTION, timestamp)
        return self._progress(observed, left)

    def _progress(self, latest: _Frame, left: float) -> LivenessStatus:
        assert self._track.baseline_geometry is not None
        moved = (latest.geometry.yaw - self._track.baseline_geometry.yaw) * self._sign
        progress = min(1.0, max(0.0, moved / self.settings.turn_threshold))
        if self._phase is Phase.TURNED:
            progress = 1.0
        return LivenessStatus(
            self._phase, self.challenge, None, progress, max(0.0, left), tuple(self._cues.values())
        )

    def _decide(self, timestamp: float) -> LivenessStatus:
        """The turn was made: the passive cues have the last word."""
        settings = self.settings
        track = self._track
        assert track.baseline_geometry is not None
        if settings.use_foreshortening:
            reading = foreshortening_cue(track.baseline_geometry, track.turned, self._sign, settings)
            self._cues[Cue.FORESHORTENING] = reading
            if reading.verdict is Verdict.NOT_LIVE:
                return self._finish(LivenessResult.FLAT_IMAGE, timestamp)
        if settings.use_surroundings:
            reading = track.surroundings or CueReading(Cue.SURROUNDINGS, 0.0, Verdict.UNDECIDED)
            self._cues[Cue.SURROUNDINGS] = reading
            if reading.verdict is Verdict.NOT_LIVE:
                return self._finish(LivenessResult.BACKGROUND_MOVES, timestamp)
        return self._finish(LivenessResult.PASSED, timestamp)

    def _read_surroundings(self, observed: _Frame) -> None:
        """Compare the surroundings of a turning frame with the baseline's; keep the least still reading.

        Every frame turned at least half way counts, not only the most turned:
        a held-up print can carry the face to the frame's edge (the ring out of
        view, undecided) in one frame and not in the next.
        """
        before = self._track.baseline
        assert before is not None
        if before.frame is None or before.box is None or observed.frame is None or observed.box is None:
            return
        reading = surroundings_cue(before.frame, before.box, observed.frame, observed.box, self.settings)
        kept = self._track.surroundings
        if (
            reading.verdict is not Verdict.UNDECIDED
            and (kept is None or kept.verdict is Verdict.UNDECIDED or reading.score < kept.score)
        ) or kept is None:
            self._track.surroundings = reading

    def _timeout(self, timestamp: float) -> LivenessStatus:
        """Out of time: say ``no_motion`` if nothing moved at all, else ``timeout``."""
        if self.settings.use_stillness and not self._track.moved_at_all:
            reading = stillness_cue(
                self._track.since_challenge_at, self._track.since_challenge, self.settings
            )
            self._cues[Cue.STILLNESS] = reading
            if reading.verdict is Verdict.NOT_LIVE:
                return self._finish(LivenessResult.NO_MOTION, timestamp)
        return self._finish(LivenessResult.TIMEOUT, timestamp)

    def _finish(self, result: LivenessResult, timestamp: float) -> LivenessStatus:
        self._phase = Phase.DONE
        progress = 1.0 if result is LivenessResult.PASSED else self._status.progress
        return LivenessStatus(Phase.DONE, self.challenge, result, progress, 0.0, tuple(self._cues.values()))

    def _jumped(self, previous: _Frame, current: _Frame) -> bool:
        a, b = previous.geometry, current.geometry
        step = math.hypot(b.centre[0] - a.centre[0], b.centre[1] - a.centre[1])
        return step > self.settings.max_jump * max(a.eye_distance, b.eye_distance)
