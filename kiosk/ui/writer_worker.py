"""The one database writer of the kiosk window, on its own thread.

Every scan, undo and auto-close goes through :class:`WriterWorker`, which runs
the services (they commit before they return) and sends the outcome back by
signal. The UI shows a result only when that signal arrives, so a check-in is
on screen only once it is durable, and a slow disk never freezes the screen.
When no request is waiting, the worker checkpoints the WAL (``Store.maintain``).

The worker is the :class:`~kiosk.ui.tasks.TaskWorker` of the writer's
:class:`~kiosk.ui.tasks.ThreadRunner`: the desk's writes, and the sync
thread's database work, run here as tasks of that runner, in order with the
scans. After each task of ``run`` it emits ``data_changed``.

For face check-in it sends the gallery (``face_gallery_loaded``, when the
enrolments changed) and the likely volunteers (``face_candidates_loaded``:
:func:`~kiosk.services.face_candidates.face_candidates`, when they changed),
each when the face controller asks.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QTimer, Signal, Slot

from checkin_protocol.models import Identity, Method
from checkin_protocol.policy import AttendancePolicy
from kiosk.clock import Clock
from kiosk.face.matching import Candidates
from kiosk.services.attendance import AttendanceService
from kiosk.services.current_trust import CurrentTrust
from kiosk.services.face_candidates import face_candidates
from kiosk.services.face_enrolment import FaceEnrolment
from kiosk.services.face_gallery import GalleryLoader
from kiosk.services.outcome import Failure, Outcome, OutcomeKind
from kiosk.services.pin import PinGuard, PinResult
from kiosk.services.review import ReviewService, pending_leave_question
from kiosk.services.scanning import ScanService
from kiosk.services.usb_transfer import export_to_stick, import_from_stick
from kiosk.services.volunteer_search import index_is_current, refresh_index
from kiosk.store.database import DatabaseFailure, Store
from kiosk.ui.tasks import TaskWorker

log = logging.getLogger(__name__)

MAINTENANCE_INTERVAL_MS = 2000
SEARCH_INDEX_CHUNK = 500  # volunteers indexed per step (~40 ms on a 500,000 roster)
SEARCH_INDEX_INTERVAL_MS = 50  # between steps while a backlog lasts
AUTO_CLOSE_INTERVAL_MS = 60_000


@dataclass(frozen=True)
class WriterServices:
    """What the writer thread runs: the services that write, and the store they write to."""

    store: Store
    kiosk_id: str
    clock: Clock
    policy: AttendancePolicy
    trust: CurrentTrust
    scanning: ScanService
    attendance: AttendanceService
    review: ReviewService
    face_enrolment: FaceEnrolment


@dataclass(frozen=True)
class ScanRequest:
    """One scanned code, or one face identified, on its way to the writer; ``seen_ns`` times the whole path.

    A face identification has ``method`` FACE, no ``text`` and the identified ``volunteer_id``.
    """

    text: str
    method: Method
    activity_id: str | None = None
    seen_ns: int = 0
    volunteer_id: str | None = None


class WriterWorker(TaskWorker):
    """Runs the kiosk's services on the writer thread; results come back as signals."""

    outcome_ready = Signal(object, object)  # (Outcome, ScanRequest | None)
    data_changed = Signal()  # something was written: banners and counts refresh
    pin_checked = Signal(object)  # PinResult
    usb_finished = Signal(object)  # UsbSummary
    leave_question_ready = Signal(object)  # ReviewItem: ask this volunteer when they left last time
    face_gallery_loaded = Signal(object)  # Gallery: the first load, or the enrolments changed
    face_candidates_loaded = Signal(object)  # Candidates: the first read, or who is likely here changed

    def __init__(self, services: WriterServices, pin_guard: PinGuard) -> None:
        super().__init__()
        self._services = services
        self._pin_guard = pin_guard
        self._gallery_loader: GalleryLoader | None = None
        self._face_candidates: Candidates | None = None
        # The timers are made and connected here, before the thread starts; thread_started() starts them.
        self._maintenance = QTimer(self)
        self._maintenance.setInterval(MAINTENANCE_INTERVAL_MS)
        self._maintenance.timeout.connect(self._on_maintenance_due)
        self._auto_close = QTimer(self)
        self._auto_close.setInterval(AUTO_CLOSE_INTERVAL_MS)
        self._auto_close.timeout.connect(self.close_due)
        self._indexer = QTimer(self)
        self._indexer.setInterval(SEARCH_INDEX_INTERVAL_MS)
        self._indexer.timeout.connect(self._on_index_due)

    def thread_started(self) -> None:
        """Start the idle timers; runs on the writer thread when it starts."""
        self._maintenance.start()
        self._auto_close.start()
        self.close_due()

    def after_job(self) -> None:
        """A desk task (or another runner task) may have written: banners and counts refresh."""
        self.data_changed.emit()

    @Slot(object)
    def handle_scan(self, request: ScanRequest) -> None:
        scanning = self._services.scanning
        try:
            if request.method is Method.FACE and request.volunteer_id is not None:
                outcome = scanning.handle_face(request.volunteer_id, request.activity_id)
            else:
                outcome = scanning.handle_code(request.text, request.method, request.activity_id)
        except Exception:  # a bug must not kill the writer thread; the screen says "not saved"
            log.exception("scan failed unexpectedly")
            outcome = Outcome(OutcomeKind.FAILED, reason=Failure.STORAGE_ERROR.value)
        self._finish(outcome, request)
        if outcome.confirmed and outcome.volunteer_id is not None:
            self._ask_about_last_visit(outcome.volunteer_id)

    def _ask_about_last_visit(self, volunteer_id: str) -> None:
        """After a scan, a forgotten check-out of this volunteer not yet answered is asked about."""
        services = self._services
        try:
            item = pending_leave_question(services.store.writer, services.policy, volunteer_id, self._now())
        except DatabaseFailure as exc:
            log.warning("could not look for a forgotten check-out: %s", exc)
            return
        if item is not None:
            self.leave_question_ready.emit(item)

    @Slot(str, object)
    def record_leave_answer(self, check_in_event_id: str, left_at: object) -> None:
        """Keep a volunteer's answer to "when did you leave?" for the review queue."""
        moment = left_at if isinstance(left_at, datetime) else None
        try:
            self._services.review.record_leave_answer(check_in_event_id, moment)
        except DatabaseFailure as exc:
            log.error("a volunteer's answer was not stored: %s", exc)

    @Slot(str)
    def reload_face_gallery(self, model_version: str) -> None:
        """Send the face gallery of ``model_version`` when it changed since the last time (or the first time)."""
        if self._gallery_loader is None or self._gallery_loader.model_version != model_version:
            services = self._services
            self._gallery_loader = GalleryLoader(
                services.face_enrolment, services.store.writer, model_version
            )
        gallery = self._gallery_loader.reload_if_changed()
        if gallery is not None:
            self.face_gallery_loaded.emit(gallery)

    @Slot()
    def reload_face_candidates(self) -> None:
        """Send the volunteers likely in front of the kiosk when they changed since the last time (or the first time).

        A store that cannot be read sends no candidates at all: the whole
        gallery is searched, as without them.
        """
        try:
            candidates = face_candidates(self._services.store.writer, self._now())
        except DatabaseFailure as exc:
            log.warning("the likely volunteers could not be read; the whole gallery is searched: %s", exc)
            candidates = Candidates()
        if candidates != self._face_candidates:
            self._face_candidates = candidates
            self.face_candidates_loaded.emit(candidates)

    @Slot(str)
    def undo(self, event_id: str) -> None:
        self._finish(self._services.attendance.undo(event_id), None)

    @Slot(object, str)
    def check_out_now(self, identity: Identity, activity_id: str) -> None:
        self._finish(self._services.attendance.scan(identity, activity_id, force_check_out=True), None)

    @Slot(str)
    def check_pin(self, pin: str) -> None:
        """The PIN check writes its failure count, so it runs here, off the UI thread."""
        try:
            result = self._pin_guard.check(pin)
        except DatabaseFailure as exc:  # a try that cannot be counted is refused, never let through
            log.error("PIN check failed: %s", exc)
            result = PinResult(False, None, 0, storage_failed=True)
        self.pin_checked.emit(result)

    @Slot(str)
    def usb_export(self, stick: str) -> None:
        """Write the waiting records to the USB stick mounted at ``stick``."""
        services = self._services
        summary = export_to_stick(services.store, services.kiosk_id, Path(stick), self._now())
        self.usb_finished.emit(summary)

    @Slot(str)
    def usb_import(self, stick: str) -> None:
        """Take the platform's receipts and updates from the USB stick mounted at ``stick``."""
        services = self._services
        summary = import_from_stick(services.store, services.kiosk_id, Path(stick), self._now())
        if summary.trust_changed:
            services.trust.reload(services.store)
        self.usb_finished.emit(summary)
        if summary.records or summary.applied:
            self.data_changed.emit()

    def _now(self) -> datetime:
        return self._services.clock.now().wall_utc

    @Slot()
    def close_due(self) -> None:
        try:
            reports = self._services.attendance.close_due_activities()
        except Exception:
            log.exception("auto-close failed; will retry")
            return
        if reports:
            self.data_changed.emit()

    def thread_stopping(self) -> None:
        """Stop the timers and checkpoint (the thread then ends: :meth:`TaskWorker.stop`).

        Requests are queued in order, so when this runs every scan before it is stored.
        """
        for timer in (self._maintenance, self._auto_close, self._indexer):
            timer.stop()
        self._services.store.maintain()

    def _finish(self, outcome: Outcome, request: ScanRequest | None) -> None:
        self.outcome_ready.emit(outcome, request)
        if outcome.confirmed or outcome.kind is OutcomeKind.ACTIVITY_OPENED:
            self.data_changed.emit()

    @Slot()
    def _on_maintenance_due(self) -> None:
        store = self._services.store
        store.maintain()
        if not self._indexer.isActive():
            try:
                current = index_is_current(store.writer)
            except DatabaseFailure as exc:
                log.warning("the search index backlog could not be read: %s", exc)
                return
            if not current:
                self._indexer.start()

    @Slot()
    def _on_index_due(self) -> None:
        """Index a short chunk of changed volunteers; stop when none are left.

        Chunks are small (tens of milliseconds) and the timer leaves room in
        between, so a scan waits at most one chunk.
        """
        try:
            done = refresh_index(
                self._services.store, limit=SEARCH_INDEX_CHUNK, chunk_size=SEARCH_INDEX_CHUNK
            )
        except DatabaseFailure as exc:
            log.warning("the search index could not be refreshed: %s", exc)
            done = 0
        if done == 0:
            self._indexer.stop()
