"""The kiosk window: routes between the camera, the USB scanner, the writer and the screens.

The composition root (``kiosk/ui/composition.py``) builds its parts
(:class:`~kiosk.ui.window_parts.WindowParts`); the window starts and stops
them and routes between them. Threads: the camera pipeline captures and
decodes on its own two threads; the writer thread stores every scan; this
(UI) thread only paints and routes. A result is shown when the writer's
outcome arrives, i.e. after COMMIT.

Lock-down: with ``kiosk.fullscreen`` the window is frameless, on top and covers
its screen with or without a window manager (:mod:`kiosk.ui.screen_cover`),
refuses to close, and only the coordinator PIN (checked on the writer thread,
five wrong tries lock it for minutes) leads to the exit.

At every start the self-test runs once the camera has shown a picture
(:mod:`kiosk.ui.self_test_controller`); a problem shows as a line in the
status bar, and the coordinator menu's Self-test page lists every check.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QMainWindow

from checkin_protocol.models import ActivityStatus, Method
from kiosk.services.pin import PinResult
from kiosk.services.receipts import is_whole_receipt
from kiosk.services.removable import find_usb_sticks
from kiosk.services.scanner_wedge import WedgeDetector
from kiosk.services.sound import SoundPlayer
from kiosk.services.usb_transfer import UsbSummary
from kiosk.store import activities as activity_store
from kiosk.store.events import on_site
from kiosk.sync.status import read_status
from kiosk.ui.i18n import LanguageSwitcher
from kiosk.ui.pin_lock import lock_from
from kiosk.ui.screen_cover import ScreenCover
from kiosk.ui.widgets.camera_view import NO_CAMERA_STATE
from kiosk.ui.window_parts import WindowParts
from kiosk.ui.writer_worker import ScanRequest

log = logging.getLogger(__name__)

REFRESH_MS = 10_000
CLOCK_MS = 1_000
COORDINATOR_IDLE_MS = 120_000
SYNC_SOON_MS = 5_000
_ACTIVITY_EVENTS = frozenset(
    {QEvent.Type.MouseButtonPress, QEvent.Type.KeyPress, QEvent.Type.TouchBegin, QEvent.Type.Wheel}
)


class KioskWindow(QMainWindow):
    """The kiosk application window."""

    scan_requested = Signal(object)  # ScanRequest -> writer
    pin_submitted = Signal(str)
    result_shown = Signal(object, object)  # (Outcome, ScanRequest | None), after it is on screen
    pin_answered = Signal(object)  # PinResult, after the PIN pad or the menu shows it
    usb_shown = Signal(object)  # UsbSummary, after the USB screen shows it
    setup_requested = Signal()  # the coordinator asked to set this kiosk up again (the launcher listens)

    def __init__(self, parts: WindowParts, switcher: LanguageSwitcher, sounds: SoundPlayer) -> None:
        super().__init__()
        self._switcher = switcher
        self._sounds = sounds
        self._clock = parts.clock
        self._settings = parts.settings
        self.pipeline = parts.pipeline
        self.face = parts.face
        self._fullscreen = parts.settings.fullscreen
        self._allow_close = False
        self._closed = False
        self._reader = parts.reader
        self.wedge = WedgeDetector()
        self.pin_guard = parts.pin_guard
        self.writer = parts.writer  # the database writer's runner: desk tasks, the sync's database work
        self._worker = parts.writer_worker
        self.sync = parts.sync
        self.screen_kiosk = parts.screen_kiosk
        self.screen_pin = parts.screen_pin
        self.screen_menu = parts.screen_menu
        self.screen_usb = parts.screen_usb
        self.results = parts.results  # what the kiosk screen shows after a scan
        self.self_test = parts.self_test
        self.screen_self_test = parts.self_test.page
        self.desk = parts.desk
        self.pages = parts.pages
        self.setCentralWidget(self.pages)
        self._set_title()  # the translators are installed already: the title is right when first shown
        self.face_check_in = parts.face_check_in
        self._wire()
        self.screen_kiosk.set_language(switcher.language)

        self._coordinator_timer = QTimer(self)
        self._coordinator_timer.setSingleShot(True)
        self._coordinator_timer.setInterval(COORDINATOR_IDLE_MS)
        self._coordinator_timer.timeout.connect(self._back_to_kiosk)
        # New records are pushed a few seconds after they are written (batched), not only every minute.
        self._sync_soon_timer = QTimer(self)
        self._sync_soon_timer.setSingleShot(True)
        self._sync_soon_timer.setInterval(SYNC_SOON_MS)
        self._sync_soon_timer.timeout.connect(self.sync.sync_now)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.timeout.connect(self.refresh)
        self._refresh_timer.start(REFRESH_MS)
        self._clock_timer = QTimer(self)
        self._clock_timer.timeout.connect(self._on_clock_tick)
        self._clock_timer.start(CLOCK_MS)
        self.cover = ScreenCover(self) if self._fullscreen else None

    def _wire(self) -> None:
        """Connect the parts to this window's slots (the composition root connects them to each other)."""
        worker = self._worker
        self.scan_requested.connect(worker.handle_scan)
        self.pin_submitted.connect(worker.check_pin)
        worker.data_changed.connect(self.refresh)
        worker.data_changed.connect(self._on_data_changed)
        worker.pin_checked.connect(self._on_pin_checked)
        worker.usb_finished.connect(self._on_usb_finished)
        self.results.result_shown.connect(self.result_shown)
        self.sync.round_finished.connect(self.refresh)
        self.screen_kiosk.language_toggled.connect(self._on_language_toggled)
        self.screen_kiosk.coordinator_requested.connect(self._on_coordinator_requested)
        self.screen_pin.submitted.connect(self.pin_submitted)
        self.screen_pin.cancelled.connect(self._back_to_kiosk)
        self.screen_menu.back_requested.connect(self._back_to_kiosk)
        self.screen_menu.exit_requested.connect(self.exit_kiosk)
        self.screen_menu.usb_requested.connect(self._show_usb)
        self.screen_usb.export_requested.connect(self._coordinator_timer_restart)
        self.screen_usb.import_requested.connect(self._coordinator_timer_restart)
        self.screen_usb.rescan_requested.connect(self._show_usb)
        self.screen_usb.back_requested.connect(self._show_menu)
        self.screen_menu.self_test_requested.connect(self._show_self_test)
        self.screen_menu.setup_requested.connect(self.setup_requested)
        self.screen_self_test.back_requested.connect(self._show_menu)
        self.screen_self_test.run_requested.connect(self._coordinator_timer_restart)
        self.desk.screen.lock_requested.connect(self._back_to_kiosk)
        self.desk.check_in_page.query_changed.connect(self._on_desk_query)
        if self.pipeline is not None:
            self.pipeline.preview_ready.connect(self._on_preview_ready)
            self.pipeline.camera_state_changed.connect(self._on_camera_state_changed)
            self.pipeline.code_seen.connect(self._on_code_seen)
        if self.face_check_in is not None:
            self.face_check_in.identified.connect(self._on_face_identified)

    # -- start and stop ---------------------------------------------------------

    def start(self) -> None:
        """Start the threads, show the window, and listen for a USB scanner."""
        self.writer.start()
        self.sync.start()
        if self.face_check_in is not None:
            self.face_check_in.start()
        if self.pipeline is not None:
            self.pipeline.start()
            if self.face is not None:
                self.face.start()
        else:  # set up for a USB scanner only, or a camera that could not be built
            state = "disconnected" if self._settings.camera_configured else NO_CAMERA_STATE
            self.screen_kiosk.camera.set_camera_state(state)
            self.screen_kiosk.status.set_camera_state(state)
        self.self_test.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.refresh()
        self._on_clock_tick()
        if self.cover is not None:
            self.cover.show()
        else:
            self.show()

    def exit_kiosk(self) -> None:
        self._allow_close = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._fullscreen and not self._allow_close:
            event.ignore()  # lock-down: only the coordinator's Exit closes the kiosk
            return
        self._closed = True
        for timer in (self._refresh_timer, self._clock_timer, self._coordinator_timer, self._sync_soon_timer):
            timer.stop()
        self.results.stop()
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.desk.shutdown()
        self.sync.stop()  # before the writer: its database work runs on the writer thread
        self.self_test.shutdown()
        if self.face_check_in is not None:
            self.face_check_in.shutdown()
        if self.face is not None:
            self.face.stop()
        if self.pipeline is not None:
            self.pipeline.stop()
        self.writer.close()
        self._reader.close()
        self._switcher.remove()
        event.accept()

    # -- input: camera and scanner ---------------------------------------------------

    @Slot(str, object)
    def _on_code_seen(self, text: str, captured_ns: int) -> None:
        self._submit(ScanRequest(text, Method.QR, None, captured_ns))

    @Slot(str)
    def _on_face_identified(self, volunteer_id: str) -> None:
        """A face identified on the kiosk screen checks in (or out) like a card."""
        self._submit(ScanRequest("", Method.FACE, None, time.perf_counter_ns(), volunteer_id))

    def submit_code(self, text: str, method: Method = Method.SCANNER) -> None:
        """Submit a scanned code as if the camera or scanner had read it."""
        self._submit(ScanRequest(text, method, None, time.perf_counter_ns()))

    def _submit(self, request: ScanRequest) -> None:
        if self.pages.currentWidget() is self.desk.screen:
            self.desk.handle_code(request.text)  # the desk's check-in page lists a scanned card
            return
        if self.pages.currentWidget() is not self.screen_kiosk:
            return  # a coordinator is at the PIN pad or another desk screen
        self.scan_requested.emit(request)

    @Slot(str)
    def _on_desk_query(self, query: str) -> None:
        """A USB scanner on the desk types a card (or a receipt's address) into the search box: treat it as a scan."""
        scanned = query.startswith(("VC1:", "VA1:")) or is_whole_receipt(query)
        if scanned and self.desk.handle_code(query):
            self.desk.check_in_page.search.clear()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Keystrokes anywhere on the kiosk screen go to the scanner detector; any touch keeps the desk open."""
        if (
            self.pages.currentWidget() in (self.desk.screen, self.screen_usb, self.screen_self_test)
            and event.type() in _ACTIVITY_EVENTS
        ):
            self._coordinator_timer.start()
            return False
        if event.type() != QEvent.Type.KeyPress or self.pages.currentWidget() is not self.screen_kiosk:
            return False
        assert isinstance(event, QKeyEvent)
        if event.isAutoRepeat():
            return True
        now = time.monotonic()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
            code = self.wedge.enter(now)
        elif event.text() and event.text().isprintable():
            code = self.wedge.key(event.text(), now)
        else:
            return event.key() == Qt.Key.Key_Escape  # Escape must not leave full screen
        if code is not None:
            self._submit(ScanRequest(code, Method.SCANNER, None, time.perf_counter_ns()))
        return True

    # -- coordinator ------------------------------------------------------------------

    @Slot()
    def _on_coordinator_requested(self) -> None:
        self.screen_pin.begin()
        self.pages.setCurrentWidget(self.screen_pin)
        self._coordinator_timer.start()
        # A lock-out in force shows at once, with its time left (the guard's state is the writer's).
        self.writer.run(self.pin_guard.status, self._on_pin_status, self._on_pin_status_failed)

    def _on_pin_status(self, result: PinResult) -> None:
        if self._closed or self.pages.currentWidget() is not self.screen_pin:
            return
        now = self._clock.now()
        lock = lock_from(result, now)
        if lock is not None:
            self.screen_pin.show_lock(lock, now)

    def _on_pin_status_failed(self, exc: Exception) -> None:
        log.warning("the PIN lock-out could not be read: %s", exc)  # a try will say (refused, never let in)

    @Slot(object)
    def _on_pin_checked(self, result: PinResult) -> None:
        if result.ok:
            if result.coordinator is not None:
                self.desk.open(result.coordinator)
            if self.screen_pin.roll_call():
                self._show_roll_call()
            else:
                self._show_menu()
            self.pin_answered.emit(result)
            return
        now = self._clock.now()
        lock = lock_from(result, now)
        if result.storage_failed:
            self.screen_pin.reset(
                self.tr("The PIN could not be checked: the kiosk cannot write its records.")
            )
        elif lock is not None:
            self.screen_pin.reset()
            self.screen_pin.show_lock(lock, now)
        else:
            self.screen_pin.reset(self.tr("Wrong PIN. %n tries left.", "", result.attempts_left))
        self._sounds.play("error")
        self.pin_answered.emit(result)

    def _show_roll_call(self) -> None:
        """The evacuation roll-call, asked for on the PIN pad: straight to who is here, the missing first."""
        self.desk.show_roll_call()
        self.pages.setCurrentWidget(self.desk.screen)
        self._coordinator_timer.start()

    def _show_menu(self) -> None:
        self.desk.show_activities()
        self.pages.setCurrentWidget(self.desk.screen)
        self.desk.screen.show_page("activities")
        self._coordinator_timer.start()

    @Slot()
    def _show_usb(self) -> None:
        sticks = find_usb_sticks(self._settings.usb_folder)
        self.screen_usb.set_sticks(sticks)
        self.pages.setCurrentWidget(self.screen_usb)
        self._coordinator_timer.start()

    @Slot()
    def _show_self_test(self) -> None:
        self.pages.setCurrentWidget(self.screen_self_test)
        self._coordinator_timer.start()

    @Slot()
    def _coordinator_timer_restart(self) -> None:
        self._coordinator_timer.start()

    @Slot(object)
    def _on_usb_finished(self, summary: UsbSummary) -> None:
        if self._closed:
            return
        self.screen_usb.show_summary(summary)
        self._sounds.play("notice" if summary.error is None and not summary.refused else "error")
        self._coordinator_timer.start()
        self.refresh()
        self.usb_shown.emit(summary)

    @Slot()
    def _back_to_kiosk(self) -> None:
        self._coordinator_timer.stop()
        self.desk.close()
        self.screen_pin.begin()
        self.pages.setCurrentWidget(self.screen_kiosk)
        self.refresh()

    @Slot()
    def _on_language_toggled(self) -> None:
        self._switcher.set_language("en" if self._switcher.language == "zh_CN" else "zh_CN")
        self.screen_kiosk.set_language(self._switcher.language)
        self._set_title()

    def _set_title(self) -> None:
        self.setWindowTitle(self.tr("Volunteer kiosk"))

    # -- display ------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        """Re-read the open activities, who is on site, and what waits to sync."""
        if self._closed:
            return  # the writer's last signals can arrive after the window closed
        tz = self._clock.now().local.tzinfo
        assert tz is not None
        open_ones = activity_store.list_activities(self._reader, ActivityStatus.OPEN)
        self.screen_kiosk.banner.set_activities(
            [(a, len(on_site(self._reader, a.activity_id))) for a in open_ones], tz
        )
        sync = read_status(self._reader)
        last = None
        if sync.last_success_utc:
            last = datetime.fromisoformat(sync.last_success_utc).astimezone(tz).strftime("%H:%M")
        failing = bool(
            sync.last_error_utc and (not sync.last_success_utc or sync.last_error_utc > sync.last_success_utc)
        )
        self.screen_kiosk.status.set_sync_state(sync.waiting, sync.registered, last, failing)
        if self.pages.currentWidget() is self.desk.screen:
            self.desk.show_activities()

    @Slot()
    def _on_data_changed(self) -> None:
        if not self._sync_soon_timer.isActive():
            self._sync_soon_timer.start()
        if self.pages.currentWidget() is self.desk.screen and not self._closed:
            self.desk.refresh()

    @Slot()
    def _on_clock_tick(self) -> None:
        now = self._clock.now()
        self.screen_kiosk.status.set_clock(now.local)
        self.screen_pin.tick(now)  # a lock-out's time left

    @Slot(object)
    def _on_preview_ready(self, image: object) -> None:
        self.screen_kiosk.camera.show_frame(image)  # type: ignore[arg-type]
        if self.pipeline is not None:
            self.pipeline.preview_shown()

    @Slot(str)
    def _on_camera_state_changed(self, state: str) -> None:
        self.screen_kiosk.camera.set_camera_state(state)
        self.screen_kiosk.status.set_camera_state(state)
