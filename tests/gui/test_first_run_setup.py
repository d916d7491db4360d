"""The first-run setup, walked as a coordinator would: from a fresh data folder to a working kiosk.

Real parts: the data folder and its SQLite store, the reference cloud over
HTTP on 127.0.0.1, the camera pipeline reading an image-folder camera that
shows QR codes rendered by segno, the kiosk window after the setup.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers.cloud_server import kiosk_event_rows, running_cloud
from helpers.fakes import make_activity
from helpers.setup_gui import (
    WAIT_MS,
    device_id,
    launcher_for,
    new_kiosk,
    platform_key_ids,
    qr_folder,
    saved_step,
    setup_deps,
    trusted_keys,
    write_config,
)
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from checkin_protocol.bundle_files import write_bundle
from checkin_protocol.codes.issuer import Issuer, generate_signing_key
from checkin_protocol.provisioning_qr import provisioning_qr_text
from cloud.bundles import provisioning_bundle
from kiosk.app import Kiosk
from kiosk.camera.discovery import CameraChoice
from kiosk.config import load_config
from kiosk.services.first_run import finish_setup, read_progress, save_provisioning_choice
from kiosk.services.outcome import OutcomeKind
from kiosk.services.pin import PinGuard
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.setup.launcher import KioskLauncher
from kiosk.ui.setup.wizard import SetupWizard

TODAY = date(2026, 11, 29)  # the fake clock's day


def _wizard(qtbot: QtBot, launcher: KioskLauncher) -> SetupWizard:
    with qtbot.waitSignal(launcher.wizard_shown, timeout=WAIT_MS):
        launcher.start()
    wizard = launcher.wizard
    assert isinstance(wizard, SetupWizard)  # closed by each test (the launcher deletes it after Start)
    return wizard


def _at(qtbot: QtBot, wizard: SetupWizard, step: str) -> None:
    qtbot.waitUntil(lambda: wizard.step == step and wizard.tasks.pending == 0, timeout=WAIT_MS)


def _click(qtbot: QtBot, button: QWidget) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _to_provisioning(qtbot: QtBot, wizard: SetupWizard) -> None:
    _at(qtbot, wizard, "language")
    _click(qtbot, wizard.page_language.next_button)
    _at(qtbot, wizard, "provisioning")


def _add_coordinator(qtbot: QtBot, wizard: SetupWizard, name: str = "Wang Fang", pin: str = "246810") -> None:
    page = wizard.page_coordinator
    qtbot.keyClicks(page.name_edit, name)
    qtbot.keyClicks(page.pin_edit, pin)
    page.again_edit.setFocus()
    for digit in pin:  # the digit pad types into the field touched last
        _click(qtbot, next(b for b in page.findChildren(type(page.add_button)) if b.text() == digit))
    _click(qtbot, page.add_button)
    _at(qtbot, wizard, "done")


def _start_kiosk(qtbot: QtBot, launcher: KioskLauncher, wizard: SetupWizard) -> KioskWindow:
    with qtbot.waitSignal(launcher.window_started, timeout=WAIT_MS):
        _click(qtbot, wizard.page_done.start_button)
    window = launcher.window
    assert isinstance(window, KioskWindow) and launcher.wizard is None
    qtbot.addWidget(window)
    return window


def _scan(qtbot: QtBot, window: KioskWindow, text: str) -> OutcomeKind:
    """Scan ``text`` with the USB scanner; the kiosk's answer to it (not to what its camera sees)."""

    def this_one(_outcome: object, request: object) -> bool:
        return getattr(request, "text", None) == text

    with qtbot.waitSignal(window.result_shown, timeout=WAIT_MS, check_params_cb=this_one) as blocker:
        window.submit_code(text)
    return blocker.args[0].kind  # type: ignore[no-any-return]


def _close(window: KioskWindow | None, kiosk: Kiosk) -> None:
    if window is not None:
        window.exit_kiosk()
    kiosk.close()


