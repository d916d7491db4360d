"""The kiosk window keeps the face session's likely volunteers fresh: on start, and at once after a check-in or out.

The camera is unplugged (no frames, no models needed): the candidates come
from the writer thread's reads of the real store, whatever the face thread does.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from helpers.fakes import FakeClock, UnpluggedCamera, make_activity
from helpers.gui import KioskUnderTest, make_kiosk
from pytestqt.qtbot import QtBot

from checkin_protocol.models import Action, ActivityStatus, Method
from kiosk.camera.device_source import OpenCVDeviceSource
from kiosk.camera.frame_source import FrameSource
from kiosk.face.matching import Candidates
from kiosk.services.ids import new_event_id
from kiosk.services.outcome import OutcomeKind
from kiosk.store.events import append_event, next_event
from kiosk.ui import face_check_in
from kiosk.ui.face_check_in import FaceCheckIn

WAIT_MS = 10_000
VOLUNTEER = "V000000042"
REGULAR = "V000000007"


def unplugged() -> FrameSource:
    return OpenCVDeviceSource(0, capture_factory=UnpluggedCamera)


def came_ten_days_ago(ui: KioskUnderTest, *volunteers: str) -> None:
    """Each volunteer checked in and out at a past activity of this kiosk, ten days ago."""
    clock = FakeClock(wall=ui.clock.wall - timedelta(days=10))
    kiosk_id = ui.kiosk.kiosk_id
    with ui.kiosk.store.write() as db:
        for volunteer in volunteers:
            for action in (Action.CHECK_IN, Action.CHECK_OUT):
                event = next_event(
                    db, kiosk_id, new_event_id(), volunteer, "OLD", action, Method.QR, clock.now()
                )
                append_event(db, event)
                clock.advance(3600)


def candidates_of(controller: FaceCheckIn) -> list[set[str]]:
    candidates = controller.session.candidates
    return [] if candidates is None else [set(tier) for tier in candidates.tiers]


def test_a_check_in_puts_the_volunteer_in_the_first_tier_at_once_and_a_check_out_takes_them_out(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the reload after a burst of writes would come much later: only the immediate read can pass
    monkeypatch.setattr(face_check_in, "RELOAD_DELAY_MS", 3_600_000)
    ui = make_kiosk(
        tmp_path,
        make_activity(),
        make_activity("OLD", status=ActivityStatus.CLOSED),
        source_factory=unplugged,
    )
    came_ten_days_ago(ui, VOLUNTEER, REGULAR)
    with ui.kiosk.store.write() as db:
        db.execute("INSERT INTO volunteers (volunteer_id, name) VALUES (?, '雷彩霞')", [VOLUNTEER])
    controller = ui.window.face_check_in
    assert controller is not None
    qtbot.addWidget(ui.window)
    ui.window.start()
    try:
        qtbot.waitUntil(lambda: controller.session.candidates is not None, timeout=WAIT_MS)
        assert candidates_of(controller) == [{VOLUNTEER, REGULAR}]  # both came lately, nobody is on site

        with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS) as blocker:
            ui.window._on_face_identified(VOLUNTEER)
        assert blocker.args[0].kind is OutcomeKind.CHECKED_IN
        qtbot.waitUntil(lambda: candidates_of(controller) == [{VOLUNTEER}, {REGULAR}], timeout=WAIT_MS)
        candidates = controller.session.candidates
        assert candidates == Candidates.of([VOLUNTEER], [REGULAR])

        ui.clock.advance(2 * 3600)
        with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS) as blocker:
            ui.window._on_face_identified(VOLUNTEER)
        assert blocker.args[0].kind is OutcomeKind.CHECKED_OUT
        qtbot.waitUntil(lambda: candidates_of(controller) == [{VOLUNTEER, REGULAR}], timeout=WAIT_MS)
        assert ui.events()[-2:] == [(VOLUNTEER, "in", "face"), (VOLUNTEER, "out", "face")]
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()
