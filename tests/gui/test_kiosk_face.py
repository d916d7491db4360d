"""Face check-in on the kiosk screen, end to end: camera, face thread, writer, SQLite, result card.

Volunteers are enrolled as the desk would (roster, consent, templates from
their faces-dev photos); the camera plays frames rendered from those photos
(``tests/helpers/face_scenes.py``) through the real capture, decode and face
threads, and the real dlib engine.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.face_scenes import Looping, PersonAtKiosk, enrol, head_turn, held_up
from helpers.faces import needs_faces
from helpers.gui import KioskUnderTest, make_kiosk
from pytestqt.qtbot import QtBot

from kiosk.camera.synthetic_source import SyntheticSource
from kiosk.face.guidance import Guidance
from kiosk.face.liveness import Challenge
from kiosk.face.session import FacePhase, FaceUpdate
from kiosk.services.outcome import OutcomeKind
from kiosk.ui.face_prompts import PromptTone

pytestmark = [needs_faces, pytest.mark.slow, pytest.mark.timeout(600)]

WAIT_MS = 40_000
VOLUNTEER = "V000000042"


def started(qtbot: QtBot, ui: KioskUnderTest) -> list[FaceUpdate]:
    """Start the window; the face updates it receives are collected in the list returned."""
    updates: list[FaceUpdate] = []
    assert ui.window.face is not None and ui.window.face_check_in is not None
    ui.window.face.update.connect(lambda task, update: updates.append(update))
    qtbot.addWidget(ui.window)
    ui.window.start()
    qtbot.waitUntil(
        lambda: ui.window.face_check_in is not None and ui.window.face_check_in.active, timeout=WAIT_MS
    )
    return updates


def test_a_consented_volunteer_turning_as_asked_is_checked_in_by_face(qtbot: QtBot, tmp_path: Path) -> None:
    person = PersonAtKiosk("obama/1.jpg")
    ui = make_kiosk(tmp_path, source_factory=lambda: person)
    enrol(ui.kiosk, "obama", VOLUNTEER, "奥巴马")
    try:
        updates = started(qtbot, ui)
        # a person does what the screen says: the turn starts when the prompt is shown
        ui.window.face.update.connect(  # type: ignore[union-attr]
            lambda task, update: person.turn(update.challenge) if update.challenge else None
        )
        assert "Look at the camera" in ui.window.screen_kiosk.idle.title.text()
        with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS) as blocker:
            pass
        outcome, request = blocker.args
        assert outcome.kind is OutcomeKind.CHECKED_IN and request.method.value == "face"
        assert request.volunteer_id == VOLUNTEER
        assert ui.events() == [(VOLUNTEER, "in", "face")]
        card = ui.window.screen_kiosk.result
        assert card.name.text() == "奥*马" and card.detail.text() == "Recognised by face"
        assert person.turned in (Challenge.TURN_LEFT, Challenge.TURN_RIGHT)
        guidance = {u.guidance for u in updates}
        assert {Guidance.TURN_LEFT, Guidance.TURN_RIGHT} & guidance
        assert [u.volunteer_id for u in updates if u.phase is FacePhase.IDENTIFIED] == [VOLUNTEER]
        # the card takes the task off the face thread and clears the overlay
        assert ui.window.face.worker.task is None  # type: ignore[union-attr]
        assert ui.window.screen_kiosk.camera.face_prompt is None
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()


def refusal_shown(ui: KioskUnderTest, guidance: Guidance) -> bool:
    prompt = ui.window.screen_kiosk.camera.face_prompt
    return prompt is not None and prompt.guidance is guidance and prompt.tone is PromptTone.REFUSAL


def test_a_photo_of_an_enrolled_volunteer_held_up_is_refused_and_nothing_is_recorded(
    qtbot: QtBot, tmp_path: Path
) -> None:
    ui = make_kiosk(tmp_path, source_factory=lambda: Looping(held_up("obama/1.jpg")))
    enrol(ui.kiosk, "obama", VOLUNTEER, "奥巴马")
    try:
        updates = started(qtbot, ui)
        qtbot.waitUntil(lambda: refusal_shown(ui, Guidance.NOT_CONFIRMED), timeout=WAIT_MS)
        assert "use your QR code" in (ui.window.screen_kiosk.camera.face_prompt.text)  # type: ignore[union-attr]
        assert any(
            u.phase is FacePhase.CHALLENGE for u in updates
        )  # it was matched, then the challenge failed
        assert not any(u.phase is FacePhase.IDENTIFIED for u in updates)
        assert ui.events() == []
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()


def test_a_stranger_is_told_to_use_the_qr_code_and_nothing_is_recorded(qtbot: QtBot, tmp_path: Path) -> None:
    ui = make_kiosk(
        tmp_path, source_factory=lambda: Looping(head_turn("kit_harington/1.jpg", Challenge.TURN_LEFT))
    )
    enrol(ui.kiosk, "obama", VOLUNTEER, "奥巴马")
    try:
        updates = started(qtbot, ui)
        qtbot.waitUntil(
            lambda: refusal_shown(ui, Guidance.NOT_RECOGNISED) or refusal_shown(ui, Guidance.USE_QR_CODE),
            timeout=WAIT_MS,
        )
        assert not any(u.phase in (FacePhase.CHALLENGE, FacePhase.IDENTIFIED) for u in updates)
        assert ui.events() == []
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()


def test_a_qr_card_checks_in_while_face_check_in_is_on(qtbot: QtBot, tmp_path: Path) -> None:
    holder: list[str] = []
    ui = make_kiosk(
        tmp_path,
        source_factory=lambda: SyntheticSource(
            holder, size=(640, 480), fps=15, seed=5, dwell_frames=30, gap_frames=5
        ),
    )
    holder.append(ui.card())
    enrol(ui.kiosk, "obama", VOLUNTEER, "奥巴马")
    try:
        started(qtbot, ui)
        with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS) as blocker:
            pass
        outcome, request = blocker.args
        assert outcome.kind is OutcomeKind.CHECKED_IN and request.method.value == "qr"
        assert ui.events() == [("V000000001", "in", "qr")]
        assert not ui.window.screen_kiosk.result.detail.isVisibleTo(ui.window.screen_kiosk.result)
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()


def test_with_nobody_enrolled_the_screen_looks_as_without_faces(qtbot: QtBot, tmp_path: Path) -> None:
    ui = make_kiosk(tmp_path, source_factory=lambda: PersonAtKiosk("obama/1.jpg"))
    qtbot.addWidget(ui.window)
    try:
        assert ui.window.face is not None and ui.window.face_check_in is not None
        with qtbot.waitSignal(ui.window.face.ready, timeout=WAIT_MS):
            ui.window.start()
        qtbot.wait(500)
        assert not ui.window.face_check_in.active
        assert ui.window.face.worker.task is None  # nothing runs on the face thread
        assert ui.window.screen_kiosk.idle.title.text() == "Hold your volunteer QR code up to the camera"
        assert ui.window.screen_kiosk.camera.face_prompt is None
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()


def test_with_face_disabled_there_is_no_face_thread(qtbot: QtBot, tmp_path: Path) -> None:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "config.toml").write_text("[face]\nenabled = false\n", encoding="utf-8")
    ui = make_kiosk(tmp_path, source_factory=lambda: PersonAtKiosk("obama/1.jpg"))
    qtbot.addWidget(ui.window)
    try:
        assert ui.window.face is None and ui.window.face_check_in is None
        ui.window.start()
        assert ui.window.screen_kiosk.idle.title.text() == "Hold your volunteer QR code up to the camera"
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()