def test_a_coordinator_walks_from_a_fresh_stick_to_a_kiosk_that_checks_a_volunteer_in(
    qtbot: QtBot, tmp_path: Path
) -> None:
    with running_cloud(tmp_path / "cloud") as cloud:
        setup_qr = provisioning_qr_text(cloud.base_url, cloud.provision())
        camera = qr_folder(tmp_path / "camera", setup_qr)  # the camera sees the setup QR code held up
        data = tmp_path / "kiosk-data"
        write_config(data, camera={"source": "folder", "path": str(camera)}, usb={"folder": str(tmp_path)})
        kiosk = new_kiosk(data)
        launcher, _ = launcher_for(kiosk, setup_deps())
        window = None
        try:
            wizard = _wizard(qtbot, launcher)
            _at(qtbot, wizard, "language")
            assert wizard.page_language.language_buttons["zh_CN"].isChecked()  # Chinese by default
            assert wizard.windowTitle() == "志愿服务签到机设置"
            _click(qtbot, wizard.header.language_button)
            assert wizard.header.language_button.text() == "中文"
            assert wizard.windowTitle() == "Volunteer kiosk setup"
            qtbot.waitUntil(lambda: wizard.page_language.title.text().startswith("Welcome"), timeout=WAIT_MS)
            # The camera reads the setup QR code; the kiosk registers with the cloud.
            with qtbot.waitSignal(wizard.provisioning.code_handled, timeout=WAIT_MS) as handled:
                _click(qtbot, wizard.page_language.next_button)
            assert handled.args == ["registered"]
            _at(qtbot, wizard, "provisioning")
            page = wizard.page_provisioning
            assert page.panels.currentWidget() is page.connected
            assert cloud.base_url in page.connected_text.text()
            assert trusted_keys(kiosk) == platform_key_ids(cloud)
            assert device_id(kiosk) == kiosk.kiosk_id
            assert saved_step(kiosk) == "camera"
            _click(qtbot, page.next_button)
            _at(qtbot, wizard, "camera")

            # The configured camera is offered and chosen; a test scan reads any QR code.
            qtbot.waitUntil(lambda: wizard.page_camera.test_state == "read", timeout=WAIT_MS)
            assert wizard.page_camera.selected == CameraChoice("folder", path=str(camera))
            _click(qtbot, wizard.page_camera.next_button)
            _at(qtbot, wizard, "coordinator")
            on_disk = load_config(kiosk.config.data, env={})
            assert on_disk.get("camera", "source") == "folder" and on_disk.get("camera", "path") == str(
                camera
            )
            assert on_disk.get("kiosk", "language") == "en"
            assert on_disk.get("face", "enabled") is False  # the venue's other settings are kept

            _add_coordinator(qtbot, wizard)
            assert [c.name for c in wizard.pin_guard.coordinators()] == ["Wang Fang"]
            assert cloud.base_url in wizard.page_done.values[1].text()
            assert not wizard.page_done.warning.isVisibleTo(wizard.page_done)
            assert wizard.page_done.title.text() == "Ready ✓"
            assert not wizard.page_done.connect_button.isVisibleTo(wizard.page_done)
            window = _start_kiosk(qtbot, launcher, wizard)
            assert read_progress(kiosk.store.writer).finished

            # The kiosk works: an activity code opens the activity, a card checks the volunteer in,
            # and the record reaches the cloud.
            assert window.screen_kiosk.coordinator_button.text().endswith("Coordinator")  # English chosen
            activity = make_activity("A20261129042")
            assert _scan(qtbot, window, cloud.activity_issuer.issue_activity(activity, issued_on=TODAY)) is (
                OutcomeKind.ACTIVITY_OPENED
            )
            card = cloud.issuer.issue_card("V000000007", "雷*霞", issued_on=TODAY)
            assert _scan(qtbot, window, card) is OutcomeKind.CHECKED_IN
            qtbot.waitUntil(lambda: len(kiosk_event_rows(cloud.store, kiosk.kiosk_id)) == 1, timeout=30_000)
        finally:
            _close(window, kiosk)


