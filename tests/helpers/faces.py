"""The faces-dev dataset for face tests: where it is, and a marker that skips when it is absent.

The photos are read in place from ``../shared/datasets/faces-dev`` beside the
project (never copied into the repository); see GUIDE.md section 4.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

ROOT = Path(__file__).resolve().parents[2]
FACES = ROOT.parent / "shared" / "datasets" / "faces-dev"

needs_faces = pytest.mark.skipif(
    not (FACES / "enroll").is_dir(),
    reason=f"the faces-dev dataset is not at {FACES} (see GUIDE.md section 4)",
)


def enrol_photos(volunteer: str | None = None) -> list[Path]:
    """The enrol photos (``enroll/<person>/<n>.jpg|png``), of one person or all, in a fixed order."""
    if not (FACES / "enroll").is_dir():
        return []
    pattern = f"{volunteer}/*" if volunteer else "*/*"
    return sorted(
        p for p in (FACES / "enroll").glob(pattern) if p.suffix.lower() in (".jpg", ".jpeg", ".png")
    )


def mosaic(image: QImage, block: int = 24) -> QImage:
    """``image`` in coarse blocks, for screenshots kept in the repository.

    The dataset's photos are read in place and never copied into the
    repository, not even inside a screenshot: the camera picture of a
    screenshot is shown as a mosaic (faces unrecognisable), while the
    screen's own drawing on top of it (the face box, the prompts) stays sharp.
    """
    width, height = image.width(), image.height()
    small = image.scaled(
        max(1, width // block),
        max(1, height // block),
        Qt.AspectRatioMode.IgnoreAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    return small.scaled(
        width, height, Qt.AspectRatioMode.IgnoreAspectRatio, Qt.TransformationMode.FastTransformation
    )
