"""People in front of the kiosk's camera for face check-in tests: rendered from faces-dev's enrol photos.

- :class:`PersonAtKiosk`: a frame source showing a person who looks at the
  screen and turns their head when the screen asks (:meth:`PersonAtKiosk.turn`,
  called by the test when the prompt appears), as a volunteer would.
- :class:`Looping`: any rendered frames, over and over (a photo held up, a
  stranger).
- :func:`enrol`: a volunteer on the roster, their consent and their templates,
  as the desk would store them.

Photos are read in place (``tests/helpers/faces.py``); renders are cached per
process and live in memory only.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from functools import cache

import numpy as np
from numpy.typing import NDArray

from helpers.faces import FACES
from helpers.images import read_image
from kiosk.app import Kiosk
from kiosk.camera.frame_source import CameraState, Frame
from kiosk.face import synthetic
from kiosk.face.engine import DlibEngine, find_faces
from kiosk.face.liveness import Challenge, direction_sign

FPS = 15.0
TURN_START_S = 1.0
COORDINATOR = "测试协调员 (c1)"


@cache
def photo(name: str) -> tuple[NDArray[np.uint8], synthetic.DetectedFace]:
    """An enrol photo (``person/1.jpg``) and its face."""
    path = FACES / "enroll" / name
    image = read_image(path)
    face = synthetic.FaceReader().read(image)
    assert face is not None, path
    return image, face


@cache
def head_turn(name: str, challenge: Challenge) -> tuple[Frame, ...]:
    """The person looking ahead for :data:`TURN_START_S`, then turning as ``challenge`` asks and back."""
    image, face = photo(name)
    frames = synthetic.head_turn_sequence(
        image, face, 25.0 * direction_sign(challenge), seconds=3.5, fps=FPS, start_s=TURN_START_S
    )
    return tuple(frame.image for frame in frames)


@cache
def held_up(name: str) -> tuple[Frame, ...]:
    image, face = photo(name)
    return tuple(f.image for f in synthetic.held_up_photo_sequence(image, face, seconds=8.0, fps=FPS))


class Looping:
    """A frame source playing ``frames`` over and over at ``fps``."""

    def __init__(self, frames: Sequence[Frame], fps: float = FPS) -> None:
        self._frames = list(frames)
        self._fps = fps
        self._index = 0
        self._state = CameraState.STARTING

    @property
    def fps(self) -> float | None:
        return self._fps

    @property
    def state(self) -> CameraState:
        return self._state

    def read(self) -> Frame | None:
        if self._state is CameraState.DISCONNECTED:
            return None
        frame = self._frames[self._index % len(self._frames)]
        self._index += 1
        self._state = CameraState.LIVE
        return frame

    def close(self) -> None:
        self._state = CameraState.DISCONNECTED


class PersonAtKiosk(Looping):
    """A person looking at the screen (the first second of a render, back and forth) who turns when asked.

    :meth:`turn` (thread-safe) makes the next frames the turn the challenge
    asks for, then the person looks ahead again (the render's last frames,
    back and forth).
    """

    def __init__(self, name: str) -> None:
        self._name = name
        still = head_turn(name, Challenge.TURN_LEFT)[: round(TURN_START_S * FPS)]
        super().__init__(_back_and_forth(still))
        self._lock = threading.Lock()
        self.turned: Challenge | None = None

    def turn(self, challenge: Challenge) -> None:
        """Do as the screen says (once; later calls are ignored, as a person would not turn again)."""
        with self._lock:
            if self.turned is not None:
                return
            self.turned = challenge
            frames = head_turn(self._name, challenge)
            start = round(TURN_START_S * FPS)
            tail = frames[-round(0.4 * FPS) :]
            self._frames = list(frames[start:]) + _back_and_forth(tail) * 20
            self._index = 0

    def read(self) -> Frame | None:
        with self._lock:
            return super().read()


def _back_and_forth(frames: Sequence[Frame]) -> list[Frame]:
    """Frames played forward then backward, so a loop has no jump (a person sways, they do not teleport)."""
    return list(frames) + list(frames[-2:0:-1])


@cache
def templates_of(person: str) -> tuple[NDArray[np.float32], ...]:
    """Three descriptors as an enrolment at the desk would keep: the person's photos, then camera frames."""
    photo_engine = DlibEngine(upsample=1)
    rows = []
    for path in sorted((FACES / "enroll" / person).iterdir()):
        image = read_image(path)
        rows.append(photo_engine.describe(image, find_faces(photo_engine, image)[0]))
    image, face = photo(f"{person}/{sorted((FACES / 'enroll' / person).iterdir())[0].name}")
    engine = DlibEngine()
    for frame in synthetic.still_sequence(image, face, seconds=0.3, fps=10, seed=11):
        if len(rows) >= 3:
            break
        rows.append(engine.describe(frame.image, find_faces(engine, frame.image)[0]))
    return tuple(rows)


def enrol(kiosk: Kiosk, person: str, volunteer_id: str, name: str) -> None:
    """Put ``person`` on the roster as ``volunteer_id``, record their consent and store their templates."""
    with kiosk.store.write() as db:
        db.execute("INSERT INTO volunteers (volunteer_id, name) VALUES (?, ?)", [volunteer_id, name])
    kiosk.face_enrolment.record_consent(volunteer_id, COORDINATOR)
    refusal = kiosk.face_enrolment.enrol(
        volunteer_id, list(templates_of(person)), COORDINATOR, DlibEngine.model_version
    )
    assert refusal is None, refusal