def test_a_second_start_shows_no_setup(qtbot: QtBot, tmp_path: Path) -> None:
    data = tmp_path / "kiosk-data"
    write_config(data, kiosk={"language": "en"}, camera={"source": "none"})
    kiosk = new_kiosk(data)
    launcher, _ = launcher_for(kiosk, setup_deps())
    window = None
    try:
        wizard = _wizard(qtbot, launcher)
        _to_provisioning(qtbot, wizard)
        _click(qtbot, wizard.page_provisioning.offline_button)
        _click(qtbot, wizard.page_provisioning.continue_offline_button)
        _at(qtbot, wizard, "camera")
        qtbot.waitUntil(lambda: wizard.page_camera.selected is not None, timeout=WAIT_MS)
        _click(qtbot, wizard.page_camera.next_button)
        _at(qtbot, wizard, "coordinator")
        _add_coordinator(qtbot, wizard)
        window = _start_kiosk(qtbot, launcher, wizard)
        window.exit_kiosk()
        window = None
        kiosk.close()

        kiosk = new_kiosk(data)
        again, _ = launcher_for(kiosk, setup_deps())
        with qtbot.waitSignal(again.window_started, timeout=WAIT_MS):
            again.start()
        assert again.wizard is None
        window = again.window
    finally:
        _close(window, kiosk)


def test_offline_for_now_says_cards_cannot_be_checked_and_the_kiosk_refuses_them_plainly(
    qtbot: QtBot, tmp_path: Path
) -> None:
    data = tmp_path / "kiosk-data"
    write_config(data, kiosk={"language": "en"}, camera={"source": "none"})
    kiosk = new_kiosk(data)
    launcher, _ = launcher_for(kiosk, setup_deps(cameras=[]))
    window = None
    try:
        wizard = _wizard(qtbot, launcher)
        _to_provisioning(qtbot, wizard)
        page = wizard.page_provisioning
        _click(qtbot, page.offline_button)
        assert "cannot check volunteers' cards" in page.offline_warning.text()
        _click(qtbot, page.continue_offline_button)
        _at(qtbot, wizard, "camera")
        assert read_progress(kiosk.store.writer).provisioning_choice == "offline"
        assert trusted_keys(kiosk) == [] and device_id(kiosk) is None
        qtbot.waitUntil(lambda: wizard.page_camera.selected is not None, timeout=WAIT_MS)
        assert wizard.page_camera.selected == CameraChoice("none")  # configured, and no camera found
        assert "USB barcode scanner" in wizard.page_camera.test_label.text()
        _click(qtbot, wizard.page_camera.next_button)
        _at(qtbot, wizard, "coordinator")
        _add_coordinator(qtbot, wizard)
        done = wizard.page_done
        assert done.warning.isVisibleTo(done)
        assert "cannot check volunteers' cards yet" in done.warning.text()
        # Not called ready: the main action connects, starting anyway is the lesser button.
        assert done.title.text() == "Not ready for volunteers' cards yet"
        assert done.connect_button.isVisibleTo(done) and done.start_button.text() == "Start anyway"
        _click(qtbot, done.connect_button)
        _at(qtbot, wizard, "provisioning")
        wizard.show_step("done")
        _at(qtbot, wizard, "done")
        window = _start_kiosk(qtbot, launcher, wizard)
        assert window.pipeline is None  # no camera: the USB scanner only
        card = Issuer(generate_signing_key(), "p1").issue_card("V000000007", "雷*霞", issued_on=TODAY)
        assert _scan(qtbot, window, card) is OutcomeKind.REFUSED
        assert window.screen_kiosk.result.title.text() == "This kiosk cannot check cards yet"
    finally:
        _close(window, kiosk)


