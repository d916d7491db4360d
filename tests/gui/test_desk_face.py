"""The desk's Face tab as a coordinator and a volunteer use it: consent, guided capture, deletion.

Offscreen, with the real window, store, writer thread, camera pipeline and
face thread running dlib on frames rendered from a faces-dev enrol photo.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np
import pytest
from helpers.face_camera import camera_of, darkened, has_image_magic, person_frames
from helpers.face_scenes import templates_of
from helpers.faces import needs_faces
from helpers.fakes import FakeClock
from helpers.gui import KioskUnderTest, cell, make_kiosk
from helpers.touch import tap, type_on_the_keys
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from checkin_protocol.models import utc
from kiosk.camera.frame_source import Frame, FrameSource
from kiosk.face.engine import MODEL_VERSION
from kiosk.face.enrol_capture import Guidance
from kiosk.face.matching import OPERATING_THRESHOLD
from kiosk.services.face_enrolment import ALREADY_ENROLLED_DISTANCE, NOTICE_VERSION
from kiosk.services.volunteer_search import refresh_index
from kiosk.store.face_templates import load_face_key, load_templates, volunteer_templates
from kiosk.store.roster_import import import_roster
from kiosk.ui.screens.desk_face import FacePage

WAIT_MS = 20_000
CAPTURE_MS = 60_000
SIZE = (1280, 800)
TEACHER_PIN = "135790"
ROSTER = "volunteer_id,name,phone\nV000000001,雷彩霞,13812345678\nV000000002,王小明,13900001111\n"
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".gif", ".webp", ".tif", ".tiff", ".ppm", ".pgm"}


def _face_kiosk(tmp_path: Path, source: Callable[[], FrameSource] | None) -> KioskUnderTest:
    data = tmp_path / "kiosk"
    data.mkdir()
    ui = make_kiosk(
        data, source_factory=source, language="en", clock=FakeClock(wall=utc(2026, 11, 29, 1, 30))
    )
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    import_roster(ui.kiosk.store.writer, roster)
    refresh_index(ui.kiosk.store)
    ui.window.pin_guard.add_coordinator("王老师", TEACHER_PIN, actor="test")
    return ui


@pytest.fixture
def start(qtbot: QtBot, tmp_path: Path) -> Iterator[Callable[[Sequence[Frame] | None], KioskUnderTest]]:
    """Start a kiosk whose camera plays the frames given (None: no camera); stopped after the test."""
    started: list[KioskUnderTest] = []

    def _start(frames: Sequence[Frame] | None) -> KioskUnderTest:
        ui = _face_kiosk(tmp_path, camera_of(frames) if frames is not None else None)
        qtbot.addWidget(ui.window)
        ui.window.resize(*SIZE)
        window = ui.window
        if window.face is not None:
            with qtbot.waitSignal(window.face.ready, timeout=WAIT_MS):
                window.start()
        else:
            window.start()
        started.append(ui)
        return ui

    yield _start
    for ui in started:
        ui.window.exit_kiosk()
        ui.kiosk.close()


def _open_face_tab(qtbot: QtBot, ui: KioskUnderTest, query: str = "lcx") -> FacePage:
    window = ui.window
    tap(qtbot, window.screen_kiosk.coordinator_button)
    for digit in TEACHER_PIN:
        qtbot.mouseClick(window.screen_pin.digit_buttons[digit], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.pin_answered, timeout=WAIT_MS):
        qtbot.mouseClick(window.screen_pin.ok_button, Qt.MouseButton.LeftButton)
    tap(qtbot, window.desk.screen.tabs["face"])
    page = window.desk.face_page
    type_on_the_keys(qtbot, ui.window.desk.screen, page.search, query)
    qtbot.waitUntil(lambda: page.table.rowCount() == 1, timeout=WAIT_MS)
    item = cell(page.table, 0, 0)
    qtbot.mouseClick(
        page.table.viewport(), Qt.MouseButton.LeftButton, pos=page.table.visualItemRect(item).center()
    )
    assert page.volunteer == ("V000000001", "雷彩霞")
    return page


def _agree(qtbot: QtBot, ui: KioskUnderTest, page: FacePage) -> None:
    tap(qtbot, page.enrol_button)
    assert page.view == "consent"
    tap(qtbot, page.consent.agree_button)
    tap(qtbot, page.consent.confirm_button)


def _wait_tasks(qtbot: QtBot, ui: KioskUnderTest) -> None:
    qtbot.waitUntil(lambda: ui.window.writer.pending == 0, timeout=WAIT_MS)


def _templates(ui: KioskUnderTest, volunteer_id: str = "V000000001") -> int:
    row = ui.kiosk.store.writer.execute(
        "SELECT COUNT(*) FROM face_templates WHERE volunteer_id = ?", [volunteer_id]
    ).fetchone()
    return int(row[0])


def _consent(ui: KioskUnderTest, volunteer_id: str = "V000000001") -> tuple[str, str, str | None] | None:
    row = ui.kiosk.store.writer.execute(
        "SELECT coordinator, notice_version, withdrawn_utc FROM face_consents WHERE volunteer_id = ?",
        [volunteer_id],
    ).fetchone()
    return None if row is None else (row[0], row[1], row[2])


def _picture_files(folder: Path) -> list[Path]:
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            with path.open("rb") as fh:
                head = fh.read(16)
            if path.suffix.lower() in IMAGE_SUFFIXES or has_image_magic(head):
                found.append(path)
    return found


def _enrol_directly(qtbot: QtBot, ui: KioskUnderTest, count: int = 5) -> None:
    _wait_tasks(qtbot, ui)  # the writer thread's start-up reads share the connection: write after them
    rng = np.random.default_rng(0)
    ui.kiosk.face_enrolment.record_consent("V000000001", "李老师 (c9)")
    descriptors = [rng.normal(0, 0.09, 128).astype(np.float32) for _ in range(count)]
    assert ui.kiosk.face_enrolment.enrol("V000000001", descriptors, "李老师 (c9)", MODEL_VERSION) is None


@needs_faces
def test_consent_then_capture_stores_encrypted_templates_and_no_picture(
    qtbot: QtBot, start: Callable[[Sequence[Frame] | None], KioskUnderTest]
) -> None:
    ui = start(person_frames("obama"))
    window = ui.window
    assert window.face is not None
    before = window.face.worker.task
    page = _open_face_tab(qtbot, ui)
    assert "No face data" in page.status_text.text()

    tap(qtbot, page.enrol_button)
    assert page.view == "consent"
    assert page.consent.title.text().startswith("刷脸签到")  # the notice opens in Chinese
    assert "不是照片" in page.consent.body.text() and "2026-11" in page.consent.version.text()
    tap(qtbot, page.consent.language_button)
    assert "not a photo" in page.consent.body.text() and page.consent.agree_button.text() == "I agree"
    assert not page.consent.confirm_button.isVisible()  # the volunteer answers first
    tap(qtbot, page.consent.agree_button)
    assert "王老师" in page.consent.confirm_text.text()
    tap(qtbot, page.consent.confirm_button)

    qtbot.waitUntil(lambda: page.view == "capture", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: page.capture.preview.has_image, timeout=WAIT_MS)  # the live picture
    qtbot.waitUntil(lambda: page.capture.guidance is Guidance.GOOD, timeout=CAPTURE_MS)
    qtbot.waitUntil(lambda: page.view == "pick" and ui.window.writer.pending == 0, timeout=CAPTURE_MS)

    assert "Enrolled" in page.message.text(), page.message.text()
    assert 3 <= _templates(ui) <= 5
    assert "Enrolled" in page.status_text.text() and "王老师 (c2)" in page.status_text.text()
    assert _consent(ui) == ("王老师 (c2)", NOTICE_VERSION, None)
    # encrypted at rest: the stored bytes are not the descriptors, which open only with the kiosk's key
    key = load_face_key(ui.kiosk.store.path, create=False)
    assert key is not None
    stored = load_templates(ui.kiosk.store.writer, key, MODEL_VERSION)
    ciphertexts = [
        bytes(r[0]) for r in ui.kiosk.store.writer.execute("SELECT ciphertext FROM face_templates")
    ]
    assert all(t.descriptor.tobytes() not in c for t in stored for c in ciphertexts)
    # no photo anywhere in the data folder, the preview dropped, the face thread's task given back
    assert _picture_files(ui.kiosk.config.data.path) == []
    assert not page.capture.preview.has_image
    assert window.face.worker.task is before
    assert window.desk.face_desk._capture is None  # the descriptors' only holder is gone


@needs_faces
def test_declining_consent_stores_nothing(
    qtbot: QtBot, start: Callable[[Sequence[Frame] | None], KioskUnderTest]
) -> None:
    ui = start(person_frames("obama"))
    page = _open_face_tab(qtbot, ui)
    tap(qtbot, page.enrol_button)
    tap(qtbot, page.consent.decline_button)
    assert page.view == "pick"
    assert "Nothing was recorded" in page.message.text()
    qtbot.wait(300)
    assert _consent(ui) is None and _templates(ui) == 0
    # agreeing and then going back records nothing either
    tap(qtbot, page.enrol_button)
    tap(qtbot, page.consent.agree_button)
    tap(qtbot, page.consent.back_button)
    _wait_tasks(qtbot, ui)
    assert _consent(ui) is None and _templates(ui) == 0


@needs_faces
def test_poor_light_is_named_and_cancelling_stores_no_template(
    qtbot: QtBot, start: Callable[[Sequence[Frame] | None], KioskUnderTest]
) -> None:
    ui = start(darkened(person_frames("obama")))
    page = _open_face_tab(qtbot, ui)
    _agree(qtbot, ui, page)
    qtbot.waitUntil(lambda: page.view == "capture", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: page.capture.guidance is Guidance.TOO_DARK, timeout=WAIT_MS)
    assert "Too dark" in page.capture.hint.text() and page.capture.counter.text() == "0 / 5"
    assert not page.capture.save_button.isEnabled()
    tap(qtbot, page.capture.cancel_button)
    assert page.view == "pick" and "no face template was stored" in page.message.text()
    _wait_tasks(qtbot, ui)
    assert _templates(ui) == 0
    assert _consent(ui) == ("王老师 (c2)", NOTICE_VERSION, None)  # the consent given stays recorded
    assert "Consent recorded" in page.status_text.text()


@needs_faces
def test_leaving_the_tab_or_locking_during_a_capture_stores_nothing(
    qtbot: QtBot, start: Callable[[Sequence[Frame] | None], KioskUnderTest]
) -> None:
    ui = start(darkened(person_frames("obama")))
    page = _open_face_tab(qtbot, ui)
    _agree(qtbot, ui, page)
    qtbot.waitUntil(lambda: page.view == "capture", timeout=WAIT_MS)
    assert ui.window.face is not None and ui.window.face.worker.task is not None
    tap(qtbot, ui.window.desk.screen.tabs["reports"])
    assert page.view == "pick" and ui.window.face.worker.task is None
    tap(qtbot, ui.window.desk.screen.tabs["face"])
    tap(qtbot, page.enrol_button)
    tap(qtbot, page.consent.agree_button)
    tap(qtbot, page.consent.confirm_button)
    qtbot.waitUntil(lambda: page.view == "capture", timeout=WAIT_MS)
    tap(qtbot, ui.window.desk.screen.lock_button)
    assert ui.window.face.worker.task is None and page.volunteer is None
    _wait_tasks(qtbot, ui)
    assert _templates(ui) == 0


def test_delete_removes_the_templates_and_withdraws_consent(
    qtbot: QtBot, start: Callable[[Sequence[Frame] | None], KioskUnderTest]
) -> None:
    ui = start(None)
    _enrol_directly(qtbot, ui)
    page = _open_face_tab(qtbot, ui)
    assert "with 5 templates" in page.status_text.text(), page.status_text.text()
    assert cell(page.table, 0, 2).text() == "enrolled"
    tap(qtbot, page.delete_button)
    assert "Delete all face data of 雷彩霞" in page.confirm_text.text()
    tap(qtbot, page.keep_button)  # changed their mind: nothing happens
    qtbot.wait(200)
    assert _templates(ui) == 5
    tap(qtbot, page.delete_button)
    tap(qtbot, page.confirm_delete_button)
    _wait_tasks(qtbot, ui)
    assert page.message.text() == "Deleted 5 templates; other kiosks delete them at the next sync."
    assert _templates(ui) == 0
    consent = _consent(ui)
    assert consent is not None and consent[2] is not None  # withdrawn
    deletion = ui.kiosk.store.writer.execute("SELECT coordinator FROM face_deletions").fetchone()
    assert deletion == ("王老师 (c2)",)
    assert "Consent withdrawn" in page.status_text.text()
    assert not page.delete_button.isEnabled()  # nothing left to delete


def test_without_a_camera_the_tab_records_consent_and_deletes(
    qtbot: QtBot, start: Callable[[Sequence[Frame] | None], KioskUnderTest]
) -> None:
    ui = start(None)
    page = _open_face_tab(qtbot, ui)
    assert "No camera for faces here" in page.camera_note.text()
    assert page.enrol_button.text() == "Record consent…"
    assert not page.delete_button.isEnabled()
    _agree(qtbot, ui, page)
    _wait_tasks(qtbot, ui)
    assert page.view == "pick" and "Enrol the face at a kiosk with a camera" in page.message.text()
    assert _consent(ui) == ("王老师 (c2)", NOTICE_VERSION, None) and _templates(ui) == 0
    tap(qtbot, page.delete_button)
    tap(qtbot, page.confirm_delete_button)
    _wait_tasks(qtbot, ui)
    assert page.message.text() == "Consent withdrawn. There were no templates to delete."
    consent = _consent(ui)
    assert consent is not None and consent[2] is not None


def test_a_scanned_card_picks_its_volunteer_on_the_face_tab(
    qtbot: QtBot, start: Callable[[Sequence[Frame] | None], KioskUnderTest]
) -> None:
    ui = start(None)
    _open_face_tab(qtbot, ui, query="V000000001")
    page = ui.window.desk.face_page
    ui.window.submit_code(ui.card("V000000002", "王*明"))
    assert page.volunteer == ("V000000002", "王小明")
    assert ui.events() == []  # a scan at the desk never checks anyone in


@needs_faces
def test_a_capture_that_times_out_says_why_and_can_start_again(
    qtbot: QtBot, start: Callable[[Sequence[Frame] | None], KioskUnderTest]
) -> None:
    ui = start(darkened(person_frames("obama")))
    ui.window.desk.face_desk.capture_timeout_s = 1.5
    page = _open_face_tab(qtbot, ui)
    _agree(qtbot, ui, page)
    qtbot.waitUntil(lambda: page.capture.guidance is Guidance.TIMED_OUT, timeout=WAIT_MS)
    assert page.capture.hint.text().startswith("Time is up: not enough good pictures.")
    assert "Too dark" in page.capture.hint.text()  # the last hint, so the coordinator knows what to fix
    assert not page.capture.save_button.isVisible()
    assert ui.window.face is not None and ui.window.face.worker.task is None  # no more frames looked at
    tap(qtbot, page.capture.retry_button)
    assert page.capture.guidance is None and page.capture.counter.text() == "0 / 5"
    assert ui.window.face.worker.task is not None
    tap(qtbot, page.capture.cancel_button)
    _wait_tasks(qtbot, ui)
    assert _templates(ui) == 0


@needs_faces
def test_the_coordinator_can_save_once_three_good_pictures_are_in(
    qtbot: QtBot, start: Callable[[Sequence[Frame] | None], KioskUnderTest]
) -> None:
    ui = start(person_frames("biden"))
    page = _open_face_tab(qtbot, ui)
    _agree(qtbot, ui, page)
    qtbot.waitUntil(lambda: page.capture.kept >= 3, timeout=CAPTURE_MS)
    assert ui.window.face is not None
    ui.window.face.set_task(None)  # hold the capture here, as if the volunteer had stepped away
    kept = page.capture.kept
    assert kept < 5 and page.capture.save_button.isEnabled()
    tap(qtbot, page.capture.save_button)
    qtbot.waitUntil(lambda: page.view == "pick" and ui.window.writer.pending == 0, timeout=WAIT_MS)
    assert _templates(ui) == kept and "Enrolled" in page.message.text()


@needs_faces
def test_a_face_close_to_another_volunteers_is_enrolled_with_one_line_about_facing_the_camera(
    qtbot: QtBot, start: Callable[[Sequence[Frame] | None], KioskUnderTest]
) -> None:
    ui = start(person_frames("obama"))
    _wait_tasks(qtbot, ui)  # the writer thread's start-up reads share the connection: write after them
    # two volunteers are enrolled with faces under the threshold from this one, one each side: the kiosk
    # would name neither (neither wins by the margin), so the face is enrolled, with a word about it
    rng = np.random.default_rng(5)
    apart = (ALREADY_ENROLLED_DISTANCE + OPERATING_THRESHOLD) / 2
    neighbours = []
    for volunteer_id in ("V000000002", "V000000003"):
        direction = rng.normal(size=128)
        offset = direction / np.linalg.norm(direction) * apart
        neighbour = [(template + offset).astype(np.float32) for template in templates_of("obama")]
        ui.kiosk.face_enrolment.record_consent(volunteer_id, "李老师 (c9)")
        assert ui.kiosk.face_enrolment.enrol(volunteer_id, neighbour, "李老师 (c9)", MODEL_VERSION) is None
        neighbours.extend(neighbour)
    page = _open_face_tab(qtbot, ui)
    _agree(qtbot, ui, page)
    qtbot.waitUntil(lambda: page.view == "capture", timeout=WAIT_MS)
    qtbot.waitUntil(lambda: page.view == "pick" and ui.window.writer.pending == 0, timeout=CAPTURE_MS)

    assert page.message.text() == (
        "Enrolled: the face templates are stored, encrypted. No photo was kept.\n"
        "Their face is close to another volunteer's: at the kiosk, face the camera straight and hold still."
    )
    assert 3 <= _templates(ui) <= 5
    assert ui.kiosk.store.writer.execute("SELECT COUNT(*) FROM face_qr_only").fetchone()[0] == 0
    key = load_face_key(ui.kiosk.store.path, create=False)
    assert key is not None
    stored = [t.descriptor for t in volunteer_templates(ui.kiosk.store.writer, key, "V000000001")]
    nearest = min(float(np.linalg.norm(a - b)) for a in stored for b in neighbours)
    assert ALREADY_ENROLLED_DISTANCE <= nearest < OPERATING_THRESHOLD  # the case the test means
