"""A capture whose face is another volunteer's stops the enrolment; the coordinator answers by touch.

Offscreen, with the real window, store, writer thread, camera pipeline and
face thread running dlib on frames rendered from a faces-dev enrol photo.
王小明 (V000000002) is enrolled with that person's templates first; then the
coordinator enrols 雷彩霞 (V000000001) and the same face comes before the
camera. Every step is a tap.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers.face_camera import camera_of, person_frames
from helpers.face_scenes import templates_of
from helpers.faces import needs_faces
from helpers.fakes import FakeClock
from helpers.gui import KioskUnderTest, cell, make_kiosk
from helpers.screenshots import MAIN_SIZE, Shooter, screenshot_folder
from helpers.touch import tap, type_on_the_keys
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from checkin_protocol.models import utc
from kiosk.face.engine import MODEL_VERSION
from kiosk.face.matching import OPERATING_THRESHOLD
from kiosk.services.volunteer_search import refresh_index
from kiosk.store.roster_import import import_roster
from kiosk.ui.screens.desk_face import FacePage

WAIT_MS = 20_000
CAPTURE_MS = 60_000
TEACHER_PIN = "135790"
ACTOR = "王老师 (c2)"
ROSTER = "volunteer_id,name,phone\nV000000001,雷彩霞,13812345678\nV000000002,王小明,13900001111\n"

pytestmark = needs_faces


@pytest.fixture
def start(qtbot: QtBot, tmp_path: Path) -> Iterator[Callable[[str], KioskUnderTest]]:
    """A kiosk in ``language`` whose camera shows Obama, already enrolled as 王小明; stopped after the test."""
    started: list[KioskUnderTest] = []

    def _start(language: str) -> KioskUnderTest:
        data = tmp_path / "kiosk"
        data.mkdir()
        ui = make_kiosk(
            data,
            source_factory=camera_of(person_frames("obama")),
            language=language,
            clock=FakeClock(wall=utc(2026, 11, 29, 1, 30)),
        )
        roster = tmp_path / "roster.csv"
        roster.write_text(ROSTER, encoding="utf-8")
        import_roster(ui.kiosk.store.writer, roster)
        refresh_index(ui.kiosk.store)
        ui.window.pin_guard.add_coordinator("王老师", TEACHER_PIN, actor="test")
        faces = ui.kiosk.face_enrolment
        faces.record_consent("V000000002", "李老师 (c9)")
        assert faces.enrol("V000000002", list(templates_of("obama")), "李老师 (c9)", MODEL_VERSION) is None
        qtbot.addWidget(ui.window)
        ui.window.resize(*MAIN_SIZE)
        assert ui.window.face is not None
        with qtbot.waitSignal(ui.window.face.ready, timeout=WAIT_MS):
            ui.window.start()
        started.append(ui)
        return ui

    yield _start
    for ui in started:
        ui.window.exit_kiosk()
        ui.kiosk.close()


def _capture_the_other_face(qtbot: QtBot, ui: KioskUnderTest) -> FacePage:
    """Open the Face tab with the PIN, pick 雷彩霞, record her consent and capture: the conflict view."""
    window = ui.window
    tap(qtbot, window.screen_kiosk.coordinator_button)
    for digit in TEACHER_PIN:
        qtbot.mouseClick(window.screen_pin.digit_buttons[digit], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.pin_answered, timeout=WAIT_MS):
        qtbot.mouseClick(window.screen_pin.ok_button, Qt.MouseButton.LeftButton)
    tap(qtbot, window.desk.screen.tabs["face"])
    page = window.desk.face_page
    type_on_the_keys(qtbot, ui.window.desk.screen, page.search, "lcx")
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=WAIT_MS)
    item = cell(page.table, 0, 0)
    qtbot.mouseClick(
        page.table.viewport(), Qt.MouseButton.LeftButton, pos=page.table.visualItemRect(item).center()
    )
    assert page.volunteer == ("V000000001", "雷彩霞")
    tap(qtbot, page.enrol_button)
    tap(qtbot, page.consent.agree_button)
    tap(qtbot, page.consent.confirm_button)
    qtbot.waitUntil(lambda: page.view == "capture", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: page.view == "conflict", timeout=CAPTURE_MS)
    _wait_tasks(qtbot, ui)
    return page


def _wait_tasks(qtbot: QtBot, ui: KioskUnderTest) -> None:
    qtbot.waitUntil(lambda: ui.window.writer.pending == 0, timeout=WAIT_MS)


def _templates(ui: KioskUnderTest, volunteer_id: str = "V000000001") -> int:
    row = ui.kiosk.store.writer.execute(
        "SELECT COUNT(*) FROM face_templates WHERE volunteer_id = ?", [volunteer_id]
    ).fetchone()
    return int(row[0])


def _qr_only(ui: KioskUnderTest) -> list[tuple[str, str, str, str]]:
    rows = ui.kiosk.store.writer.execute(
        "SELECT volunteer_id, other_volunteer_id, reason, coordinator FROM face_qr_only"
    ).fetchall()
    return [tuple(row) for row in rows]


def _audited(ui: KioskUnderTest, action: str) -> list[dict[str, str]]:
    rows = ui.kiosk.store.writer.execute("SELECT detail FROM audit_log WHERE action = ?", [action])
    return [json.loads(row[0]) for row in rows]


def test_the_conflict_asks_in_chinese_fits_the_screen_and_cancel_stores_and_records_nothing(
    qtbot: QtBot, tmp_path: Path, start: Callable[[str], KioskUnderTest]
) -> None:
    ui = start("zh_CN")
    page = _capture_the_other_face(qtbot, ui)
    conflict = page.conflict
    assert conflict.title.text() == "这张脸已登记在另一位志愿者名下"
    assert "王*明（V000000002）" in conflict.body.text() and "雷彩霞" in conflict.body.text()
    assert conflict.other is not None and conflict.other.distance < OPERATING_THRESHOLD
    assert f"{conflict.other.distance:.2f}" in conflict.body.text()
    assert conflict.same_person_button.text() == "同一个人（登记了两次）"
    assert conflict.look_alike_button.text() == "不同的人，模型分不清"
    assert "合并这两个账号" in conflict.same_person_note.text()
    assert _templates(ui) == 0, "nothing is stored before the coordinator answers"

    shooter = Shooter(qtbot, ui.window, "desk-face-conflict", "zh_CN", screenshot_folder(tmp_path))
    shooter.shot("choice")  # 1920x1080 (and 1280x800), audited at 1366x768 too: nothing cut off
    shooter.assert_clean()

    tap(qtbot, conflict.cancel_button)
    assert page.view == "pick" and page.message.text() == "已取消：没有保存或记录任何内容。"
    _wait_tasks(qtbot, ui)
    assert _templates(ui) == 0 and _qr_only(ui) == [] and _audited(ui, "face.qr_only") == []


def test_the_same_person_registered_twice_keeps_no_face_and_records_the_decision(
    qtbot: QtBot, start: Callable[[str], KioskUnderTest]
) -> None:
    ui = start("en")
    page = _capture_the_other_face(qtbot, ui)
    tap(qtbot, page.conflict.same_person_button)
    _wait_tasks(qtbot, ui)
    qtbot.waitUntil(lambda: page.view == "pick", timeout=WAIT_MS)
    assert "same person as 王*明 (V000000002)" in page.message.text(), page.message.text()
    assert "merge the two accounts" in page.message.text()
    assert _templates(ui) == 0
    assert _qr_only(ui) == [("V000000001", "V000000002", "same_person", ACTOR)]
    assert _audited(ui, "face.qr_only") == [
        {"other_volunteer_id": "V000000002", "reason": "same_person", "volunteer_id": "V000000001"}
    ]
    assert page.status_text.text().startswith(
        "QR code only: the same person as 王*明 (V000000002), registered twice."
    ), page.status_text.text()
    assert cell(page.table, 0, 2).text() == "QR code only"


def test_two_people_the_camera_cannot_tell_apart_stores_the_face_as_qr_code_only(
    qtbot: QtBot, tmp_path: Path, start: Callable[[str], KioskUnderTest]
) -> None:
    ui = start("zh_CN")
    page = _capture_the_other_face(qtbot, ui)
    tap(qtbot, page.conflict.look_alike_button)
    assert not page.conflict.same_person_button.isEnabled()  # one answer per enrolment
    _wait_tasks(qtbot, ui)
    qtbot.waitUntil(lambda: page.view == "pick", timeout=WAIT_MS)
    assert page.message.text().startswith("已记录：雷彩霞 只用二维码签到。"), page.message.text()
    assert 3 <= _templates(ui) <= 5
    assert _qr_only(ui) == [("V000000001", "V000000002", "look_alike", ACTOR)]
    assert page.status_text.text().startswith("仅二维码：模型分不清此人与 王*明（V000000002）。")
    assert cell(page.table, 0, 2).text() == "仅二维码"
    shooter = Shooter(qtbot, ui.window, "desk-face-conflict", "zh_CN", screenshot_folder(tmp_path))
    shooter.shot("qr-only")  # the status with the reason, and the result, fit on every screen size
    shooter.assert_clean()


def test_leaving_the_tab_during_the_question_stores_and_records_nothing(
    qtbot: QtBot, start: Callable[[str], KioskUnderTest]
) -> None:
    ui = start("en")
    page = _capture_the_other_face(qtbot, ui)
    tap(qtbot, ui.window.desk.screen.tabs["reports"])
    assert page.view == "pick"
    assert ui.window.desk.face_desk._stopped is None  # the descriptors' last holder let them go
    tap(qtbot, ui.window.desk.screen.tabs["face"])
    _wait_tasks(qtbot, ui)
    assert _templates(ui) == 0 and _qr_only(ui) == []
