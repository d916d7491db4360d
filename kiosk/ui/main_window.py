"""The kiosk window: wires the camera, the USB scanner, the writer and the screens.

Threads: the camera pipeline captures and decodes on its own two threads; the
writer thread stores every scan; this (UI) thread only paints and routes. A
result is shown when the writer's outcome arrives, i.e. after COMMIT.

Lock-down: with ``kiosk.fullscreen`` the window is frameless and full screen,
refuses to close, and only the coordinator PIN (checked on the writer thread,
five wrong tries lock it for minutes) leads to the exit.

At every start the self-test runs once the camera has shown a picture
(:mod:`kiosk.ui.self_test_controller`); a problem shows as a line in the
status bar, and the coordinator menu's Self-test page lists every check.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget

from checkin_protocol.models import ActivityStatus, Identity, Method, mask_name
from kiosk.app import Kiosk
from kiosk.domain.manual import leave_time_choices
from kiosk.services.outcome import Outcome, OutcomeKind
from kiosk.services.pin import PinGuard, PinResult
from kiosk.services.removable import find_usb_sticks
from kiosk.services.review import ReviewItem
from kiosk.services.scanner_wedge import WedgeDetector
from kiosk.services.sound import SoundPlayer
from kiosk.services.usb_transfer import UsbSummary
from kiosk.store import activities as activity_store
from kiosk.store.events import on_site
from kiosk.sync.status import read_status
from kiosk.ui.camera_pipeline import CameraPipeline
from kiosk.ui.desk_controller import DeskController
from kiosk.ui.face_check_in import FaceCheckIn, liveness_settings
from kiosk.ui.face_worker import FaceThread
from kiosk.ui.i18n import LanguageSwitcher
from kiosk.ui.messages import ResultAction, result_view
from kiosk.ui.screens.coordinator_menu import CoordinatorMenu
from kiosk.ui.screens.kiosk_screen import KioskScreen
from kiosk.ui.screens.pin_pad import PinPad
from kiosk.ui.screens.usb_panel import UsbPanel
from kiosk.ui.self_test_controller import SelfTestController
from kiosk.ui.sync_worker import SyncRunner
from kiosk.ui.widgets.camera_view import NO_CAMERA_STATE
from kiosk.ui.writer_tasks import WriterTasks
from kiosk.ui.writer_worker import ScanRequest, WriterThread

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
    undo_requested = Signal(str)
    check_out_requested = Signal(object, str)
    pin_submitted = Signal(str)
    leave_answered = Signal(str, object)  # check-in event ID, UTC time or None -> writer
    result_shown = Signal(object, object)  # (Outcome, ScanRequest | None), after it is on screen
    pin_answered = Signal(object)  # PinResult, after the PIN pad or the menu shows it
    usb_shown = Signal(object)  # UsbSummary, after the USB screen shows it
    setup_requested = Signal()  # the coordinator asked to set this kiosk up again (the launcher listens)

    def __init__(
        self,
        kiosk: Kiosk,
        switcher: LanguageSwitcher,
        sounds: SoundPlayer,
        pipeline: CameraPipeline | None,
        fullscreen: bool,
        face: FaceThread | None = None,
    ) -> None:
        super().__init__()
        self.kiosk = kiosk
        self._switcher = switcher
        self._sounds = sounds
        self.pipeline = pipeline
        self.face = face
        self._fullscreen = fullscreen
        self._allow_close = False
        self._closed = False
        self._last_outcome: Outcome | None = None
        self._pending_choice: ScanRequest | None = None
        self._pending_question: ReviewItem | None = None
        self._asked: ReviewItem | None = None
        self._reader = kiosk.store.reader()
        self.wedge = WedgeDetector()
        self.pin_guard = PinGuard(kiosk.store, kiosk.clock, kiosk.kiosk_id)
        self.writer = WriterThread(kiosk, self.pin_guard)
        self.sync = SyncRunner(kiosk, self.writer.worker)

        self.screen_kiosk = KioskScreen(kiosk.kiosk_id)
        self.screen_pin = PinPad()
        self.screen_menu = CoordinatorMenu()
        self.screen_usb = UsbPanel()
        self.self_test = SelfTestController(kiosk, self.screen_kiosk.status, has_camera=pipeline is not None)
        self.screen_self_test = self.self_test.page
        self.tasks = WriterTasks(self.writer.worker)
        self.desk = DeskController(kiosk, self._reader, self.tasks, self.screen_menu, face=face)
        self.pages = QStackedWidget()
        for page in (
            self.screen_kiosk,
            self.screen_pin,
            self.desk.screen,
            self.screen_usb,
            self.screen_self_test,
        ):
            self.pages.addWidget(page)
        self.setCentralWidget(self.pages)
        self.setWindowTitle("Volunteer kiosk")
        self.face_check_in = (
            None
            if face is None
            else FaceCheckIn(
                face, self.writer.worker, self.screen_kiosk, self.pages, liveness_settings(kiosk.config)
            )
        )
        self._wire()
        self.screen_kiosk.set_language(switcher.language)

        self._idle_timer = QTimer(self)
        self._idle_timer.setSingleShot(True)
        self._idle_timer.timeout.connect(self._on_idle_due)
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
        if fullscreen:
            self.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)

    def _wire(self) -> None:
        worker = self.writer.worker
        self.scan_requested.connect(worker.handle_scan)
        self.undo_requested.connect(worker.undo)
        self.check_out_requested.connect(worker.check_out_now)
        self.pin_submitted.connect(worker.check_pin)
        worker.outcome_ready.connect(self._on_outcome_ready)
        worker.data_changed.connect(self.refresh)
        worker.data_changed.connect(self._on_data_changed)
        worker.pin_checked.connect(self._on_pin_checked)
        worker.usb_finished.connect(self._on_usb_finished)
        worker.leave_question_ready.connect(self._on_leave_question)
        self.leave_answered.connect(worker.record_leave_answer)
        self.sync.round_finished.connect(self.refresh)
        screen = self.screen_kiosk
        screen.result.action_chosen.connect(self._on_result_action)
        screen.choice.chosen.connect(self._on_activity_chosen)
        screen.question.answered.connect(self._on_leave_answered)
        screen.language_toggled.connect(self._on_language_toggled)
        screen.coordinator_requested.connect(self._on_coordinator_requested)
        self.screen_pin.submitted.connect(self.pin_submitted)
        self.screen_pin.cancelled.connect(self._back_to_kiosk)
        self.screen_menu.back_requested.connect(self._back_to_kiosk)
        self.screen_menu.exit_requested.connect(self.exit_kiosk)
        self.screen_menu.sync_requested.connect(self.sync.sync_now)
        self.screen_menu.usb_requested.connect(self._show_usb)
        self.screen_usb.export_requested.connect(worker.usb_export)
        self.screen_usb.import_requested.connect(worker.usb_import)
        self.screen_usb.export_requested.connect(self._coordinator_timer_restart)
        self.screen_usb.import_requested.connect(self._coordinator_timer_restart)
        self.screen_usb.rescan_requested.connect(self._show_usb)
        self.screen_usb.back_requested.connect(self._show_menu)
        self.screen_menu.self_test_requested.connect(self._show_self_test)
        self.screen_menu.setup_requested.connect(self.setup_requested)
        self.screen_self_test.back_requested.connect(self._show_menu)
        self.screen_self_test.run_requested.connect(self._coordinator_timer_restart)
        self.desk.screen.lock_requested.connect(self._back_to_kiosk)
        self.desk.sign_in.query_changed.connect(self._on_desk_query)
        if self.pipeline is not None:
            self.pipeline.preview_ready.connect(self._on_preview_ready)
            self.pipeline.preview_ready.connect(self.desk.show_preview)  # the Face tab's capture
            self.pipeline.camera_state_changed.connect(self._on_camera_state_changed)
            self.pipeline.preview_ready.connect(self.self_test.on_preview)
            self.pipeline.camera_state_changed.connect(self.self_test.on_camera_state)
            self.pipeline.code_seen.connect(self._on_code_seen)
        if self.face_check_in is not None:
            self.face_check_in.identified.connect(self._on_face_identified)
            self.sync.round_finished.connect(self.face_check_in.schedule_reload)

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
            state = NO_CAMERA_STATE if self.kiosk.config.get("camera", "source") == "none" else "disconnected"
            self.screen_kiosk.camera.set_camera_state(state)
            self.screen_kiosk.status.set_camera_state(state)
        self.self_test.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.refresh()
        self._on_clock_tick()
        if self._fullscreen:
            self.showFullScreen()
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
        timers = (
            self._refresh_timer,
            self._clock_timer,
            self._idle_timer,
            self._coordinator_timer,
            self._sync_soon_timer,
        )
        for timer in timers:
            timer.stop()
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
        self.writer.stop()
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
            self.desk.handle_code(request.text)  # the desk's sign-in page lists a scanned card
            return
        if self.pages.currentWidget() is not self.screen_kiosk:
            return  # a coordinator is at the PIN pad or another desk screen
        self.scan_requested.emit(request)

    @Slot(str)
    def _on_desk_query(self, query: str) -> None:
        """A USB scanner on the desk types a card into the search box: treat it as a scan."""
        if query.startswith(("VC1:", "VA1:")) and self.desk.handle_code(query):
            self.desk.sign_in.search.clear()

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

    # -- results --------------------------------------------------------------------

    @Slot(object, object)
    def _on_outcome_ready(self, outcome: Outcome, request: ScanRequest | None) -> None:
        if self._closed:
            return
        self._pending_question = self._asked = None  # a new scan: an earlier question is dropped
        if outcome.kind is OutcomeKind.CHOOSE_ACTIVITY and request is not None:
            self._pending_choice = request
            open_ones = [
                a
                for a in activity_store.list_activities(self._reader, ActivityStatus.OPEN)
                if a.activity_id in outcome.choices
            ]
            self.screen_kiosk.show_choice(outcome.display_name or "", open_ones)
            self._sounds.play("notice")
            self._idle_timer.start(self._result_ms() * 3)
        else:
            self._last_outcome = outcome
            view = result_view(outcome, request.method if request is not None else None)
            self.screen_kiosk.show_result(view)
            self._sounds.play(view.sound)
            self._idle_timer.start(self._result_ms() * (2 if view.actions else 1))
        self.result_shown.emit(outcome, request)

    def _result_ms(self) -> int:
        return int(self.kiosk.config.get("kiosk", "result_seconds")) * 1000

    @Slot(str)
    def _on_result_action(self, action: str) -> None:
        outcome = self._last_outcome
        if outcome is None or outcome.previous is None:
            return
        if action == ResultAction.UNDO:
            self.undo_requested.emit(outcome.previous.event_id)
        elif action == ResultAction.CHECK_OUT_NOW and outcome.volunteer_id and outcome.activity_id:
            identity = Identity(outcome.volunteer_id, outcome.display_name or "", outcome.previous.method)
            self.check_out_requested.emit(identity, outcome.activity_id)

    @Slot(str)
    def _on_activity_chosen(self, activity_id: str) -> None:
        request, self._pending_choice = self._pending_choice, None
        if request is not None:
            self.scan_requested.emit(replace(request, activity_id=activity_id))

    @Slot()
    def _on_idle_due(self) -> None:
        self._pending_choice = None
        question, self._pending_question = self._pending_question, None
        if question is not None and question.check_in is not None and question.check_out is not None:
            choices = leave_time_choices(question.check_in.clock.local, question.check_out.clock.local)
            self.screen_kiosk.show_question(mask_name(question.name), question.activity_title, choices)
            self._asked = question
            self._sounds.play("notice")
            self._idle_timer.start(self._result_ms() * 4)
            return
        self._asked = None
        self.screen_kiosk.show_idle()

    @Slot(object)
    def _on_leave_question(self, item: ReviewItem) -> None:
        """Asked after the scan's result has been shown (the result card stays first)."""
        self._pending_question = item

    @Slot(object)
    def _on_leave_answered(self, left_at: object) -> None:
        asked, self._asked = self._asked, None
        if asked is not None:
            moment = left_at.astimezone(UTC) if isinstance(left_at, datetime) else None
            self.leave_answered.emit(asked.subject_event_id, moment)
            self._sounds.play("success")
        self._idle_timer.stop()
        self.screen_kiosk.show_idle()

    # -- coordinator ------------------------------------------------------------------

    @Slot()
    def _on_coordinator_requested(self) -> None:
        self.screen_pin.reset()
        self.pages.setCurrentWidget(self.screen_pin)
        self._coordinator_timer.start()

    @Slot(object)
    def _on_pin_checked(self, result: PinResult) -> None:
        if result.ok:
            if result.coordinator is not None:
                self.desk.open(result.coordinator)
            self._show_menu()
            self.pin_answered.emit(result)
            return
        if result.storage_failed:
            message = self.tr("The PIN could not be checked: the kiosk cannot write its records.")
        elif result.locked_until is not None:
            message = self._locked_out_words(result)
        else:
            message = self.tr("Wrong PIN. %n tries left.", "", result.attempts_left)
        self.screen_pin.reset(message)
        self._sounds.play("error")
        self.pin_answered.emit(result)

    def _locked_out_words(self, result: PinResult) -> str:
        """How long the PIN pad stays locked: minutes up to 90, then hours (lock-outs grow to a day)."""
        assert result.locked_until is not None
        until = result.locked_until.astimezone(self.kiosk.clock.now().local.tzinfo).strftime("%H:%M")
        left_s = max(1, result.locked_for_s)
        if left_s <= 90 * 60:
            minutes = -(-left_s // 60)
            text = self.tr("Too many wrong PINs. Try again in %n minute(s), at %1.", "", minutes)
        else:
            hours = -(-left_s // 3600)
            text = self.tr("Too many wrong PINs. Try again in %n hour(s), at %1.", "", hours)
        return text.replace("%1", until)

    def _show_menu(self) -> None:
        self.desk.show_activities()
        self.pages.setCurrentWidget(self.desk.screen)
        self.desk.screen.show_page("activities")
        self._coordinator_timer.start()

    @Slot()
    def _show_usb(self) -> None:
        sticks = find_usb_sticks(str(self.kiosk.config.get("usb", "folder")))
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
        self.screen_pin.reset()
        self.pages.setCurrentWidget(self.screen_kiosk)
        self.refresh()

    @Slot()
    def _on_language_toggled(self) -> None:
        self._switcher.set_language("en" if self._switcher.language == "zh_CN" else "zh_CN")
        self.screen_kiosk.set_language(self._switcher.language)

    # -- display ------------------------------------------------------------------------

    @Slot()
    def refresh(self) -> None:
        """Re-read the open activities, who is on site, and what waits to sync."""
        if self._closed:
            return  # the writer's last signals can arrive after the window closed
        tz = self.kiosk.clock.now().local.tzinfo
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
        now: datetime = self.kiosk.clock.now().local
        self.screen_kiosk.status.set_clock(now)

    @Slot(object)
    def _on_preview_ready(self, image: object) -> None:
        self.screen_kiosk.camera.show_frame(image)  # type: ignore[arg-type]
        if self.pipeline is not None:
            self.pipeline.preview_shown()

    @Slot(str)
    def _on_camera_state_changed(self, state: str) -> None:
        self.screen_kiosk.camera.set_camera_state(state)
        self.screen_kiosk.status.set_camera_state(state)
