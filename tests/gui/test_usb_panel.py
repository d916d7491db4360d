"""The coordinator carries records on a USB stick from the kiosk screen, and reads the reply back in.

A real cloud data folder (no network needed), a real kiosk window with its
writer thread, and a folder standing in for the stick (``usb.folder``).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from helpers.fakes import FakeClock
from helpers.gui import TEST_PIN, KioskUnderTest, make_kiosk
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from checkin_protocol.bundle_files import write_bundle
from cloud.bundles import export_changes, import_events_bundle, provisioning_bundle
from cloud.instance import CloudInstance
from kiosk.sync.usb_setup import register_offline

WAIT_MS = 20_000
SIZE = (1280, 800)


def _kiosk_with_stick(tmp_path: Path, language: str = "en") -> tuple[KioskUnderTest, Path]:
    stick = tmp_path / "stick"
    stick.mkdir()
    data = tmp_path / "kiosk"
    data.mkdir()
    (data / "config.toml").write_text(f'[usb]\nfolder = "{stick.as_posix()}"\n', encoding="utf-8")
    return make_kiosk(data, language=language, clock=FakeClock()), stick


def _to_usb_screen(qtbot: QtBot, ui: KioskUnderTest) -> None:
    window = ui.window
    qtbot.mouseClick(window.screen_kiosk.coordinator_button, Qt.MouseButton.LeftButton)
    for digit in TEST_PIN:
        qtbot.mouseClick(window.screen_pin.digit_buttons[digit], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(window.pin_answered, timeout=WAIT_MS):
        qtbot.mouseClick(window.screen_pin.ok_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.screen_menu.usb_button, Qt.MouseButton.LeftButton)
    assert window.pages.currentWidget() is window.screen_usb


def _press(qtbot: QtBot, ui: KioskUnderTest, button: QWidget) -> None:
    with qtbot.waitSignal(ui.window.usb_shown, timeout=WAIT_MS):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _shot(ui: KioskUnderTest, qtbot: QtBot, tmp_path: Path, name: str) -> None:
    folder = Path(os.environ.get("KIOSK_SCREENSHOTS", tmp_path))
    qtbot.wait(50)
    ui.window.grab().save(str(folder / name))


def test_records_go_out_on_the_stick_and_the_reply_confirms_them(
    qtbot: QtBot, tmp_path: Path, cloud_instance: CloudInstance
) -> None:
    ui, stick = _kiosk_with_stick(tmp_path)
    qtbot.addWidget(ui.window)
    _, setup = provisioning_bundle(cloud_instance, "library", cloud_instance.clock())
    write_bundle(setup, tmp_path / "setup.kbundle")
    register_offline(ui.kiosk.store, ui.kiosk.kiosk_id, tmp_path / "setup.kbundle", ui.clock.now().wall_utc)
    ui.window.resize(*SIZE)
    ui.window.start()
    try:
        for volunteer in ("V000000001", "V000000002"):
            with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS):
                ui.window.submit_code(ui.card(volunteer))
        _to_usb_screen(qtbot, ui)
        panel = ui.window.screen_usb
        assert panel.stick_label.text() == "USB stick: stick"

        _press(qtbot, ui, panel.export_button)
        assert "2 records written to the stick" in panel.result_label.text()
        [bundle] = (stick / "kiosk-bundles").glob("*-events-*.kbundle")

        result = import_events_bundle(cloud_instance, bundle.read_bytes(), cloud_instance.clock())
        assert result.accepted == 2
        write_bundle(result.receipt, stick / "kiosk-bundles" / "receipt.kbundle")
        update = export_changes(cloud_instance, ui.kiosk.kiosk_id, cloud_instance.clock())
        write_bundle(update.bundle, stick / "kiosk-bundles" / "changes.kbundle")
        (stick / "kiosk-bundles" / "damaged.kbundle").write_text("{", encoding="utf-8")

        _press(qtbot, ui, panel.import_button)
        text = panel.result_label.text()
        assert "2 records confirmed by the platform" in text and "0 records waiting to sync" in text, text
        assert "1 file refused" in text and "damaged.kbundle" in text, text
        _shot(ui, qtbot, tmp_path, "kiosk-usb-stick-en.png")

        _press(qtbot, ui, panel.import_button)  # reading the same stick again changes nothing
        assert "2 records confirmed" not in panel.result_label.text()
        qtbot.mouseClick(panel.back_button, Qt.MouseButton.LeftButton)
        assert ui.window.pages.currentWidget() is ui.window.desk.screen
        waiting = ui.kiosk.store.writer.execute("SELECT COUNT(*) FROM outbox WHERE delivered_utc IS NULL")
        assert waiting.fetchone()[0] == 0
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_a_kiosk_not_set_up_or_without_a_stick_says_what_to_do(
    qtbot: QtBot, tmp_path: Path, language: str
) -> None:
    ui, stick = _kiosk_with_stick(tmp_path, language)
    qtbot.addWidget(ui.window)
    ui.window.resize(*SIZE)
    ui.window.start()
    try:
        _to_usb_screen(qtbot, ui)
        panel = ui.window.screen_usb
        _press(qtbot, ui, panel.export_button)
        assert panel.result_label.text(), "an answer, in words"
        if language == "en":
            assert "not set up for USB transfer" in panel.result_label.text()
        assert list(stick.glob("**/*.kbundle")) == [], "nothing written"
        _shot(ui, qtbot, tmp_path, f"kiosk-usb-not-set-up-{language}.png")
        panel.set_sticks([])
        assert not panel.export_button.isEnabled() and not panel.import_button.isEnabled()
        if language == "en":
            assert "No USB stick found" in panel.stick_label.text()
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()
