"""A child process for the power-cut test of the first-run setup: walk to a step, then die with SIGKILL.

Usage: python setup_crash_child.py DATA

Runs the real setup (offscreen) on the data folder DATA: switches to English,
goes on to "connect", chooses "offline for now", and as soon as the camera
step is saved in the store, prints ``AT camera`` (flushed) and kills itself
with SIGKILL, as a power cut would stop it: no clean-up, no closing.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer

from helpers.setup_gui import new_kiosk, saved_step, setup_deps
from kiosk.ui.qt_app import build_launcher
from kiosk.ui.setup.wizard import SetupWizard


def main() -> None:
    data = Path(sys.argv[1])
    kiosk = new_kiosk(data)
    launcher = build_launcher(kiosk, deps=setup_deps(), fullscreen=False)
    launcher.start()
    wizard = launcher.wizard
    assert isinstance(wizard, SetupWizard)
    # (when, what): each step waits for its page, as a person would.
    actions: list[tuple[Callable[[], bool], Callable[[], object]]] = [
        (lambda: wizard.step == "language", wizard.header.language_button.click),
        (lambda: wizard.step == "language", wizard.page_language.next_button.click),
        (lambda: wizard.step == "provisioning", wizard.page_provisioning.offline_button.click),
        (lambda: wizard.step == "provisioning", wizard.page_provisioning.continue_offline_button.click),
    ]

    def tick() -> None:
        if wizard.tasks.pending:
            return
        if actions:
            when, what = actions[0]
            if when():
                actions.pop(0)
                what()
            return
        if saved_step(kiosk) == "camera":
            print("AT camera", flush=True)
            os.kill(os.getpid(), signal.SIGKILL)

    timer = QTimer()
    timer.timeout.connect(tick)
    timer.start(50)
    QTimer.singleShot(30_000, lambda: sys.exit(3))  # never reached the step: fail, do not hang
    from PySide6.QtWidgets import QApplication

    QApplication.instance().exec()  # type: ignore[union-attr]


if __name__ == "__main__":
    main()
