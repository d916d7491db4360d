"""Reading the image files of the test data sets as the kiosk's camera code sees frames (``uint8`` arrays)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import cv2
import numpy as np
from numpy.typing import NDArray


def read_image(path: Path, flags: int = cv2.IMREAD_COLOR) -> NDArray[np.uint8]:
    """The image at ``path``: BGR by default, gray with ``cv2.IMREAD_GRAYSCALE``; fails the test if unreadable."""
    # np.fromfile + imdecode rather than imread, as kiosk/camera/file_sources.py: any path, on any system.
    image = cv2.imdecode(np.fromfile(path, dtype=np.uint8), flags)
    assert image is not None, f"cannot read the image {path}"
    return np.asarray(image, dtype=np.uint8)


def uint8_image(image: NDArray[Any]) -> NDArray[np.uint8]:
    """``image``, what OpenCV made of a ``uint8`` image, as one (OpenCV's stubs do not carry the dtype through)."""
    assert image.dtype == np.uint8, image.dtype
    return np.asarray(image, dtype=np.uint8)