def test_the_demo_data_can_be_installed_from_offline_for_now(qtbot: QtBot, tmp_path: Path) -> None:
    data = tmp_path / "kiosk-data"
    write_config(data, kiosk={"language": "en"}, camera={"source": "none"})
    kiosk = new_kiosk(data)
    launcher, _ = launcher_for(kiosk, setup_deps(cameras=[]))
    try:
        wizard = _wizard(qtbot, launcher)
        _to_provisioning(qtbot, wizard)
        _click(qtbot, wizard.page_provisioning.offline_button)
        _click(qtbot, wizard.page_provisioning.demo_button)
        _at(qtbot, wizard, "camera")
        assert trusted_keys(kiosk) == ["demo1"]
        qtbot.waitUntil(lambda: bool(wizard.page_camera.choice_buttons), timeout=WAIT_MS)
        assert (
            wizard.page_camera.choice_buttons[-1].text().startswith("Demo camera")
        )  # offered after the demo
        _click(qtbot, wizard.page_camera.next_button)
        _at(qtbot, wizard, "coordinator")
        assert wizard.page_coordinator.keep_button.isVisibleTo(wizard.page_coordinator)
        _click(qtbot, wizard.page_coordinator.keep_button)  # the demo coordinator is enough to try it
        _at(qtbot, wizard, "done")
    finally:
        wizard.close()
        kiosk.close()


def test_provisioning_by_the_file_on_the_usb_stick(qtbot: QtBot, tmp_path: Path) -> None:
    stick = tmp_path / "stick"
    (stick / "kiosk-bundles").mkdir(parents=True)
    with running_cloud(tmp_path / "cloud") as cloud:
        instance = cloud.instance
        _code, bundle = provisioning_bundle(instance, "north", instance.clock(), cloud.base_url)
        platform_keys = platform_key_ids(cloud)
    write_bundle(bundle, stick / "kiosk-bundles" / "setup.kbundle")
    (stick / "kiosk-bundles" / "K0000-events-1-1.kbundle").write_text("{}", encoding="utf-8")  # not ours
    data = tmp_path / "kiosk-data"
    write_config(data, kiosk={"language": "en"}, camera={"source": "none"}, usb={"folder": str(stick)})
    kiosk = new_kiosk(data)
    launcher, _ = launcher_for(kiosk, setup_deps())
    try:
        wizard = _wizard(qtbot, launcher)
        _to_provisioning(qtbot, wizard)
        with qtbot.waitSignal(wizard.provisioning.code_handled, timeout=WAIT_MS) as handled:
            _click(qtbot, wizard.page_provisioning.file_button)
        assert handled.args == ["file"]
        assert "north" in wizard.page_provisioning.connected_text.text()
        assert trusted_keys(kiosk) == platform_keys
        assert device_id(kiosk) is None  # registered at the platform by the first USB bundle
        assert read_progress(kiosk.store.writer).provisioning_choice == "file"
        _click(qtbot, wizard.page_provisioning.next_button)
        _at(qtbot, wizard, "camera")
    finally:
        wizard.close()
        kiosk.close()


def test_no_file_on_the_stick_then_a_file_chosen_by_hand(qtbot: QtBot, tmp_path: Path) -> None:
    with running_cloud(tmp_path / "cloud") as cloud:
        instance = cloud.instance
        _code, bundle = provisioning_bundle(instance, "south", instance.clock(), None)
    picked = write_bundle(bundle, tmp_path / "elsewhere.kbundle")
    data = tmp_path / "kiosk-data"
    write_config(
        data,
        kiosk={"language": "en"},
        camera={"source": "none"},
        usb={"folder": str(tmp_path / "empty-stick")},
    )
    kiosk = new_kiosk(data)
    launcher, _ = launcher_for(kiosk, setup_deps(picked=picked))
    try:
        wizard = _wizard(qtbot, launcher)
        _to_provisioning(qtbot, wizard)
        page = wizard.page_provisioning
        with qtbot.waitSignal(wizard.provisioning.code_handled, timeout=WAIT_MS) as handled:
            _click(qtbot, page.file_button)
        assert handled.args == ["no_file"] and "No provisioning file" in page.status.text()
        with qtbot.waitSignal(wizard.provisioning.code_handled, timeout=WAIT_MS) as handled:
            _click(qtbot, page.pick_button)
        assert handled.args == ["file"] and "south" in page.connected_text.text()
    finally:
        wizard.close()
        kiosk.close()


