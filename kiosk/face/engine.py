"""The face engine: find faces in a frame, place 5 landmarks, compute a 128-d descriptor.

:class:`FaceEngine` is the interface the rest of the kiosk uses, so another
engine can be put behind it. :class:`DlibEngine` implements it with dlib
(the ``dlib-bin`` wheel): the HOG frontal-face detector, the 5-point landmark
model and the ResNet descriptor network from ``face-recognition-models``.
Only those two model files are needed (:data:`MODEL_FILES`, 9 + 22 MB); the
package also carries a 68-point model (100 MB) and a CNN detector, which the
kiosk never loads and a packaged kiosk need not ship.

Nothing heavy happens at import time: dlib itself is imported, and its models
read (about 45 MB of memory, 0.5-0.7 s here), on the first call that needs
them, once, under a lock (or ahead of time with :meth:`DlibEngine.load`).

Frames are ``uint8`` arrays, ``height x width x 3`` in BGR (what OpenCV and
the kiosk's camera give) unless ``order="rgb"`` is passed; gray and 4-channel
images are accepted too. dlib wants RGB, so the engine converts. The
detector runs on a copy scaled down so that the long side is at most
``max_side`` pixels (640 by default): a kiosk frame is searched as it is, a
large photo costs no more than a frame. Boxes and landmarks are always in the
coordinates of the frame that was passed in, and landmarks and descriptors
are computed on that full-resolution frame.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

import cv2
import numpy as np
from numpy.typing import NDArray

ColourOrder = Literal["bgr", "rgb"]
"""The channel order of a 3- or 4-channel frame."""

Image = NDArray[np.uint8]
"""A frame: ``uint8``, ``h x w`` (gray), ``h x w x 3`` or ``h x w x 4``."""

Landmarks = NDArray[np.float32]
"""Five ``(x, y)`` points, shape ``(5, 2)``, in frame pixels (see :data:`LANDMARK_NAMES`)."""

Descriptor = NDArray[np.float32]
"""A face descriptor: 128 ``float32`` values; faces of one person lie close in Euclidean distance."""

DESCRIPTOR_SIZE = 128

LANDMARK_NAMES = (
    "right_eye_outer",
    "right_eye_inner",
    "left_eye_outer",
    "left_eye_inner",
    "nose",
)
"""The order of dlib's 5-point model. "Right" and "left" are as seen in the
image (the person's own left eye is on the image's right); the nose point is
the bottom of the nose, between the nostrils."""

MODEL_FILES = ("shape_predictor_5_face_landmarks.dat", "dlib_face_recognition_resnet_model_v1.dat")
"""The only two files the kiosk needs from ``face-recognition-models``."""

BUNDLED_MODELS_DIR = "face_models"
"""Where the PyInstaller bundle (``build.spec``) ships :data:`MODEL_FILES`, inside its contents folder."""

MODEL_VERSION = "dlib-resnet-v1"
"""The descriptor model's version, stored with every template: templates of another version are never
compared with this model's descriptors (another engine or model means enrolling again)."""

DEFAULT_MAX_SIDE = 640
"""The detector's working size: the long side of the frame it searches."""


class FaceEngineError(RuntimeError):
    """The face engine cannot run (dlib missing or broken)."""


class FaceModelsMissing(FaceEngineError):
    """The model files are not installed where the engine looks."""


@dataclass(frozen=True)
class Box:
    """A face's bounding box in frame pixels; ``right`` and ``bottom`` are exclusive.

    A box can reach past the frame's edges a little (a face cut off by the edge)."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    @property
    def area(self) -> int:
        return max(0, self.width) * max(0, self.height)

    def scaled(self, factor: float) -> Box:
        """The box with every coordinate multiplied by ``factor`` (rounded)."""
        return Box(
            round(self.left * factor),
            round(self.top * factor),
            round(self.right * factor),
            round(self.bottom * factor),
        )


@dataclass(frozen=True, eq=False)
class Face:
    """A detected face: its box and its 5 landmarks (compared by identity: it holds an array)."""

    box: Box
    landmarks: Landmarks


@runtime_checkable
class FaceEngine(Protocol):
    """What the kiosk needs from a face engine."""

    @property
    def name(self) -> str:
        """A short name for logs and benchmark tables."""
        ...

    @property
    def model_version(self) -> str:
        """The descriptor model's version: templates are only compared within one version."""
        ...

    def detect(self, frame: Image, order: ColourOrder = "bgr") -> list[Box]:
        """Boxes of the faces found in ``frame``, largest first (an empty list if none)."""
        ...

    def landmarks(self, frame: Image, box: Box, order: ColourOrder = "bgr") -> Landmarks:
        """The 5 landmarks of the face in ``box`` (shape ``(5, 2)``, ``float32``)."""
        ...

    def describe(self, frame: Image, face: Face, order: ColourOrder = "bgr") -> Descriptor:
        """The 128-d ``float32`` descriptor of ``face``."""
        ...


