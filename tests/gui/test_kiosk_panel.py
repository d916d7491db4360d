"""The kiosk screen's big panel says one thing at a time, the same thing as the band over the preview.

Face prompts take the panel with a large symbol; without a camera it says to use the barcode
scanner; a face check-in undone ("Not me") pauses that volunteer's face check-in. Every prompt
is laid out at 1920x1080, 1366x768 and 1280x800 in both languages and run through the layout
audit (the face photos are not needed: the prompts are shown as the face controller shows them).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from helpers.fakes import make_activity
from helpers.gui import KioskUnderTest, make_kiosk
from helpers.layout_audit import layout_problems
from helpers.screenshots import AUDIT_SIZES, SETTLE_MS
from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtWidgets import QStackedWidget
from pytestqt.qtbot import QtBot

from checkin_protocol.models import Action, Method
from kiosk.camera.frame_source import CameraState
from kiosk.domain.manual import leave_time_choices
from kiosk.face.engine import Box
from kiosk.face.guidance import Guidance
from kiosk.face.matching import Gallery
from kiosk.face.session import FacePhase, FaceUpdate
from kiosk.services.outcome import Outcome, OutcomeKind
from kiosk.ui.face_check_in import NOT_ME_PAUSE_S, FaceCheckIn
from kiosk.ui.face_prompts import FacePrompt, PromptTone, face_prompt
from kiosk.ui.screens.kiosk_screen import KioskScreen
from kiosk.ui.widgets.camera_view import NO_CAMERA_STATE
from kiosk.ui.widgets.pictograms import Pictogram

PROMPTS = [g for g in Guidance if g is not Guidance.NONE]
BOX = Box(200, 120, 160, 160)


def prompt_for(guidance: Guidance) -> FacePrompt:
    """The prompt the face controller shows for ``guidance`` (a refusal, the challenge, or looking)."""
    phase = {
        Guidance.USE_QR_CODE: FacePhase.REFUSED,
        Guidance.NOT_RECOGNISED: FacePhase.REFUSED,
        Guidance.NOT_CONFIRMED: FacePhase.REFUSED,
        Guidance.TURN_LEFT: FacePhase.CHALLENGE,
        Guidance.TURN_RIGHT: FacePhase.CHALLENGE,
        Guidance.LOOK_BACK: FacePhase.CHALLENGE,
    }.get(guidance, FacePhase.LOOKING)
    prompt = face_prompt(FaceUpdate(phase, guidance, box=BOX, frame_size=(640, 480), progress=0.5))
    assert prompt is not None
    return prompt


@pytest.fixture
def ui(qtbot: QtBot, tmp_path: Path) -> Iterator[KioskUnderTest]:
    under_test = make_kiosk(tmp_path)
    qtbot.addWidget(under_test.window)
    under_test.window.start()
    under_test.window.screen_kiosk.camera.set_camera_state(str(CameraState.LIVE))
    yield under_test
    under_test.window.exit_kiosk()
    under_test.kiosk.close()


@pytest.mark.parametrize("guidance", PROMPTS, ids=str)
def test_a_face_prompt_takes_the_panel_in_the_words_of_the_band(
    ui: KioskUnderTest, guidance: Guidance
) -> None:
    screen = ui.window.screen_kiosk
    screen.set_face_on(True)
    assert screen.idle.title.text() == "Look at the camera, or show your volunteer QR code"
    prompt = prompt_for(guidance)
    screen.show_face_prompt(prompt)
    band = screen.camera.face_prompt
    assert band is not None and screen.idle.title.text() == band.text != ""
    assert screen.idle.icon.kind is prompt.pictogram
    if prompt.tone is PromptTone.REFUSAL:
        assert screen.idle.icon.kind is Pictogram.QR_CODE and "QR code" in screen.idle.hint.text()
    assert "look at the camera" not in screen.idle.title.text().lower() or guidance is Guidance.LOOK_BACK
    screen.show_face_prompt(None)
    assert screen.idle.title.text() == "Look at the camera, or show your volunteer QR code"


def test_the_turn_is_shown_by_an_arrow_that_moves(qtbot: QtBot, ui: KioskUnderTest) -> None:
    screen = ui.window.screen_kiosk
    screen.set_face_on(True)
    screen.show_face_prompt(prompt_for(Guidance.TURN_LEFT))
    icon = screen.idle.icon
    assert (icon.kind, icon.animating) == (Pictogram.TURN_LEFT, True)
    before = icon.grab().toImage()
    qtbot.wait(300)
    assert icon.grab().toImage() != before
    screen.show_face_prompt(prompt_for(Guidance.TOO_DARK))
    assert (icon.kind, icon.animating) == (Pictogram.TOO_DARK, False)


def test_without_a_camera_the_scanner_comes_before_any_face_prompt(ui: KioskUnderTest) -> None:
    screen = ui.window.screen_kiosk
    screen.set_face_on(True)
    screen.show_face_prompt(prompt_for(Guidance.MOVE_CLOSER))
    for state in (CameraState.DISCONNECTED, CameraState.RECONNECTING, CameraState.ENDED, NO_CAMERA_STATE):
        screen.camera.set_camera_state(str(state))
        assert screen.idle.title.text() == "Scan your volunteer card with the barcode scanner", state
        assert "coordinator" in screen.idle.hint.text()
    screen.camera.set_camera_state(str(CameraState.LIVE))
    assert screen.idle.title.text() == "Please come a little closer"


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_panel_state_fits_at_every_size(qtbot: QtBot, tmp_path: Path, language: str) -> None:
    ui = make_kiosk(tmp_path, language=language)
    window, screen = ui.window, ui.window.screen_kiosk
    qtbot.addWidget(window)
    window.start()
    problems: list[str] = []

    def audit(state: str) -> None:
        for size in AUDIT_SIZES:
            window.resize(*size)
            qtbot.wait(SETTLE_MS)
            problems.extend(f"{state} at {size}: {p}" for p in layout_problems(window))

    try:
        for state in (CameraState.DISCONNECTED, NO_CAMERA_STATE):
            screen.camera.set_camera_state(str(state))
            audit(str(state))
        screen.camera.set_camera_state(str(CameraState.LIVE))
        screen.set_face_on(True)
        audit("face on")
        for guidance in PROMPTS:
            screen.show_face_prompt(prompt_for(guidance))
            audit(str(guidance))
        # the other things the half-width panel shows: the activity choice and the forgotten check-out
        screen.show_choice("雷*霞", [make_activity("A1"), make_activity("A2", title="社区助老送餐志愿服务")])
        audit("choice")
        day = datetime(2026, 11, 28, 9, 0, tzinfo=timezone(timedelta(hours=8)))
        screen.show_question(
            "雷*霞", "图书馆阅读推广志愿服务", leave_time_choices(day, day + timedelta(hours=8))
        )
        audit("question")
    finally:
        window.exit_kiosk()
        ui.kiosk.close()
    assert not problems, "\n".join(problems)


# -- "Not me" pauses the volunteer's face check-in -----------------------------------------------


class FakeFaceWorker:
    task: object = None


class FakeFace(QObject):
    """The face thread's signals and task slot, without a thread or models."""

    ready = Signal(bool)
    update = Signal(object, object)

    def __init__(self) -> None:
        super().__init__()
        self.worker = FakeFaceWorker()
        self.engine = SimpleNamespace(model_version="test")

    def set_task(self, task: object) -> None:
        self.worker.task = task