@pytest.mark.parametrize(
    ("text", "reason", "words"),
    [
        ("https://weixin.qq.com/r/not-a-setup-code", "foreign", "not a setup code"),
        ("VC1:ABCDEFGHIJKLMNOP", "volunteer_code", "volunteer card"),
        ("KP1:north:" + "A" * 32, "bare_code", "no server address"),
        ("VKPROV1:eyJjb2RlIjoiS1AxOm5vcnRoOkFBQSJ9", "malformed", "damaged"),
        ("VKPROV2:e30", "unsupported_version", "newer"),
    ],
)
def test_a_foreign_or_damaged_code_is_answered_and_changes_nothing(
    qtbot: QtBot, tmp_path: Path, text: str, reason: str, words: str
) -> None:
    data = tmp_path / "kiosk-data"
    write_config(data, kiosk={"language": "en"}, camera={"source": "none"})
    kiosk = new_kiosk(data)
    launcher, _ = launcher_for(kiosk, setup_deps())
    try:
        wizard = _wizard(qtbot, launcher)
        _to_provisioning(qtbot, wizard)
        with qtbot.waitSignal(wizard.provisioning.code_handled, timeout=WAIT_MS) as handled:
            wizard.provisioning.submit_text(text)
        assert handled.args == [reason]
        status = wizard.page_provisioning.status.text()
        assert words in status and "Nothing was changed" in status
        assert trusted_keys(kiosk) == [] and device_id(kiosk) is None
        assert saved_step(kiosk) == "provisioning"
    finally:
        wizard.close()
        kiosk.close()


def test_a_foreign_qr_code_in_front_of_the_camera_and_a_scanner_typing_a_setup_code(
    qtbot: QtBot, tmp_path: Path
) -> None:
    with running_cloud(tmp_path / "cloud") as cloud:
        camera = qr_folder(tmp_path / "camera", "https://example.com/a-poster")
        data = tmp_path / "kiosk-data"
        write_config(data, kiosk={"language": "en"}, camera={"source": "folder", "path": str(camera)})
        kiosk = new_kiosk(data)
        launcher, _ = launcher_for(kiosk, setup_deps())
        try:
            wizard = _wizard(qtbot, launcher)
            with qtbot.waitSignal(wizard.provisioning.code_handled, timeout=WAIT_MS) as handled:
                _to_provisioning(qtbot, wizard)
            assert handled.args == ["foreign"]
            assert trusted_keys(kiosk) == []
            # A USB barcode scanner types the setup code as fast keystrokes ending in Enter.
            with qtbot.waitSignal(wizard.provisioning.code_handled, timeout=WAIT_MS) as handled:
                qtbot.keyClicks(
                    wizard.page_provisioning, provisioning_qr_text(cloud.base_url, cloud.provision())
                )
                qtbot.keyClick(wizard.page_provisioning, Qt.Key.Key_Return)
            assert handled.args == ["registered"]
            assert trusted_keys(kiosk) == platform_key_ids(cloud)
        finally:
            wizard.close()
            kiosk.close()


def test_an_unknown_code_and_an_unreachable_server_say_what_to_do_and_change_nothing(
    qtbot: QtBot, tmp_path: Path
) -> None:
    data = tmp_path / "kiosk-data"
    write_config(data, kiosk={"language": "en"}, camera={"source": "none"})
    kiosk = new_kiosk(data)
    launcher, _ = launcher_for(kiosk, setup_deps())
    with running_cloud(tmp_path / "cloud") as cloud:
        try:
            wizard = _wizard(qtbot, launcher)
            _to_provisioning(qtbot, wizard)
            page = wizard.page_provisioning
            forged = provisioning_qr_text(cloud.base_url, "KP1:test:" + "A" * 32)  # never issued
            with qtbot.waitSignal(wizard.provisioning.code_handled, timeout=WAIT_MS) as handled:
                wizard.provisioning.submit_text(forged)
            assert handled.args == ["unknown_code"]
            assert "does not know this setup code" in page.status.text()
            unreachable = provisioning_qr_text("http://127.0.0.1:9", cloud.provision())
            with qtbot.waitSignal(wizard.provisioning.code_handled, timeout=WAIT_MS) as handled:
                wizard.provisioning.submit_text(unreachable)
            assert handled.args == ["network"]
            assert "cannot be reached" in page.status.text() and "offline for now" in page.status.text()
            assert page.offline_button.isEnabled() and not page.busy  # try again, or go offline
            assert trusted_keys(kiosk) == [] and device_id(kiosk) is None
            assert saved_step(kiosk) == "provisioning"
            used = cloud.provision()
            cloud.register("KOTHER1")  # another kiosk; the code above stays unused
            with qtbot.waitSignal(wizard.provisioning.code_handled, timeout=WAIT_MS) as handled:
                wizard.provisioning.submit_text(provisioning_qr_text(cloud.base_url, used))
            assert handled.args == ["registered"]
        finally:
            wizard.close()
            kiosk.close()