def find_faces(engine: FaceEngine, frame: Image, order: ColourOrder = "bgr") -> list[Face]:
    """Detect the faces in ``frame`` and place their landmarks, largest face first."""
    return [Face(box, engine.landmarks(frame, box, order)) for box in engine.detect(frame, order)]


def to_rgb(frame: Image, order: ColourOrder = "bgr") -> Image:
    """``frame`` as a C-contiguous ``h x w x 3`` RGB ``uint8`` array (dlib's input)."""
    if frame.dtype != np.uint8:
        raise ValueError(f"a frame must be uint8, not {frame.dtype}")
    if frame.ndim == 2:
        code: int | None = cv2.COLOR_GRAY2RGB
    elif frame.ndim == 3 and frame.shape[2] == 3:
        code = None if order == "rgb" else cv2.COLOR_BGR2RGB
    elif frame.ndim == 3 and frame.shape[2] == 4:
        code = cv2.COLOR_RGBA2RGB if order == "rgb" else cv2.COLOR_BGRA2RGB
    else:
        raise ValueError(f"a frame must be h x w, h x w x 3 or h x w x 4, not {frame.shape}")
    rgb = frame if code is None else cv2.cvtColor(frame, code)
    return np.ascontiguousarray(rgb, dtype=np.uint8)


@dataclass(frozen=True)
class ModelPaths:
    """Where the two model files are."""

    landmarks: Path
    """``shape_predictor_5_face_landmarks.dat``"""
    descriptor: Path
    """``dlib_face_recognition_resnet_model_v1.dat``"""


