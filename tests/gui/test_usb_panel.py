"""The coordinator carries records on a USB stick from the kiosk screen, and reads the reply back in.

A real cloud data folder (no network needed), a real kiosk window with its
writer thread, and a folder standing in for the stick (``usb.folder``). Each
result reads in plain words with a summary line first, in the colour of what
happened: a success is green, never red. The pictures (``kiosk-usb-*``) go to
``$KIOSK_SCREENSHOTS`` when set, each state audited at every screen size.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers.coordinator import open_from_menu
from helpers.fakes import FakeClock
from helpers.gui import KioskUnderTest, make_kiosk
from helpers.screenshots import Shooter, screenshot_folder
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from checkin_protocol.bundle_files import write_bundle
from cloud.bundles import export_changes, import_events_bundle, provisioning_bundle
from cloud.instance import CloudInstance
from kiosk.sync.usb_setup import register_offline
from kiosk.ui.screens.usb_panel import UsbPanel

WAIT_MS = 20_000


def _kiosk_with_stick(tmp_path: Path, language: str = "en") -> tuple[KioskUnderTest, Path]:
    stick = tmp_path / "stick"
    stick.mkdir()
    data = tmp_path / "kiosk"
    data.mkdir()
    (data / "config.toml").write_text(f'[usb]\nfolder = "{stick.as_posix()}"\n', encoding="utf-8")
    return make_kiosk(data, language=language, clock=FakeClock()), stick


def _to_usb_screen(qtbot: QtBot, ui: KioskUnderTest) -> UsbPanel:
    open_from_menu(qtbot, ui, ui.window.screen_menu.usb_button, ui.window.screen_usb)
    return ui.window.screen_usb


def _press(qtbot: QtBot, ui: KioskUnderTest, button: QWidget) -> None:
    with qtbot.waitSignal(ui.window.usb_shown, timeout=WAIT_MS):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _tones(panel: UsbPanel) -> list[str]:
    return [label.property("tone") for label in panel.result_lines]


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_records_go_out_on_the_stick_and_the_reply_confirms_them(
    qtbot: QtBot, tmp_path: Path, cloud_instance: CloudInstance, language: str
) -> None:
    ui, stick = _kiosk_with_stick(tmp_path, language)
    qtbot.addWidget(ui.window)
    _, setup = provisioning_bundle(cloud_instance, "library", cloud_instance.clock())
    write_bundle(setup, tmp_path / "setup.kbundle")
    register_offline(ui.kiosk.store, ui.kiosk.kiosk_id, tmp_path / "setup.kbundle", ui.clock.now().wall_utc)
    shooter = Shooter(qtbot, ui.window, "kiosk-usb", language, screenshot_folder(tmp_path))
    ui.window.start()
    zh = language == "zh_CN"
    try:
        for volunteer in ("V000000001", "V000000002"):
            with qtbot.waitSignal(ui.window.result_shown, timeout=WAIT_MS):
                ui.window.submit_code(ui.card(volunteer))
        panel = _to_usb_screen(qtbot, ui)
        assert panel.stick_label.text() == ("U 盘：stick" if zh else "USB stick: stick")

        _press(qtbot, ui, panel.export_button)
        summary = panel.result_label.text()
        assert summary == ("✓ 已导出 2 条记录到 U 盘" if zh else "✓ 2 records exported to the USB stick")
        assert panel.result_label.property("tone") == "good", "a success is green"
        assert "bad" not in _tones(panel)
        shooter.shot("exported")
        [bundle] = (stick / "kiosk-bundles").glob("*-events-*.kbundle")

        result = import_events_bundle(cloud_instance, bundle.read_bytes(), cloud_instance.clock())
        assert result.accepted == 2
        write_bundle(result.receipt, stick / "kiosk-bundles" / "receipt.kbundle")
        update = export_changes(cloud_instance, ui.kiosk.kiosk_id, cloud_instance.clock())
        write_bundle(update.bundle, stick / "kiosk-bundles" / "changes.kbundle")
        (stick / "kiosk-bundles" / "damaged.kbundle").write_text("{", encoding="utf-8")

        _press(qtbot, ui, panel.import_button)
        lines = [label.text() for label in panel.result_lines]
        assert panel.result_label.property("tone") == "warn", "read in, but one file refused"
        assert panel.result_label.text().startswith("⚠ ")
        assert _tones(panel) == ["good", "good", "bad", "good"], lines
        if zh:
            assert lines[0] == "✓ 平台已确认 2 条记录。", lines
        else:
            assert lines[0] == "✓ 2 records confirmed by the platform.", lines
            assert lines[2].startswith("✖ 1 file refused") and "damaged.kbundle" in lines[2], lines
            assert lines[3] == "✓ Every record is synced.", lines
        shooter.shot("stick")

        _press(qtbot, ui, panel.import_button)  # reading the same stick again confirms nothing new
        assert not any(
            "2" in label.text() for label in panel.result_lines if label.property("tone") == "good"
        )
        qtbot.mouseClick(panel.back_button, Qt.MouseButton.LeftButton)
        assert ui.window.pages.currentWidget() is ui.window.desk.screen
        waiting = ui.kiosk.store.writer.execute("SELECT COUNT(*) FROM outbox WHERE delivered_utc IS NULL")
        assert waiting.fetchone()[0] == 0
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()
    shooter.assert_clean()


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_a_kiosk_not_set_up_or_without_a_stick_says_what_to_do(
    qtbot: QtBot, tmp_path: Path, language: str
) -> None:
    ui, stick = _kiosk_with_stick(tmp_path, language)
    qtbot.addWidget(ui.window)
    shooter = Shooter(qtbot, ui.window, "kiosk-usb", language, screenshot_folder(tmp_path))
    ui.window.start()
    try:
        panel = _to_usb_screen(qtbot, ui)
        _press(qtbot, ui, panel.export_button)
        assert panel.result_label.property("tone") == "bad"
        assert panel.result_label.text().startswith("✖ ")
        expected = "本签到机尚未设置 U 盘传送" if language == "zh_CN" else "not set up for USB transfer"
        assert expected in panel.result_label.text()
        assert panel.result_lines and panel.result_lines[0].text(), "what to do, in words"
        assert list(stick.glob("**/*.kbundle")) == [], "nothing written"
        shooter.shot("not-set-up")

        panel.set_sticks([])  # as when no stick is found
        assert not panel.export_button.isEnabled() and not panel.import_button.isEnabled()
        expected = "未找到 U 盘" if language == "zh_CN" else "No USB stick found"
        assert panel.result_label.text() == f"⚠ {expected}", "the summary line first"
        assert panel.result_label.property("tone") == "warn"
        assert len(panel.result_lines) == 1, "then what to do"
        assert not panel.stick_label.isVisibleTo(panel)
        shooter.shot("no-stick")
    finally:
        ui.window.exit_kiosk()
        ui.kiosk.close()
    shooter.assert_clean()
