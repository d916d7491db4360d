"""Starting the GUI: the QApplication, fonts and languages, the camera, the setup, the window.

``kiosk run`` uses the configured camera, and shows the first-run setup
(``kiosk/ui/setup/``) before the kiosk window when the kiosk is not set up
yet; ``kiosk setup`` shows it again on purpose. ``kiosk demo`` uses the
synthetic camera showing the demo volunteers' cards, so a newcomer watches
check-ins happen (a printed demo card held to a real webcam works with
``kiosk run``), and never shows the setup.
"""

from __future__ import annotations

import csv
import logging
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from kiosk.app import Kiosk
from kiosk.camera.decoder_chain import default_chain
from kiosk.camera.device_source import OpenCVDeviceSource
from kiosk.camera.file_sources import ImageFolderSource, VideoFileSource
from kiosk.camera.frame_source import FrameSource
from kiosk.camera.scan_gate import ScanGate
from kiosk.camera.synthetic_source import SyntheticSource
from kiosk.config import Config
from kiosk.face.engine import DlibEngine
from kiosk.services.sound import SoundPlayer, SystemSoundPlayer, default_sounds_dir
from kiosk.ui.camera_pipeline import CameraPipeline
from kiosk.ui.face_worker import FaceThread
from kiosk.ui.i18n import LanguageSwitcher, choose_cjk_font
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.setup.deps import SetupDeps
from kiosk.ui.setup.launcher import KioskLauncher, SetupMode

log = logging.getLogger(__name__)

DEMO_CARDS_SHOWN = 12
DEMO_FOREIGN_CODE = "https://example.com/this-is-not-a-volunteer-card"


def ensure_app() -> QApplication:
    """The one QApplication of the process, with a font that renders Chinese."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("volunteer-kiosk")
    app.setFont(choose_cjk_font(16))
    return app


def configured_camera(config: Config) -> Callable[[], FrameSource] | None:
    """The factory of the configured camera, or ``None`` for ``source = "none"`` (a USB scanner only)."""
    if config.get("camera", "source") == "none":
        return None
    return camera_factory(config)


def camera_factory(config: Config) -> Callable[[], FrameSource]:
    """A factory for the configured frame source (built on the capture thread).

    ``ValueError`` for ``source = "none"``; :func:`configured_camera` answers ``None`` for it.
    """
    source = config.get("camera", "source")
    if source == "none":
        raise ValueError("camera.source is none: this kiosk has no camera")
    width, height = int(config.get("camera", "width")), int(config.get("camera", "height"))
    fps = float(config.get("camera", "fps"))
    path = Path(str(config.get("camera", "path")))
    if source == "video":
        return lambda: VideoFileSource(path)
    if source == "folder":
        return lambda: ImageFolderSource(path, fps=fps)
    if source == "synthetic":
        texts = demo_scene_texts(config)
        # Each card stays 3 s and the scene is empty for 2 s: one result card at a time.
        dwell, gap = round(fps * 3), round(fps * 2)
        return lambda: SyntheticSource(
            texts, size=(width, height), fps=fps, dwell_frames=dwell, gap_frames=gap
        )
    device_text = str(config.get("camera", "device"))
    device: int | str = int(device_text) if device_text.isdigit() else device_text
    return lambda: OpenCVDeviceSource(device, width=width, height=height)


def demo_scene_texts(config: Config) -> list[str]:
    """The demo cards the synthetic camera shows, with one foreign code among them."""
    cards_csv = config.demo_dir / "cards" / "cards.csv"
    texts: list[str] = []
    if cards_csv.exists():
        with cards_csv.open(encoding="utf-8-sig", newline="") as fh:
            texts = [row["card"] for row in csv.DictReader(fh)][:DEMO_CARDS_SHOWN]
    texts.insert(min(5, len(texts)), DEMO_FOREIGN_CODE)
    return texts


def build_window(
    kiosk: Kiosk,
    *,
    source_factory: Callable[[], FrameSource] | None,
    sounds: SoundPlayer | None = None,
    fullscreen: bool | None = None,
    language: str | None = None,
) -> tuple[QApplication, KioskWindow]:
    """The application and its window, not yet started (tests call this too)."""
    app = ensure_app()
    switcher = LanguageSwitcher(app)
    switcher.set_language(language or kiosk.config.language)
    pipeline = None
    face = None
    if source_factory is not None:
        pipeline = CameraPipeline(source_factory, default_chain(), ScanGate())
        if kiosk.config.get("face", "enabled"):
            face = FaceThread(DlibEngine(), pipeline)
    window = KioskWindow(
        kiosk,
        switcher,
        sounds or SystemSoundPlayer(default_sounds_dir()),
        pipeline,
        bool(kiosk.config.get("kiosk", "fullscreen")) if fullscreen is None else fullscreen,
        face=face,
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
    app = ensure_app()
    return KioskLauncher(
        kiosk,
        lambda: build_window(
            kiosk, source_factory=configured_camera(kiosk.config), sounds=sounds, fullscreen=fullscreen
        )[1],
        deps or SetupDeps(source_for=configured_camera),
        fullscreen=fullscreen,
        make_switcher=lambda: LanguageSwitcher(app, translations),
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