def bundled_models_dir() -> Path | None:
    """The model folder inside the frozen bundle, or None when not running from a bundle."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / BUNDLED_MODELS_DIR
    return None


def model_paths(models_dir: Path | None = None) -> ModelPaths:
    """The model files in ``models_dir``, or by default in the installed ``face_recognition_models``.

    The package is located without being imported (its ``__init__`` imports
    ``pkg_resources``, which newer setuptools no longer ship). A packaged
    kiosk can pass the folder it ships the two files in; the frozen bundle
    looks in its own :data:`BUNDLED_MODELS_DIR`. Raises
    :class:`FaceModelsMissing` saying what is missing and how to install it.
    """
    if models_dir is None:
        models_dir = bundled_models_dir()
    if models_dir is None:
        spec = importlib.util.find_spec("face_recognition_models")
        locations = list(spec.submodule_search_locations or []) if spec is not None else []
        if not locations:
            raise FaceModelsMissing(
                "the face models are not installed: pip install face-recognition-models==0.3.0"
            )
        models_dir = Path(locations[0]) / "models"
    paths = ModelPaths(models_dir / MODEL_FILES[0], models_dir / MODEL_FILES[1])
    missing = [path.name for path in (paths.landmarks, paths.descriptor) if not path.is_file()]
    if missing:
        raise FaceModelsMissing(
            f"face model files missing in {models_dir}: {', '.join(missing)} "
            "(pip install face-recognition-models==0.3.0)"
        )
    return paths


@dataclass(frozen=True)
class _Models:
    detector: Any
    predictor: Any
    recognizer: Any


class DlibEngine:
    """dlib's HOG detector, 5-point landmarks and ResNet descriptor, loaded on first use.

    - ``upsample``: how many times the detector doubles its working image
      (0 finds faces from ~80 px wide at the working size, 1 from ~40 px and
      costs about 4 times as much). A kiosk frame wants 0: a volunteer at the
      screen is much larger, and :mod:`kiosk.face.quality` refuses small faces.
    - ``max_side``: the long side of the detector's working image.
    - ``jitters``: dlib's ``num_jitters`` (0 or 1: one pass; n > 1 averages n
      randomly jittered copies, n times slower, slightly steadier).
    - ``models_dir``: see :func:`model_paths`.

    Safe to share between threads: the models load once, and calls into dlib
    run one at a time (the descriptor network keeps working buffers).
    """

    name = "dlib"
    model_version = MODEL_VERSION

    def __init__(
        self,
        upsample: int = 0,
        max_side: int = DEFAULT_MAX_SIDE,
        jitters: int = 0,
        models_dir: Path | None = None,
    ) -> None:
        if upsample < 0 or max_side < 64 or jitters < 0:
            raise ValueError("upsample and jitters must be >= 0 and max_side >= 64")
        self.upsample = upsample
        self.max_side = max_side
        self.jitters = jitters
        self.models_dir = models_dir
        self._models: _Models | None = None
        self._load_lock = threading.Lock()
        self._run_lock = threading.Lock()

    @property
    def loaded(self) -> bool:
        """Whether the models have been loaded."""
        return self._models is not None

    def load(self) -> None:
        """Load the models now (say on a background thread before the first face)."""
        self._get_models()

    def detect(self, frame: Image, order: ColourOrder = "bgr") -> list[Box]:
        models = self._get_models()
        rgb = to_rgb(frame, order)
        height, width = rgb.shape[:2]
        scale = min(1.0, self.max_side / max(height, width))
        if scale < 1.0:
            size = (max(1, round(width * scale)), max(1, round(height * scale)))
            rgb = np.asarray(cv2.resize(rgb, size, interpolation=cv2.INTER_AREA), dtype=np.uint8)
        with self._run_lock:
            rects = models.detector(rgb, self.upsample)
        boxes = [Box(r.left(), r.top(), r.right() + 1, r.bottom() + 1).scaled(1 / scale) for r in rects]
        return sorted(boxes, key=lambda box: -box.area)

    def landmarks(self, frame: Image, box: Box, order: ColourOrder = "bgr") -> Landmarks:
        models = self._get_models()
        import dlib  # loaded by now

        rgb = to_rgb(frame, order)
        with self._run_lock:
            shape = models.predictor(rgb, _rectangle(dlib, box))
        return np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float32)

    def describe(self, frame: Image, face: Face, order: ColourOrder = "bgr") -> Descriptor:
        if face.landmarks.shape != (5, 2):
            raise ValueError(f"5 landmarks are needed, not {face.landmarks.shape}")
        models = self._get_models()
        import dlib  # loaded by now

        rgb = to_rgb(frame, order)
        points = dlib.points([dlib.point(round(float(x)), round(float(y))) for x, y in face.landmarks])
        shape = dlib.full_object_detection(_rectangle(dlib, face.box), points)
        with self._run_lock:
            vector = models.recognizer.compute_face_descriptor(rgb, shape, self.jitters)
        return np.asarray(vector, dtype=np.float32).reshape(DESCRIPTOR_SIZE)

    def _get_models(self) -> _Models:
        models = self._models
        if models is None:
            with self._load_lock:
                if self._models is None:
                    self._models = self._read_models()
                models = self._models
        return models

    def _read_models(self) -> _Models:
        paths = model_paths(self.models_dir)
        try:
            import dlib
        except ImportError as error:  # pragma: no cover - dlib-bin is a dependency
            raise FaceEngineError(f"dlib cannot be imported ({error}): pip install dlib-bin") from error
        return _Models(
            detector=dlib.get_frontal_face_detector(),
            predictor=dlib.shape_predictor(str(paths.landmarks)),
            recognizer=dlib.face_recognition_model_v1(str(paths.descriptor)),
        )


def _rectangle(dlib: Any, box: Box) -> Any:
    return dlib.rectangle(box.left, box.top, box.right - 1, box.bottom - 1)
