"""The identification session with the real dlib engine on sequences rendered from faces-dev's enrol photos.

The gallery holds every enrol photo's descriptor (as enrolment would); the
sequences come from :mod:`kiosk.face.synthetic` (a head turning as asked, the
photo held up as a print, the photo lying still) and are fed at 10 frames a
second with their own timestamps, every frame processed. Skipped without the
dataset beside the project. Renders are cached: a few photos, not all.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from functools import cache

import cv2
import numpy as np
import pytest
from helpers.faces import FACES, enrol_photos, needs_faces
from helpers.images import read_image
from numpy.typing import NDArray

from kiosk.face import synthetic
from kiosk.face.engine import DlibEngine, find_faces
from kiosk.face.guidance import Guidance
from kiosk.face.liveness import LivenessSettings, direction_sign, pick_challenge
from kiosk.face.matching import Gallery
from kiosk.face.session import FacePhase, FaceUpdate, IdentifySession, Refusal

pytestmark = [needs_faces, pytest.mark.slow, pytest.mark.timeout(600)]

FPS = 10.0
ENROLLED = ("obama/1.jpg", "rose_leslie/1.jpg")
STRANGERS = ("kit_harington/1.jpg", "biden/2.jpg")  # each left out of the gallery in their test


@cache
def kiosk_engine() -> DlibEngine:
    return DlibEngine()  # as the kiosk runs it: no upsampling


@cache
def photo(name: str) -> tuple[NDArray[np.uint8], synthetic.DetectedFace]:
    image = read_image(FACES / "enroll" / name)
    face = synthetic.FaceReader().read(image)
    assert face is not None, name
    return image, face


@cache
def templates() -> tuple[tuple[str, ...], NDArray[np.float32]]:
    """Every enrol photo's descriptor (dlib with one upsampling on the photo, as bench/face.py enrols)."""
    engine = DlibEngine(upsample=1)
    owners, rows = [], []
    for path in enrol_photos():
        image = read_image(path)
        face = find_faces(engine, image)[0]
        owners.append(path.parent.name)
        rows.append(engine.describe(image, face))
    return tuple(owners), np.stack(rows)


def gallery(without: str | None = None) -> Gallery:
    owners, rows = templates()
    keep = [i for i, owner in enumerate(owners) if owner != without]
    return Gallery.from_templates([owners[i] for i in keep], rows[keep])


@cache
def rendered(name: str, kind: str, yaw_deg: float = 0.0) -> tuple[synthetic.SyntheticFrame, ...]:
    image, face = photo(name)
    if kind == "turn":
        frames = synthetic.head_turn_sequence(image, face, yaw_deg, seconds=4.0, fps=FPS)
    elif kind == "held":
        frames = synthetic.held_up_photo_sequence(image, face, seconds=7.5, fps=FPS)
    else:
        frames = synthetic.still_sequence(image, face, seconds=5.0, fps=FPS)
    return tuple(frames)


def run(session: IdentifySession, frames: Sequence[synthetic.SyntheticFrame]) -> list[FaceUpdate]:
    """Feed the frames; stop five frames after an identification (staying in view is tested elsewhere)."""
    updates: list[FaceUpdate] = []
    left = len(frames)
    for frame in frames:
        update = session.feed(frame.image, frame.timestamp)
        if update is not None:
            updates.append(update)
            if update.phase is FacePhase.IDENTIFIED:
                left = 5
        left -= 1
        if left <= 0:
            break
    return updates


def session_for(gallery_: Gallery, seed: int, liveness: bool = True) -> IdentifySession:
    return IdentifySession(
        kiosk_engine(),
        gallery_,
        liveness=LivenessSettings() if liveness else None,
        rng=random.Random(seed),
    )


@pytest.mark.parametrize("name", ENROLLED)
def test_an_enrolled_volunteer_turning_as_asked_is_identified_once(name: str) -> None:
    seed = 3
    challenge = pick_challenge(random.Random(seed))
    frames = rendered(name, "turn", 25.0 * direction_sign(challenge))
    updates = run(session_for(gallery(), seed), frames)
    identified = [u for u in updates if u.phase is FacePhase.IDENTIFIED]
    assert [u.volunteer_id for u in identified] == [name.split("/")[0]], [
        (u.phase.value, u.guidance.value) for u in updates
    ]
    assert identified[0].final_distance is not None and identified[0].final_distance < 0.5
    assert {Guidance.TURN_LEFT, Guidance.TURN_RIGHT} & {u.guidance for u in updates}
    assert not any(u.phase is FacePhase.REFUSED for u in updates)


@pytest.mark.parametrize("name", STRANGERS)
def test_someone_not_enrolled_is_never_identified_and_is_sent_to_the_qr_code(name: str) -> None:
    person = name.split("/")[0]
    frames = rendered(name, "turn", 25.0)
    for liveness in (True, False):
        updates = run(session_for(gallery(without=person), 1, liveness), frames)
        assert not any(u.volunteer_id for u in updates)
        refusals = {u.refusal for u in updates if u.phase is FacePhase.REFUSED}
        assert refusals and refusals <= {Refusal.UNKNOWN, Refusal.WEAK_MATCH}


def test_a_held_up_photo_of_an_enrolled_volunteer_is_never_identified() -> None:
    frames = rendered("obama/1.jpg", "held")
    updates = run(session_for(gallery(), 5), frames)
    assert not any(u.phase is FacePhase.IDENTIFIED for u in updates)
    refused = [u for u in updates if u.phase is FacePhase.REFUSED]
    assert (
        refused and refused[0].refusal is Refusal.NOT_LIVE and refused[0].guidance is Guidance.NOT_CONFIRMED
    )
    # it is the challenge that stops the photo: without it the same frames identify the volunteer
    updates = run(session_for(gallery(), 5, liveness=False), frames[:10])
    assert any(u.volunteer_id == "obama" for u in updates)


def test_a_still_photo_of_an_enrolled_volunteer_is_never_identified() -> None:
    updates = run(session_for(gallery(), 7), rendered("rose_leslie/1.jpg", "still"))
    assert not any(u.phase is FacePhase.IDENTIFIED for u in updates)
    assert [u.refusal for u in updates if u.phase is FacePhase.REFUSED][:1] == [Refusal.NOT_LIVE]


def first_guidance(frames: Sequence[NDArray[np.uint8]]) -> set[Guidance]:
    session = session_for(gallery(), 1)
    updates = [session.feed(frame, index / FPS) for index, frame in enumerate(frames)]
    return {u.guidance for u in updates if u is not None}


def test_a_dark_frame_asks_for_light_and_a_far_face_to_come_closer() -> None:
    frames = [f.image for f in rendered("obama/1.jpg", "turn", 25.0)[:3]]
    dark = [np.asarray(frame * 0.25, dtype=np.uint8) for frame in frames]
    assert first_guidance(dark) == {Guidance.TOO_DARK}
    far = []
    for frame in frames:  # the scene shrunk to 40 %, on a plain wall: a face about 70 px wide
        small = cv2.resize(frame, None, fx=0.4, fy=0.4, interpolation=cv2.INTER_AREA)
        canvas = np.full_like(frame, 128)
        top, left = (frame.shape[0] - small.shape[0]) // 2, (frame.shape[1] - small.shape[1]) // 2
        canvas[top : top + small.shape[0], left : left + small.shape[1]] = small
        far.append(canvas)
    assert first_guidance(far) == {Guidance.MOVE_CLOSER}
