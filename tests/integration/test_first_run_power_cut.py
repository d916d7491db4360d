"""A power cut in the middle of the first-run setup: the next start resumes at the step it stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from helpers.setup_gui import WAIT_MS, launcher_for, new_kiosk, setup_deps, trusted_keys, write_config
from pytestqt.qtbot import QtBot

from kiosk.config import load_config
from kiosk.services.first_run import read_progress
from kiosk.ui.setup.wizard import SetupWizard

HELPERS = Path(__file__).resolve().parents[1] / "helpers"


def test_the_setup_killed_at_the_camera_step_resumes_there_with_what_it_had_saved(
    qtbot: QtBot, tmp_path: Path
) -> None:
    data = tmp_path / "kiosk-data"
    write_config(data, camera={"source": "none"})
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(HELPERS.parent), os.environ.get("PYTHONPATH", "")]),
    }
    child = subprocess.run(
        [sys.executable, str(HELPERS / "setup_crash_child.py"), str(data)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert child.stdout.strip() == "AT camera"

    kiosk = new_kiosk(data)
    try:
        progress = read_progress(kiosk.store.writer)
        assert (progress.step, progress.provisioning_choice, progress.finished) == (
            "camera",
            "offline",
            False,
        )
        assert trusted_keys(kiosk) == []
        assert load_config(kiosk.config.data, env={}).language == "en"  # the language chosen before the cut
        launcher, _ = launcher_for(kiosk, setup_deps())
        launcher.start()
        wizard = launcher.wizard
        assert isinstance(wizard, SetupWizard)
        qtbot.waitUntil(lambda: wizard.step == "camera", timeout=WAIT_MS)
        assert wizard.header.language_button.text() == "中文"  # it speaks English, as chosen
        wizard.close()
    finally:
        kiosk.close()
