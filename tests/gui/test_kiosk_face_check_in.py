"""A face identification goes the way of a card on the kiosk window: activity choice, duplicate, check-out, "Not me".

No camera here: the identification is handed to the window as the face
controller hands it (``_on_face_identified``); the camera path itself is in
``test_kiosk_face.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.fakes import make_activity
from helpers.gui import KioskUnderTest, make_kiosk
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from checkin_protocol.codes.trust import RevocationList
from checkin_protocol.models import Activity
from kiosk.config import DataDir, load_config
from kiosk.face.liveness import LivenessSettings
from kiosk.services.outcome import Outcome, OutcomeKind
from kiosk.store.trust import revoke
from kiosk.ui import result_flow
from kiosk.ui.face_check_in import liveness_settings
from kiosk.ui.widgets.pictograms import Pictogram

WAIT_MS = 10_000
VOLUNTEER = "V000000042"


def kiosk_with_volunteer(
    qtbot: QtBot, tmp_path: Path, *activities: Activity, revoked: bool = False
) -> KioskUnderTest:
    """A started kiosk whose roster has the volunteer (with all their cards revoked, if asked)."""
    ui = make_kiosk(tmp_path, *activities)
    with ui.kiosk.store.write() as db:
        db.execute("INSERT INTO volunteers (volunteer_id, name) VALUES (?, '雷彩霞')", [VOLUNTEER])
        if revoked:
            revoke(db, VOLUNTEER, RevocationList.ALL_CARDS, ui.clock.now().wall_utc)
    ui.kiosk.reload_trust()
    qtbot.addWidget(ui.window)
    ui.window.start()
    return ui


def identified(qtbot: QtBot, ui: KioskUnderTest) -> Outcome:
    with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS) as blocker:
        ui.window._on_face_identified(VOLUNTEER)
    outcome = blocker.args[0]
    assert isinstance(outcome, Outcome)
    return outcome


def test_a_face_picks_its_activity_among_several_and_is_checked_in_by_face(
    qtbot: QtBot, tmp_path: Path
) -> None:
    ui = kiosk_with_volunteer(
        qtbot, tmp_path, make_activity("A1", title="读书会"), make_activity("A2", title="助老")
    )
    try:
        outcome = identified(qtbot, ui)
        assert outcome.kind is OutcomeKind.CHOOSE_ACTIVITY and outcome.display_name == "雷*霞"
        buttons = [b for b in ui.window.screen_kiosk.choice.findChildren(QPushButton) if "助老" in b.text()]
        with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS) as blocker:
            qtbot.mouseClick(buttons[0], Qt.MouseButton.LeftButton)
        assert blocker.args[0].kind is OutcomeKind.CHECKED_IN and blocker.args[0].activity_id == "A2"
        assert blocker.args[1].volunteer_id == VOLUNTEER
        assert ui.events() == [(VOLUNTEER, "in", "face")]
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()


def test_a_face_seen_again_is_a_duplicate_and_later_a_check_out(qtbot: QtBot, tmp_path: Path) -> None:
    ui = kiosk_with_volunteer(qtbot, tmp_path)
    try:
        assert identified(qtbot, ui).kind is OutcomeKind.CHECKED_IN
        card = ui.window.screen_kiosk.result
        assert card.name.text() == "雷*霞" and card.detail.text() == "Recognised by face"
        ui.clock.advance(60)
        assert identified(qtbot, ui).kind is OutcomeKind.DUPLICATE
        ui.clock.advance(2 * 3600)
        assert identified(qtbot, ui).kind is OutcomeKind.CHECKED_OUT
        assert card.detail.text() == "Recognised by face"
        assert ui.events() == [(VOLUNTEER, "in", "face"), (VOLUNTEER, "out", "face")]
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()


def test_not_me_undoes_a_face_check_in_as_any_undo_and_asks_for_the_qr_code(
    qtbot: QtBot, tmp_path: Path
) -> None:
    ui = kiosk_with_volunteer(qtbot, tmp_path)
    try:
        check_in = identified(qtbot, ui)
        assert check_in.kind is OutcomeKind.CHECKED_IN and check_in.event is not None
        card = ui.window.screen_kiosk.result
        assert card.not_me_button.isVisible() and card.not_me_button.text() == "Not me"
        with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS) as blocker:
            qtbot.mouseClick(card.not_me_button, Qt.MouseButton.LeftButton)
        undone = blocker.args[0]
        assert undone.kind is OutcomeKind.UNDONE and undone.previous.event_id == check_in.event.event_id
        # recorded as any undo: a compensating UNDO event that names the check-in, nothing deleted
        assert ui.events() == [(VOLUNTEER, "in", "face"), (VOLUNTEER, "undo", "face")]
        ref = ui.kiosk.store.writer.execute(
            "SELECT ref_event_id FROM events WHERE action = 'undo'"
        ).fetchone()
        assert ref == (check_in.event.event_id,)
        assert card.title.text() == "Please check in with your volunteer card's QR code"
        assert card.icon.kind is Pictogram.QR_CODE and not card.not_me_button.isVisible()
        qtbot.waitUntil(lambda: "0 on site" in ui.window.screen_kiosk.banner.detail.text(), timeout=WAIT_MS)
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()


def test_not_me_is_offered_for_ten_seconds_only(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(result_flow, "NOT_ME_MS", 300)  # ten seconds on the kiosk; less here
    ui = kiosk_with_volunteer(qtbot, tmp_path)
    try:
        assert identified(qtbot, ui).kind is OutcomeKind.CHECKED_IN
        card = ui.window.screen_kiosk.result
        assert card.not_me_button.isVisible()
        qtbot.waitUntil(lambda: not card.not_me_button.isVisible(), timeout=WAIT_MS)
        assert ui.window.screen_kiosk.panel.currentWidget() is card  # the card itself stays its time
        assert ui.events() == [(VOLUNTEER, "in", "face")]
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()


def test_a_revoked_volunteer_is_refused_in_words_that_fit_a_face(qtbot: QtBot, tmp_path: Path) -> None:
    ui = kiosk_with_volunteer(qtbot, tmp_path, revoked=True)
    try:
        outcome = identified(qtbot, ui)
        assert outcome.kind is OutcomeKind.REFUSED
        card = ui.window.screen_kiosk.result
        assert card.title.text() == "Face check-in is not available for you"
        assert ui.events() == []
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()


def test_the_liveness_setting_turns_the_challenge_on_or_off(tmp_path: Path) -> None:
    assert liveness_settings(load_config(DataDir(tmp_path, "cli"), env={})) == LivenessSettings()
    off = load_config(DataDir(tmp_path, "cli"), env={"KIOSK_FACE__LIVENESS": "off"})
    assert liveness_settings(off) is None