class FakeWriter(QObject):
    face_gallery_loaded = Signal(object)
    data_changed = Signal()
    outcome_ready = Signal(object, object)

    @Slot(str)
    def reload_face_gallery(self, model_version: str) -> None:
        """The real writer loads the gallery; the test hands it over itself."""

    face_candidates_loaded = Signal(object)

    @Slot()
    def reload_face_candidates(self) -> None:
        """The real writer reads the likely volunteers; this test needs none."""


@dataclass
class Clock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


def test_an_undone_face_check_in_pauses_that_volunteers_face_check_in(qtbot: QtBot) -> None:
    screen = KioskScreen("K1")
    pages = QStackedWidget()
    pages.addWidget(screen)
    qtbot.addWidget(pages)
    face, writer, clock = FakeFace(), FakeWriter(), Clock()
    controller = FaceCheckIn(face, writer, screen, pages, None, monotonic=clock)  # type: ignore[arg-type]
    identified: list[str] = []
    controller.identified.connect(identified.append)
    face.ready.emit(True)
    writer.face_gallery_loaded.emit(Gallery.from_templates(["V1"], np.ones((1, 128))))
    assert controller.active and face.worker.task is controller.session

    def seen(update: FaceUpdate) -> None:
        face.update.emit(controller.session, update)

    check_in = SimpleNamespace(volunteer_id="V1", method=Method.FACE, action=Action.CHECK_IN)
    writer.outcome_ready.emit(Outcome(OutcomeKind.UNDONE, volunteer_id="V1", previous=check_in), None)  # type: ignore[arg-type]
    assert controller.paused("V1")
    seen(FaceUpdate(FacePhase.IDENTIFIED, box=BOX, frame_size=(640, 480), volunteer_id="V1"))
    assert identified == []  # not checked in again
    assert screen.idle.title.text() == "Please use your QR code to check in"
    seen(FaceUpdate(FacePhase.RESTING, box=BOX, frame_size=(640, 480)))  # the same face stays
    assert (
        screen.camera.face_prompt is not None and screen.camera.face_prompt.guidance is Guidance.USE_QR_CODE
    )
    seen(FaceUpdate(FacePhase.WAITING))  # gone
    assert screen.camera.face_prompt is None
    clock.now += NOT_ME_PAUSE_S + 1
    seen(FaceUpdate(FacePhase.IDENTIFIED, box=BOX, frame_size=(640, 480), volunteer_id="V1"))
    assert identified == ["V1"]
    controller.shutdown()
