"""The setup's look at the USB stick: a ``*.kbundle`` it cannot read gets a line saying why, never silence."""

from __future__ import annotations

import json
from pathlib import Path

from helpers.setup_gui import WAIT_MS, launcher_for, new_kiosk, setup_deps, trusted_keys, write_config
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from checkin_protocol.bundle_files import new_header, write_bundle
from cloud.bundles import provisioning_bundle
from cloud.instance import init_instance
from kiosk.ui.setup.wizard import SetupWizard

CREATED = "2026-11-29T01:00:00.000+00:00"


def _stick_with_bad_files(stick: Path) -> None:
    stick.mkdir(parents=True)
    (stick / "brackets.kbundle").write_bytes(b"[" * 6144)
    edited = {**new_header("provisioning", None, CREATED), "kind": "provisioningX", "signed": {}}
    (stick / "edited.kbundle").write_text(json.dumps(edited), encoding="utf-8")
    (stick / "notes.txt").write_text("not a bundle, not looked at", encoding="utf-8")


def _provisioning_page(qtbot: QtBot, wizard: SetupWizard) -> None:
    qtbot.waitUntil(lambda: wizard.step == "language" and wizard.tasks.pending == 0, timeout=WAIT_MS)
    qtbot.mouseClick(wizard.page_language.next_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.step == "provisioning" and wizard.tasks.pending == 0, timeout=WAIT_MS)


def test_files_on_the_stick_that_cannot_be_read_are_named_with_the_reason(
    qtbot: QtBot, tmp_path: Path
) -> None:
    stick = tmp_path / "stick"
    _stick_with_bad_files(stick)
    data = tmp_path / "kiosk-data"
    write_config(data, kiosk={"language": "en"}, camera={"source": "none"}, usb={"folder": str(stick)})
    kiosk = new_kiosk(data)
    launcher, _ = launcher_for(kiosk, setup_deps())
    with qtbot.waitSignal(launcher.wizard_shown, timeout=WAIT_MS):
        launcher.start()
    wizard = launcher.wizard
    assert isinstance(wizard, SetupWizard)
    try:
        _provisioning_page(qtbot, wizard)
        page = wizard.page_provisioning
        with qtbot.waitSignal(wizard.provisioning.code_handled, timeout=WAIT_MS) as handled:
            qtbot.mouseClick(page.file_button, Qt.MouseButton.LeftButton)
        status = page.status.text()
        assert handled.args == ["no_file"], status
        assert "No provisioning file" in status
        assert "brackets.kbundle" in status and "nested 6144 levels deep" in status, status
        assert "edited.kbundle" in status and "unknown bundle kind" in status, status
        assert "notes.txt" not in status
        assert trusted_keys(kiosk) == []  # nothing was changed

        # The right file beside them is used as before.
        instance, _ = init_instance(tmp_path / "cloud")
        try:
            _code, bundle = provisioning_bundle(instance, "east", instance.clock(), None)
        finally:
            instance.close()
        write_bundle(bundle, stick / "setup.kbundle")
        with qtbot.waitSignal(wizard.provisioning.code_handled, timeout=WAIT_MS) as handled:
            qtbot.mouseClick(page.file_button, Qt.MouseButton.LeftButton)
        assert handled.args == ["file"] and "east" in page.connected_text.text()
    finally:
        wizard.close()
        kiosk.close()
