"""The GUI's composition root: the threads, runners, controllers and screens, and how they connect.

``kiosk/app.py: build_kiosk`` builds the services; this module builds the
GUI over them and is the one place that takes the whole
:class:`~kiosk.app.Kiosk`: each part below gets only the services it uses.

```
kiosk window   writer thread   ThreadRunner("kiosk-writer", WriterWorker): scans, PINs, USB,
                               and every desk write (DeskController, FaceDeskController)
               sync thread     ThreadRunner("kiosk-sync"): SyncRunner's rounds; database work
                               through the writer's call()
               self-test       ThreadRunner("kiosk-self-test"): SelfTestRunner
               camera          CameraPipeline (capture, decode) and FaceThread: streams, not tasks
setup          setup thread    ThreadRunner("kiosk-setup"): the setup's writer and its network calls
               camera search   ThreadRunner("kiosk-setup-camera")
```

Every runner connects its worker before its thread starts; the window starts
and stops them (:mod:`kiosk.ui.main_window`), the setup closes its own.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from PySide6.QtWidgets import QApplication, QStackedWidget

from kiosk.app import Kiosk
from kiosk.camera.decoder_chain import default_chain
from kiosk.camera.frame_source import FrameSource
from kiosk.camera.scan_gate import ScanGate
from kiosk.config import Config
from kiosk.face.engine import DlibEngine
from kiosk.services.first_run import needs_setup
from kiosk.services.pin import PinGuard
from kiosk.services.receipts import ReceiptIssuer
from kiosk.services.sound import SoundPlayer, SystemSoundPlayer, default_sounds_dir
from kiosk.sync.kiosk_status import remember_self_test
from kiosk.ui import theme
from kiosk.ui.camera_pipeline import CameraPipeline
from kiosk.ui.desk_controller import DeskController, DeskServices
from kiosk.ui.desk_face_controller import FaceDeskController
from kiosk.ui.face_check_in import FaceCheckIn, liveness_settings
from kiosk.ui.face_worker import FaceThread
from kiosk.ui.i18n import LanguageSwitcher
from kiosk.ui.main_window import KioskWindow
from kiosk.ui.result_flow import ResultFlow
from kiosk.ui.screens.coordinator_menu import CoordinatorMenu
from kiosk.ui.screens.desk_face import FacePage
from kiosk.ui.screens.kiosk_screen import KioskScreen
from kiosk.ui.screens.pin_pad import PinPad
from kiosk.ui.screens.usb_panel import UsbPanel
from kiosk.ui.self_test_controller import SelfTestController
from kiosk.ui.self_test_runner import SelfTestRunner
from kiosk.ui.setup.deps import LiveConfig, SetupDeps, SetupServices
from kiosk.ui.setup.launcher import KioskLauncher
from kiosk.ui.setup.wizard import SetupWizard
from kiosk.ui.sync_worker import SyncRunner
from kiosk.ui.tasks import ThreadRunner
from kiosk.ui.widgets.touch_keyboard import install_touch_keyboard
from kiosk.ui.window_parts import WindowParts, WindowSettings
from kiosk.ui.writer_worker import WriterServices, WriterWorker

SYNC_STOP_WAIT_S = 40.0  # a request under way ends within its time-out
SELF_TEST_STOP_WAIT_S = 10.0  # the self-test's cloud check has a short time-out

SourceFor = Callable[[Config], Callable[[], FrameSource] | None]


def build_window(
    kiosk: Kiosk,
    app: QApplication,
    *,
    source_factory: Callable[[], FrameSource] | None,
    sounds: SoundPlayer | None = None,
    fullscreen: bool | None = None,
    language: str | None = None,
) -> KioskWindow:
    """The kiosk window with its camera (``source_factory``; ``None``: none), not yet started."""
    config = kiosk.config
    theme.apply_theme(app, config.text_scale)
    switcher = LanguageSwitcher(app)
    switcher.set_language(language or config.language)
    pipeline = face = None
    if source_factory is not None:
        pipeline = CameraPipeline(source_factory, default_chain(), ScanGate())
        if config.get("face", "enabled"):
            face = FaceThread(DlibEngine(), pipeline)
    store, clock = kiosk.store, kiosk.clock
    reader = store.reader()
    pin_guard = PinGuard(store, clock, kiosk.kiosk_id)
    writer_worker = WriterWorker(
        WriterServices(
            store,
            kiosk.kiosk_id,
            clock,
            kiosk.policy,
            kiosk.trust,
            kiosk.scanning,
            kiosk.attendance,
            kiosk.review,
            kiosk.face_enrolment,
        ),
        pin_guard,
    )
    writer = ThreadRunner("kiosk-writer", writer_worker)
    sync = SyncRunner(
        store,
        kiosk.kiosk_id,
        clock,
        kiosk.trust,
        writer,
        ThreadRunner("kiosk-sync", stop_wait_s=SYNC_STOP_WAIT_S),
    )
    sounds = sounds or SystemSoundPlayer(default_sounds_dir())
    screen_kiosk = KioskScreen(kiosk.kiosk_id)
    results = ResultFlow(
        screen_kiosk, reader, sounds, int(config.get("kiosk", "result_seconds")), ReceiptIssuer()
    )
    screen_menu = CoordinatorMenu()
    self_test = SelfTestController(
        SelfTestRunner(
            config, clock, store.report, ThreadRunner("kiosk-self-test", stop_wait_s=SELF_TEST_STOP_WAIT_S)
        ),
        clock,
        screen_kiosk.status,
        has_camera=pipeline is not None,
    )
    # Kept for the cloud's fleet (kiosk.sync.kiosk_status), written on the writer thread.
    self_test.finished.connect(
        lambda report: writer.run(partial(remember_self_test, store, report.worst, report.started_utc))
    )
    face_desk = FaceDeskController(kiosk.face_enrolment, clock, kiosk.trust, reader, writer, face, FacePage())
    desk_services = DeskServices(
        clock,
        kiosk.policy,
        kiosk.trust,
        kiosk.scanning,
        kiosk.desk,
        kiosk.review,
        usb_folder=str(config.get("usb", "folder")),
        data_folder=config.data.path,
        kiosk_id=kiosk.kiosk_id,
    )
    desk = DeskController(desk_services, reader, writer, screen_menu, face_desk)
    screen_pin, screen_usb = PinPad(), UsbPanel()
    keyboard = install_touch_keyboard(desk.screen, desk.keyboard_words)  # the desk's text fields
    keyboard.new_session_when_shown(screen_pin)  # the one way into the desk: a session per opening
    pages = QStackedWidget()
    for page in (screen_kiosk, screen_pin, desk.screen, screen_usb, self_test.page):
        pages.addWidget(page)
    face_check_in = (
        None
        if face is None
        else FaceCheckIn(face, writer_worker, screen_kiosk, pages, liveness_settings(config))
    )
    settings = WindowSettings(
        usb_folder=str(config.get("usb", "folder")),
        camera_configured=config.get("camera", "source") != "none",
        fullscreen=bool(config.get("kiosk", "fullscreen")) if fullscreen is None else fullscreen,
    )
    parts = WindowParts(
        clock=clock,
        reader=reader,
        pin_guard=pin_guard,
        writer=writer,
        writer_worker=writer_worker,
        sync=sync,
        screen_kiosk=screen_kiosk,
        results=results,
        screen_pin=screen_pin,
        screen_menu=screen_menu,
        screen_usb=screen_usb,
        pages=pages,
        desk=desk,
        self_test=self_test,
        face_check_in=face_check_in,
        pipeline=pipeline,
        face=face,
        settings=settings,
    )
    window = KioskWindow(parts, switcher, sounds)
    _connect(parts)
    return window


def _connect(parts: WindowParts) -> None:
    """Connect the parts to each other (after the window connected its own slots: they are called first)."""
    worker = parts.writer_worker
    worker.outcome_ready.connect(parts.results.show_outcome)
    worker.leave_question_ready.connect(parts.results.ask_about_leaving)
    parts.results.scan_requested.connect(worker.handle_scan)
    parts.results.undo_requested.connect(worker.undo)
    parts.results.check_out_requested.connect(worker.check_out_now)
    parts.results.leave_answered.connect(worker.record_leave_answer)
    parts.screen_menu.sync_requested.connect(parts.sync.sync_now)
    parts.screen_usb.export_requested.connect(worker.usb_export)
    parts.screen_usb.import_requested.connect(worker.usb_import)
    if parts.pipeline is not None:
        parts.pipeline.preview_ready.connect(parts.desk.show_preview)  # the Face tab's capture
        parts.pipeline.preview_ready.connect(parts.self_test.on_preview)
        parts.pipeline.camera_state_changed.connect(parts.self_test.on_camera_state)
    if parts.face_check_in is not None:
        parts.sync.round_finished.connect(parts.face_check_in.schedule_reload)


def build_wizard(
    kiosk: Kiosk,
    switcher: LanguageSwitcher,
    deps: SetupDeps,
    *,
    first_step: str | None,
    fullscreen: bool,
) -> SetupWizard:
    """The first-run setup, with its own threads (the kiosk window's do not exist yet)."""

    def keep(config: Config) -> None:
        kiosk.config = config  # the window opened after the setup uses the language and camera chosen

    services = SetupServices(
        kiosk.store, kiosk.kiosk_id, kiosk.clock, kiosk.trust, LiveConfig(kiosk.config, keep)
    )
    return SetupWizard(
        services,
        PinGuard(kiosk.store, kiosk.clock, kiosk.kiosk_id),
        switcher,
        deps,
        tasks=ThreadRunner("kiosk-setup"),
        probe=ThreadRunner("kiosk-setup-camera"),
        first_step=first_step,
        fullscreen=fullscreen,
    )


def build_launcher(
    kiosk: Kiosk,
    app: QApplication,
    *,
    deps: SetupDeps,
    source_for: SourceFor,
    sounds: SoundPlayer | None = None,
    fullscreen: bool | None = None,
    translations: Path | None = None,
) -> KioskLauncher:
    """The setup-then-kiosk launcher; the window is built after the setup, with the camera then configured."""
    theme.apply_theme(app, kiosk.config.text_scale)
    setup_fullscreen = bool(kiosk.config.get("kiosk", "fullscreen")) if fullscreen is None else fullscreen

    def make_window() -> KioskWindow:
        factory = source_for(kiosk.config)
        return build_window(kiosk, app, source_factory=factory, sounds=sounds, fullscreen=fullscreen)

    def make_wizard(first_step: str | None) -> SetupWizard:
        switcher = LanguageSwitcher(app, translations)
        return build_wizard(kiosk, switcher, deps, first_step=first_step, fullscreen=setup_fullscreen)

    return KioskLauncher(make_window, make_wizard, lambda: needs_setup(kiosk.store.writer))
