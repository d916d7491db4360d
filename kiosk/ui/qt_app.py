"""Starting the GUI: the QApplication, fonts and languages, the camera, the setup, the window.

``kiosk run`` uses the configured camera, and shows the first-run setup
(``kiosk/ui/setup/``) before the kiosk window when the kiosk is not set up
yet; ``kiosk setup`` shows it again on purpose. ``kiosk demo`` uses the
synthetic camera showing the demo volunteers' cards, so a newcomer watches
check-ins happen (a printed demo card held to a real webcam works with
``kiosk run``), and never shows the setup.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from kiosk.app import Kiosk
from kiosk.camera.configured import configured_camera
from kiosk.camera.frame_source import FrameSource
from kiosk.services.sound import SoundPlayer
from kiosk.ui import composition
from kiosk.ui.i18n import choose_cjk_font
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.setup.deps import SetupDeps
from kiosk.ui.setup.launcher import KioskLauncher, SetupMode

log = logging.getLogger(__name__)


def ensure_app() -> QApplication:
    """The one QApplication of the process, with a font that renders Chinese."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("volunteer-kiosk")
    app.setFont(choose_cjk_font(16))
    return app


def build_window(
    kiosk: Kiosk,
    *,
    source_factory: Callable[[], FrameSource] | None,
    sounds: SoundPlayer | None = None,
    fullscreen: bool | None = None,
    language: str | None = None,
) -> tuple[QApplication, KioskWindow]:
    """The application and its window, not yet started (tests call this too); built by :mod:`kiosk.ui.composition`."""
    app = ensure_app()
    window = composition.build_window(
        kiosk, app, source_factory=source_factory, sounds=sounds, fullscreen=fullscreen, language=language
    )
    return app, window


def build_launcher(
    kiosk: Kiosk,
    *,
    deps: SetupDeps | None = None,
    sounds: SoundPlayer | None = None,
    fullscreen: bool | None = None,
    translations: Path | None = None,
) -> KioskLauncher:
    """The setup-then-kiosk launcher (tests call this too, with their own ``deps``).

    The window is built after the setup, with the camera and language then
    configured (:func:`configured_camera`). ``translations`` is a folder of
    compiled translations for the setup (default: ``resources/i18n``).
    """
    return composition.build_launcher(
        kiosk,
        ensure_app(),
        deps=deps or SetupDeps(source_for=configured_camera),
        source_for=configured_camera,
        sounds=sounds,
        fullscreen=fullscreen,
        translations=translations,
    )


def run_gui(
    kiosk: Kiosk,
    source_factory: Callable[[], FrameSource] | None,
    seconds: float | None = None,
    *,
    setup: SetupMode = "never",
    offer_synthetic: bool = False,
) -> int:
    """Show the kiosk until the coordinator exits it (or ``seconds`` pass); returns the exit code.

    ``setup``: ``never`` shows the window with ``source_factory`` (``kiosk
    demo``); ``auto`` shows the first-run setup first if the kiosk is not set
    up (``kiosk run``), ``always`` shows it (``kiosk setup``); with either,
    the window opens the camera configured after the setup and
    ``source_factory`` is not used. ``offer_synthetic`` lists the demo camera
    in the setup.
    """
    if setup == "never":
        app, window = build_window(kiosk, source_factory=source_factory)
        window.start()
        stop: Callable[[], None] = window.exit_kiosk
    else:
        app = ensure_app()
        launcher = build_launcher(
            kiosk, deps=SetupDeps(source_for=configured_camera, offer_synthetic=offer_synthetic)
        )
        launcher.start(setup)
        stop = launcher.quit
    if seconds is not None:
        QTimer.singleShot(int(seconds * 1000), stop)
    code = app.exec()
    log.info("kiosk GUI stopped (%d)", code)
    return int(code)
