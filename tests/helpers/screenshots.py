"""Screenshots of a screen's states at the sizes kiosks have, each one also run through the layout audit.

Every screenshot test takes its pictures with a :class:`Shooter`. For each
state it lays the window out at every size of :data:`AUDIT_SIZES` (a
1920×1080 touchscreen, a 1366×768 laptop at the desk, a 1280×800 tablet-sized
panel), asks :func:`helpers.layout_audit.layout_problems` what a finger and
an eye would find wrong there, and saves the picture at the sizes of
:data:`SHOT_SIZES`:

- ``<folder>/<prefix>-<state>-<language>.png`` at 1920×1080 (what the docs show),
- ``<folder>/1280x800/<prefix>-<state>-<language>.png`` at 1280×800.

``<folder>`` is ``$KIOSK_SCREENSHOTS`` when set (``make screenshots`` sets it
to ``docs/screenshots``), otherwise a temporary folder: the pictures are
then only checked. :meth:`Shooter.assert_clean` fails the test with every
problem of every state and size, named.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from helpers.layout_audit import Problem, layout_problems

MAIN_SIZE = (1920, 1080)
SMALL_SIZE = (1280, 800)
SHOT_SIZES = (MAIN_SIZE, SMALL_SIZE)
AUDIT_SIZES = (MAIN_SIZE, (1366, 768), SMALL_SIZE)
SETTLE_MS = 50
"""After a resize: long enough for the layouts and the style to settle offscreen."""


def screenshot_folder(tmp_path: Path) -> Path:
    """Where pictures go: ``$KIOSK_SCREENSHOTS`` when set, else ``tmp_path``."""
    folder = Path(os.environ.get("KIOSK_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def picture_path(folder: Path, size: tuple[int, int], file_name: str) -> Path:
    """The file of a picture at ``size``: the main size in ``folder``, others in a sub-folder named by size."""
    if size == MAIN_SIZE:
        return folder / file_name
    sub = folder / f"{size[0]}x{size[1]}"
    sub.mkdir(exist_ok=True)
    return sub / file_name


class Shooter:
    """Takes the pictures of one window in one language, and keeps the layout problems found on the way."""

    def __init__(
        self,
        qtbot: QtBot,
        window: QWidget,
        prefix: str,
        language: str,
        folder: Path,
        *,
        audit: Callable[[QWidget], list[Problem]] = layout_problems,
    ) -> None:
        self._qtbot = qtbot
        self._window = window
        self._prefix = prefix
        self._language = language
        self._folder = folder
        self._audit = audit
        self.problems: list[str] = []
        self.pictures: dict[str, QImage] = {}  # state -> the picture at the main size

    def resize(self, size: tuple[int, int]) -> None:
        """Lay the window out at ``size`` and let it settle."""
        self._window.resize(*size)
        self._qtbot.wait(SETTLE_MS)

    def shot(self, state: str, *, audit: bool = True) -> QImage:
        """Audit ``state`` at every size, save its pictures; the window is left at the main size."""
        file_name = f"{self._prefix}-{state}-{self._language}.png"
        for size in AUDIT_SIZES:
            self.resize(size)
            if audit:
                where = f"{file_name} at {size[0]}x{size[1]}"
                self.problems.extend(f"{where}: {problem}" for problem in self._audit(self._window))
            if size in SHOT_SIZES:
                image = self._window.grab().toImage()
                assert not image.isNull() and image.width() == size[0], f"{file_name}: no picture at {size}"
                image.save(str(picture_path(self._folder, size, file_name)))
                if size == MAIN_SIZE:
                    self.pictures[state] = image
        self.resize(MAIN_SIZE)
        return self.pictures[state]

    def assert_clean(self) -> None:
        """Fail with every layout problem found, one per line."""
        assert not self.problems, "layout problems:\n" + "\n".join(self.problems)
