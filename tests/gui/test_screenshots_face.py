"""The face states of the kiosk screen, in both languages, rendered offscreen and run through the layout audit.

``make screenshots`` (``KIOSK_SCREENSHOTS`` set) refreshes ``docs/screenshots/kiosk-face-*.png``
(:mod:`helpers.screenshots`: 1920x1080, and 1280x800 in a sub-folder, audited at 1366x768 too);
otherwise they go to a temporary folder and are only checked. ``KIOSK_TRANSLATIONS=DIR`` adds the
compiled translations of DIR over ``resources/i18n``. The preview shows frames rendered from a
faces-dev enrol photo, the box where the kiosk's engine finds the face, and the prompt the face
controller would show for each state, on the panel and over the preview.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import cv2
import numpy as np
import pytest
from helpers.extra_translations import add_translations, extra_translations
from helpers.face_scenes import photo
from helpers.faces import mosaic, needs_faces
from helpers.fakes import make_activity
from helpers.gui import make_kiosk
from helpers.screenshots import MAIN_SIZE, Shooter, screenshot_folder
from numpy.typing import NDArray
from PySide6.QtCore import Qt, QTranslator
from pytestqt.qtbot import QtBot

from kiosk.camera.frame_source import CameraState
from kiosk.face import synthetic
from kiosk.face.engine import Box, DlibEngine
from kiosk.face.guidance import Guidance
from kiosk.face.liveness import Challenge
from kiosk.face.session import FacePhase, FaceUpdate, Refusal
from kiosk.services.outcome import OutcomeKind
from kiosk.ui.camera_pipeline import frame_to_qimage
from kiosk.ui.face_prompts import face_prompt

pytestmark = needs_faces

__all__ = ["extra_translations"]  # the fixture, used by name

WAIT_MS = 10_000
VOLUNTEER = "V000000042"


@cache
def frames() -> dict[str, NDArray[np.uint8]]:
    """The frames of each state: looking ahead, turned to the left, far away, in a dark room."""
    image, face = photo("obama/1.jpg")
    ahead = synthetic.still_sequence(image, face, seconds=0.1, fps=10, seed=2)[0].image
    turned = synthetic.head_turn_sequence(image, face, 18.0, seconds=1.6, fps=10, start_s=0.2, ramp_s=0.7)[-1]
    far = np.full_like(ahead, 118)
    small = cv2.resize(ahead, None, fx=0.4, fy=0.4, interpolation=cv2.INTER_AREA)
    top, left = (ahead.shape[0] - small.shape[0]) // 2, (ahead.shape[1] - small.shape[1]) // 2
    far[top : top + small.shape[0], left : left + small.shape[1]] = small
    return {
        "ahead": ahead,
        "turned": turned.image,
        "far": far,
        "dark": np.asarray(ahead * 0.22, dtype=np.uint8),
    }


@cache
def box_in(name: str) -> Box:
    boxes = DlibEngine().detect(frames()[name])
    assert boxes, name
    return boxes[0]


STATES: dict[str, tuple[str, FaceUpdate | None]] = {
    "idle": ("ahead", None),
    "checking": ("ahead", FaceUpdate(FacePhase.LOOKING, Guidance.CHECKING)),
    "move-closer": ("far", FaceUpdate(FacePhase.LOOKING, Guidance.MOVE_CLOSER)),
    "too-dark": ("dark", FaceUpdate(FacePhase.LOOKING, Guidance.TOO_DARK)),
    "turn-left": (
        "turned",
        FaceUpdate(FacePhase.CHALLENGE, Guidance.TURN_LEFT, challenge=Challenge.TURN_LEFT, progress=0.6),
    ),
    "use-qr": ("ahead", FaceUpdate(FacePhase.REFUSED, Guidance.USE_QR_CODE, refusal=Refusal.WEAK_MATCH)),
    "not-confirmed": (
        "ahead",
        FaceUpdate(FacePhase.REFUSED, Guidance.NOT_CONFIRMED, refusal=Refusal.NOT_LIVE),
    ),
}


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_screenshots_of_the_face_states(
    qtbot: QtBot, tmp_path: Path, language: str, extra_translations: list[QTranslator]
) -> None:
    ui = make_kiosk(tmp_path / "data", make_activity(capacity=30), language=language)
    add_translations(extra_translations, language)
    with ui.kiosk.store.write() as db:
        db.execute("INSERT INTO volunteers (volunteer_id, name) VALUES (?, '雷彩霞')", [VOLUNTEER])
    window = ui.window
    qtbot.addWidget(window)
    window.resize(*MAIN_SIZE)
    window.start()
    screen = window.screen_kiosk
    screen.set_face_on(True)  # as the face controller does once the models loaded and someone is enrolled
    screen.camera.set_camera_state(str(CameraState.LIVE))
    screen.status.set_camera_state(str(CameraState.LIVE))
    shooter = Shooter(qtbot, window, "kiosk-face", language, screenshot_folder(tmp_path))
    try:
        for name, (frame_name, update) in STATES.items():
            frame = frames()[frame_name]
            screen.camera.show_frame(mosaic(frame_to_qimage(frame)))
            prompt = None
            if update is not None:
                height, width = frame.shape[:2]
                update = FaceUpdate(
                    **{**update.__dict__, "box": box_in(frame_name), "frame_size": (width, height)}
                )
                prompt = face_prompt(update)
            screen.show_face_prompt(prompt)
            shooter.shot(name)
        screen.camera.show_frame(mosaic(frame_to_qimage(frames()["ahead"])))
        screen.show_face_prompt(None)  # the result card takes the task off the face thread
        with qtbot.waitSignal(window.result_shown, timeout=WAIT_MS) as blocker:
            window._on_face_identified(VOLUNTEER)
        assert blocker.args[0].kind is OutcomeKind.CHECKED_IN
        shooter.shot("checked-in")
        with qtbot.waitSignal(window.result_shown, timeout=WAIT_MS) as blocker:
            qtbot.mouseClick(screen.result.not_me_button, Qt.MouseButton.LeftButton)
        assert blocker.args[0].kind is OutcomeKind.UNDONE
        shooter.shot("not-me")
    finally:
        window.exit_kiosk()
        ui.kiosk.close()
    pictures = list(shooter.pictures.values())
    assert len({bytes(img.constBits()) for img in pictures}) == len(pictures), "every state looks different"
    shooter.assert_clean()
