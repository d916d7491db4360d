"""The face states of the kiosk screen, in both languages, rendered offscreen.

Run with ``KIOSK_SCREENSHOTS=docs/screenshots`` to refresh the pictures in the
docs (``kiosk-face-*.png``); otherwise they go to a temporary folder and are
only checked. The preview shows frames rendered from a faces-dev enrol photo,
the box where the kiosk's engine finds the face, and the overlay the face
controller would show for each state.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import cv2
import numpy as np
import pytest
from helpers.face_scenes import photo
from helpers.faces import mosaic, needs_faces
from helpers.fakes import make_activity
from helpers.gui import make_kiosk
from numpy.typing import NDArray
from PySide6.QtGui import QImage
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

WAIT_MS = 10_000
SIZE = (1280, 800)
VOLUNTEER = "V000000042"


def _target(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("KIOSK_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


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
def test_screenshots_of_the_face_states(qtbot: QtBot, tmp_path: Path, language: str) -> None:
    ui = make_kiosk(tmp_path / "data", make_activity(capacity=30), language=language)
    with ui.kiosk.store.write() as db:
        db.execute("INSERT INTO volunteers (volunteer_id, name) VALUES (?, '雷彩霞')", [VOLUNTEER])
    window = ui.window
    qtbot.addWidget(window)
    window.resize(*SIZE)
    window.start()
    screen = window.screen_kiosk
    screen.set_face_on(True)  # as the face controller does once the models loaded and someone is enrolled
    screen.camera.set_camera_state(str(CameraState.LIVE))
    screen.status.set_camera_state(str(CameraState.LIVE))
    folder = _target(tmp_path)
    shots: dict[str, QImage] = {}

    def shot(name: str) -> None:
        qtbot.wait(50)
        image = window.grab().toImage()
        assert not image.isNull() and image.width() == SIZE[0]
        image.save(str(folder / f"kiosk-face-{name}-{language}.png"))
        shots[name] = image

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
            screen.camera.show_face_prompt(prompt)
            shot(name)
        screen.camera.show_frame(mosaic(frame_to_qimage(frames()["ahead"])))
        screen.camera.show_face_prompt(None)  # the result card takes the task off the face thread
        with qtbot.waitSignal(window.result_shown, timeout=WAIT_MS) as blocker:
            window._on_face_identified(VOLUNTEER)
        assert blocker.args[0].kind is OutcomeKind.CHECKED_IN
        shot("checked-in")
    finally:
        window.exit_kiosk()
        ui.kiosk.close()
    assert len({bytes(img.constBits()) for img in shots.values()}) == len(shots), (
        "every state looks different"
    )