def test_closing_the_window_mid_setup_resumes_at_the_step_it_stopped(qtbot: QtBot, tmp_path: Path) -> None:
    data = tmp_path / "kiosk-data"
    write_config(data, kiosk={"language": "en"}, camera={"source": "none"})
    kiosk = new_kiosk(data)
    launcher, _ = launcher_for(kiosk, setup_deps())
    wizard = _wizard(qtbot, launcher)
    _to_provisioning(qtbot, wizard)
    _click(qtbot, wizard.page_provisioning.offline_button)
    _click(qtbot, wizard.page_provisioning.continue_offline_button)
    _at(qtbot, wizard, "camera")
    _click(qtbot, wizard.header.exit_button)  # the coordinator leaves, or the window is closed
    assert not wizard.isVisible()
    kiosk.close()

    kiosk = new_kiosk(data)
    launcher, _ = launcher_for(kiosk, setup_deps())
    try:
        wizard = _wizard(qtbot, launcher)
        _at(qtbot, wizard, "camera")
        assert wizard.header.step_labels[1].text().startswith("✓")
    finally:
        wizard.close()
        kiosk.close()


def test_set_up_this_kiosk_from_the_coordinator_menu_reopens_the_connection_then_a_fresh_window(
    qtbot: QtBot, tmp_path: Path
) -> None:
    data = tmp_path / "kiosk-data"
    write_config(data, kiosk={"language": "en"}, camera={"source": "none"})
    kiosk = new_kiosk(data)
    PinGuard(kiosk.store, kiosk.clock, kiosk.kiosk_id).add_coordinator("Wang Fang", "246810", actor=None)
    with kiosk.store.write() as db:  # set up "offline for now" earlier
        save_provisioning_choice(db, "offline")
        finish_setup(db, kiosk.kiosk_id, kiosk.clock.now().wall_utc)
    launcher, _sounds = launcher_for(kiosk, setup_deps())  # the real composition, windowed, no camera
    window: KioskWindow | None = None
    try:
        with qtbot.waitSignal(launcher.window_started, timeout=WAIT_MS):
            launcher.start()
        first = launcher.window
        assert isinstance(first, KioskWindow)
        first.screen_menu.setup_button.click()  # asks once more
        with qtbot.waitSignal(launcher.wizard_shown, timeout=WAIT_MS):
            first.screen_menu.confirm_panel.confirm_button.click()
        assert not first.isVisible() and launcher.window is None
        wizard = launcher.wizard
        assert isinstance(wizard, SetupWizard)
        _at(qtbot, wizard, "provisioning")
        _click(qtbot, wizard.page_provisioning.offline_button)
        _click(qtbot, wizard.page_provisioning.continue_offline_button)
        _at(qtbot, wizard, "camera")
        qtbot.waitUntil(lambda: wizard.page_camera.selected is not None, timeout=WAIT_MS)
        _click(qtbot, wizard.page_camera.next_button)
        _at(qtbot, wizard, "coordinator")
        _click(qtbot, wizard.page_coordinator.keep_button)
        _at(qtbot, wizard, "done")
        window = _start_kiosk(qtbot, launcher, wizard)
        assert window is not first and window.isVisible()
    finally:
        _close(window, kiosk)
